#!/bin/sh
# with_net.sh XOUS_HOSTD PROGRAM: run PROGRAM under xous-hostd --net. The
# broker's network namespace needs root and /dev/net/tun: without them the
# test says so and is skipped (status 77).
[ "$(id -u)" = 0 ] || { echo "SKIP: xous-hostd --net needs root (a network namespace)"; exit 77; }
[ -c /dev/net/tun ] || { echo "SKIP: xous-hostd --net needs /dev/net/tun"; exit 77; }
exec "$1" --net -- "$2"
