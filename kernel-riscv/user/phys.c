/*
 * phys.c - the vm folder's kernel calls in the RV32 user runtime
 * (servers/vm/vm_kernel.h): MapMemory with a physical address, which the
 * kernel maps itself, PhysGrant and PhysRelease (docs/abi.md, "Physical
 * memory").
 */
#include "syscall.h"
#include "vm_kernel.h"

static xous_err_t range_call(xrt_regs *r, uintptr_t n, uintptr_t a1, uintptr_t a2, uintptr_t a3,
                             uintptr_t a4)
{
	xous_err_t err = xrt_call(r, n, a1, a2, a3, a4, 0, 0, 0);

	if (err == XOUS_OK && r->a[0] != XOUS_RESULT_MEMORY_RANGE)
		err = XOUS_ERR_INTERNAL_ERROR;
	return err;
}

xous_err_t xous_map_physical(uintptr_t paddr, size_t len, uint32_t flags, xous_range_t *out)
{
	xrt_regs r;
	xous_err_t err;

	if (out == NULL || paddr == 0)
		return XOUS_ERR_INVALID_ARGUMENT;
	err = range_call(&r, XOUS_SYS_MAP_MEMORY, paddr, 0, len, flags);
	if (err == XOUS_OK) {
		out->addr = (void *)r.a[1];
		out->len = r.a[2];
	}
	return err;
}

xous_err_t xous_phys_grant(xous_sender_t to, uintptr_t paddr, size_t len, uint32_t flags,
                           uintptr_t *paddr_out)
{
	xrt_regs r;
	xous_err_t err = range_call(&r, XOUS_SYS_PHYS_GRANT, to, paddr, len, flags);

	if (err == XOUS_OK && paddr_out)
		*paddr_out = r.a[1];
	return err;
}

xous_err_t xous_phys_release(uintptr_t paddr)
{
	xrt_regs r;

	return xrt_call(&r, XOUS_SYS_PHYS_RELEASE, paddr, 0, 0, 0, 0, 0, 0);
}
