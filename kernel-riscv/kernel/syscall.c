/*
 * syscall.c - ecall dispatch. a0 is the syscall number and a1..a7 its
 * arguments (CONTRACT section 1); the result goes back in a0..a7. The
 * tables at the end route each number to its handler: message passing goes
 * to kcore; memory, threads, yield, process exit, the clock and the console
 * are the platform's own.
 */
#include "defs.h"
#include "proc.h"
#include <xous/rv32.h>

#define A(i) (tf->r[REG_A0 + (i)])

static void result(struct trapframe *tf, uint32_t tag, uint32_t a1, uint32_t a2)
{
	A(0) = tag;
	A(1) = a1;
	A(2) = a2;
	for (int i = 3; i < 8; i++)
		A(i) = 0;
}

static void result_err(struct trapframe *tf, uint32_t err)
{
	if (err)
		result(tf, XOUS_RESULT_ERROR, err, 0);
	else
		result(tf, XOUS_RESULT_OK, 0, 0);
}

/* Returns false if the bytes are not pid's (the caller decides what follows). */
__attribute__((noinline)) bool console_write(uint32_t pid, uint32_t addr, uint32_t len)
{
	if (xk_test_hooks & XK_HOOK_FAULT_SYSCALL)
		trap_test_fault();
	if (len > CONSOLE_WRITE_MAX)
		len = CONSOLE_WRITE_MAX;
	if (!uvm_user_readable(procs[pid].pt, addr, len))
		return false;
	w_sstatus(r_sstatus() | SSTATUS_SUM);
	for (uint32_t i = 0; i < len; i++)
		uart_putc(((const volatile char *)addr)[i]);
	w_sstatus(r_sstatus() & ~SSTATUS_SUM);
	return true;
}

typedef void syscall_fn(struct trapframe *tf, uint32_t pid);

static bool is_memory_send(struct trapframe *tf)
{
	return (A(0) == XOUS_SYS_SEND_MESSAGE || A(0) == XOUS_SYS_TRY_SEND_MESSAGE) &&
	       (A(2) == XOUS_KIND_MUTABLE_BORROW || A(2) == XOUS_KIND_BORROW ||
	        A(2) == XOUS_KIND_MOVE);
}

/* Everything kcore decides. The thread counts as blocked until kcore answers it. */
static void kcore_syscall(struct trapframe *tf, uint32_t pid)
{
	kc_regs in;
	kc_mem mem, *mp = NULL;

	for (int i = 0; i < 8; i++)
		in.a[i] = A(i);
	if (is_memory_send(tf)) {
		mem = (kc_mem){.addr = A(4), .len = A(5), .offset = A(6), .valid = A(7)};
		int err = lend_take(pid, A(2), &mem);
		if (err && err != XOUS_ERR_BAD_ADDRESS) {
			result_err(tf, err);
			return;
		}
		/* pages not its own: kcore answers BAD_ADDRESS and tells the
		 * server (GLOBAL_INVALID) */
		mp = err ? NULL : &mem;
	}
	thread_block_current();
	if (kc_syscall(&kcore, cur, &in, mp) < 0)
		proc_kill(pid, STATUS_FAULT(SCAUSE_ECALL_U));
}

/* ---- the kernel's own syscalls: memory, threads, clock, console ---- */

static void sys_map_memory(struct trapframe *tf, uint32_t pid)
{
	uint32_t err, v;

	if (A(1) && (err = phys_map(pid, A(1), A(2), A(3), A(4), &v)))
		result_err(tf, err);
	else if (A(1))
		result(tf, XOUS_RESULT_MEMORY_RANGE, v, A(3));
	else if ((err = vm_map_memory(A(2), A(3), A(4), &v)) == XK_MAP_MORE) {
		tf->pc -= 4; /* the same ecall again, after the others' turn */
		thread_yield_current();
	} else if (err)
		result_err(tf, err);
	else
		result(tf, XOUS_RESULT_MEMORY_RANGE, v, A(3));
}

