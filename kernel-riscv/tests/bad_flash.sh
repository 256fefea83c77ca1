#!/bin/sh
# bad_flash.sh XOUS_QEMU FLASH - the loader refuses a damaged image: a copy
# of the flash file FLASH with one byte of its argument block changed (the
# first program's entry point, so its tag's CRC16 no longer matches) boots
# to the loader's refusal, status 126, and never to the kernel.
set -u
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp --sparse=always "$2" "$work/bad.flash" || exit 1
# the block is at 0x20981000 (flash offset 0x981000); its first program tag's
# data starts at byte 36 (XArg's 28 bytes, the tag's header): load, entry
printf '\377' | dd of="$work/bad.flash" bs=1 seek=$((0x981000 + 40)) conv=notrunc status=none
"$1" "$work/bad.flash" >"$work/out" 2>&1
rc=$?
cat "$work/out"
grep -q "refused: tag's CRC16 is wrong" "$work/out" || { echo "FAIL: no refusal"; exit 1; }
grep -q '\[kernel\]' "$work/out" && { echo "FAIL: the kernel ran"; exit 1; }
[ $rc = 126 ] || { echo "FAIL: status $rc, not 126"; exit 1; }
echo "bad_flash: PASS"
