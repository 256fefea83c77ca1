#!/bin/sh
# with_disk.sh COMMAND [ARGS...] - run COMMAND with a fresh disk image: a
# 64 MiB file formatted by mkfs.fat (dosfstools; a zeroed raw image where
# mkfs.fat is missing), whose path replaces every @IMAGE@ in ARGS
# (xous-hostd --disk @IMAGE@ -- PROGRAM; xous-qemu IMAGE.elf -drive
# file=@IMAGE@,...). After COMMAND, a formatted image must still pass
# fsck.fat -n. Exits with COMMAND's status, or 1 if the check failed.
set -u
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
img=$dir/disk.img
truncate -s 64M "$img" || exit 1
mkfs=$(command -v mkfs.fat || true)
[ -n "$mkfs" ] && { "$mkfs" -n XOUS "$img" >/dev/null || exit 1; }
cmd=$1
shift
for a in "$@"; do
	case $a in
	*@IMAGE@*) a=$(printf '%s' "$a" | sed "s|@IMAGE@|$img|g") ;;
	esac
	set -- "$@" "$a"
	shift
done
"$cmd" "$@"
status=$?
fsck=$(command -v fsck.fat || true)
if [ -n "$mkfs" ] && [ -n "$fsck" ] && ! "$fsck" -n "$img" >"$dir/fsck.log" 2>&1; then
	echo "with_disk.sh: fsck.fat -n finds the image damaged:" >&2
	cat "$dir/fsck.log" >&2
	[ $status -eq 0 ] && status=1
fi
exit $status
