/*
 * The vm folder's kernel calls for libxous-host (vm_kernel.h): MapMemory
 * with a physical address, whose pages come as the run's memfd that the
 * library maps and registers (so they can be lent like any other), and
 * PhysGrant and PhysRelease. Registers: docs/abi.md, "Physical memory".
 */
#include <sys/mman.h>
#include <unistd.h>

#include "xous-host-internal.h" /* first: it exports <xous.h> */

#include "export.h"
#include "vm_kernel.h"

XOUS_EXPORT xous_err_t xous_map_physical(uintptr_t paddr, size_t len, uint32_t flags,
                                         xous_range_t *out)
{
	int prot = PROT_READ | ((flags & XOUS_MEM_W) ? PROT_WRITE : 0);
	struct xh_call c;
	xous_err_t err;
	void *p;

	if (out == NULL || paddr == 0)
		return XOUS_ERR_INVALID_ARGUMENT;
	xh_call_init(&c, XOUS_SYS_MAP_MEMORY);
	c.w[1] = paddr;
	c.w[3] = len;
	c.w[4] = flags;
	c.want_fd = 1;
	err = xh_syscall(&c);
	if (err == XOUS_OK)
		err = xh_expect(&c, XOUS_RESULT_MEMORY_RANGE);
	if (err == XOUS_OK && c.fd < 0)
		err = XH_ERR_TRANSPORT;
	if (err != XOUS_OK) {
		if (c.fd >= 0)
			close(c.fd);
		return err;
	}
	p = mmap(NULL, len, prot, MAP_SHARED, c.fd, (off_t)c.aux);
	if (p == MAP_FAILED) {
		close(c.fd);
		return XOUS_ERR_OUT_OF_MEMORY;
	}
	if (xh_region_add((uintptr_t)p, len, prot, c.fd, c.aux) != XOUS_OK) {
		munmap(p, len);
		close(c.fd);
		return XOUS_ERR_OUT_OF_MEMORY;
	}
	out->addr = p;
	out->len = len;
	return XOUS_OK;
}

XOUS_EXPORT xous_err_t xous_phys_grant(xous_sender_t to, uintptr_t paddr, size_t len,
                                       uint32_t flags, uintptr_t *paddr_out)
{
	struct xh_call c;
	xous_err_t err;

	xh_call_init(&c, XOUS_SYS_PHYS_GRANT);
	c.w[1] = to;
	c.w[2] = paddr;
	c.w[3] = len;
	c.w[4] = flags;
	err = xh_syscall(&c);
	if (err == XOUS_OK)
		err = xh_expect(&c, XOUS_RESULT_MEMORY_RANGE);
	if (err == XOUS_OK && paddr_out)
		*paddr_out = (uintptr_t)c.w[1];
	return err;
}

XOUS_EXPORT xous_err_t xous_phys_release(uintptr_t paddr)
{
	struct xh_call c;
	xous_err_t err;

	xh_call_init(&c, XOUS_SYS_PHYS_RELEASE);
	c.w[1] = paddr;
	err = xh_syscall(&c);
	return err ? err : xh_expect(&c, XOUS_RESULT_OK);
}
