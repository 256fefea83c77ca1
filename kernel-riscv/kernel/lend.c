/*
 * lend.c - memory: MapMemory/UnmapMemory, and the platform half of lending
 * (kcore's ops). A lend of the caller's own pages never copies: the
 * caller's leaf PTEs are made invalid while lent (PTE_LENT keeps the page
 * number), the same pages are mapped into the receiver (read-only for a
 * Borrow, PTE_BORROWED), and on the answer they leave the receiver and
 * become valid again in the caller. A Move clears the caller's PTEs for
 * good. Page reference counts keep a page alive while either side maps it,
 * whoever dies first. Borrowed pages lent on are the one copy (copy_pages):
 * their lender gets them back when it is answered, and no third process may
 * keep them after that.
 */
#include "defs.h"
#include "proc.h"

struct lend {
	bool used;
	uint32_t kind;
	uint32_t caller_pid, caller_va, len;
	uint32_t server_pid, server_va;
	pagetable_t copy; /* borrowed pages lent on: what the server gets, at caller_va */
};

static struct lend lends[KC_MAX_MSGS];

static uint32_t kind_perm(uint32_t kind)
{
	return kind == XOUS_KIND_BORROW ? PTE_R : PTE_R | PTE_W;
}

/* The pages are the caller's again. A page that went back to its lender
 * while lent on (server_unmap) is gone: its address is free again. */
static void give_back(pagetable_t pt, uint32_t va, uint32_t len)
{
	for (uint32_t off = 0; off < len; off += PGSIZE) {
		pte_t *pte = walk(pt, va + off, false);
		*pte = PTE2PA(*pte) ? (*pte & ~PTE_LENT) | PTE_V : 0;
	}
	sfence_vma();
}

/*
 * Take the pages from the caller in one pass: each must be the caller's,
 * valid, with the access the kind needs. A page already lent is a share
 * violation; a borrowed page may be lent on but not moved (it is its
 * lender's). *borrowed says whether any page is borrowed. On an error the
 * pages already taken are given back.
 */
static uint32_t take_pages(pagetable_t pt, uint32_t va, uint32_t len, uint32_t kind, bool *borrowed)
{
	uint32_t need = PTE_V | PTE_U | kind_perm(kind), err = 0;

	*borrowed = false;
	if (va + len < va || va + len > USER_TOP)
		return XOUS_ERR_BAD_ADDRESS;
	if (uvm_touch(pt, va, len) < 0)
		return XOUS_ERR_OUT_OF_MEMORY;
	for (uint32_t off = 0; off < len; off += PGSIZE) {
		pte_t *pte = walk(pt, va + off, false);
		if (pte && (*pte & PTE_LENT))
			err = XOUS_ERR_SHARE_VIOLATION;
		else if (pte && (*pte & PTE_BORROWED) && kind == XOUS_KIND_MOVE)
			err = XOUS_ERR_MEMORY_IN_USE;
		else if (!pte || (*pte & need) != need)
			err = XOUS_ERR_BAD_ADDRESS;
		if (err) {
			give_back(pt, va, off);
			return err;
		}
		*borrowed |= (*pte & PTE_BORROWED) != 0;
		*pte = (*pte & ~PTE_V) | PTE_LENT;
	}
	sfence_vma();
	return 0;
}

/*
 * A lend of borrowed pages gives its server a copy, made now, in a page
 * table of its own at the caller's addresses: the pages are their lender's
 * and go back to it when the caller answers, whatever the onward server does
 * then. NULL if memory ran out. Kept out of lend_take's common path.
 */
static __attribute__((noinline)) pagetable_t copy_pages(pagetable_t pt, uint32_t va, uint32_t len)
{
	pagetable_t copy = kalloc();

	for (uint32_t off = 0; copy && off < len; off += PGSIZE) {
		void *page = kalloc();
		if (!page || uvm_map_page(copy, va + off, V2P(page), PTE_R | PTE_W) < 0) {
			if (page)
				kunref(V2P(page));
			uvm_destroy(copy);
			return NULL;
		}
		kunref(V2P(page)); /* the copy's mapping holds it */
		memcpy(page, P2V(PTE2PA(*walk(pt, va + off, false))), PGSIZE);
	}
	return copy;
}

/* A MutableBorrow's copy ends: what its server wrote goes to the caller's pages. */
static void copy_back(const struct lend *l, pagetable_t pt)
{
	for (uint32_t off = 0; off < l->len; off += PGSIZE) {
		uint32_t pa = PTE2PA(*walk(pt, l->caller_va + off, false));
		if (pa)
			memcpy(P2V(pa), P2V(PTE2PA(*walk(l->copy, l->caller_va + off, false))),
			       PGSIZE);
	}
}

/*
 * The borrowed pages leave the server. One it has lent on keeps PTE_LENT,
 * without its page, until that lend ends (give_back): its address stays
 * taken, so nothing mapped there meanwhile can be mistaken for it.
 */
