/*
 * kalloc.c - physical pages: a free list of 4 KiB pages from the first
 * page the boot stage left free (after the kernel's image and page tables)
 * to the pool (POOLBASE), and a reference count per page of RAM, because a
 * lent page is mapped in two address spaces and must outlive either. The
 * list and kalloc's pages are linear-map addresses; kref and kunref take
 * physical ones. Pool pages (phys.c) are counted too but never enter the list: one
 * whose count is 0 is free in the pool. Device registers (mapped for
 * drivers) have no count.
 */
#include "defs.h"

struct run {
	struct run *next;
};

static struct run *freelist;
static uint32_t first_pa, nfree;
static uint16_t *refs; /* one per page of RAM, in the first free pages */

static uint16_t *ref_of(uint32_t pa)
{
	if (pa < first_pa || pa >= PHYSTOP || (pa & (PGSIZE - 1)))
		panic("kalloc: bad page %p", pa);
	return &refs[(pa - KERNBASE) / PGSIZE];
}

bool is_ram(uint32_t pa)
{
	return pa >= KERNBASE && pa < PHYSTOP;
}

static void page_free(uint32_t pa)
{
	struct run *r = P2V(pa);

	r->next = freelist;
	freelist = r;
	nfree++;
}

/* start: the first free physical address (the boot stage's free_pa). */
void kinit(uint32_t start)
{
	start = PGROUNDUP(start);
	first_pa = PGROUNDUP(start + board.ram_size / PGSIZE * sizeof(*refs));
	if (start < KERNBASE || first_pa + 64 * PGSIZE > POOLBASE)
		panic("%s: %u KiB of RAM at %p cannot hold the kernel", BOARD_NAME,
		      board.ram_size / 1024, KERNBASE);
	refs = P2V(start);
	memset(refs, 0, first_pa - start);
	for (uint32_t pa = POOLBASE - PGSIZE; pa >= first_pa; pa -= PGSIZE)
		page_free(pa);
}

void *kalloc(void)
{
	struct run *r = freelist;

	if (!r)
		return NULL;
	freelist = r->next;
	nfree--;
	*ref_of(V2P(r)) = 1;
	memset(r, 0, PGSIZE);
	return r;
}

void kref(uint32_t pa)
{
	if (!is_ram(pa)) {
		phys_device_ref(pa, 1);
		return;
	}
	uint16_t *n = ref_of(pa);

	if (*n == 0 || *n == 0xffff)
		panic("kref: page %p has %u refs", pa, *n);
	(*n)++;
}

void kunref(uint32_t pa)
{
	if (!is_ram(pa)) {
		phys_device_ref(pa, -1);
		return;
	}
	uint16_t *n = ref_of(pa);

	if (*n == 0)
		panic("kunref: free page %p", pa);
	if (--*n == 0 && pa < POOLBASE)
		page_free(pa);
}

bool kpool_take(uint32_t pa)
{
	uint16_t *n = ref_of(pa);

	if (pa < POOLBASE || *n != 0)
		return false;
	*n = 1;
	memset(P2V(pa), 0, PGSIZE);
	return true;
}

uint32_t kfree_pages(void)
{
	return nfree;
}
