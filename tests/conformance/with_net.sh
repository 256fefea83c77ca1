#!/bin/sh
# with_net.sh [--dhcp] XOUS_HOSTD PROGRAM: run PROGRAM under xous-hostd --net.
# With --dhcp, dnsmasq runs in the broker's network namespace meanwhile and
# leases 10.0.2.15 (router 10.0.2.2), as qemu's user network does. The
# namespace needs root and /dev/net/tun (and --dhcp dnsmasq and nsenter):
# without them the test says so and is skipped (status 77).
dhcp=
[ "$1" = --dhcp ] && { dhcp=1; shift; }
[ "$(id -u)" = 0 ] || { echo "SKIP: xous-hostd --net needs root (a network namespace)"; exit 77; }
[ -c /dev/net/tun ] || { echo "SKIP: xous-hostd --net needs /dev/net/tun"; exit 77; }
[ -z "$dhcp" ] && exec "$1" --net -- "$2"
PATH=$PATH:/usr/sbin
for t in dnsmasq nsenter; do
	command -v $t >/dev/null || { echo "SKIP: --dhcp needs $t (scripts/deps test)"; exit 77; }
done
export PATH
# shellcheck disable=SC2016 # $XOUS_NETNS is the broker's, expanded by that shell
exec "$1" --net -- sh -c 'nsenter --net="$XOUS_NETNS" dnsmasq --no-daemon --conf-file=/dev/null \
	--port=0 --interface=xous0 --bind-interfaces --no-ping --leasefile-ro --user=root \
	--dhcp-range=10.0.2.15,10.0.2.15,255.255.255.0,1h 2>/dev/null &
"$0"; s=$?; kill $!; exit $s' "$2"
