#!/bin/sh
# A GRUB (i386-pc) ISO of the oracle kernel, with a batch as its Multiboot
# module.
#   kernel/bochs/mkiso.sh KERNEL BATCH|- "COMMAND LINE" OUT.iso
# BATCH "-": no module.  Only the GRUB modules the boot needs go in, which
# keeps the ISO under 1 MB and GRUB's start under Bochs short.
set -eu
[ $# -eq 4 ] || { echo "usage: $0 KERNEL BATCH|- 'COMMAND LINE' OUT.iso" >&2; exit 2; }
here=$(cd "$(dirname "$0")" && pwd)
kernel=$1 batch=$2 append=$3 out=$4
work=$(mktemp -d "${TMPDIR:-/tmp}/xpt-iso-XXXXXX")
trap 'rm -rf "$work"' EXIT
stage=$work/iso
mkdir -p "$stage/boot/grub"
cp "$kernel" "$stage/boot/xpt-kernel.bin"
module=""
if [ "$batch" != "-" ]; then
	cp "$batch" "$stage/boot/batch.bin"
	module="module /boot/batch.bin"
fi
sed -e "s|@APPEND@|$append|" -e "s|@MODULE@|$module|" "$here/grub.cfg" >"$stage/boot/grub/grub.cfg"
if ! grub-mkrescue --install-modules="multiboot normal iso9660 biosdisk configfile" \
	--fonts= --locales= --themes= -o "$out" "$stage" >"$work/log" 2>&1; then
	cat "$work/log" >&2
	exit 1
fi
