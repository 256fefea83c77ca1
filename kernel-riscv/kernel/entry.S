# entry.S - the kernel's first instruction, at BOOT_KERNEL_VA in S-mode with
# paging on, as a boot stage enters it (boot/boot.h: a0 = the boot_info).
# Before anything can fault, stvec points at kernelvec; then it zeroes .bss
# (no loader is trusted to), takes the boot stack and calls main(a0).

	.section .text.entry
	.globl _kentry
_kentry:
	la t0, kernelvec
	csrw stvec, t0
	la t0, __bss_start
	la t1, __bss_end
1:	bgeu t0, t1, 2f
	sw zero, 0(t0)
	addi t0, t0, 4
	j 1b
2:	la sp, kboot_stack_top
	call main
1:	j 1b

	.section .bss
	.balign 16
kboot_stack:
	.space 4096
kboot_stack_top:
