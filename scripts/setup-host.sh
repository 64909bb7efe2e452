#!/usr/bin/env bash
# Installs the Debian 12 packages ktstr needs on this host, and nothing else.
#   scripts/setup-host.sh [core] [test] [sched]     (default: core)
#     core   VM engine and guest userland: QEMU, busybox-static
#     test   tools the test suite checks against: lz4, cpio, iasl, chromium, hackbench, stress-ng
#     sched  building sched_ext schedulers: clang-19/llvm-19/lld-19 and the libraries libbpf needs
#     kbuild building kernels from source (ktstr kernel build)
# Idempotent and quick when everything is present. Uses the machine's own apt configuration
# (Debian 12's suites); kernels from newer suites are fetched separately with a private apt state
# (see ./ktstr kernel fetch), never by changing the system's sources.
set -euo pipefail

declare -A PKG_GROUPS=(
  [core]="qemu-system-x86 busybox-static"
  [test]="lz4 cpio zstd acpica-tools chromium rt-tests stress-ng"
  [sched]="clang-19 llvm-19 lld-19 libelf-dev zlib1g-dev libzstd-dev libssl-dev pkg-config python3 make gcc xz-utils"
  [kbuild]="make gcc flex bison dwarves bc libelf-dev libssl-dev"
)

want=()
for g in "${@:-core}"; do
  [[ -n "${PKG_GROUPS[$g]:-}" ]] || { echo "setup-host: unknown group '$g' (core, test, sched, kbuild)" >&2; exit 2; }
  want+=(${PKG_GROUPS[$g]})
done

missing=()
for p in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

if [[ $(id -u) -ne 0 ]]; then
  echo "ktstr needs these Debian packages: ${missing[*]}" >&2
  echo "install them with: sudo apt-get install --no-install-recommends ${missing[*]}" >&2
  exit 1
fi

echo "ktstr: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
# A stale package index is the usual reason an install fails on a fresh machine.
if ! apt-get install -y -q --no-install-recommends "${missing[@]}" >/tmp/ktstr-apt.log 2>&1; then
  apt-get update -q >>/tmp/ktstr-apt.log 2>&1
  apt-get install -y -q --no-install-recommends "${missing[@]}" >>/tmp/ktstr-apt.log 2>&1 || {
    echo "setup-host: apt-get install failed; see /tmp/ktstr-apt.log" >&2; tail -20 /tmp/ktstr-apt.log >&2; exit 1; }
fi
