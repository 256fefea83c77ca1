/*
 * phys.c - the physical pool and MapMemory with a physical address.
 *
 * The pool is the top board.pool_size bytes of RAM (POOLBASE ..
 * PHYSTOP), which the kernel's own allocator never uses; kcore hands out
 * its runs and decides who may map what (kcore/phys.c). A run takes one
 * reference on each of its pages, every mapping one more, so its pages go
 * back to the pool when the run has ended and nobody maps them any more.
 * Outside the pool a process the fleet names phys=devices maps the
 * board's device registers (board.devices), never the kernel's RAM. A
 * device page belongs to the one process that maps it, until its last
 * mapping goes: another process asking for it gets MemoryInUse.
 */
#include "defs.h"
#include "proc.h"

#define DEV_PAGE_MAX 64

/* Each device page's owner (a pid, 0: none) and its number of mappings. */
static struct {
	uint32_t owner, maps;
} dev_pages[DEV_PAGE_MAX];

/* The index of pa's device page, or -1 if pa is not a device register. */
static int dev_page(uint32_t pa)
{
	uint32_t first = 0;

	for (uint32_t i = 0; i < board.ndevices; i++) {
		if (pa >= board.devices[i].base &&
		    pa - board.devices[i].base < board.devices[i].size)
			return (int)(first + (pa - board.devices[i].base) / PGSIZE);
		first += board.devices[i].size / PGSIZE;
	}
	return -1;
}

void phys_init(void)
{
	uint32_t pages = 0;

	for (uint32_t i = 0; i < board.ndevices; i++)
		pages += board.devices[i].size / PGSIZE;
	if (pages > DEV_PAGE_MAX)
		panic("phys_init: %u device pages, room for %u", pages, DEV_PAGE_MAX);
	kc_phys_init(&kcore, POOLBASE, board.pool_size);
}

/* kref/kunref of a page that is not RAM: a device page's mappings. */
void phys_device_ref(uint32_t pa, int delta)
{
	int i = dev_page(pa);

	if (i < 0 || (delta < 0 && dev_pages[i].maps == 0))
		return;
	dev_pages[i].maps += (uint32_t)delta;
	if (dev_pages[i].maps == 0)
		dev_pages[i].owner = 0;
}

/* MemoryInUse if a page of [pa, pa+size) is another process's. */
static uint32_t dev_check(uint32_t pid, uint32_t pa, uint32_t size)
{
	for (uint32_t off = 0; off < size; off += PGSIZE) {
		int i = dev_page(pa + off);
		if (dev_pages[i].owner && dev_pages[i].owner != pid)
			return XOUS_ERR_MEMORY_IN_USE;
	}
	return 0;
}

static void dev_own(uint32_t pid, uint32_t pa, uint32_t size)
{
	for (uint32_t off = 0; off < size; off += PGSIZE)
		dev_pages[dev_page(pa + off)].owner = pid;
}

uint32_t phys_alloc(void *ctx, uintptr_t base, uintptr_t size, uintptr_t *handle)
{
	(void)ctx;
	for (uint32_t off = 0; off < size; off += PGSIZE) {
		if (!kpool_take(base + off)) { /* still mapped from an earlier run */
			phys_free(ctx, base, off, 0);
			return XOUS_ERR_MEMORY_IN_USE;
		}
	}
	*handle = 0;
	return 0;
}

void phys_free(void *ctx, uintptr_t base, uintptr_t size, uintptr_t handle)
{
	(void)ctx;
	(void)handle;
	for (uint32_t off = 0; off < size; off += PGSIZE)
		kunref(base + off);
}

static bool is_device(uint32_t pa, uint32_t size)
{
	for (uint32_t i = 0; i < board.ndevices; i++)
		if (pa >= board.devices[i].base &&
		    pa + size <= board.devices[i].base + board.devices[i].size)
			return true;
	return false;
}

/* Map [pa, pa+size) at virt (or anywhere in the mmap region); all or nothing. */
static uint32_t map_range(struct proc *p, uint32_t pa, uint32_t virt, uint32_t size, uint32_t perm,
                          uint32_t *out)
{
	if (virt) {
		if (virt & (PGSIZE - 1))
			return XOUS_ERR_BAD_ALIGNMENT;
		if (virt < USER_ELF_BASE || virt + size < virt || virt + size > USER_STACK_TOP ||
		    !uvm_range_free(p->pt, virt, size))
			return XOUS_ERR_BAD_ADDRESS;
	} else if (!(virt = uvm_find_free(p->pt, &p->mmap_hint, size))) {
		return XOUS_ERR_OUT_OF_MEMORY;
	}
	for (uint32_t off = 0; off < size; off += PGSIZE) {
		if (uvm_map_page(p->pt, virt + off, pa + off, perm) < 0) {
			uvm_unmap(p->pt, virt, off);
			return XOUS_ERR_OUT_OF_MEMORY;
		}
	}
	uvm_mapped(p->pt);
	*out = virt;
	return 0;
}

/* MapMemory(phys, virt, size, flags), phys != 0: read-only unless flags has W. */
uint32_t phys_map(uint32_t pid, uint32_t paddr, uint32_t virt, uint32_t size, uint32_t flags,
                  uint32_t *out)
{
	struct kc_phys_map m;
	uint32_t perm = PTE_R | ((flags & XOUS_MEM_W) ? PTE_W : 0);
	uint32_t err = kc_phys_check(&kcore, pid, paddr, size, flags, &m);

	if (!err && (flags & ~(XOUS_MEM_R | XOUS_MEM_W | XOUS_MEM_X)))
		err = XOUS_ERR_INVALID_ARGUMENT;
	if (!err && m.device && !is_device(paddr, size))
		err = paddr < PHYSTOP && paddr + size > KERNBASE ? XOUS_ERR_ACCESS_DENIED
		                                                 : XOUS_ERR_BAD_ADDRESS;
	if (!err && m.device)
		err = dev_check(pid, paddr, size);
	if (!err)
		err = map_range(&procs[pid], paddr, virt, size, perm, out);
	if (!err && m.device)
		dev_own(pid, paddr, size);
	return err;
}
