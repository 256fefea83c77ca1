/*
 * vm.c - Sv32 page tables: one address space per process, each with the
 * kernel's supervisor-only part (boot.h) copied into its root table. Page
 * tables and pages are reached through RAM's linear map (P2V); a PTE and
 * satp hold physical addresses.
 */
#include "defs.h"

static pagetable_t kernel_pt;

/* The boot stage's root, which maps RAM and the kernel's image, gains the
 * board's device windows: board.mmio[i] at BOOT_DEVICE_VA + i * MEGAPAGE. */
void kvminit(void)
{
	kernel_pt = P2V(kboot.root_pa);
	for (uint32_t i = 0; i < board.nmmio; i++)
		kernel_pt[VPN1(BOOT_DEVICE_VA) + i] =
		        PA2PTE(board.mmio[i]) | PTE_R | PTE_W | PTE_A | PTE_D | PTE_G | PTE_V;
	sfence_vma();
}

/* Where the kernel reaches device register pa (in a board.mmio megapage); 0 if nowhere. */
uint32_t dev_va(uint32_t pa)
{
	for (uint32_t i = 0; i < board.nmmio; i++)
		if ((pa & ~(MEGAPAGE - 1)) == board.mmio[i])
			return BOOT_DEVICE_VA + i * MEGAPAGE + (pa & (MEGAPAGE - 1));
	return 0;
}

/* The physical address of a kernel address: its image's or the linear map's. */
uint32_t kvtop(const void *va)
{
	uint32_t a = (uint32_t)va;

	return a >= BOOT_KERNEL_VA ? a - BOOT_KERNEL_VA + kboot.kernel_pa : V2P(a);
}

void kvminithart(void)
{
	w_satp(MAKE_SATP(kboot.root_pa));
	sfence_vma();
}

static bool is_leaf(pte_t pte)
{
	return (pte & (PTE_R | PTE_W | PTE_X)) != 0;
}

pagetable_t uvm_create(void)
{
	pagetable_t pt = kalloc();

	if (!pt)
		return NULL;
	/* only the kernel's megapages are set in kernel_pt's root */
	memcpy(pt, kernel_pt, PGSIZE);
	return pt;
}

/* The leaf PTE of va in a user range, allocating the second-level table if asked. */
pte_t *walk(pagetable_t pt, uint32_t va, bool alloc)
{
	pte_t *l1 = &pt[VPN1(va)];

	if (va >= USER_TOP)
		return NULL;
	if (*l1 & PTE_V) {
		if (is_leaf(*l1))
			return NULL; /* a kernel megapage: never a user page */
	} else {
		pagetable_t l0;
		if (!alloc || !(l0 = kalloc()))
			return NULL;
		*l1 = PA2PTE(V2P(l0)) | PTE_V;
	}
	return &((pagetable_t)P2V(PTE2PA(*l1)))[VPN0(va)];
}

/* Map one page; the mapping takes a reference on pa. */
int uvm_map_page(pagetable_t pt, uint32_t va, uint32_t pa, uint32_t perm)
{
	pte_t *pte = walk(pt, va, true);

	if (!pte || *pte)
		return -1;
	kref(pa);
	*pte = PA2PTE(pa) | perm | PTE_U | PTE_A | PTE_D | PTE_V;
	return 0;
}

/* After new mappings in pt: the running address space may have cached their
 * absence (the privileged spec asks for sfence.vma; others' satp switch does it). */
void uvm_mapped(pagetable_t pt)
{
	if (r_satp() == MAKE_SATP(V2P(pt)))
		sfence_vma();
}

/* The offset of the first used page of [va, va + len), or len if all are free. */
static uint32_t first_used(pagetable_t pt, uint32_t va, uint32_t len)
{
	for (uint32_t off = 0; off < len; off += PGSIZE) {
		pte_t *l1 = &pt[VPN1(va + off)];
		if (!(*l1 & PTE_V)) {
			/* a whole absent second-level table is free */
			off = ((va + off) | (MEGAPAGE - 1)) - va + 1 - PGSIZE;
			continue;
		}
		if (is_leaf(*l1) || ((pagetable_t)P2V(PTE2PA(*l1)))[VPN0(va + off)])
			return off;
	}
	return len;
}

