# make prove: Frama-C WP over ref/src against spec/ (proofs/prove.sh), every
# line of proofs/scope.  It takes far longer than ten minutes and goals are
# still open (proofs/unproved.txt); proofs/README.md has both.
DEPS += prove
prove: deps
	@bash proofs/prove.sh
# make test replays every line of the scope but walk.c's and frames.c's
# (about 25 and 90 minutes), and the lines of proofs/scope-quick (frames.c's
# lemmas and most of its functions), two lines at once: about 15 minutes.
# It fails on any goal not listed in proofs/unproved.txt.  Each goal gets
# 30 s, three times make prove's limit: the two runs share the cores, which
# slows each goal (one, since turned into a ghost step, took 17.6 s there
# and 13.9 s alone), and a slower machine must not fail a goal measured
# under 10 s.
prove-quick: deps
	@mkdir -p build
	@{ grep -v '^ref/src/\(walk\|frames\)\.c$$' proofs/scope; cat proofs/scope-quick; } >build/scope-quick
	@PROVE_SCOPE=build/scope-quick PROVE_KNOWN=proofs/unproved.txt PROVE_JOBS=2 PROVE_PAR=1 \
		PROVE_TIMEOUT=30 PROVE_LOG=build/prove-quick.log PROVE_REPORTS=build/report \
		bash proofs/prove.sh
TEST_STEPS += prove-quick
# Bugs planted in scratch copies of files of ref/src must make their proof fail.
prove-broken: deps
	@bash proofs/broken.sh
TEST_STEPS += prove-broken
.PHONY: prove prove-quick prove-broken
