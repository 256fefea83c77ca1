#!/bin/sh
# test_diagnostics.sh HOSTD CLIENT SANDBOXED: what the broker and the library
# say when things go wrong (issue 15, Deliver 2): connection errors by cause,
# a long wait, a deadlock, a fleet server that never gets ready, one that
# keeps failing, a sandbox kill by the call's name. Waits are for what the
# broker prints (bounded by ctest's timeout), never for a time.
set -u
HOSTD=$1 CLIENT=$2 SANDBOXED=$3
dir=$(mktemp -d "${TMPDIR:-/tmp}/xous-diag.XXXXXX")
hpid=
fail=0
cleanup() {
	[ -n "$hpid" ] && kill "$hpid" 2>/dev/null && wait "$hpid" 2>/dev/null
	rm -rf "$dir"
}
trap cleanup EXIT
check() { # check NAME COMMAND...
	name=$1
	shift
	if "$@"; then echo "ok   $name"; else echo "FAIL $name"; fail=1; fi
}
until_grep() { while ! grep -q -- "$1" "$2" 2>/dev/null; do sleep 0.1; done; }
stop_broker() { kill "$hpid"; wait "$hpid" 2>/dev/null; hpid=; }

# connection errors say their cause (and xous_host_error() gives it)
env -u XOUS_HOSTD -u XOUS_FD "$CLIENT" >"$dir/c1" 2>&1
check "no XOUS_HOSTD is named" grep -q "XOUS_HOSTD is not set" "$dir/c1"
check "xous_host_error gives the cause" grep -q "cannot start: XOUS_HOSTD is not set" "$dir/c1"
XOUS_HOSTD=$dir/nothere "$CLIENT" >"$dir/c2" 2>&1
check "a missing socket is named" grep -q "no such socket" "$dir/c2"
"$HOSTD" --socket "$dir/s" --wait-warn 300 2>"$dir/hostd.log" &
hpid=$!
until_grep "fleet ready" "$dir/hostd.log"
check "the attach path is printed" grep -q "listening on $dir/s (key in $dir/s.key)" "$dir/hostd.log"
XOUS_HOSTD=$dir/s XOUS_KEY=0123456789abcdef0123456789abcdef "$CLIENT" >"$dir/c3" 2>&1
check "a wrong key is named" grep -q "refused the key" "$dir/c3"
XOUS_HOSTD=$dir/s XOUS_KEY=nokey "$CLIENT" >"$dir/c4" 2>&1
check "a malformed key is named" grep -q "malformed key" "$dir/c4"

# a long wait for a name is reported, by the process's name
XOUS_HOSTD=$dir/s "$CLIENT" wait >"$dir/c5" 2>&1 &
wpid=$!
until_grep "ctl-client([0-9]*): thread 1 has waited" "$dir/hostd.log"
check "a long wait names the server" grep -q "has waited [0-9]* ms for an answer from xous-name-server" "$dir/hostd.log"
kill $wpid

# a cycle of blocked calls is reported as a deadlock
XOUS_HOSTD=$dir/s "$CLIENT" deadlock >"$dir/c6" 2>&1 &
dpid=$!
until_grep "deadlock:" "$dir/hostd.log"
check "a deadlock names both sides" grep -q "deadlock: .*ctl-dl-b.*ctl-dl-a\|deadlock: .*ctl-dl-a.*ctl-dl-b" "$dir/hostd.log"
pkill -P $dpid 2>/dev/null
kill $dpid
stop_broker

# a fleet server that never makes its server stops the start-up
printf 'server slow /bin/sleep 60 sandbox=none ready=200\n' >"$dir/f1"
"$HOSTD" --fleet "$dir/f1" --socket "$dir/s1" -- /bin/true 2>"$dir/e1"
check "readiness timeout: status 1" test $? -eq 1
check "readiness timeout is reported" grep -q "server slow has made no server 200 ms after it started (ready=200)" "$dir/e1"

# restart=on-failure gives up after restarts= quick failures
printf 'server bad /bin/false sandbox=none restart=on-failure restarts=2 backoff=1\n' >"$dir/f2"
"$HOSTD" --fleet "$dir/f2" --socket "$dir/s2" -- /bin/true 2>"$dir/e2"
check "restart limit: status 1" test $? -eq 1
check "restart limit is reported" grep -q "server bad ended 3 times in a row .*(restarts=2)" "$dir/e2"
check "restarts back off" test "$(grep -c 'restarting bad in' "$dir/e2")" -eq 2

# bad values of the new options are refused with the line
printf 'server x /bin/true ready=soon\n' >"$dir/f3"
"$HOSTD" --fleet "$dir/f3" -- /bin/true 2>"$dir/e3"
check "ready= is checked" grep -q "ready must be a number" "$dir/e3"
printf 'server x /bin/true log=9\n' >"$dir/f4"
"$HOSTD" --fleet "$dir/f4" -- /bin/true 2>"$dir/e4"
check "log= is checked" grep -q "log must be a number" "$dir/e4"

# a sandbox kill names the system call and the option that allows it
printf 'server s %s sandbox=default\n' "$SANDBOXED" >"$dir/f5"
"$HOSTD" --fleet "$dir/f5" --socket "$dir/s5" -- /bin/true 2>"$dir/e5"
check "the sandbox names the call" grep -q "denied system call openat (.*allow=openat" "$dir/e5"
check "the broker reports SIGSYS" grep -q "server s killed by signal 31 (SIGSYS)" "$dir/e5"
exit $fail
