# Benchmarks (included by the root Makefile).  Benchmarks are never tests:
# `make bench` measures and prints a table; only `bench-smoke` is a test
# step, and it asserts nothing about time — it proves the benchmark builds
# and runs, in a quick mode that takes a few seconds.
#
#   make bench                      table on stdout, CSV in $(BUILD)/bench.csv
#   BENCH_REPS=21 make bench        more repetitions (default 15)
#   BENCH_SKIP_PROVE=1 make bench   do not time `make prove`
#   BENCH_SKIP_EXT=1 make bench     skip prove, qemu and fuzz rows
#   BENCH_FUZZ_SECONDS=10           seconds per fuzz target in each make fuzz run
#   BENCH_ONLY=frames|map|translate one section
# (bench/external.sh lists the other knobs of the prove, qemu and fuzz rows.)

BENCH_BIN    := $(BUILD)/bench
BENCH_SRC    := $(wildcard bench/*.c)
BENCH_CFLAGS := $(CSTD) $(WARN) -O2 -march=x86-64-v2 $(REF_INC) -Ibench

$(BENCH_BIN): $(BENCH_SRC) $(wildcard bench/*.h) $(REF_SRC) $(REF_HDR)
	@mkdir -p $(BUILD)
	$(CC) $(BENCH_CFLAGS) $(BENCH_SRC) $(REF_SRC) -o $@ -lm

.PHONY: bench bench-smoke
bench: deps $(BENCH_BIN)
	@bash bench/external.sh $(BUILD)/bench-ext.txt
	@$(BENCH_BIN) --ext $(BUILD)/bench-ext.txt --csv $(BUILD)/bench.csv \
	  $(if $(BENCH_ONLY),--only $(BENCH_ONLY))

bench-smoke: deps $(BENCH_BIN)
	@$(BENCH_BIN) --quick --csv $(BUILD)/bench-smoke.csv >$(BUILD)/bench-smoke.txt \
	  || { cat $(BUILD)/bench-smoke.txt; exit 1; }
	@echo "bench-smoke: benchmark binary built and ran in quick mode ($$(($$(wc -l <$(BUILD)/bench-smoke.csv) - 1)) rows, timings not checked)"
TEST_STEPS += bench-smoke
