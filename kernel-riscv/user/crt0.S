# crt0.S - a U-mode program starts here with sp set by the kernel.
	.section .text.start
	.globl _start
_start:
	.option push
	.option norelax
	la gp, __global_pointer$
	.option pop
	la tp, __tls_base
	call __libc_init_array
	li a0, 0
	li a1, 0
	call main
	call exit
1:	j 1b
