#!/usr/bin/env bash
# The project's test command (see README): prepares this host, provisions the default kernel and the
# sched_ext schedulers (cached after the first run), then builds and runs every test — unit tests,
# processor compile tests, the own VMM's probe guests, and VM tests that boot real kernels.
# Generated gauntlet variants run within a time budget (KTSTR_BUDGET_SECS, default 600 s; empty runs
# the whole gauntlet). Extra arguments go to Maven.
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
cd "$root"

"$root/scripts/setup-host.sh" core test sched

# The CLI (built on first use) fetches what the tests boot: a sched_ext kernel from Debian's archive
# and the kernel's example schedulers plus ktstr's fixture, each with a progress display.
"$root/ktstr" kernel fetch
"$root/ktstr" scheduler build
eval "$("$root/ktstr" kernel path --env)"

budget="${KTSTR_BUDGET_SECS-600}"
exec mvn -B -ntp verify -Dktstr.budget.secs="$budget" "$@"
