# The oracle kernel under Bochs, booted by GRUB from an ISO, and the
# three-way comparison ref / QEMU / Bochs (fuzz/oracle/bochs.c).
# Included by kernel/kernel.mk (it uses KERNEL, ORACLE, ORACLE_RUN, QEMU_CASES).
#
#   make bochs       20,000 generated cases, the standard batch and the quirk
#                    experiments, each under QEMU and Bochs; the three-way
#                    table, the quirks confirmed or refuted, counts and time
#   make bochs-test  what make test runs (about 30 s): a small three-way batch,
#                    the same through port 0xE9, the standard batch, the quirk
#                    experiments; skipped with a message when Bochs is missing
#   make bochs-demo  the seeds' experiment, printed by the kernel under Bochs
#   make bochs-iso   build/kernel/xpt-bochs.iso (demo command line), to boot by hand

BOCHS_ISO := $(KDIR)/xpt-bochs.iso
BOCHS_CASES ?= 20000

.PHONY: bochs bochs-test bochs-demo bochs-iso
bochs: deps $(KERNEL) $(ORACLE)
	$(ORACLE_RUN) --quiet --show 5 three gen --cases $(BOCHS_CASES) --seed 1
	$(ORACLE_RUN) --quiet --show 5 three run $(QEMU_CASES)
	$(ORACLE_RUN) --quiet three quirks

bochs-test: $(KERNEL) $(ORACLE)
	@if ! command -v bochs-bin >/dev/null || ! command -v grub-mkrescue >/dev/null; then \
	  echo "bochs-test: skipped: Bochs or grub-mkrescue is not installed (ci/deps.sh bochs)"; exit 0; fi; \
	set -e; \
	$(ORACLE_RUN) --quiet --show 5 three gen --cases 3000 --seed 7; \
	$(ORACLE_RUN) --quiet --show 5 --bochs-e9 three gen --cases 300 --seed 8 --isolate; \
	$(ORACLE_RUN) --quiet --show 5 three run $(QEMU_CASES); \
	$(ORACLE_RUN) --quiet three quirks

bochs-demo: deps $(KERNEL) $(ORACLE)
	$(ORACLE_RUN) bochs-demo

bochs-iso: $(KERNEL)
	sh kernel/bochs/mkiso.sh $(KERNEL) - demo $(BOCHS_ISO)
	@echo "boot it: XPT_ISO=$(BOCHS_ISO) XPT_MEGS=64 XPT_CPU=corei7_icelake_u XPT_SERIAL=/dev/stdout" \
	      "XPT_LOG=/dev/null bochs-bin -q -f kernel/bochs/bochsrc   (then 'c' at the debugger prompt)"

DEPS       += bochs
TEST_STEPS += bochs-test
