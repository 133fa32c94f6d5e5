# In-process fuzzing (included by the root Makefile).
#
#   make fuzz          time-boxed campaign: every target under libFuzzer and
#                      AFL++, FUZZ_SECONDS each (default 60); prints execs/s,
#                      coverage and findings; fails if there is a finding
#   make fuzz-test     (part of make test) replays the committed corpora and
#                      regression traces, then runs each harness ~10 s
#   make fuzz-planted  plants mapper bugs one at a time in a scratch copy;
#                      passes only if the ops target finds each within a minute
#   make fuzz-build    just the binaries, in $(BUILD)/fuzz
#   fuzz/campaign      long AFL++ campaigns on N cores (see fuzz/README.md)
#
# The QEMU-oracle target `diff` and exhaustive mode: fuzz/diff.mk.

DEPS += fuzz

FUZZ_TARGETS  := ops walk vm
FUZZ_SECONDS  ?= 60
FUZZ_TEST_SECONDS ?= 10
FZB           := $(BUILD)/fuzz
AFL_DRIVER    ?= /usr/lib/afl/libAFLDriver.a
FUZZ_CFLAGS   := $(CSTD) -D_DEFAULT_SOURCE -Wall -Wextra -g $(REF_INC)
FUZZ_SAN      := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer

# Coverage feedback comes from ref/src.  The ops harness is left
# uninstrumented: its invariant loops would swamp the feedback and cost
# most of the time; the walk harness is instrumented, as the rules of its
# simple walker are worth telling apart.
FUZZ_HARNESS_COV_ops  :=
FUZZ_HARNESS_COV_walk := yes
FUZZ_HARNESS_COV_vm   :=

.PHONY: fuzz fuzz-build fuzz-test fuzz-planted
TEST_STEPS += fuzz-test

$(FZB):
	@mkdir -p $@

# libFuzzer: clang -fsanitize=fuzzer,address,undefined.
$(FZB)/lf-%.o: fuzz/%.c $(REF_HDR) | $(FZB)
	clang $(FUZZ_CFLAGS) -O1 $(FUZZ_SAN) \
	  $(if $(FUZZ_HARNESS_COV_$*),-fsanitize=fuzzer-no-link) -c $< -o $@
$(FZB)/lf-%: $(FZB)/lf-%.o $(REF_SRC) $(REF_HDR)
	clang $(FUZZ_CFLAGS) -O1 $(FUZZ_SAN) -fsanitize=fuzzer $(REF_SRC) $< -o $@

# AFL++: afl-clang-fast with AFL++'s libFuzzer-compatible driver (persistent
# mode, shared-memory test cases); no ASan, so it runs several times faster.
$(FZB)/afl-%.o: fuzz/%.c $(REF_HDR) | $(FZB)
	$(if $(FUZZ_HARNESS_COV_$*),AFL_QUIET=1 afl-clang-fast,clang) $(FUZZ_CFLAGS) -O2 -c $< -o $@
$(FZB)/afl-%: $(FZB)/afl-%.o $(REF_SRC) $(REF_HDR)
	AFL_QUIET=1 afl-clang-fast $(FUZZ_CFLAGS) -O2 $(REF_SRC) $< $(AFL_DRIVER) -o $@

# The same with CMPLOG instrumentation, for one instance of a long campaign.
$(FZB)/afl-cmplog-%: fuzz/%.c $(REF_SRC) $(REF_HDR) | $(FZB)
	AFL_QUIET=1 AFL_LLVM_CMPLOG=1 afl-clang-fast $(FUZZ_CFLAGS) -O2 $(REF_SRC) $< $(AFL_DRIVER) -o $@

# Replay: the harness and ref with ASan and UBSan, no fuzzer runtime.
$(FZB)/replay-%: fuzz/%.c fuzz/replay.c $(REF_SRC) $(REF_HDR) | $(FZB)
	clang $(FUZZ_CFLAGS) -O1 $(FUZZ_SAN) $(REF_SRC) $< fuzz/replay.c -o $@

FUZZ_BINS := $(foreach t,$(FUZZ_TARGETS),$(FZB)/lf-$(t) $(FZB)/afl-$(t) $(FZB)/replay-$(t))
fuzz-build: deps $(FUZZ_BINS)

fuzz: fuzz-build
	@bash fuzz/run-fuzz.sh $(FZB) $(FUZZ_SECONDS) $(FUZZ_TARGETS) $(FUZZ_ORACLE_TARGETS)

fuzz-test: deps $(foreach t,$(FUZZ_TARGETS),$(FZB)/lf-$(t) $(FZB)/replay-$(t))
	@bash fuzz/fuzz-test.sh $(FZB) $(FUZZ_TEST_SECONDS) $(FUZZ_TARGETS)

fuzz-planted: deps
	@bash fuzz/plant-bug.sh all

.SECONDARY: $(foreach t,$(FUZZ_TARGETS),$(FZB)/lf-$(t).o $(FZB)/afl-$(t).o)

-include fuzz/diff.mk