static void sys_unmap_memory(struct trapframe *tf, uint32_t pid)
{
	result_err(tf, vm_unmap_memory(pid, A(1), A(2)));
}

static void sys_yield(struct trapframe *tf, uint32_t pid)
{
	(void)pid;
	result_err(tf, 0);
	thread_yield_current();
}

static void sys_create_thread(struct trapframe *tf, uint32_t pid)
{
	uint32_t err, v;

	if ((err = proc_thread_create(pid, A(1), A(2), A(3), &v)))
		result_err(tf, err);
	else
		result(tf, XOUS_RESULT_THREAD_ID, kc_thread_tid(&kcore, v), 0);
}

static void sys_terminate_process(struct trapframe *tf, uint32_t pid)
{
	proc_kill(pid, A(1) & 0xff); /* an exit code, as exit() keeps it */
}

static void sys_create_process(struct trapframe *tf, uint32_t pid)
{
	uint32_t err, newpid;

	if ((err = proc_create_process(pid, A(1), A(2), &newpid)))
		result_err(tf, err);
	else
		result(tf, XOUS_RESULT_PROCESS_ID, newpid, 0);
}

static void sys_console_write(struct trapframe *tf, uint32_t pid)
{
	if (console_write(pid, A(1), A(2))) {
		result(tf, XOUS_RESULT_SCALAR1, A(2) > CONSOLE_WRITE_MAX ? CONSOLE_WRITE_MAX : A(2),
		       0);
		return;
	}
	kprintf("[kernel] pid %u (%s): console write of memory not its own: "
	        "process terminated\n",
	        pid, procs[pid].name);
	proc_kill(pid, STATUS_BAD_POINTER);
}

static void sys_timer_wait(struct trapframe *tf, uint32_t pid)
{
	uint64_t deadline = (uint64_t)A(2) << 32 | A(1);

	(void)pid;
	result_err(tf, 0);
	timer_wait(cur, deadline);
}

static void sys_timer_kick(struct trapframe *tf, uint32_t pid)
{
	result_err(tf, 0);
	timer_kick(pid);
}

static void sys_clock(struct trapframe *tf, uint32_t pid)
{
	uint64_t mono = clock_ms(), utc = clock_utc_ms();

	(void)pid;
	result(tf, XOUS_RESULT_SCALAR5, (uint32_t)mono, (uint32_t)(mono >> 32));
	A(3) = (uint32_t)utc;
	A(4) = (uint32_t)(utc >> 32);
}

/* The log server's stamp: the name this kernel started a1 under, never a
 * name the process claims. */
static void sys_process_name(struct trapframe *tf, uint32_t pid)
{
	uint32_t who = A(1);
	size_t n;

	(void)pid;
	if (who == 0 || who > KC_MAX_PROCS || !procs[who].used || !procs[who].name) {
		result_err(tf, XOUS_ERR_PROCESS_NOT_FOUND);
		return;
	}
	n = strlen(procs[who].name);
	result(tf, XOUS_RESULT_SCALAR5, 0, 0); /* a1..a5 contiguous and zeroed */
	memcpy(&A(1), procs[who].name, n < 5 * sizeof(A(1)) ? n : 5 * sizeof(A(1)));
}

/* ---- devices: interrupts and physical addresses (irq.c) ---- */

static void sys_claim_interrupt(struct trapframe *tf, uint32_t pid)
{
	result_err(tf, irq_claim(pid, A(1), A(2), A(3)));
}

static void sys_free_interrupt(struct trapframe *tf, uint32_t pid)
{
	result_err(tf, irq_free(pid, A(1)));
}

static void sys_virt_to_phys(struct trapframe *tf, uint32_t pid)
{
	uint32_t pa, err = irq_virt_to_phys(pid, A(1), &pa);

	if (err)
		result_err(tf, err);
	else
		result(tf, XOUS_RESULT_SCALAR1, pa, 0);
}

