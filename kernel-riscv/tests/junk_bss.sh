#!/bin/sh
# junk_bss.sh OBJCOPY OBJDUMP IN.elf OUT.elf - OUT is IN with its .bss made
# a loaded section full of junk, so that qemu's ELF loader leaves junk where
# the kernel's zero-initialised data lives: the kernel must zero it itself.
set -eu
size=$("$2" -h "$3" | awk '$2 == ".bss" { print $3 }')
[ -n "$size" ]
yes 'junk' | tr -d '\n' | head -c "$((0x$size))" >"$4.junk"
"$1" --set-section-flags .bss=alloc,load,contents,data --update-section .bss="$4.junk" "$3" "$4"
rm -f "$4.junk"