bool uvm_range_free(pagetable_t pt, uint32_t va, uint32_t len)
{
	return first_used(pt, va, len) >= len;
}

/* Next-fit search of len free bytes in the mmap region; 0 if none. Each
 * used page found is skipped past, so the search is linear in the region. */
uint32_t uvm_find_free(pagetable_t pt, uint32_t *hint, uint32_t len)
{
	uint32_t span = USER_MMAP_TOP - USER_MMAP_BASE, va = *hint, scanned = 0;

	if (len == 0 || len > span)
		return 0;
	while (scanned <= span) {
		if (va < USER_MMAP_BASE || va + len > USER_MMAP_TOP || va + len < va) {
			scanned +=
			        va >= USER_MMAP_BASE && va < USER_MMAP_TOP ? USER_MMAP_TOP - va : 0;
			va = USER_MMAP_BASE;
		}
		uint32_t used = first_used(pt, va, len);
		if (used >= len) {
			*hint = va + len;
			return va;
		}
		scanned += used + PGSIZE;
		va += used + PGSIZE;
	}
	return 0;
}

void uvm_unmap(pagetable_t pt, uint32_t va, uint32_t len)
{
	for (uint32_t off = 0; off < len; off += PGSIZE) {
		pte_t *pte = walk(pt, va + off, false);
		if (!pte || !*pte)
			continue;
		kunref(PTE2PA(*pte));
		*pte = 0;
	}
	sfence_vma();
}

/* Fresh zeroed pages over a free range; all or nothing. */
int uvm_alloc(pagetable_t pt, uint32_t va, uint32_t len, uint32_t perm)
{
	for (uint32_t off = 0; off < len; off += PGSIZE) {
		void *page = kalloc();
		if (!page || uvm_map_page(pt, va + off, V2P(page), perm) < 0) {
			if (page)
				kunref(V2P(page));
			uvm_unmap(pt, va, off);
			return -1;
		}
		kunref(V2P(page)); /* the mapping holds it now */
	}
	uvm_mapped(pt);
	return 0;
}

/*
 * The main thread's stack gets its pages on first touch: a fresh zeroed
 * page for each page of [va, va + len) in the stack region that has no
 * entry (a lent page keeps its entry, and is not touched). Returns how many
 * pages it mapped, or -1 when memory ran out.
 */
int uvm_touch_stack(pagetable_t pt, uint32_t va, uint32_t len)
{
	uint32_t lo = USER_STACK_TOP - USER_STACK_SIZE, end = va + len;
	int mapped = 0;

	if (end < va)
		return 0;
	for (uint32_t p = va < lo ? lo : PGROUNDDOWN(va); p < end && p < USER_STACK_TOP;
	     p += PGSIZE) {
		pte_t *pte = walk(pt, p, true);
		if (pte && *pte)
			continue;
		if (!pte || uvm_alloc(pt, p, PGSIZE, PTE_R | PTE_W) < 0)
			return -1;
		mapped++;
	}
	return mapped;
}

bool uvm_user_readable(pagetable_t pt, uint32_t va, uint32_t len)
{
	if (va + len < va || va + len > USER_TOP || uvm_touch_stack(pt, va, len) < 0)
		return false;
	for (uint32_t p = PGROUNDDOWN(va); p < va + len; p += PGSIZE) {
		pte_t *pte = walk(pt, p, false);
		if (!pte || (*pte & (PTE_V | PTE_U | PTE_R)) != (PTE_V | PTE_U | PTE_R))
			return false;
	}
	return true;
}

/* Every user page loses this address space's reference, lent ones too
 * (an entry without a page, which lend.c leaves, has none to lose). */
void uvm_destroy(pagetable_t pt)
{
	for (uint32_t i = 0; i < VPN1(USER_TOP); i++) {
		if (!(pt[i] & PTE_V) || is_leaf(pt[i]))
			continue;
		pagetable_t l0 = P2V(PTE2PA(pt[i]));
		for (int j = 0; j < 1024; j++)
			if (PTE2PA(l0[j]))
				kunref(PTE2PA(l0[j]));
		kunref(V2P(l0));
	}
	kunref(V2P(pt));
}