static void server_unmap(pagetable_t pt, uint32_t va, uint32_t len)
{
	for (uint32_t off = 0; off < len; off += PGSIZE) {
		pte_t *pte = walk(pt, va + off, false);
		if (!pte || !*pte)
			continue;
		if (PTE2PA(*pte))
			kunref(PTE2PA(*pte));
		*pte &= PTE_LENT;
	}
	sfence_vma();
}

/*
 * Called before kc_syscall for a memory-kind send. Returns 0 and fills
 * m->handle when the pages were taken from the caller; otherwise an error
 * to answer at once (BAD_ADDRESS: not the caller's pages). A misaligned
 * range is left for kcore to answer, with handle 0 (nothing taken); pages
 * of a message kcore refuses for its offset or valid come back through
 * mem_done. Not inlined into the trap path, which every
 * scalar syscall takes.
 */
__attribute__((noinline)) int lend_take(uint32_t pid, uint32_t kind, void *mp)
{
	kc_mem *m = mp;
	struct proc *p = &procs[pid];

	m->handle = 0;
	if ((m->addr | m->len) & (PGSIZE - 1) || m->len == 0)
		return 0;
	for (uint32_t i = 0; i < KC_MAX_MSGS; i++) {
		struct lend *l = &lends[i];
		bool borrowed;
		pagetable_t copy = NULL;
		if (l->used)
			continue;
		uint32_t err = take_pages(p->pt, m->addr, m->len, kind, &borrowed);
		if (err)
			return err;
		if (borrowed && !(copy = copy_pages(p->pt, m->addr, m->len))) {
			give_back(p->pt, m->addr, m->len);
			return XOUS_ERR_OUT_OF_MEMORY;
		}
		*l = (struct lend){true, kind, pid, m->addr, m->len, 0, 0, copy};
		m->handle = i + 1;
		return 0;
	}
	return XOUS_ERR_OUT_OF_MEMORY;
}

/* A syscall's result (or an envelope) in t's registers; t runs again. */
static void set_result(kc_thread t, const kc_regs *r)
{
	if (threads[t].state == T_FREE)
		return;
	for (int i = 0; i < 8; i++)
		threads[t].tf.r[REG_A0 + i] = r->a[i];
	thread_make_runnable(t);
}

/* A lend's pages go back in kc_mem_done, which kcore calls after this: the
 * caller runs only once the trap returns, by then they are its own again.
 * The answer to a send the kernel made for t (a page fault, a hooked
 * call) is the kernel's to finish. */
static void kc_reply(void *ctx, kc_thread t, const kc_regs *r, const kc_mem *m)
{
	(void)ctx;
	(void)m;
	if (__builtin_expect(threads[t].for_kernel, 0) && threads[t].state != T_FREE) {
		threads[t].for_kernel = false;
		if (pager_reply(t, r) || hook_reply(t, r))
			return;
	}
	set_result(t, r);
}

/* A memory message: its pages are mapped into the receiver t, at env->a[4].
 * Apart, so that a scalar's delivery saves no registers for it. */
static __attribute__((noinline)) uint32_t deliver_pages(kc_thread t, kc_regs *env, const kc_mem *m)
{
	if (m->handle == 0 || m->handle > KC_MAX_MSGS)
		return XOUS_ERR_BAD_ADDRESS;
	struct lend *l = &lends[m->handle - 1];
	struct proc *srv = &procs[threads[t].pid], *caller = &procs[l->caller_pid];
	pagetable_t from = l->copy ? l->copy : caller->pt;
	uint32_t va = uvm_find_free(srv->pt, &srv->mmap_hint, l->len);
	uint32_t perm = kind_perm(l->kind) | (l->kind == XOUS_KIND_MOVE ? 0 : PTE_BORROWED);

	if (!va)
		return XOUS_ERR_OUT_OF_MEMORY;
	for (uint32_t off = 0; off < l->len; off += PGSIZE) {
		uint32_t pa = PTE2PA(*walk(from, l->caller_va + off, false));
		if (uvm_map_page(srv->pt, va + off, pa, perm) < 0) {
			uvm_unmap(srv->pt, va, off);
			return XOUS_ERR_OUT_OF_MEMORY;
		}
	}
	uvm_mapped(srv->pt);
	env->a[4] = va;
	set_result(t, env); /* the envelope is the receiver's syscall result */
	if (l->kind == XOUS_KIND_MOVE) {
		/* the pages are the receiver's now; kcore will not call mem_done */
		uvm_unmap(caller->pt, l->caller_va, l->len);
		l->used = false;
	} else {
		l->server_pid = threads[t].pid;
		l->server_va = va;
	}
	return 0;
}

static uint32_t kc_deliver(void *ctx, kc_thread t, kc_regs *env, const kc_mem *m)
{
	(void)ctx;
	if (m)
		return deliver_pages(t, env, m);
	set_result(t, env); /* the envelope is the receiver's syscall result */
	return 0;
}

