/*
 * syscall.c - ecall dispatch. a0 is the syscall number and a1..a7 its
 * arguments (CONTRACT section 1); the result goes back in a0..a7. Message
 * passing goes to kcore; memory, threads, yield and process exit are the
 * platform's own.
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

/* Returns false if the bytes are not the caller's: a bad pointer ends the process. */
static __attribute__((noinline)) bool console_write(uint32_t pid, uint32_t addr, uint32_t len)
{
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
		if (err == XOUS_ERR_BAD_ADDRESS) {
			/* as on Linux, where touching such a buffer is a SIGSEGV */
			kprintf("[kernel] pid %u (%s): lends memory that is not its own at %p: "
			        "process terminated\n",
			        pid, procs[pid].name, A(4));
			proc_kill(pid, EXIT_FAULT);
			return;
		}
		if (err) {
			result_err(tf, err);
			return;
		}
		mp = &mem;
	}
	thread_block_current();
	if (kc_syscall(&kcore, cur, &in, mp) < 0)
		proc_kill(pid, EXIT_FAULT);
}

/* The kernel's own syscalls (memory, threads, clock, console); false if n is not one. */
static __attribute__((noinline)) bool platform_syscall(struct trapframe *tf, uint32_t pid)
{
	uint32_t err, v;

	switch (A(0)) {
	case XOUS_SYS_MAP_MEMORY:
		if (A(1)) /* physical ranges are for drivers, which this kernel does not have yet */
			result_err(tf, XOUS_ERR_ACCESS_DENIED);
		else if ((err = vm_map_memory(pid, A(2), A(3), A(4), &v)))
			result_err(tf, err);
		else
			result(tf, XOUS_RESULT_MEMORY_RANGE, v, A(3));
		break;
	case XOUS_SYS_UNMAP_MEMORY:
		result_err(tf, vm_unmap_memory(pid, A(1), A(2)));
		break;
	case XOUS_SYS_YIELD:
		result_err(tf, 0);
		thread_yield_current();
		break;
	case XOUS_SYS_CREATE_THREAD:
		if ((err = proc_thread_create(pid, A(1), A(2), A(3), &v)))
			result_err(tf, err);
		else
			result(tf, XOUS_RESULT_THREAD_ID, kc_thread_tid(&kcore, v), 0);
		break;
	case XOUS_SYS_TERMINATE_PROCESS:
		proc_kill(pid, A(1));
		break;
	case XK_SYS_CONSOLE_WRITE:
		if (console_write(pid, A(1), A(2))) {
			result(tf, XOUS_RESULT_SCALAR1,
			       A(2) > CONSOLE_WRITE_MAX ? CONSOLE_WRITE_MAX : A(2), 0);
		} else {
			kprintf("[kernel] pid %u (%s): console write of memory not its own: "
			        "process terminated\n",
			        pid, procs[pid].name);
			proc_kill(pid, EXIT_FAULT);
		}
		break;
	case XK_SYS_TIMER_WAIT: {
		uint64_t deadline = (uint64_t)A(2) << 32 | A(1);
		result_err(tf, 0);
		timer_wait(cur, deadline);
		break;
	}
	case XK_SYS_TIMER_KICK:
		result_err(tf, 0);
		timer_kick(pid);
		break;
	case XOUS_SYS_PROCESS_NAME: { /* the log server's stamp: our name, not the process's claim */
		uint32_t who = A(1);
		if (who == 0 || who > KC_MAX_PROCS || !procs[who].used || !procs[who].name) {
			result_err(tf, XOUS_ERR_PROCESS_NOT_FOUND);
			break;
		}
		size_t n = strlen(procs[who].name);
		result(tf, XOUS_RESULT_SCALAR5, 0, 0); /* a1..a5 contiguous and zeroed */
		memcpy(&A(1), procs[who].name, n < 5 * sizeof(A(1)) ? n : 5 * sizeof(A(1)));
		break;
	}
	case XK_SYS_CLOCK: {
		uint64_t mono = clock_ms(), utc = clock_utc_ms();
		result(tf, XOUS_RESULT_SCALAR5, (uint32_t)mono, (uint32_t)(mono >> 32));
		A(3) = (uint32_t)utc;
		A(4) = (uint32_t)(utc >> 32);
		break;
	}
	default:
		return false;
	}
	return true;
}

void syscall(struct trapframe *tf)
{
	uint32_t pid = threads[cur].pid;

	/* message syscalls first: they are the ones that must be fast */
	if ((A(0) >= XOUS_SYS_CREATE_SERVER_WITH_ADDRESS && A(0) <= XOUS_SYS_CONNECT) ||
	    A(0) == XOUS_SYS_REPLY_AND_RECEIVE_NEXT || A(0) == XOUS_SYS_RETURN_SCALAR1 ||
	    A(0) == XOUS_SYS_RETURN_SCALAR2 || A(0) == XOUS_SYS_RETURN_SCALAR5 ||
	    !platform_syscall(tf, pid))
		kcore_syscall(tf, pid);
}
