# Sourced by prove.sh and broken.sh: builds proofs/wp_poll.ml into
# build/wp-poll/ and sets wp_poll to the Frama-C options that load it.
# Without ocamlopt (Debian's ocaml, which frama-c-base brings) WP keeps
# its own 50 ms poll: slower, the same proofs.
wp_poll=()
wp_poll_dir=build/wp-poll
if command -v ocamlopt >/dev/null; then
	if [ ! -e "$wp_poll_dir/wp_poll.cmxs" ] || [ proofs/wp_poll.ml -nt "$wp_poll_dir/wp_poll.cmxs" ]; then
		tmp=$(mktemp -d build/wp-poll.XXXXXX)
		cp proofs/wp_poll.ml "$tmp/" &&
			ocamlopt -shared -I "$(frama-c -print-lib-path)" -o "$tmp/wp_poll.cmxs" "$tmp/wp_poll.ml" &&
			rm -rf "$wp_poll_dir" && mv "$tmp" "$wp_poll_dir" || rm -rf "$tmp"
	fi
	[ -e "$wp_poll_dir/wp_poll.cmxs" ] && wp_poll=(-load-module "$wp_poll_dir/wp_poll.cmxs")
fi
[ ${#wp_poll[@]} -gt 0 ] || echo "wp-poll: no ocamlopt or the build failed: WP polls every 50 ms" >&2
