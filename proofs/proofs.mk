# make prove: Frama-C WP over ref/src against spec/ (proofs/prove.sh).
# Not yet a step of make test: a few goals are still open (proofs/unproved.txt)
# and a replay takes far longer than ten minutes; proofs/README.md has both.
DEPS += prove
prove: deps
	@bash proofs/prove.sh
# Bugs planted in scratch copies of walk.c and map.c must make their proof fail.
prove-broken: deps
	@bash proofs/broken.sh
TEST_STEPS += prove-broken
.PHONY: prove prove-broken
