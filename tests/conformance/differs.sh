#!/bin/sh
# differs.sh PATTERN COMMAND [ARGS...] - run COMMAND twice (two boots, two
# brokers). Each run must exit 0 and print a line matching PATTERN (an ERE),
# and the two lines must differ: for instance the first server id of a boot.
set -u
if [ $# -lt 2 ]; then
	echo "usage: differs.sh PATTERN COMMAND [ARGS...]" >&2
	exit 2
fi
pat=$1
shift
run() {
	out=$("$@")
	rc=$?
	printf '%s\n' "$out"
	line=$(printf '%s\n' "$out" | grep -E "$pat" | head -n 1)
	if [ $rc -ne 0 ] || [ -z "$line" ]; then
		echo "differs.sh: a run failed (status $rc) or printed no line matching '$pat'" >&2
		exit 1
	fi
}
run "$@"
first=$line
run "$@"
if [ "$first" = "$line" ]; then
	echo "differs.sh: both runs printed '$line'" >&2
	exit 1
fi
echo "differs.sh: '$first' then '$line'"
