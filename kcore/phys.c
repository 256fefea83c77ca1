/*
 * phys.c - kcore's physical memory: the pool's runs, the rights to map
 * them, and the decision of every MapMemory with a physical address.
 *
 * The pool manager (KC_PHYS_POOL: the vm server) hands out runs with
 * PhysGrant and gives rights on them to the callers of the messages it
 * holds; a right belongs to one incarnation of a process (pid and
 * generation) and ends with it or with PhysRelease. A run lives while a
 * right is held on it; then phys_free tells the platform, whose pages live
 * on while some process still maps them. Rights per process are bounded
 * (KC_MAX_RIGHTS_PER_PROC), runs and rights by their tables.
 */

void kc_phys_init(struct kc *k, kc_word base, kc_word size)
{
	k->pool_base = base & ~KC_PAGE_MASK;
	k->pool_size = size & ~KC_PAGE_MASK;
}

uint32_t kc_process_set_phys(struct kc *k, uint32_t pid, uint32_t flags)
{
	struct kc_proc *p = proc_get(k, pid);

	if (!p)
		return XOUS_ERR_PROCESS_NOT_FOUND;
	if (flags & ~(KC_PHYS_POOL | KC_PHYS_DEVICES))
		return XOUS_ERR_INVALID_ARGUMENT;
	p->phys = flags;
	return XOUS_OK;
}

void kc_phys_counts(const struct kc *k, uint32_t *runs, uint32_t *rights)
{
	uint32_t i, nr = 0, ng = 0;

	for (i = 0; i < KC_MAX_RUNS; i++)
		nr += k->runs[i].used;
	for (i = 0; i < KC_MAX_RIGHTS; i++)
		ng += k->rights[i].used;
	if (runs)
		*runs = nr;
	if (rights)
		*rights = ng;
}

static bool ranges_overlap(kc_word a, kc_word alen, kc_word b, kc_word blen)
{
	return a < b + blen && b < a + alen;
}

/* The live run overlapping [base, base+size), or KC_NIL. */
static uint32_t run_overlapping(const struct kc *k, kc_word base, kc_word size)
{
	for (uint32_t r = 0; r < KC_MAX_RUNS; r++)
		if (k->runs[r].used && ranges_overlap(base, size, k->runs[r].base, k->runs[r].size))
			return r;
	return KC_NIL;
}

/* The live run holding all of [base, base+size), or KC_NIL. */
static uint32_t run_holding(const struct kc *k, kc_word base, kc_word size)
{
	uint32_t r = run_overlapping(k, base, size);

	if (r != KC_NIL &&
	    (base < k->runs[r].base || base + size > k->runs[r].base + k->runs[r].size))
		return KC_NIL;
	return r;
}

/* A fresh run of size bytes: the lowest addresses of the pool that no run
 * holds and the platform can back. */
static uint32_t run_new(struct kc *k, kc_word size, uint32_t *out)
{
	kc_word at = k->pool_base, end = k->pool_base + k->pool_size, handle = 0;
	uint32_t r, o, err;

	for (r = 0; r < KC_MAX_RUNS && k->runs[r].used; r++)
		;
	if (r == KC_MAX_RUNS || !k->ops.phys_alloc)
		return XOUS_ERR_OUT_OF_MEMORY;
	while (size <= end - at) {
		if ((o = run_overlapping(k, at, size)) != KC_NIL) {
			at = k->runs[o].base + k->runs[o].size;
			continue;
		}
		err = k->ops.phys_alloc(k->ops.ctx, at, size, &handle);
		if (err == XOUS_ERR_MEMORY_IN_USE) {
			at += XOUS_PAGE_SIZE;
			continue;
		}
		if (err)
			return err;
		k->runs[r] = (struct kc_run){1, at, size, handle, 0};
		*out = r;
		return XOUS_OK;
	}
	return XOUS_ERR_OUT_OF_MEMORY;
}

static void run_unref(struct kc *k, uint32_t r)
{
	struct kc_run *x = &k->runs[r];

	if (--x->rights != 0)
		return;
	x->used = 0;
	if (k->ops.phys_free)
		k->ops.phys_free(k->ops.ctx, x->base, x->size, x->handle);
}

static struct kc_right *right_find(struct kc *k, uint32_t r, uint32_t pid, uint32_t pgen)
{
	for (uint32_t i = 0; i < KC_MAX_RIGHTS; i++) {
		struct kc_right *g = &k->rights[i];
		if (g->used && g->run == r && g->pid == pid && g->pgen == pgen)
			return g;
	}
	return NULL;
}

/* pid (of generation pgen) may map run r; a second grant only widens it. */
static uint32_t right_add(struct kc *k, uint32_t r, uint32_t pid, uint32_t pgen, bool writable)
{
	struct kc_proc *p = proc_get(k, pid);
	struct kc_right *g = right_find(k, r, pid, pgen);
	uint32_t i;

	if (g) {
		g->writable |= writable;
		return XOUS_OK;
	}
	if (p->nrights >= KC_MAX_RIGHTS_PER_PROC)
		return XOUS_ERR_OUT_OF_MEMORY;
	for (i = 0; i < KC_MAX_RIGHTS && k->rights[i].used; i++)
		;
	if (i == KC_MAX_RIGHTS)
		return XOUS_ERR_OUT_OF_MEMORY;
	k->rights[i] = (struct kc_right){1, writable, r, pid, pgen};
	k->runs[r].rights++;
	p->nrights++;
	return XOUS_OK;
}

static void right_drop(struct kc *k, struct kc_right *g)
{
	struct kc_proc *p = proc_get(k, g->pid);

	g->used = 0;
	if (p && p->gen == g->pgen)
		p->nrights--;
	run_unref(k, g->run);
}