/* PagedRegion (pager.c) */
static void sys_paged_region(struct trapframe *tf, uint32_t pid)
{
	uint32_t va, len = (A(1) + PGSIZE - 1) & ~(PGSIZE - 1), err = pager_region(pid, A(1), &va);

	if (err)
		result_err(tf, err);
	else
		result(tf, XOUS_RESULT_MEMORY_RANGE, va, len);
}

/* ---- the ABI hook (hook.c) ---- */

/* ServerLabel: a1..a4 the server, a5 the name's length, a6 its bytes. */
static void sys_server_label(struct trapframe *tf, uint32_t pid)
{
	const uint32_t sid[4] = {A(1), A(2), A(3), A(4)};

	result_err(tf, hook_server_label(pid, sid, A(6), A(5)));
}

/* AbiHookRead/Write: a1 the task, a2 its address, a3 the length, a4 the caller's buffer. */
static void sys_abi_hook_move(struct trapframe *tf, uint32_t pid)
{
	uint32_t n = 0, err = A(0) == XOUS_SYS_ABI_HOOK_READ
	                              ? hook_read(pid, A(1), A(2), A(3), A(4), &n)
	                              : hook_write(pid, A(1), A(2), A(3), A(4), &n);

	if (err)
		result_err(tf, err);
	else
		result(tf, XOUS_RESULT_SCALAR1, n, 0);
}

static void sys_abi_hook_fd(struct trapframe *tf, uint32_t pid)
{
	uint32_t fd, err = hook_fd(pid, A(1), &fd);

	if (err)
		result_err(tf, err);
	else
		result(tf, XOUS_RESULT_SCALAR1, fd, 0);
}

/* ---- the syscall tables, indexed by number ---- */

/* KCORE: the message syscalls, which kcore decides (kcore_syscall). Every
 * number no table names goes there too, and kcore answers it with the
 * error both kernels give: UnhandledSyscall for a syscall of Xous this
 * kernel lacks, InvalidSyscall for any other. */
#define KCORE NULL

/* Xous's numbers (CONTRACT section 1). */
static syscall_fn *const xous_calls[] = {
        [XOUS_SYS_MAP_MEMORY] = sys_map_memory,
        [XOUS_SYS_YIELD] = sys_yield,
        [XOUS_SYS_CLAIM_INTERRUPT] = sys_claim_interrupt,
        [XOUS_SYS_FREE_INTERRUPT] = sys_free_interrupt,
        [XOUS_SYS_CREATE_SERVER_WITH_ADDRESS] = KCORE,
        [XOUS_SYS_RECEIVE_MESSAGE] = KCORE,
        [XOUS_SYS_SEND_MESSAGE] = KCORE,
        [XOUS_SYS_CONNECT] = KCORE,
        [XOUS_SYS_CREATE_THREAD] = sys_create_thread,
        [XOUS_SYS_UNMAP_MEMORY] = sys_unmap_memory,
        [XOUS_SYS_RETURN_MEMORY] = KCORE,
        [XOUS_SYS_CREATE_PROCESS] = sys_create_process,
        [XOUS_SYS_TERMINATE_PROCESS] = sys_terminate_process,
        [XOUS_SYS_TRY_SEND_MESSAGE] = KCORE,
        [XOUS_SYS_TRY_CONNECT] = KCORE,
        [XOUS_SYS_RETURN_SCALAR1] = KCORE,
        [XOUS_SYS_RETURN_SCALAR2] = KCORE,
        [XOUS_SYS_TRY_RECEIVE_MESSAGE] = KCORE,
        [XOUS_SYS_CREATE_SERVER] = KCORE,
        [XOUS_SYS_CONNECT_FOR_PROCESS] = KCORE,
        [XOUS_SYS_CREATE_SERVER_ID] = KCORE,
        [XOUS_SYS_GET_THREAD_ID] = KCORE,
        [XOUS_SYS_GET_PROCESS_ID] = KCORE,
        [XOUS_SYS_DESTROY_SERVER] = KCORE,
        [XOUS_SYS_DISCONNECT] = KCORE,
        [XOUS_SYS_JOIN_THREAD] = KCORE,
        [XOUS_SYS_VIRT_TO_PHYS] = sys_virt_to_phys,
        [XOUS_SYS_RETURN_SCALAR5] = KCORE,
        [XOUS_SYS_REPLY_AND_RECEIVE_NEXT] = KCORE,
};

