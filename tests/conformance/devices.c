/*
 * devices.c - conformance of the device syscalls (<xous/device.h>) for a
 * process without the right to devices (no phys=devices), which every
 * kernel answers alike: ClaimInterrupt AccessDenied, FreeInterrupt of an
 * interrupt it does not hold InterruptNotFound, VirtToPhys of an address
 * nothing maps BadAddress, MapMemory of device registers AccessDenied.
 * (Drivers themselves: kernel-riscv.interrupts.qemu.)
 */
#include <xous/device.h>

#include "conf.h"

static void handler(uint32_t irq, void *arg)
{
	(void)irq;
	(void)arg;
}

int main(void)
{
	xous_range_t r;
	uintptr_t pa = 1;

	CHECK_ERR(xous_claim_interrupt(5, handler, NULL), XOUS_ERR_ACCESS_DENIED);
	CHECK_ERR(xous_claim_interrupt(5, NULL, NULL), XOUS_ERR_INVALID_ARGUMENT);
	CHECK_ERR(xous_free_interrupt(5), XOUS_ERR_INTERRUPT_NOT_FOUND);
	CHECK_ERR(xous_free_interrupt(0xffffffffu), XOUS_ERR_INTERRUPT_NOT_FOUND);
	CHECK_ERR(xous_virt_to_phys(NULL, &pa), XOUS_ERR_BAD_ADDRESS);
	CHECK(pa == 1);
	CHECK_ERR(xous_virt_to_phys(&pa, NULL), XOUS_ERR_INVALID_ARGUMENT);
	CHECK_ERR(xous_map_physical(0x10000000u, 4096, XOUS_MEM_R | XOUS_MEM_W, &r),
	          XOUS_ERR_ACCESS_DENIED);
	return conf_end("devices");
}
