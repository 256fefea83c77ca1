# entry.S - every hart starts here in M-mode (qemu -bios none: a0 = hartid,
# a1 = the device tree). Before anything can fault, mtvec points at
# mfaultvec. The boot hart is the first hart with S-mode to claim boot_claim
# (sifive_u's hart 0 has none); the others park. It zeroes .bss (no loader
# is trusted to), takes the boot stack and calls start(hartid, fdt).

	.section .text.entry
	.globl _entry
_entry:
	la t0, mfaultvec
	csrw mtvec, t0
	csrr t0, misa
	beqz t0, 1f # misa not implemented: no hart is ruled out
	srli t0, t0, 18 # 'S'
	andi t0, t0, 1
	beqz t0, park
1:	la t0, boot_claim
	li t1, 1
	amoswap.w t1, t1, (t0)
	bnez t1, park
	la t0, __bss_start
	la t1, __bss_end
1:	bgeu t0, t1, 2f
	sw zero, 0(t0)
	addi t0, t0, 4
	j 1b
2:	la sp, boot_stack_top
	call start
park:
	wfi
	j park

# An M-mode trap other than the timer's: report it on the M-mode stack.
	.section .text
	.globl mfaultvec
	.balign 4
mfaultvec:
	la sp, mfault_stack_top
	csrr a0, mcause
	csrr a1, mepc
	csrr a2, mtval
	call mfault
	j park

	.section .data
	.balign 4
boot_claim:
	.word 0

	.section .bss
	.balign 16
boot_stack:
	.space 4096
boot_stack_top:
mfault_stack:
	.space 1024
mfault_stack_top:
