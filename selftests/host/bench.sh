#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The bench itself, tested from the host: selftests/vm/run returns COMMAND's
# status, runs it in the caller's directory, and fails a run whose kernel
# splats even when COMMAND succeeds (the test module nfsec_splat WARNs on
# request).
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
# Our own TMPDIR names this script's VMs among any others on the machine.
export TMPDIR=$(mktemp -d)
trap 'rm -rf "$TMPDIR"' EXIT
run() { NFSEC_VM_NOBUILD=1 "$top/selftests/vm/run" "$@"; }
fails=0
expect() { # DESC WANT GOT
	if [ "$2" = "$3" ]; then echo "ok - $1"; else echo "not ok - $1: expected $2, got $3"; fails=1; fi
}

out=$(cd selftests && run -- sh -c 'pwd; modprobe nfsec && grep -q "^nfsec " /proc/modules; exit 7')
expect "COMMAND's exit status comes back" 7 $?
expect "COMMAND runs in the caller's directory" "$PWD/selftests" "$(echo "$out" | head -n 1)"

run -- modprobe nfsec_splat
expect "a quiet module load passes" 0 $?

out=$(run -- modprobe nfsec_splat warn=1 2>&1)
rc=$?
expect "a WARN_ON fails the run although COMMAND succeeded" 123 $rc
case "$out" in
*"kernel splat on the console: WARNING"*) echo "ok - the failure names the splat" ;;
*) echo "not ok - the failure names the splat: $out"; fails=1 ;;
esac

run --timeout 10 -- sleep 600 >/dev/null 2>&1
expect "a COMMAND that hangs is stopped by the timeout" 124 $?
expect "no QEMU is left running" "" "$(pgrep -f "$TMPDIR/nfsec-vm" || true)"
exit $fails
