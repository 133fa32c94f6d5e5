# make prove: Frama-C WP over ref/src against spec/ (proofs/prove.sh).
# Not yet a step of make test: the functional goals of xpt_walk are not all
# proved (proofs/README.md says which are), and a red step would hide the rest.
DEPS += prove
prove: deps
	@bash proofs/prove.sh
# Bugs planted in a scratch copy of walk.c must make their proof fail.
prove-broken: deps
	@bash proofs/broken.sh
.PHONY: prove prove-broken
