# trampoline.S - the user/kernel boundary. The kernel is mapped in every
# address space, so unlike xv6 this needs no trampoline page: uservec saves
# the user registers into the running thread's trapframe (sscratch), runs
# usertrap() on the one kernel stack, and userret resumes whichever thread
# usertrap() chose, switching satp only when the process changes.
# Trapframe: r[0] kernel stack top, r[1..31] x1..x31, pc at 128, satp at 132.
# stvec is uservec only while a user thread runs: uservec switches it to
# kernelvec before the kernel does anything, userret back just before sret.
	.section .text
	.globl uservec
	.globl userret
	.globl kernelvec
	.balign 4
uservec:
	csrrw a0, sscratch, a0
	sw x1, 4(a0)
	sw x2, 8(a0)
	sw x3, 12(a0)
	sw x4, 16(a0)
	sw x5, 20(a0)
	sw x6, 24(a0)
	sw x7, 28(a0)
	sw x8, 32(a0)
	sw x9, 36(a0)
	sw x11, 44(a0)
	sw x12, 48(a0)
	sw x13, 52(a0)
	sw x14, 56(a0)
	sw x15, 60(a0)
	sw x16, 64(a0)
	sw x17, 68(a0)
	sw x18, 72(a0)
	sw x19, 76(a0)
	sw x20, 80(a0)
	sw x21, 84(a0)
	sw x22, 88(a0)
	sw x23, 92(a0)
	sw x24, 96(a0)
	sw x25, 100(a0)
	sw x26, 104(a0)
	sw x27, 108(a0)
	sw x28, 112(a0)
	sw x29, 116(a0)
	sw x30, 120(a0)
	sw x31, 124(a0)
	la t0, kernelvec
	csrw stvec, t0
	csrr t0, sscratch
	sw t0, 40(a0)
	csrr t0, sepc
	sw t0, 128(a0)
	lw sp, 0(a0)
	call usertrap
	# fall through with a0 = the trapframe to resume

userret:
	lw t0, 132(a0)
	csrr t1, satp
	beq t0, t1, 1f
	csrw satp, t0
	sfence.vma zero, zero
1:	lw t0, 128(a0)
	csrw sepc, t0
	csrw sscratch, a0
	# sret to U-mode with interrupts on there, whatever sstatus held
	li t0, 0x100 # SSTATUS_SPP
	csrc sstatus, t0
	li t0, 0x20 # SSTATUS_SPIE
	csrs sstatus, t0
	la t0, uservec
	csrw stvec, t0
	lw x1, 4(a0)
	lw x2, 8(a0)
	lw x3, 12(a0)
	lw x4, 16(a0)
	lw x5, 20(a0)
	lw x6, 24(a0)
	lw x7, 28(a0)
	lw x8, 32(a0)
	lw x9, 36(a0)
	lw x11, 44(a0)
	lw x12, 48(a0)
	lw x13, 52(a0)
	lw x14, 56(a0)
	lw x15, 60(a0)
	lw x16, 64(a0)
	lw x17, 68(a0)
	lw x18, 72(a0)
	lw x19, 76(a0)
	lw x20, 80(a0)
	lw x21, 84(a0)
	lw x22, 88(a0)
	lw x23, 92(a0)
	lw x24, 96(a0)
	lw x25, 100(a0)
	lw x26, 104(a0)
	lw x27, 108(a0)
	lw x28, 112(a0)
	lw x29, 116(a0)
	lw x30, 120(a0)
	lw x31, 124(a0)
	lw a0, 40(a0)
	sret

# A trap taken in S-mode is a kernel fault (the kernel runs with SIE off):
# kerneltrap() reports it from a stack of its own, as sp may be the cause.
	.balign 4
kernelvec:
	csrw sscratch, sp
	la sp, kfault_stack_top
	csrr a0, sscratch
	call kerneltrap
1:	j 1b

	.section .bss
	.balign 16
kfault_stack:
	.space 2048
kfault_stack_top:
