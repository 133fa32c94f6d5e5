# The proofs need Frama-C, Why3, Z3 and CVC4 (ci/deps.sh's group prove).
DEPS += prove
# Every function of ref/src is proved by a line of proofs/scope or listed in
# proofs/unscoped, not both (a few seconds: Frama-C parses each file).
prove-coverage: deps
	@bash proofs/coverage.sh
TEST_STEPS += prove-coverage
# The axioms of block Bits in proofs/lemmas.h, each proved as a goal of the
# same name on 64-bit vectors by Z3 (proofs/bits.mlw; a second).
prove-bits: deps
	@bash proofs/bits.sh
TEST_STEPS += prove-bits
# make prove: Frama-C WP over ref/src against spec/ (proofs/prove.sh), every
# line of proofs/scope, two at once with one prover each (two WP runs keep
# two cores busier than one run of two provers: its simplifier works on one
# goal at a time).  Each goal gets 30 s, three times prove.sh's default:
# the two runs share the cores, which slows each goal (descend's `walks`
# took 16.8 s of CVC4 so), and a slower machine must not fail a goal
# measured under 10 s.  On 2026-12-06 the whole scope proved 5574 of 5574
# goals in 1340 s on two cores.
PROVE_ALL = PROVE_JOBS=2 PROVE_PAR=1 PROVE_TIMEOUT=30
prove: deps prove-coverage prove-bits
	@$(PROVE_ALL) bash proofs/prove.sh
# make test proves every line of the scope but those marked "slow" (walk.c,
# the allocator's bitmap and free paths, and its memory map and
# initialisation: 466, 372 and 183 s of one core), with the settings of
# make prove, and fails on any goal not listed in proofs/unproved.txt.
# The times of each line are in proofs/README.md.
prove-quick: deps
	@$(PROVE_ALL) PROVE_SLOW=no PROVE_KNOWN=proofs/unproved.txt \
		PROVE_LOG=build/prove-quick.log PROVE_REPORTS=build/report bash proofs/prove.sh
TEST_STEPS += prove-quick
# Bugs planted in scratch copies of files of ref/src must make their proof fail.
prove-broken: deps
	@bash proofs/broken.sh
TEST_STEPS += prove-broken
.PHONY: prove prove-coverage prove-bits prove-quick prove-broken
