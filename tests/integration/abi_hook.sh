#!/bin/sh
# abi_hook.sh HOSTD PROGRAM - Debian's own cat, ls and sha256sum, unmodified,
# on files of the fleet's FAT image through the ABI hook:
#  1. a FAT16 image made by mkfs.fat, files put in with mcopy (a line of
#     text, 300 KB of random bytes in a subdirectory that take many reads, a
#     long name), and the same files taken out again with mcopy: the copy;
#  2. under xous-hostd --disk, PROGRAM (abi_hook_run.c) runs each command
#     as task_launch("abi-hook=fshook /usr/bin/... /fs/..."): the fshook
#     server serves the paths under /fs/ from the fs server, everything
#     else goes to Linux (a host file in the same cat);
#  3. their output must be that of the same commands on the copy (the
#     copy's directory written as /fs/ where the commands print paths).
# Skips (77) without mkfs.fat, mtools or the commands.
set -u
hostd=$1 prog=$2
for t in mkfs.fat mcopy mmd; do
	command -v $t >/dev/null || { echo "abi_hook.sh: SKIP: no $t (scripts/deps test)"; exit 77; }
done
for b in /usr/bin/cat /usr/bin/ls /usr/bin/sha256sum; do
	[ -x $b ] || { echo "abi_hook.sh: SKIP: no $b"; exit 77; }
done
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
fail() { echo "abi_hook.sh: FAIL: $*"; exit 1; }
img=$dir/disk.img
truncate -s 16M "$img" && mkfs.fat -F 16 "$img" >/dev/null || fail "mkfs.fat"
mkdir "$dir/in" "$dir/copy" || fail "mkdir"
echo "hello from the fleet's FAT image" >"$dir/in/hello.txt"
head -c 300000 /dev/urandom >"$dir/in/big.bin" || fail "random bytes"
echo "a name longer than eight dot three" >"$dir/in/A-Rather-Long-Name.text"
echo "this one stays on the host" >"$dir/host.txt"
mmd -i "$img" ::/sub && mcopy -i "$img" "$dir/in/hello.txt" ::/hello.txt &&
	mcopy -i "$img" "$dir/in/big.bin" ::/sub/big.bin &&
	mcopy -i "$img" "$dir/in/A-Rather-Long-Name.text" ::/A-Rather-Long-Name.text ||
	fail "mcopy into the image"
mcopy -s -n -i "$img" "::/*" "$dir/copy/" || fail "mcopy out of the image"

# The commands, one a line; each runs on the copy for what is wanted.
cmds="/usr/bin/cat /fs/hello.txt $dir/host.txt
/usr/bin/ls /fs/
/usr/bin/ls -a /fs/sub
/usr/bin/ls /fs/sub/../A-Rather-Long-Name.text
/usr/bin/cat /fs/A-Rather-Long-Name.text /fs/sub/big.bin
/usr/bin/sha256sum /fs/hello.txt /fs/sub/big.bin /fs/A-Rather-Long-Name.text"
: >"$dir/want"
set --
while IFS= read -r c; do
	sh -c "$(printf '%s' "$c" | sed "s|/fs/|$dir/copy/|g")" >"$dir/out" || fail "on the copy: $c"
	sed "s|$dir/copy/|/fs/|g" "$dir/out" >>"$dir/want"
	set -- "$@" "abi-hook=fshook $c"
done <<LIST
$cmds
LIST
"$hostd" --disk "$img" -- "$prog" "$@" >"$dir/got" || fail "the hooked commands (above)"
cmp "$dir/want" "$dir/got" || {
	diff "$dir/want" "$dir/got" | head -20
	fail "the hooked commands' output differs from the copy's"
}
echo "abi_hook.sh: PASS: cat, ls and sha256sum through fshook print what they print on the copy"