/* A process is gone: its rights go, and the runs only it held. */
static void phys_proc_exit(struct kc *k, uint32_t pid)
{
	for (uint32_t i = 0; i < KC_MAX_RIGHTS; i++)
		if (k->rights[i].used && k->rights[i].pid == pid)
			right_drop(k, &k->rights[i]);
}

/* The process a PhysGrant names: the caller (token 0) or the caller of a
 * message the caller holds. */
static uint32_t grant_target(struct kc *k, uint32_t self, kc_word token, uint32_t *pid,
                             uint32_t *pgen)
{
	uint32_t m, err;

	if (token == 0) {
		*pid = self;
		*pgen = proc_get(k, self)->gen;
		return XOUS_OK;
	}
	if ((err = held_msg(k, self, token, &m)))
		return err;
	if (k->msgs[m].state != KC_M_HELD || !proc_get(k, k->msgs[m].pid) ||
	    proc_get(k, k->msgs[m].pid)->gen != k->msgs[m].pgen)
		return XOUS_ERR_PROCESS_TERMINATED;
	*pid = k->msgs[m].pid;
	*pgen = k->msgs[m].pgen;
	return XOUS_OK;
}

/* paddr 0 (a fresh run) counts as aligned. */
static uint32_t phys_range_check(kc_word paddr, kc_word size)
{
	if (size == 0)
		return XOUS_ERR_INVALID_ARGUMENT;
	if ((paddr | size) & KC_PAGE_MASK)
		return XOUS_ERR_BAD_ALIGNMENT;
	if (paddr + size < paddr)
		return XOUS_ERR_BAD_ADDRESS;
	return XOUS_OK;
}

static uint32_t phys_grant(struct kc *k, uint32_t self, const kc_regs *in, kc_word *base)
{
	kc_word paddr = in->a[2], size = in->a[3];
	uint32_t pid, pgen, r, err;
	bool fresh = paddr == 0;

	if (!(proc_get(k, self)->phys & KC_PHYS_POOL))
		return XOUS_ERR_ACCESS_DENIED;
	if (in->a[4] & ~(kc_word)(XOUS_MEM_R | XOUS_MEM_W | XOUS_MEM_X))
		return XOUS_ERR_INVALID_ARGUMENT;
	if ((err = phys_range_check(paddr, size)) ||
	    (err = grant_target(k, self, in->a[1], &pid, &pgen)))
		return err;
	if (fresh && proc_get(k, pid)->nrights >= KC_MAX_RIGHTS_PER_PROC)
		return XOUS_ERR_OUT_OF_MEMORY;
	if (fresh && (err = run_new(k, size, &r)))
		return err;
	if (!fresh && (r = run_holding(k, paddr, size)) == KC_NIL)
		return XOUS_ERR_ACCESS_DENIED;
	err = right_add(k, r, pid, pgen, (in->a[4] & XOUS_MEM_W) != 0);
	if (err && fresh) { /* nobody holds the new run: it goes at once */
		k->runs[r].rights = 1;
		run_unref(k, r);
	}
	*base = k->runs[r].base + (fresh ? 0 : paddr - k->runs[r].base);
	return err;
}

/* PhysGrant(a1 to, a2 paddr, a3 size, a4 flags) -> MemoryRange(paddr, size) */
static void sys_phys_grant(struct kc *k, kc_thread t, const kc_regs *in)
{
	kc_word base = 0;
	uint32_t err = phys_grant(k, k->threads[t].pid, in, &base);
	kc_regs out;

	if (err) {
		reply_err(k, t, err);
		return;
	}
	regs_set(&out, XOUS_RESULT_MEMORY_RANGE);
	out.a[1] = base;
	out.a[2] = in->a[3];
	op_reply(k, t, &out, NULL);
}

/* PhysRelease(a1 paddr) */
static void sys_phys_release(struct kc *k, kc_thread t, kc_word paddr)
{
	uint32_t pid = k->threads[t].pid, r = run_holding(k, paddr & ~KC_PAGE_MASK, 1);
	struct kc_right *g = r == KC_NIL ? NULL : right_find(k, r, pid, proc_get(k, pid)->gen);

	if (!g) {
		reply_err(k, t, XOUS_ERR_BAD_ADDRESS);
		return;
	}
	right_drop(k, g);
	reply_ok(k, t);
}

uint32_t kc_phys_check(struct kc *k, uint32_t pid, kc_word paddr, kc_word size, kc_word flags,
                       struct kc_phys_map *out)
{
	struct kc_proc *p = proc_get(k, pid);
	struct kc_right *g;
	uint32_t r, err;

	if (!p || !out)
		return XOUS_ERR_PROCESS_NOT_FOUND;
	if ((err = phys_range_check(paddr, size)))
		return err;
	kc_zero(out, sizeof(*out));
	if (!ranges_overlap(paddr, size, k->pool_base, k->pool_size)) {
		if (!(p->phys & KC_PHYS_DEVICES))
			return XOUS_ERR_ACCESS_DENIED;
		out->device = true;
		return XOUS_OK;
	}
	if ((r = run_holding(k, paddr, size)) == KC_NIL)
		return (p->phys & KC_PHYS_POOL) ? XOUS_ERR_BAD_ADDRESS : XOUS_ERR_ACCESS_DENIED;
	if (!(p->phys & KC_PHYS_POOL)) {
		g = right_find(k, r, pid, p->gen);
		if (!g || ((flags & XOUS_MEM_W) && !g->writable))
			return XOUS_ERR_ACCESS_DENIED;
	}
	out->run_base = k->runs[r].base;
	out->run_size = k->runs[r].size;
	out->handle = k->runs[r].handle;
	return XOUS_OK;
}
