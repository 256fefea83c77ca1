/*
 * trap.c - every trap from user mode: syscalls, the timer tick (a software
 * interrupt forwarded by M-mode), device interrupts, and faults, which end
 * the faulting process and never the kernel.
 */
#include "defs.h"
#include "proc.h"

void kernelvec(void);

/* No test hooks, unless the image defines its own (kept out of the files that test them). */
const uint32_t xk_test_hooks __attribute__((weak)) = 0;

/* First thing in S-mode: from here on a kernel fault is reported, never silent. */
void trap_init(void)
{
	w_stvec((uint32_t)kernelvec);
	w_scounteren(7); /* user programs may read cycle, time and instret */
}

/* The test hooks' kernel fault: a load from an address no board has. */
void trap_test_fault(void)
{
	asm volatile("lw zero, %0(zero)" : : "i"(XK_HOOK_FAULT_ADDR) : "memory");
}

/* A trap in the kernel (kernelvec), sp the kernel's stack pointer at the trap. */
void kerneltrap(uint32_t sp)
{
	static bool reporting;

	if (reporting) /* the report itself faulted */
		board_exit(EXIT_PANIC);
	reporting = true;
	panic("trap in the kernel: scause %u sepc %p stval %p sp %p", r_scause(), r_sepc(),
	      r_stval(), sp);
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

	if (pager_trap(scause, r_stval(), tf))
		return; /* a page of a paged region, or the end its pager's failure decided */
	if (scause == SCAUSE_IFETCH_PF && r_stval() == USER_THREAD_EXIT) {
		proc_thread_exit(cur, tf->r[REG_A0]);
		return;
	}
	if (scause == SCAUSE_IFETCH_PF && r_stval() == USER_IRQ_RETURN) {
		irq_return();
		return;
	}
	if (scause == SCAUSE_IFETCH_PF && r_stval() == USER_HOOK_RETURN && hook_return(tf, pid))
		return;
	if ((scause == SCAUSE_LOAD_PF || scause == SCAUSE_STORE_PF || scause == SCAUSE_IFETCH_PF) &&
	    uvm_touch(procs[pid].pt, r_stval(), 1) > 0)
		return; /* a page on first touch (stack, MapMemory): run the access again */
	kprintf("[kernel] pid %u (%s): fault scause %u at pc %p, address %p: process terminated\n",
	        pid, procs[pid].name, scause, tf->pc, r_stval());
	pager_exception(pid, scause, r_stval(), tf->pc);
	proc_kill(pid, STATUS_FAULT(scause));
}

struct trapframe *usertrap(struct trapframe *tf)
{
	uint32_t scause = r_scause();

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
