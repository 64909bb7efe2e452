#!/usr/bin/env bash
# The project's test command (see README): prepares this host, then builds and runs every test —
# unit tests, processor compile tests, the own VMM's probe guests, and VM tests that boot real
# kernels (the default kernel is fetched on first use). Generated gauntlet variants run within a
# time budget (KTSTR_BUDGET_SECS, default 600 s); set it empty to run the whole gauntlet.
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
cd "$root"

"$root/scripts/setup-host.sh" core test sched

budget="${KTSTR_BUDGET_SECS-600}"
exec mvn -B -ntp verify -Dktstr.budget.secs="$budget" "$@"
