#!/usr/bin/env bash
# make install into a scratch prefix, then build and run a program that
# finds xpt only through pkg-config.
set -euo pipefail
prefix=$(mktemp -d)
trap 'rm -rf "$prefix"' EXIT
make --no-print-directory install PREFIX="$prefix" >/dev/null
cat > "$prefix/probe.c" <<'C'
#include <stdio.h>
#include <stdlib.h>
#include <xpt.h>
int main(void)
{
	struct xpt_region map[] = { { 0, 8u << 20, XPT_REGION_USABLE } };
	uint64_t n, words;
	struct xpt_frames fa;
	struct xpt_space sp;
	struct xpt_mapping m;
	if (xpt_frames_span(map, 1, &n) != XPT_OK)
		return 1;
	words = xpt_frames_meta_words(n);
	struct xpt_mem mem = { calloc(n * 512, 8), n };
	if (xpt_frames_init(&fa, map, 1, calloc(words, 8), words) != XPT_OK ||
	    xpt_space_init(&sp, &mem, &fa, 40) != XPT_OK ||
	    xpt_map(&sp, 0x7000, 0x5000, XPT_4K, XPT_USER, NULL) != XPT_OK ||
	    xpt_translate(&sp, 0x7abc, &m) != XPT_OK || m.pa + m.offset != 0x5abc)
		return 1;
	printf("pkg-config probe: 0x7abc -> %#llx\n", (unsigned long long)(m.pa + m.offset));
	return 0;
}
C
export PKG_CONFIG_PATH="$prefix/lib/pkgconfig"
version=$(pkg-config --modversion xpt)
cc "$prefix/probe.c" $(pkg-config --cflags xpt) $(pkg-config --libs xpt) -o "$prefix/probe"
"$prefix/probe"
echo "install-test: xpt $version installs, and a program built with pkg-config runs"