static void kc_mem_done(void *ctx, uint32_t caller_pid, uint32_t server_pid, const kc_mem *m)
{
	(void)ctx;
	if (m->handle == 0 || m->handle > KC_MAX_MSGS)
		return;
	struct lend *l = &lends[m->handle - 1];
	if (server_pid && l->server_va && procs[server_pid].used)
		server_unmap(procs[server_pid].pt, l->server_va, l->len);
	if (caller_pid && procs[caller_pid].used) {
		if (l->copy && l->kind == XOUS_KIND_MUTABLE_BORROW)
			copy_back(l, procs[caller_pid].pt);
		give_back(procs[caller_pid].pt, l->caller_va, l->len);
	}
	if (l->copy)
		uvm_destroy(l->copy);
	l->used = false;
}

/* Server ids: 128 bits of the kernel's generator (random.c). */
static void kc_random_sid(void *ctx, uint32_t w[4])
{
	(void)ctx;
	random_bytes(w, 4 * sizeof(uint32_t));
}

const struct kc_ops kernel_kc_ops = {
        .ctx = NULL,
        .reply = kc_reply,
        .deliver = kc_deliver,
        .mem_done = kc_mem_done,
        .random_sid = kc_random_sid,
        .phys_alloc = phys_alloc,
        .phys_free = phys_free,
};

/* MapMemory: pages reserved at virt if given (and free), else anywhere in the
 * mmap region, each a fresh zeroed page from its first touch on (uvm_touch).
 * A range larger than the free pages is refused at once. */
/* Start thread th's MapMemory: check it and choose its range. */
static uint32_t map_begin(struct thread *th, uint32_t virt, uint32_t size, uint32_t flags)
{
	struct proc *p = &procs[th->pid];

	if ((virt | size) & (PGSIZE - 1) || size == 0)
		return XOUS_ERR_BAD_ALIGNMENT;
	if (size / PGSIZE > kfree_pages())
		return XOUS_ERR_OUT_OF_MEMORY; /* before any search or allocation */
	if (virt) {
		if (virt < USER_ELF_BASE || virt + size < virt || virt + size > USER_STACK_TOP ||
		    !uvm_range_free(p->pt, virt, size))
			return XOUS_ERR_BAD_ADDRESS;
	} else if (!(virt = uvm_find_free(p->pt, &p->mmap_hint, size))) {
		return XOUS_ERR_OUT_OF_MEMORY;
	}
	th->map.va = virt;
	th->map.size = size;
	th->map.done = 0;
	th->map.perm = PTE_R | ((flags & XOUS_MEM_W) || !flags ? PTE_W : 0) |
	               ((flags & XOUS_MEM_X) ? PTE_X : 0);
	return 0;
}

/*
 * MapMemory without a physical address for the current thread, at most
 * MAP_CHUNK bytes per call: XK_MAP_MORE asks the caller to run the syscall
 * again (its range in *out), which continues where this call stopped, so
 * that a large request never holds the kernel long. All or nothing.
 */
uint32_t vm_map_memory(uint32_t virt, uint32_t size, uint32_t flags, uint32_t *out)
{
	struct thread *th = &threads[cur];
	pagetable_t pt = procs[th->pid].pt;
	uint32_t err;

	if (!th->map.size && (err = map_begin(th, virt, size, flags)))
		return err;
	uint32_t n = th->map.size - th->map.done;
	if (n > MAP_CHUNK)
		n = MAP_CHUNK;
	if (uvm_reserve(pt, th->map.va + th->map.done, n, th->map.perm) < 0) {
		uvm_unmap(pt, th->map.va, th->map.done);
		th->map.size = 0;
		return XOUS_ERR_OUT_OF_MEMORY;
	}
	th->map.done += n;
	*out = th->map.va;
	if (th->map.done < th->map.size)
		return XK_MAP_MORE;
	th->map.size = 0;
	return 0;
}

/* UnmapMemory: only the process's own valid pages; lent or borrowed ones are in use. */
uint32_t vm_unmap_memory(uint32_t pid, uint32_t va, uint32_t len)
{
	struct proc *p = &procs[pid];

	if ((va | len) & (PGSIZE - 1) || len == 0)
		return XOUS_ERR_BAD_ALIGNMENT;
	if (va + len < va || va + len > USER_TOP)
		return XOUS_ERR_BAD_ADDRESS;
	for (uint32_t off = 0; off < len; off += PGSIZE) {
		pte_t *pte = walk(p->pt, va + off, false);
		if (!pte || !*pte)
			return XOUS_ERR_BAD_ADDRESS;
		if (*pte & (PTE_LENT | PTE_BORROWED))
			return XOUS_ERR_MEMORY_IN_USE;
	}
	uvm_unmap(p->pt, va, len);
	return 0;
}
