# The oracle kernel (kernel/) and the host side of the oracle (fuzz/oracle/).
# Included by the root Makefile.
#
#   make qemu         build, boot, run the standard batch; print boot time and cases/s
#   make qemu-test    >= 100,000 generated cases compared with ref (fails on disagreement)
#   make kernel-demo  the seeds' experiment, printed by the kernel on serial
#   make qemu-quirks  re-verify every quirk-table entry by experiment
#   make qemu-planted bugs planted in a scratch copy of ref's walker must be caught
#   make qemu-vm      every xpt_vm mechanism in the kernel with real faults, checked by the host,
#                     on 4-level and on 5-level paging
#   make qemu-la57    the kernel booted with 5-level paging (CR4.LA57): cases on PML5 roots

KDIR     := $(BUILD)/kernel
KCC      ?= gcc
KCFLAGS  := -std=c11 -O3 -g -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
            -ffreestanding -nostdlib -fno-builtin -mno-red-zone -mcmodel=kernel -mgeneral-regs-only \
            -mno-sse -mno-mmx -mno-sse2 -fno-pic -fno-pie -fno-stack-protector \
            -fno-asynchronous-unwind-tables -fno-tree-loop-distribute-patterns \
            -Iref/include -Ikernel/include -Ikernel
KSRC     := $(wildcard kernel/*.c)
KASM     := $(wildcard kernel/*.S)
KHDR     := $(wildcard kernel/*.h kernel/include/*.h) $(REF_HDR)
KOBJ     := $(patsubst kernel/%.c,$(KDIR)/%.o,$(KSRC)) $(patsubst kernel/%.S,$(KDIR)/%.o,$(KASM)) \
            $(patsubst ref/src/%.c,$(KDIR)/ref/%.o,$(REF_SRC))
KERNEL   := $(KDIR)/xpt-kernel.bin

$(KDIR)/%.o: kernel/%.c $(KHDR) | $(KDIR)/ref
	$(KCC) $(KCFLAGS) -c $< -o $@
$(KDIR)/%.o: kernel/%.S kernel/layout.h | $(KDIR)/ref
	$(KCC) -Ikernel -c $< -o $@
# ref/src compiled unchanged, with the kernel's flags.  Unrolled: under TCG
# every guest instruction of ref's table-zeroing loop costs host time.
KREF_OPT ?= -O3 -funroll-loops
$(KDIR)/ref/%.o: ref/src/%.c $(REF_HDR) | $(KDIR)/ref
	$(KCC) $(KCFLAGS) $(KREF_OPT) -c $< -o $@
$(KDIR)/ref:
	@mkdir -p $@
$(KDIR)/xpt-kernel.elf: $(KOBJ) kernel/link.ld
	ld -n -nostdlib -z max-page-size=0x1000 --no-warn-rwx-segments -T kernel/link.ld -o $@ $(KOBJ)
$(KERNEL): $(KDIR)/xpt-kernel.elf
	objcopy -O binary $< $@

# ------------------------------------------------------------ host side
ORACLE     := $(BUILD)/xpt-oracle
ORACLE_SRC := $(wildcard fuzz/oracle/*.c)
ORACLE_HDR := $(wildcard fuzz/oracle/*.h) kernel/include/xpt_case.h kernel/include/xpt_vmdemo.h $(REF_HDR)
$(ORACLE): $(ORACLE_SRC) $(ORACLE_HDR) $(REF_SRC)
	@mkdir -p $(BUILD)
	$(CC) $(CSTD) -D_GNU_SOURCE $(WARN) -O2 -g -Iref/include -Ikernel/include -Ifuzz/oracle \
	  $(ORACLE_SRC) $(REF_SRC) -o $@

ORACLE_RUN := $(ORACLE) --kernel $(KERNEL)
QEMU_CASES := fuzz/oracle/cases/standard.txt
QEMU_LA57_CASES := fuzz/oracle/cases/la57.txt

.PHONY: kernel oracle qemu qemu-test qemu-la57 kernel-demo qemu-quirks qemu-planted qemu-vm
kernel: $(KERNEL)
oracle: $(ORACLE)

# The standard batch printed case by case, then 100,000 generated cases for
# the rate; both compared with ref.
qemu: deps $(KERNEL) $(ORACLE)
	$(ORACLE_RUN) --require-coverage run $(QEMU_CASES)
	$(ORACLE_RUN) --quiet --show 5 --require-coverage gen --cases 100000 --seed 1

# 5-level paging: the kernel boots with "la57" on a CPU with +la57 and builds
# every space as a PML5; the 5-level batch, 30,000 generated cases in PML5
# slots (grouped roots), 5,000 with a root each, the malformed batches (a
# batch of the other mode among them) and the quirk experiments, all
# predicted by ref under CR4.LA57.  About 3 s.
define QEMU_LA57_STEPS
	$(ORACLE_RUN) --la57 --quiet run $(QEMU_LA57_CASES)
	$(ORACLE_RUN) --la57 --quiet --show 5 --require-coverage gen --cases 30000 --seed 57
	$(ORACLE_RUN) --la57 --quiet --show 5 gen --cases 5000 --seed 58 --isolate
	$(ORACLE_RUN) --la57 malformed
	$(ORACLE_RUN) --la57 quirks
endef

# What CI runs: the standard batch, 120,000 generated cases (grouped roots),
# 10,000 with a root each, malformed batches and a hung guest, and the
# quirk table re-verified; then the same under 5-level paging.  Any
# unexplained disagreement fails.
qemu-test: $(KERNEL) $(ORACLE)
	$(ORACLE_RUN) --quiet --require-coverage run $(QEMU_CASES)
	$(ORACLE_RUN) --quiet --show 5 --require-coverage gen --cases 120000 --seed 7
	$(ORACLE_RUN) --quiet --show 5 gen --cases 10000 --seed 8 --isolate
	$(ORACLE_RUN) malformed
	$(ORACLE_RUN) quirks
	$(QEMU_LA57_STEPS)

qemu-la57: deps $(KERNEL) $(ORACLE)
	$(QEMU_LA57_STEPS)

qemu-quirks: deps $(KERNEL) $(ORACLE)
	$(ORACLE_RUN) quirks

# Bugs planted in a scratch copy of ref's walker must all be caught.
qemu-planted: deps $(KERNEL) $(ORACLE)
	bash fuzz/oracle/planted.sh $(BUILD)

kernel-demo: deps $(KERNEL) $(ORACLE)
	$(ORACLE_RUN) demo

# xpt_vm in the kernel: spaces, sharing, fork, demand paging, file pages,
# W^X, KPTI and eviction, each with real faults; the host checks every record.
# Then the same on 5-level paging, user pages in PML5 slot 171.
qemu-vm: deps $(KERNEL) $(ORACLE)
	$(ORACLE_RUN) vm
	$(ORACLE_RUN) --la57 --quiet vm

DEPS       += qemu
TEST_STEPS += qemu-test
TEST_STEPS += qemu-vm
DEMO       := kernel-demo

-include kernel/bochs/bochs.mk
