#!/bin/bash -eu
# Builds the fuzz targets the OSS-Fuzz way: $CC $CFLAGS ... $LIB_FUZZING_ENGINE,
# so the same harnesses run under libFuzzer, AFL++ or honggfuzz as the
# infrastructure chooses.  Seed corpora go next to the binaries as
# <target>_seed_corpus.zip.
cd "$SRC/xpt"
# The targets are those of fuzz/fuzz.mk.
for t in $(sed -n 's/^FUZZ_TARGETS *:= *//p' fuzz/fuzz.mk); do
	objs=()
	for f in ref/src/*.c; do
		o="$WORK/$t-$(basename "$f" .c).o"
		$CC $CFLAGS -std=c11 -Iref/include -c "$f" -o "$o"
		objs+=("$o")
	done
	$CC $CFLAGS -std=c11 -D_DEFAULT_SOURCE -Iref/include -c "fuzz/$t.c" -o "$WORK/$t.o"
	$CXX $CXXFLAGS "$WORK/$t.o" "${objs[@]}" $LIB_FUZZING_ENGINE -o "$OUT/$t"
	(cd "fuzz/corpus/$t" && zip -q -r "$OUT/${t}_seed_corpus.zip" .)
done
