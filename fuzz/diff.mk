# The oracle side of fuzzing (included by fuzz/fuzz.mk): exhaustive mode.
#
#   make qemu-exhaustive   every combination of entry bits (P RW US NX A D PS
#                          and a reserved bit, leaf and the level above it in
#                          three shapes), control bits (WP, SMEP, SMAP/AC,
#                          PKE with four PKRU values, NXE) and access kinds,
#                          848,040 cases, about 35 s; fails on any unexplained
#                          disagreement with ref (fuzz/oracle/exhaustive.c)

.PHONY: qemu-exhaustive
qemu-exhaustive: $(KERNEL) $(ORACLE)
	$(ORACLE_RUN) exhaustive

TEST_STEPS += qemu-exhaustive
