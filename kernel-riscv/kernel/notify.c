/*
 * notify.c - the platform part of the global calls that carry bytes,
 * AsyncSend and AsyncRecv (xous/abi.h); kcore (kcore/notify.c) decides
 * them. The bytes are copied once, between the caller's memory and
 * kcore's table, by kcore through user_copy. Notify and SetNotifyServer
 * carry none and go to kcore as every message syscall.
 *
 * Rules: the caller's buffer is checked (readable, or writable for
 * AsyncRecv) before anything is taken, so a bad pointer answers
 * BAD_ADDRESS and no message is lost.
 */
#include "defs.h"
#include "proc.h"

#define A(i) (tf->r[REG_A0 + (i)])

/* kcore's copy to or from the current process's memory (checked before). */
static void user_copy(void *dst, const void *src, size_t len)
{
	w_sstatus(r_sstatus() | SSTATUS_SUM);
	memcpy(dst, src, len);
	w_sstatus(r_sstatus() & ~SSTATUS_SUM);
}

static void regs_in(const struct trapframe *tf, kc_regs *in)
{
	for (int i = 0; i < 8; i++)
		in->a[i] = A(i);
}

static void regs_out(struct trapframe *tf, const kc_regs *r)
{
	for (int i = 0; i < 8; i++)
		A(i) = r->a[i];
}

static void answer_err(struct trapframe *tf, uint32_t err)
{
	kc_regs r = {{XOUS_RESULT_ERROR, err}};

	regs_out(tf, &r);
}

/* [va, va+len) is the user's and writable (stack pages are grown first). */
static bool user_writable(pagetable_t pt, uint32_t va, uint32_t len)
{
	if (!uvm_user_readable(pt, va, len))
		return false;
	for (uint32_t p = PGROUNDDOWN(va); p < va + len; p += PGSIZE)
		if (!(*walk(pt, p, false) & PTE_W))
			return false;
	return true;
}

void sys_async_send(struct trapframe *tf, uint32_t pid)
{
	uint32_t addr = A(3), len = A(4);
	kc_regs in;

	regs_in(tf, &in);
	if (len > XOUS_ASYNC_MAX) {
		answer_err(tf, XOUS_ERR_INVALID_ARGUMENT);
		return;
	}
	if (len > 0 && !uvm_user_readable(procs[pid].pt, addr, len)) {
		answer_err(tf, XOUS_ERR_BAD_ADDRESS);
		return;
	}
	thread_block_current(); /* kcore answers through its reply */
	if (kc_async_send(&kcore, cur, &in, (const void *)addr, len, user_copy) < 0)
		proc_kill(pid, STATUS_FAULT(SCAUSE_ECALL_U));
}

void sys_async_recv(struct trapframe *tf, uint32_t pid)
{
	uint32_t addr = A(2), cap = A(3) < XOUS_ASYNC_MAX ? A(3) : XOUS_ASYNC_MAX;
	kc_regs in, out;

	regs_in(tf, &in);
	in.a[3] = cap;
	if (cap > 0 && !user_writable(procs[pid].pt, addr, cap)) {
		answer_err(tf, XOUS_ERR_BAD_ADDRESS);
		return;
	}
	if (kc_async_recv(&kcore, cur, &in, (void *)addr, &out, user_copy) < 0) {
		proc_kill(pid, STATUS_FAULT(SCAUSE_ECALL_U));
		return;
	}
	regs_out(tf, &out);
}
