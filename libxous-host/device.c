/*
 * device.c - <xous/device.h> on Linux: ClaimInterrupt, FreeInterrupt and
 * VirtToPhys go to the broker, which has no devices and answers them with
 * errors (docs/abi.md, "Devices"); MapMemory with a physical address is the
 * vm folder's (servers/vm/kernel_calls.c).
 */
#include <xous/device.h>

#include "export.h"
#include "xous-host-internal.h"

/* One call whose answer is Ok (or Scalar1, its word in *v). */
static xous_err_t device_call(uint32_t nr, uintptr_t a1, uintptr_t a2, uintptr_t a3, uintptr_t *v)
{
	struct xh_call c;
	xous_err_t err;

	xh_call_init(&c, nr);
	c.w[1] = a1;
	c.w[2] = a2;
	c.w[3] = a3;
	err = xh_syscall(&c);
	if (err == XOUS_OK)
		err = xh_expect(&c, v ? XOUS_RESULT_SCALAR1 : XOUS_RESULT_OK);
	if (err == XOUS_OK && v)
		*v = (uintptr_t)c.w[1];
	return err;
}

XOUS_EXPORT xous_err_t xous_claim_interrupt(uint32_t irq, xous_irq_handler_t handler, void *arg)
{
	if (handler == NULL)
		return XOUS_ERR_INVALID_ARGUMENT;
	return device_call(XOUS_SYS_CLAIM_INTERRUPT, irq, (uintptr_t)handler, (uintptr_t)arg, NULL);
}

XOUS_EXPORT xous_err_t xous_free_interrupt(uint32_t irq)
{
	return device_call(XOUS_SYS_FREE_INTERRUPT, irq, 0, 0, NULL);
}

XOUS_EXPORT xous_err_t xous_virt_to_phys(const volatile void *addr, uintptr_t *paddr)
{
	if (paddr == NULL)
		return XOUS_ERR_INVALID_ARGUMENT;
	return device_call(XOUS_SYS_VIRT_TO_PHYS, (uintptr_t)addr, 0, 0, paddr);
}
