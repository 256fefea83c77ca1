# mtrap.S - M-mode's traps once a boot stage handed over to the kernel (and
# any before): the timer interrupt, and every exception, which ends in
# boot_fault(mcause, mepc, mtval) (the boot stage's; it must not return).
# The timer interrupt: schedule the next tick and hand this one to the
# S-mode kernel as a supervisor software interrupt (no Sstc here, as on
# VexRiscv). mscratch points at the scratch words boot_mtimer (boot.c) set:
#   [0..12] saved a1..a4, [16] &mtimecmp, [20] &mtime, [24] interval.
	.section .text
	.globl boot_timervec
	.globl boot_mfaultvec
	.globl boot_park
	.balign 4
boot_timervec:
	csrrw a0, mscratch, a0
	sw a1, 0(a0)
	sw a2, 4(a0)
	sw a3, 8(a0)
	sw a4, 12(a0)
	csrr a1, mcause
	bltz a1, 2f
	j boot_mfaultvec # an exception in M-mode, never a tick
2:
	# now = mtime (64-bit on RV32: re-read if the high word moved)
	lw a1, 20(a0)
1:	lw a3, 4(a1)
	lw a2, 0(a1)
	lw a4, 4(a1)
	bne a3, a4, 1b
	# next = now + interval, carrying into the high word
	lw a4, 24(a0)
	add a2, a2, a4
	sltu a4, a2, a4
	add a3, a3, a4
	# the spec's three-store sequence: never a transient value below next
	lw a1, 16(a0)
	li a4, -1
	sw a4, 0(a1)
	sw a3, 4(a1)
	sw a2, 0(a1)

	li a1, 2
	csrs mip, a1 # raise SSIP for the S-mode kernel

	lw a1, 0(a0)
	lw a2, 4(a0)
	lw a3, 8(a0)
	lw a4, 12(a0)
	csrrw a0, mscratch, a0
	mret

# An M-mode trap other than the timer's: report it on an M-mode stack of its own.
	.balign 4
boot_mfaultvec:
	la sp, mfault_stack_top
	csrr a0, mcause
	csrr a1, mepc
	csrr a2, mtval
	call boot_fault
boot_park:
	wfi
	j boot_park

	.section .bss
	.balign 16
mfault_stack:
	.space 1024
mfault_stack_top:
