#!/bin/sh
# net.sh XOUS_HOSTD NET_FLEET: the network test of xous-hostd --net. Needs
# root (a network namespace), /dev/net/tun, and nsenter, dnsmasq and ping
# (util-linux, dnsmasq-base, iputils-ping); without them it says what is
# missing and is skipped (status 77). Then net_fleet runs as PROGRAM, and
# the log must show ip's DHCP lease.
hostd=$1 prog=$2
skip() { echo "SKIP: $*"; exit 77; }
[ "$(id -u)" = 0 ] || skip "the --net test needs root (it makes a network namespace)"
[ -c /dev/net/tun ] || skip "the --net test needs /dev/net/tun"
for t in nsenter dnsmasq ping; do
  command -v "$t" >/dev/null 2>&1 || PATH=$PATH:/usr/sbin command -v "$t" >/dev/null 2>&1 ||
    skip "the --net test needs $t (scripts/deps test)"
done
export PATH="$PATH:/usr/sbin"
out=$(mktemp)
trap 'rm -f "$out"' EXIT
"$hostd" --net -- "$prog" >"$out" 2>&1
status=$?
cat "$out"
[ "$status" = 0 ] || { echo "net.sh: xous-hostd --net -- net_fleet exited $status"; exit 1; }
grep -q 'xous-ip([0-9]*): ip: DHCP lease 10\.0\.2\.15 ' "$out" ||
  { echo "net.sh: ip's DHCP lease is not in the log"; exit 1; }
echo "net.sh: the lease is logged"
