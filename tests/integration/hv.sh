#!/bin/sh
# hv.sh HOSTD BINDIR IMAGE MODE - the hv server's guest path under
# xous-hostd's default fleet and a disk whose sector 0 begins with "xous-hv
# sector zero" (the blk server on a raw image made here):
#   errors  itest_hv errors IMAGE: hv_launch's errors (Unavailable without
#           /dev/kvm)
#   fake    itest_hv run IMAGE with the fake vCPU (XOUS_HV_VCPU=itest_hv_vcpu):
#           the exits of a guest made by hand through the real hv server;
#           the log must hold its lines, the date and sector 0
#   kvm     itest_hv run IMAGE on KVM: the demo guest's lines in the log;
#           77 (skipped) where /dev/kvm is absent
set -u
hostd=$1 bin=$2 image=$3 mode=$4
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
disk=$dir/disk.img
truncate -s 1M "$disk" || exit 1
printf 'xous-hv sector zero' | dd of="$disk" conv=notrunc status=none || exit 1

# want LINE...: each LINE (a grep -E pattern) in the output, from the guest.
want() {
	for w in "$@"; do
		grep -Eq "guest [0-9]+: $w" "$dir/out" ||
			{ echo "hv.sh: the log has no line 'guest N: $w'" >&2; exit 1; }
	done
}

case $mode in
errors)
	exec "$hostd" --disk "$disk" -- "$bin/itest_hv" errors "$image" ;;
fake)
	XOUS_HV_VCPU=itest_hv_vcpu "$hostd" --path "$bin" --disk "$disk" -- \
		"$bin/itest_hv" run "$image" >"$dir/out" 2>&1
	status=$?
	cat "$dir/out"
	[ $status -eq 0 ] || exit $status
	want "hello from the fake vcpu" "time: 2[0-9]{3}-[01][0-9]-[0-3][0-9] [0-2][0-9]:[0-5][0-9]:[0-5][0-9]" \
		"sector 0: xous-hv sector zero" ;;
kvm)
	"$hostd" --disk "$disk" -- "$bin/itest_hv" run "$image" >"$dir/out" 2>&1
	status=$?
	cat "$dir/out"
	[ $status -eq 0 ] || exit $status
	want "hello from the x64 guest" "time: 2[0-9]{3}-" "sector 0: xous-hv sector zero" \
		"guest halts" ;;
*)
	echo "usage: hv.sh HOSTD BINDIR IMAGE errors|fake|kvm" >&2
	exit 2 ;;
esac
