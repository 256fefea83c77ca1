/*
 * trap.c - every trap from user mode: syscalls, the timer tick (a software
 * interrupt forwarded by M-mode), device interrupts, and faults, which end
 * the faulting process and never the kernel.
 */
#include "defs.h"
#include "proc.h"

void uservec(void);

void trap_init(void)
{
	w_stvec((uint32_t)uservec);
	w_scounteren(7); /* user programs may read cycle, time and instret */
}

void device_intr(void)
{
	int irq = plic_claim();

	if (irq == BOARD_UART0_IRQ)
		uart_intr();
	else if (irq && irq_deliver((uint32_t)irq))
		return; /* its handler completes it */
	if (irq)
		plic_complete(irq);
}

static void fault(uint32_t scause, struct trapframe *tf)
{
	uint32_t pid = threads[cur].pid;

	if (scause == SCAUSE_IFETCH_PF && r_stval() == USER_THREAD_EXIT) {
		proc_thread_exit(cur, tf->r[REG_A0]);
		return;
	}
	if (scause == SCAUSE_IFETCH_PF && r_stval() == USER_IRQ_RETURN) {
		irq_return();
		return;
	}
	kprintf("[kernel] pid %u (%s): fault scause %u at pc %p, address %p: process terminated\n",
	        pid, procs[pid].name, scause, tf->pc, r_stval());
	proc_kill(pid, STATUS_FAULT(scause));
}

struct trapframe *usertrap(struct trapframe *tf)
{
	uint32_t scause = r_scause();

	if (r_sstatus() & SSTATUS_SPP)
		panic("trap from the kernel: scause %u sepc %p stval %p", scause, r_sepc(),
		      r_stval());
	if (scause == SCAUSE_ECALL_U) {
		tf->pc += 4;
		syscall(tf);
	} else if (scause == SCAUSE_SSI) {
		w_sip(r_sip() & ~SIP_SSIP);
		timer_expire();
		thread_yield_current(); /* the time slice is over */
	} else if (scause == SCAUSE_SEI) {
		device_intr();
	} else {
		fault(scause, tf);
	}
	return schedule();
}
