# crt0.S - a U-mode program starts here with sp, a0 = argc and a1 = argv
# set by the kernel.
	.section .text.start
	.globl _start
_start:
	.option push
	.option norelax
	la gp, __global_pointer$
	.option pop
	la tp, __tls_base
	mv s0, a0 # the kernel passes argc and argv
	mv s1, a1
	call __libc_init_array
	mv a0, s0
	mv a1, s1
	call main
	call exit
1:	j 1b
