/*
 * kalloc.c - physical pages: a free list of 4 KiB pages from the end of the
 * kernel image to the pool (POOLBASE), and a reference count per page of
 * RAM, because a lent page is mapped in two address spaces and must outlive
 * either. Pool pages (phys.c) are counted too but never enter the list: one
 * whose count is 0 is free in the pool. Device registers (mapped for
 * drivers) have no count.
 */
#include "defs.h"

struct run {
	struct run *next;
};

static struct run *freelist;
static uint32_t first_pa, nfree;
static uint16_t refs[BOARD_RAM_SIZE / PGSIZE];

static uint16_t *ref_of(uint32_t pa)
{
	if (pa < first_pa || pa >= PHYSTOP || (pa & (PGSIZE - 1)))
		panic("kalloc: bad page %p", pa);
	return &refs[(pa - KERNBASE) / PGSIZE];
}

static bool is_ram(uint32_t pa)
{
	return pa >= KERNBASE && pa < PHYSTOP;
}

static void page_free(uint32_t pa)
{
	struct run *r = (struct run *)pa;

	r->next = freelist;
	freelist = r;
	nfree++;
}

void kinit(uint32_t start)
{
	first_pa = PGROUNDUP(start);
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
	*ref_of((uint32_t)r) = 1;
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
	memset((void *)pa, 0, PGSIZE);
	return true;
}

uint32_t kfree_pages(void)
{
	return nfree;
}
