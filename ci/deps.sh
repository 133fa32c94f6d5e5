#!/usr/bin/env bash
# Installs the Debian packages the project needs, only those missing.
# Usage: ci/deps.sh [group...]   groups: build prove qemu fuzz bochs docs (default: all)
# Idempotent: a second run with everything present does nothing and needs no network.
set -euo pipefail

declare -A group=(
  [build]="make gcc clang llvm libclang-rt-14-dev pkg-config"
  [prove]="frama-c-base why3 z3 cvc4 ocaml"
  [qemu]="qemu-system-x86 binutils"
  [fuzz]="clang llvm libclang-rt-14-dev afl++"
  [bochs]="bochs bochsbios vgabios bximage grub-pc-bin grub-common xorriso mtools"
  [docs]="doxygen"
)

wanted=()
for g in "${@:-build prove qemu fuzz bochs}"; do
  for w in $g; do
    [ -n "${group[$w]+x}" ] || { echo "deps.sh: unknown group '$w' (known: ${!group[*]})" >&2; exit 2; }
    wanted+=(${group[$w]})
  done
done

missing=()
for p in $(printf '%s\n' "${wanted[@]}" | sort -u); do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -gt 0 ]; then
  echo "deps.sh: installing ${missing[*]}"
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  stamp=/var/lib/apt/periodic/.xpt-apt-updated
  if [ ! -e "$stamp" ] || [ -z "$(ls -A /var/lib/apt/lists 2>/dev/null | grep -v lock)" ]; then
    $sudo apt-get update -qq
    $sudo mkdir -p "$(dirname "$stamp")" && $sudo touch "$stamp"
  fi
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Why3 must know its provers before Frama-C WP can use them.
if command -v why3 >/dev/null && ! why3 config list-provers 2>/dev/null | grep -qi z3; then
  why3 config detect >/dev/null 2>&1 || true
fi
