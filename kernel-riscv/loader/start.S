# start.S - the loader's first instructions, in M-mode from flash (the boot
# ROM jumps here; on qemu virt, reset.S). Hart 0 boots, the others park.
# Nothing loaded the loader: its .data is copied from flash to RAM here,
# before boot/entry.S (which zeroes .bss) runs.

	.section .text.loader
	.globl _loader
_loader:
	csrr t0, mhartid
	bnez t0, 3f
	la t0, __loader_data_lma
	la t1, __loader_data_start
	la t2, __loader_data_end
1:	bgeu t1, t2, 2f
	lw t3, 0(t0)
	sw t3, 0(t1)
	addi t0, t0, 4
	addi t1, t1, 4
	j 1b
2:	j _entry
3:	wfi
	j 3b
