#!/bin/sh
# fs_disk.sh HOSTD PROGRAM XOUSCTL - the fs server on a real image under
# xous-hostd --disk, with mtools and fsck.fat -n as witnesses:
#  1. a FAT16 image made by mkfs.fat; a file put in with mcopy; PROGRAM
#     (fs_clients.c) runs its clients; the files they wrote read back with
#     mcopy byte for byte; fsck.fat -n finds nothing wrong.
#  2. PROGRAM keep: once fs_write has returned, the fs server is killed
#     (SIGKILL) and then the broker: the file is whole in the image.
# Skips (77) without mkfs.fat or mtools.
set -u
hostd=$1 prog=$2 xousctl=$3
for t in mkfs.fat fsck.fat mcopy; do
	command -v $t >/dev/null || { echo "fs_disk.sh: SKIP: no $t (scripts/deps test)"; exit 77; }
done
dir=$(mktemp -d)
broker=
cleanup() {
	[ -n "$broker" ] && kill "$broker" 2>/dev/null
	rm -rf "$dir"
}
trap cleanup EXIT
fail() { echo "fs_disk.sh: FAIL: $*"; exit 1; }
img=$dir/disk.img
truncate -s 64M "$img" && mkfs.fat -F 16 "$img" >/dev/null || fail "mkfs.fat"

"$prog" pattern 77 300000 >"$dir/from" && mcopy -i "$img" "$dir/from" "::/from mtools.bin" ||
	fail "mcopy into the image"
"$hostd" --disk "$img" -- "$prog" || fail "the clients (above)"
fsck.fat -n "$img" >"$dir/fsck" 2>&1 || { cat "$dir/fsck"; fail "fsck.fat -n after the clients"; }
for i in 0 1 2 3; do
	"$prog" pattern $((100 + i)) $((8192 * 64)) >"$dir/want"
	mcopy -n -i "$img" "::/writer $i.bin" "$dir/got" && cmp -s "$dir/want" "$dir/got" ||
		fail "/writer $i.bin read with mcopy differs"
	rm -f "$dir/got"
done
"$prog" pattern 200 $((4 * 262144)) >"$dir/want"
mcopy -n -i "$img" "::/shared.bin" "$dir/got" && cmp -s "$dir/want" "$dir/got" ||
	fail "/shared.bin read with mcopy differs"
rm -f "$dir/got"
mdir -i "$img" ::/held.bin >/dev/null 2>&1 && fail "/held.bin is still there"
echo "fs_disk.sh: the clients' files read back with mcopy; fsck.fat -n clean"

mkfifo "$dir/ready" || fail "mkfifo"
"$hostd" --disk "$img" --socket "$dir/sock" -- "$prog" keep "$dir/ready" &
broker=$!
read -r line <"$dir/ready" || fail "no word from PROGRAM keep"
fspid=$("$xousctl" --socket "$dir/sock" ps | awk '$2 == "xous-fs" { print $3 }')
[ -n "$fspid" ] || { "$xousctl" --socket "$dir/sock" ps; fail "no xous-fs in xousctl ps"; }
kill -KILL "$fspid" || fail "kill the fs server"
kill "$broker"
wait "$broker"
broker=
"$prog" pattern 5 1048576 >"$dir/want"
mcopy -n -i "$img" "::/kept.bin" "$dir/got" && cmp -s "$dir/want" "$dir/got" ||
	fail "/kept.bin lost or changed by the kill of the fs server"
fsck.fat -n "$img" >"$dir/fsck" 2>&1 || { cat "$dir/fsck"; fail "fsck.fat -n after the kill"; }
echo "fs_disk.sh: a write that returned survived a kill of the fs server; fsck.fat -n clean"
echo "fs_disk.sh: PASS"