/* This kernel's own (xous/rv32.h), from XK_SYS_CONSOLE_WRITE on. */
static syscall_fn *const kernel_calls[] = {
        [XK_SYS_CONSOLE_WRITE - XK_SYS_CONSOLE_WRITE] = sys_console_write,
        [XK_SYS_TIMER_WAIT - XK_SYS_CONSOLE_WRITE] = sys_timer_wait,
        [XK_SYS_TIMER_KICK - XK_SYS_CONSOLE_WRITE] = sys_timer_kick,
        [XK_SYS_CLOCK - XK_SYS_CONSOLE_WRITE] = sys_clock,
};

/* The extensions both kernels answer (xous/abi.h), from XOUS_SYS_PROCESS_NAME on. */
static syscall_fn *const ext_calls[] = {
        [XOUS_SYS_PROCESS_NAME - XOUS_SYS_PROCESS_NAME] = sys_process_name,
        [XOUS_SYS_RECEIVE_MANY - XOUS_SYS_PROCESS_NAME] = KCORE,
        [XOUS_SYS_SERVER_OWNER - XOUS_SYS_PROCESS_NAME] = KCORE,
        [XOUS_SYS_PHYS_GRANT - XOUS_SYS_PROCESS_NAME] = KCORE,
        [XOUS_SYS_PHYS_RELEASE - XOUS_SYS_PROCESS_NAME] = KCORE,
        [XOUS_SYS_EXIT_NOTIFY - XOUS_SYS_PROCESS_NAME] = KCORE,
        [XOUS_SYS_PID_HOLD - XOUS_SYS_PROCESS_NAME] = KCORE,
        [XOUS_SYS_SERVER_LABEL - XOUS_SYS_PROCESS_NAME] = sys_server_label,
        [XOUS_SYS_ASYNC_SEND - XOUS_SYS_PROCESS_NAME] = sys_async_send,
        [XOUS_SYS_ASYNC_RECV - XOUS_SYS_PROCESS_NAME] = sys_async_recv,
        [XOUS_SYS_PAGED_REGION - XOUS_SYS_PROCESS_NAME] = sys_paged_region,
        [XOUS_SYS_ABI_HOOK_READ - XOUS_SYS_PROCESS_NAME] = sys_abi_hook_move,
        [XOUS_SYS_ABI_HOOK_WRITE - XOUS_SYS_PROCESS_NAME] = sys_abi_hook_move,
        [XOUS_SYS_ABI_HOOK_FD - XOUS_SYS_PROCESS_NAME] = sys_abi_hook_fd,
};

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* The platform's handler of syscall n, or NULL if kcore decides it. */
static syscall_fn *platform_handler(uint32_t n)
{
	if (__builtin_expect(n < NELEM(xous_calls), 1))
		return xous_calls[n];
	if (n - XK_SYS_CONSOLE_WRITE < NELEM(kernel_calls))
		return kernel_calls[n - XK_SYS_CONSOLE_WRITE];
	if (n - XOUS_SYS_PROCESS_NAME < NELEM(ext_calls))
		return ext_calls[n - XOUS_SYS_PROCESS_NAME];
	return KCORE;
}

void syscall(struct trapframe *tf)
{
	uint32_t pid = threads[cur].pid;
	syscall_fn *fn;

	if (__builtin_expect(irq_syscall_refused(tf), 0))
		return; /* an interrupt handler's call that could wait */
	if (__builtin_expect(hook_is_on(pid), 0)) {
		hook_ecall(tf, pid); /* a foreign binary's call: its hook's */
		return;
	}
	fn = platform_handler(A(0));
	if (__builtin_expect(fn == KCORE, 1))
		kcore_syscall(tf, pid);
	else
		fn(tf, pid);
}
