#!/bin/sh
# test_xousctl.sh HOSTD XOUSCTL CLIENT: every xousctl command against a real
# xous-hostd with the default fleet and a client attached by hand. Waits are
# for what the broker shows (bounded by ctest's timeout), never for a time.
set -u
HOSTD=$1 CTL=$2 CLIENT=$3
dir=$(mktemp -d "${TMPDIR:-/tmp}/xousctl-test.XXXXXX")
sock=$dir/socket
hpid= cpid=
fail=0
cleanup() {
	[ -n "$cpid" ] && kill "$cpid" 2>/dev/null
	[ -n "$hpid" ] && kill "$hpid" 2>/dev/null && wait "$hpid" 2>/dev/null
	rm -rf "$dir"
}
trap cleanup EXIT
check() { # check NAME COMMAND...: the command must succeed
	name=$1
	shift
	if "$@"; then echo "ok   $name"; else echo "FAIL $name"; fail=1; fi
}
until_grep() { # until_grep PATTERN FILE: wait until FILE shows PATTERN
	while ! grep -q -- "$1" "$2" 2>/dev/null; do sleep 0.1; done
}

"$HOSTD" --socket "$sock" 2>"$dir/hostd.log" &
hpid=$!
until_grep "fleet ready" "$dir/hostd.log"
grep -q "listening on $sock" "$dir/hostd.log" || { echo "FAIL no attach path"; fail=1; }
XOUS_HOSTD=$sock "$CLIENT" >"$dir/client.out" 2>&1 &
cpid=$!
until_grep ready "$dir/client.out"
ctl() { "$CTL" --socket "$sock" "$@"; }

# ps: the client by its program's name, the fleet, as a table and as JSON
ctl ps >"$dir/ps" || fail=1
check "ps names the client" grep -q "ctl-client" "$dir/ps"
check "ps names the fleet" grep -q "xous-names" "$dir/ps"
check "ps has a header" grep -q "^PID  *NAME  *HOST-PID" "$dir/ps"
ctl --json ps >"$dir/ps.json" || fail=1
check "ps --json is JSON" python3 -m json.tool "$dir/ps.json" /dev/null
cid=$(python3 -c 'import json,sys
print([p["pid"] for p in json.load(open(sys.argv[1])) if p["name"]=="ctl-client"][0])' "$dir/ps.json")
check "ps --json gives the client's pid" test -n "$cid"

# servers: the registered name and the well-known ones, with their owners
ctl servers >"$dir/servers" || fail=1
check "servers shows a registered name" grep -q "^ctl-echo .* ctl-client " "$dir/servers"
check "servers shows well-known names" grep -q "^ticktimer-server " "$dir/servers"
ctl --json servers >"$dir/servers.json" || fail=1
check "servers --json is JSON" python3 -m json.tool "$dir/servers.json" /dev/null

# conns and threads of the client
ctl conns "$cid" >"$dir/conns" || fail=1
check "conns names the servers" grep -q "ticktimer-server" "$dir/conns"
ctl --json conns >"$dir/conns.json" && python3 -m json.tool "$dir/conns.json" /dev/null || fail=1
until ctl threads "$cid" | grep -q "reply .*xous-name-server"; do sleep 0.1; done
ctl threads "$cid" >"$dir/threads" || fail=1
check "threads shows a wait for the name server" grep -q "reply  *xous-name-server" "$dir/threads"
check "threads shows a receiving server thread" grep -q "receive  *ctl-echo" "$dir/threads"
ctl --json threads >"$dir/threads.json" && python3 -m json.tool "$dir/threads.json" /dev/null ||
	fail=1

# call: a BlockingScalar from the shell
check "call answers" test "$(ctl call ctl-echo 7 41)" = 42
check "call --json answers" test "$(ctl --json call ctl-echo 7 1)" = '{"words": [2]}'
check "call a well-known name" sh -c "'$CTL' --socket '$sock' call ticktimer-server 0 | grep -q '^[0-9]'"

# monitor: decoded lines, flushed into a file, ended by SIGTERM with status 0
"$CTL" --socket "$sock" monitor --pid "$cid" >"$dir/monitor" &
mpid=$!
until_grep "ElapsedMs" "$dir/monitor"
until_grep "answer .*ticktimer-server blocking-scalar SleepMs" "$dir/monitor"
kill -TERM $mpid
wait $mpid
check "monitor exits 0 on SIGTERM" test $? -eq 0
check "monitor names the caller" grep -q "send .*ctl-client($cid)" "$dir/monitor"
"$CTL" --socket "$sock" monitor --server ctl-echo --kind blocking-scalar >"$dir/monitor2" &
mpid=$!
until ctl call ctl-echo 3 5 >/dev/null && grep -q "receive" "$dir/monitor2"; do sleep 0.1; done
kill -TERM $mpid
wait $mpid
check "monitor --server filters" sh -c "! grep -v 'ctl-echo' '$dir/monitor2' | grep -q ."

# trace: Chrome Trace Event JSON with slices and flows
ctl trace --out "$dir/trace.json" --seconds 1 || fail=1
check "trace is JSON" python3 -m json.tool "$dir/trace.json" /dev/null
check "trace has slices and flows" python3 -c '
import json, sys
ev = json.load(open(sys.argv[1]))["traceEvents"]
x = [e for e in ev if e["ph"] == "X"]
s = {e["id"] for e in ev if e["ph"] == "s"}
f = {e["id"] for e in ev if e["ph"] == "f"}
names = [e["args"]["name"] for e in ev if e["ph"] == "M"]
assert x and s and s == f, (len(x), len(s), len(f))
assert all(e["dur"] >= 0 and "pid" in e and "tid" in e for e in x)
assert "ctl-client" in names, names
' "$dir/trace.json"

# without the key nothing is shown
XOUS_KEY=00000000000000000000000000000000 "$CTL" --socket "$sock" ps >"$dir/nokey" 2>"$dir/nokey.err"
check "a wrong key fails" test $? -eq 1
check "a wrong key shows nothing" test ! -s "$dir/nokey"
check "a wrong key is named" grep -q "wrong key" "$dir/nokey.err"
XOUS_KEY=xyz "$CTL" --socket "$sock" ps >"$dir/badkey" 2>&1
check "a malformed key is named" grep -q "malformed key" "$dir/badkey"
"$CTL" --socket "$dir/nothere" ps >"$dir/nosock" 2>&1
check "a missing socket is named" grep -q "nothere" "$dir/nosock"
exit $fail
