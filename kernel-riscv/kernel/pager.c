/*
 * pager.c - pagers on kernel-riscv (CONTRACT section 7, docs/resea-pager.md):
 * exceptions reported to a faulting process's pager, and paged regions
 * filled on first touch.
 *
 * Rules:
 * - A fault that ends a process is first reported through kcore
 *   (kc_process_exception) with its type, stval and pc.
 * - PagedRegion reserves free address space: each page's PTE is PTE_LENT
 *   without a page (taken, not valid, not unmappable, not lendable).
 * - A load or store page fault on such a page of a region of the process
 *   maps a fresh zeroed page there and lends it (MutableBorrow, opcode
 *   XOUS_PAGE_FAULT_ID, offset stval, valid 1 for a store) from the
 *   faulting thread to the process's pager, with the thread's a0..a7 kept
 *   aside; the answer gives them back and the thread runs the access again
 *   on the filled page.
 * - An error instead of the answer (the pager died or refused it), or no
 *   pager at all, ends the process with the exception XOUS_EXC_PAGER and
 *   the status of the original fault. kcore's callback cannot end it, so
 *   the thread is sent to address 0, where its next instruction fetch
 *   faults, and the fault ends it.
 */
#include "defs.h"
#include "proc.h"

#define PAGED_PER_PROC 8

static struct paged {
	uint32_t va, len;
} regions[KC_MAX_PROCS + 1][PAGED_PER_PROC];

static struct pending {
	bool active, failed;
	uint32_t scause, addr;
	uint32_t regs[8]; /* a0..a7 at the fault */
} pending[KC_MAX_THREADS];

static uint32_t exc_type(uint32_t scause)
{
	switch (scause) {
	case 2:
		return XOUS_EXC_ILLEGAL;
	case 3:
		return XOUS_EXC_BREAKPOINT;
	case 0:
	case 4:
	case 6:
		return XOUS_EXC_MISALIGNED;
	default:
		return XOUS_EXC_BAD_ACCESS;
	}
}

void pager_exception(uint32_t pid, uint32_t scause, uint32_t addr, uint32_t pc)
{
	kc_process_exception(&kcore, pid, exc_type(scause), addr, pc);
}

void pager_proc_exit(uint32_t pid)
{
	memset(regions[pid], 0, sizeof(regions[pid]));
	for (uint32_t t = 0; t < KC_MAX_THREADS; t++)
		if (threads[t].pid == pid)
			pending[t].active = pending[t].failed = false;
}

uint32_t pager_region(uint32_t pid, uint32_t len, uint32_t *va)
{
	struct proc *p = &procs[pid];
	struct paged *r = NULL;

	if (len == 0 || len > USER_MMAP_TOP - USER_MMAP_BASE)
		return XOUS_ERR_INVALID_ARGUMENT;
	len = (len + PGSIZE - 1) & ~(PGSIZE - 1);
	for (uint32_t i = 0; i < PAGED_PER_PROC && !r; i++)
		if (regions[pid][i].len == 0)
			r = &regions[pid][i];
	if (!r || !(*va = uvm_find_free(p->pt, &p->mmap_hint, len)))
		return XOUS_ERR_OUT_OF_MEMORY;
	for (uint32_t off = 0; off < len; off += PGSIZE) {
		pte_t *pte = walk(p->pt, *va + off, true);

		if (!pte) {
			while (off > 0)
				*walk(p->pt, *va + (off -= PGSIZE), false) = 0;
			return XOUS_ERR_OUT_OF_MEMORY;
		}
		*pte = PTE_LENT;
	}
	r->va = *va;
	r->len = len;
	return 0;
}

/* Is va a page of one of pid's regions that is not there yet? */
static bool paged_missing(uint32_t pid, uint32_t va)
{
	pte_t *pte = walk(procs[pid].pt, va, false);

	if (!pte || *pte != PTE_LENT)
		return false;
	for (uint32_t i = 0; i < PAGED_PER_PROC; i++)
		if (va - regions[pid][i].va < regions[pid][i].len)
			return true;
	return false;
}

/* The page at va, zeroed, lent to the pager; false if none could be. */
static bool page_fault_send(uint32_t pid, uint32_t scause, uint32_t addr, struct trapframe *tf)
{
	uint32_t va = addr & ~(PGSIZE - 1);
	kc_mem mem = {
	        .addr = va, .len = PGSIZE, .offset = addr, .valid = scause == SCAUSE_STORE_PF};
	struct pending *w = &pending[cur];
	void *page;

	if (kc_process_pager(&kcore, pid) == KC_NIL || !(page = kalloc()))
		return false;
	*walk(procs[pid].pt, va, false) = 0;
	if (uvm_map_page(procs[pid].pt, va, V2P(page), PTE_R | PTE_W) < 0) {
		kunref(V2P(page));
		*walk(procs[pid].pt, va, false) = PTE_LENT;
		return false;
	}
	kunref(V2P(page)); /* the mapping holds it */
	if (lend_take(pid, XOUS_KIND_MUTABLE_BORROW, &mem) != 0)
		return false;
	for (int i = 0; i < 8; i++)
		w->regs[i] = tf->r[REG_A0 + i];
	w->active = true;
	w->scause = scause;
	w->addr = addr;
	thread_block_current();
	threads[cur].for_kernel = true;
	kc_page_fault(&kcore, cur, va, addr, mem.valid, &mem);
	return true;
}

static void pager_kill(uint32_t pid, const struct pending *w)
{
	kprintf("[kernel] pid %u (%s): its pager failed on the page at %p: process terminated\n",
	        pid, procs[pid].name, w->addr);
	kc_process_exception(&kcore, pid, XOUS_EXC_PAGER, w->addr, 0);
	proc_kill(pid, STATUS_FAULT(w->scause));
}

bool pager_trap(uint32_t scause, uint32_t stval, struct trapframe *tf)
{
	uint32_t pid = threads[cur].pid;
	struct pending *w = &pending[cur];

	if (w->failed) {
		w->failed = false;
		pager_kill(pid, w);
		return true;
	}
	if ((scause != SCAUSE_LOAD_PF && scause != SCAUSE_STORE_PF) ||
	    !paged_missing(pid, stval & ~(PGSIZE - 1)))
		return false;
	if (!page_fault_send(pid, scause, stval, tf)) {
		w->addr = stval;
		w->scause = scause;
		pager_kill(pid, w);
	}
	return true;
}

bool pager_reply(uint32_t t, const void *rv)
{
	const kc_regs *r = rv;
	struct pending *w = &pending[t];

	if (!w->active)
		return false;
	w->active = false;
	for (int i = 0; i < 8; i++)
		threads[t].tf.r[REG_A0 + i] = w->regs[i];
	if (r->a[0] != XOUS_RESULT_MEMORY_RETURNED) {
		w->failed = true;
		threads[t].tf.pc = 0; /* its next fetch faults: pager_trap ends it */
	}
	thread_make_runnable(t);
	return true;
}
