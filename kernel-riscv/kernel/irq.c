/*
 * irq.c - user-space interrupt handlers (ClaimInterrupt, FreeInterrupt) and
 * VirtToPhys, with Xous's semantics.
 *
 * A process with the right to map device registers (phys=devices) claims
 * an interrupt of the board's controller with a handler and an argument.
 * When it fires, the handler runs in the claiming process as
 * handler(irq, arg), on a thread and stack of that process kept for its
 * handlers, before any other thread, with every interrupt (the timer too)
 * masked until it returns; the controller completes the interrupt then. A
 * handler may send Scalars (a SendMessage waits for nothing: a full queue
 * answers ServerQueueFull) and use the calls that never wait; any other
 * call answers AccessDenied. A handler that faults ends its process, which
 * frees its interrupts, as does any end of the process.
 *
 * Interrupt numbers are 1..IRQ_MAX of the controller; the kernel's own
 * (the console's) and numbers past IRQ_MAX are InterruptInUse and
 * InterruptNotFound; a claimed one is InterruptInUse until freed.
 */
#include "defs.h"
#include "proc.h"
#include <xous/rv32.h>

#define IRQ_MAX        31
#define IRQ_STACK_SIZE (4 * PGSIZE)

static struct {
	uint32_t pid; /* 0: not claimed */
	uint32_t handler, arg;
} claims[IRQ_MAX + 1];

/* Per process: the thread its handlers run on and the top of its stack. */
static struct {
	bool made; /* at its first claim */
	kc_thread t;
	uint32_t sp;
} handler_threads[KC_MAX_PROCS + 1];

static uint32_t active_irq; /* the interrupt whose handler runs, or 0 */
static uint32_t saved_sie;  /* sie while no handler runs */
static kc_thread active_thread = KC_NO_THREAD;

bool irq_claimed_any(void)
{
	for (uint32_t i = 1; i <= IRQ_MAX; i++)
		if (claims[i].pid)
			return true;
	return false;
}

/* Only a process that may map device registers may take their interrupts. */
static bool may_claim(uint32_t pid)
{
	struct kc_phys_map m;

	return kc_phys_check(&kcore, pid, BOARD_VIRTIO, PGSIZE, XOUS_MEM_R, &m) == 0 && m.device;
}

/* The thread pid's handlers run on: made at its first claim, parked (free
 * to the scheduler, alive to kcore) while no handler runs. */
static uint32_t handler_thread(uint32_t pid)
{
	uint32_t err, stack;
	kc_thread t;

	if (handler_threads[pid].made)
		return 0;
	/* pid is the calling thread's: its own MapMemory, one chunk */
	if ((err = vm_map_memory(0, IRQ_STACK_SIZE, XOUS_MEM_R | XOUS_MEM_W, &stack)))
		return err;
	if ((err = kc_thread_create(&kcore, pid, false, &t))) {
		vm_unmap_memory(pid, stack, IRQ_STACK_SIZE);
		return err;
	}
	memset(&threads[t].tf, 0, sizeof(threads[t].tf));
	threads[t].tf.r[0] = threads[cur].tf.r[0];           /* the kernel stack */
	threads[t].tf.r[REG_GP] = threads[cur].tf.r[REG_GP]; /* same program, same gp */
	threads[t].tf.satp = procs[pid].satp;
	threads[t].pid = pid;
	threads[t].timer_wait = false;
	threads[t].state = T_FREE;
	handler_threads[pid].made = true;
	handler_threads[pid].t = t;
	handler_threads[pid].sp = stack + IRQ_STACK_SIZE;
	return 0;
}

/* ClaimInterrupt(a1 irq, a2 handler, a3 arg): Ok. */
uint32_t irq_claim(uint32_t pid, uint32_t irq, uint32_t handler, uint32_t arg)
{
	uint32_t err;

	if (irq == 0 || irq > IRQ_MAX)
		return XOUS_ERR_INTERRUPT_NOT_FOUND;
	if (!may_claim(pid))
		return XOUS_ERR_ACCESS_DENIED;
	if (!board.has_plic)
		return XOUS_ERR_INTERRUPT_NOT_FOUND; /* no controller to route it */
	if (claims[irq].pid || (int)irq == BOARD_UART0_IRQ)
		return XOUS_ERR_INTERRUPT_IN_USE;
	if (handler < USER_ELF_BASE || handler >= USER_TOP)
		return XOUS_ERR_BAD_ADDRESS;
	if ((err = handler_thread(pid)))
		return err;
	claims[irq].pid = pid;
	claims[irq].handler = handler;
	claims[irq].arg = arg;
	plic_enable(irq, true);
	return 0;
}

