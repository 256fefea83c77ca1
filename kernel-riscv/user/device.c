/*
 * device.c - <xous/device.h> in the RV32 user runtime: ClaimInterrupt,
 * FreeInterrupt and VirtToPhys (MapMemory with a physical address is
 * phys.c's).
 */
#include <xous/device.h>

#include "syscall.h"

xous_err_t xous_claim_interrupt(uint32_t irq, xous_irq_handler_t handler, void *arg)
{
	xrt_regs r;

	if (handler == NULL)
		return XOUS_ERR_INVALID_ARGUMENT;
	return xrt_call(&r, XOUS_SYS_CLAIM_INTERRUPT, irq, (uintptr_t)handler, (uintptr_t)arg, 0, 0,
	                0, 0);
}

xous_err_t xous_free_interrupt(uint32_t irq)
{
	xrt_regs r;

	return xrt_call(&r, XOUS_SYS_FREE_INTERRUPT, irq, 0, 0, 0, 0, 0, 0);
}

xous_err_t xous_virt_to_phys(const volatile void *addr, uintptr_t *paddr)
{
	xrt_regs r;
	xous_err_t err;

	if (paddr == NULL)
		return XOUS_ERR_INVALID_ARGUMENT;
	err = xrt_call(&r, XOUS_SYS_VIRT_TO_PHYS, (uintptr_t)addr, 0, 0, 0, 0, 0, 0);
	if (err == XOUS_OK && r.a[0] != XOUS_RESULT_SCALAR1)
		err = XOUS_ERR_INTERNAL_ERROR;
	if (err == XOUS_OK)
		*paddr = r.a[1];
	return err;
}
