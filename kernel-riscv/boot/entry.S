# entry.S - the boot stage of an image qemu loads (-bios none: every hart
# starts here in M-mode at its physical address, a0 = hartid, a1 = the
# device tree). Before anything can fault, mtvec points at boot_mfaultvec.
# The boot hart is the first hart with S-mode to claim boot_claim
# (sifive_u's hart 0 has none); the others park. It zeroes the boot stage's
# .bss, takes the boot stack and calls boot_main(hartid, fdt) (main.c).

	.section .text.entry
	.globl _entry
_entry:
	la t0, boot_mfaultvec
	csrw mtvec, t0
	csrr t0, misa
	beqz t0, 1f # misa not implemented: no hart is ruled out
	srli t0, t0, 18 # 'S'
	andi t0, t0, 1
	beqz t0, boot_park
1:	la t0, boot_claim
	li t1, 1
	amoswap.w t1, t1, (t0)
	bnez t1, boot_park
	la t0, __boot_bss_start
	la t1, __boot_bss_end
1:	bgeu t0, t1, 2f
	sw zero, 0(t0)
	addi t0, t0, 4
	j 1b
2:	la sp, boot_stack_top
	call boot_main
	j boot_park

	.section .data
	.balign 4
boot_claim:
	.word 0

	.section .bss
	.balign 16
boot_stack:
	.space 4096
boot_stack_top:
