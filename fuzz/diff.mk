# The oracle side of fuzzing (included by fuzz/fuzz.mk): the `diff` target
# and exhaustive mode.
#
#   make qemu-exhaustive   every combination of entry bits (P RW US NX A D PS
#                          and a reserved bit, leaf and the level above it in
#                          three shapes), control bits (WP, SMEP, SMAP/AC,
#                          PKE with four PKRU values, NXE) and access kinds,
#                          848,040 cases, about 35 s; fails on any unexplained
#                          disagreement with ref (fuzz/oracle/exhaustive.c)
#   make diff-test         (part of make test) the diff corpus and regressions
#                          replayed through one QEMU batch per paging mode
#                          (4-level, and 5-level booted with la57)
#   make fuzz              also runs diff under both engines (fuzz/run-fuzz.sh)
#
# diff (fuzz/diff.c) links the oracle's host side (fuzz/oracle/ minus
# main.c) and ref.  Only diff.c carries coverage instrumentation: the
# comparison runs a batch later than the input it judges, so its edges
# would be credited to the wrong input.

FUZZ_ORACLE_TARGETS := diff
DIFF_LIB_SRC := $(filter-out fuzz/oracle/main.c,$(ORACLE_SRC)) $(REF_SRC)
DIFF_DEPS    := $(DIFF_LIB_SRC) $(ORACLE_HDR) fuzz/diff.c
DIFF_CFLAGS  := $(CSTD) -D_GNU_SOURCE -Wall -Wextra -g $(REF_INC) -Ikernel/include -Ifuzz/oracle

# Objects of the oracle and of ref in separate directories (both have a vm.c).
DIFF_ABS_CFLAGS = $(patsubst -I%,-I$(CURDIR)/%,$(DIFF_CFLAGS))
define diff_objs
	@rm -rf $@.objs && mkdir -p $@.objs/oracle $@.objs/ref
	cd $@.objs/oracle && clang $(DIFF_ABS_CFLAGS) $(1) -c $(addprefix $(CURDIR)/,$(filter fuzz/%,$(DIFF_LIB_SRC)))
	cd $@.objs/ref && clang $(DIFF_ABS_CFLAGS) $(1) -c $(addprefix $(CURDIR)/,$(REF_SRC))
endef

$(FZB)/lf-diff: $(DIFF_DEPS) | $(FZB)
	$(call diff_objs,-O1 $(FUZZ_SAN))
	clang $(DIFF_CFLAGS) -O1 $(FUZZ_SAN) -fsanitize=fuzzer $@.objs/*/*.o fuzz/diff.c -o $@

$(FZB)/afl-diff: $(DIFF_DEPS) | $(FZB)
	$(call diff_objs,-O2)
	AFL_QUIET=1 afl-clang-fast $(DIFF_CFLAGS) -O2 $@.objs/*/*.o fuzz/diff.c $(AFL_DRIVER) -o $@

$(FZB)/replay-diff: $(DIFF_DEPS) fuzz/replay.c | $(FZB)
	clang $(DIFF_CFLAGS) -O1 $(FUZZ_SAN) $(DIFF_LIB_SRC) fuzz/diff.c fuzz/replay.c -o $@

DIFF_BINS := $(FZB)/lf-diff $(FZB)/afl-diff $(FZB)/replay-diff
fuzz-build: $(DIFF_BINS) $(KERNEL)

.PHONY: qemu-exhaustive diff-test
qemu-exhaustive: $(KERNEL) $(ORACLE)
	$(ORACLE_RUN) exhaustive

# The committed diff inputs through one batch per paging mode (DIFF_BATCH large enough).
diff-test: $(FZB)/replay-diff $(KERNEL)
	ASAN_OPTIONS=abort_on_error=1:detect_leaks=0 DIFF_BATCH=100000 XPT_KERNEL=$(KERNEL) \
	  $(FZB)/replay-diff fuzz/corpus/diff $(wildcard fuzz/regressions/diff)

TEST_STEPS += qemu-exhaustive diff-test