/* FreeInterrupt(a1 irq): only the claimer's; InterruptNotFound otherwise. */
uint32_t irq_free(uint32_t pid, uint32_t irq)
{
	if (irq == 0 || irq > IRQ_MAX || claims[irq].pid != pid)
		return XOUS_ERR_INTERRUPT_NOT_FOUND;
	plic_enable(irq, false);
	claims[irq].pid = 0;
	return 0;
}

/* The controller gave irq: true if a handler takes it (the controller
 * completes it when the handler returns). */
bool irq_deliver(uint32_t irq)
{
	struct thread *th;
	uint32_t pid;

	if (irq > IRQ_MAX || !(pid = claims[irq].pid))
		return false;
	th = &threads[handler_threads[pid].t];
	th->tf.pc = claims[irq].handler;
	th->tf.r[REG_A0] = irq;
	th->tf.r[REG_A0 + 1] = claims[irq].arg;
	th->tf.r[REG_SP] = handler_threads[pid].sp;
	th->tf.r[REG_RA] = USER_IRQ_RETURN;
	th->state = T_BLOCKED;
	active_irq = irq;
	active_thread = handler_threads[pid].t;
	saved_sie = r_sie();
	w_sie(0);
	thread_run_first(active_thread);
	return true;
}

/* The handler is done: the interrupt completes, interrupts come back, and
 * the thread it interrupted goes on. */
static void irq_done(void)
{
	plic_complete((int)active_irq);
	active_irq = 0;
	active_thread = KC_NO_THREAD;
	w_sie(saved_sie);
}

/* The handler returned (it jumped to USER_IRQ_RETURN). */
void irq_return(void)
{
	if (cur != active_thread) { /* not a handler: a fault like any other */
		proc_kill(threads[cur].pid, STATUS_FAULT(SCAUSE_IFETCH_PF));
		return;
	}
	threads[cur].state = T_FREE; /* parked */
	cur = KC_NO_THREAD;
	irq_done();
}

/* pid ends: its interrupts are freed, a handler of its that runs ends. */
void irq_release_pid(uint32_t pid)
{
	for (uint32_t i = 1; i <= IRQ_MAX; i++)
		if (claims[i].pid == pid)
			irq_free(pid, i);
	if (active_thread != KC_NO_THREAD && threads[active_thread].pid == pid)
		irq_done();
	handler_threads[pid].made = false;
}

/*
 * The running handler's syscall: true if it was answered here (refused);
 * a SendMessage becomes a TrySendMessage, which never waits.
 */
bool irq_syscall_refused(struct trapframe *tf)
{
	uint32_t *a = &tf->r[REG_A0];

	if (cur != active_thread)
		return false;
	switch (a[0]) {
	case XOUS_SYS_SEND_MESSAGE:
		a[0] = XOUS_SYS_TRY_SEND_MESSAGE;
		/* fall through */
	case XOUS_SYS_TRY_SEND_MESSAGE:
		if (a[2] == XOUS_KIND_SCALAR)
			return false;
		break;
	case XOUS_SYS_GET_PROCESS_ID:
	case XOUS_SYS_GET_THREAD_ID:
	case XOUS_SYS_VIRT_TO_PHYS:
	case XK_SYS_CONSOLE_WRITE:
	case XK_SYS_CLOCK:
		return false;
	}
	a[0] = XOUS_RESULT_ERROR;
	a[1] = XOUS_ERR_ACCESS_DENIED;
	for (int i = 2; i < 8; i++)
		a[i] = 0;
	return true;
}

/* VirtToPhys(a1 addr): the physical address of the caller's mapped page
 * at addr, plus addr's offset in it; BadAddress if nothing is mapped. */
uint32_t irq_virt_to_phys(uint32_t pid, uint32_t va, uint32_t *pa)
{
	pte_t *pte;

	if (uvm_touch(procs[pid].pt, va, 1) < 0)
		return XOUS_ERR_OUT_OF_MEMORY;
	pte = walk(procs[pid].pt, va, false);
	if (!pte || (*pte & (PTE_V | PTE_U)) != (PTE_V | PTE_U))
		return XOUS_ERR_BAD_ADDRESS;
	*pa = PTE2PA(*pte) | (va & (PGSIZE - 1));
	return 0;
}
