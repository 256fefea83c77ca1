# entry.S - qemu jumps here (0x80000000) in M-mode with -bios none.
# Set up the boot stack and call start() in C.
	.section .text.entry
	.globl _entry
_entry:
	la sp, boot_stack_top
	call start
1:	wfi
	j 1b

	.section .bss
	.balign 16
boot_stack:
	.space 4096
boot_stack_top:
