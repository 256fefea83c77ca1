/*
 * <xous/device.h> - user-space drivers: device registers, DMA memory and
 * interrupts (docs/abi.md, "Devices"), with Xous's syscalls.
 *
 * On kernel-riscv a process the boot image or fleet names phys=devices
 * maps the board's device registers and claims their interrupts; on Linux
 * there are no devices, and these calls answer the errors docs/abi.md
 * lists (a pool address of the vm server still maps).
 */
#ifndef XOUS_DEVICE_H
#define XOUS_DEVICE_H

#include <stddef.h>
#include <stdint.h>
#include <xous.h>

#ifdef __cplusplus
extern "C" {
#endif

/* MapMemory(phys, 0, len, flags): the physical pages at paddr mapped where
 * the kernel likes; read-only unless flags has XOUS_MEM_W. AccessDenied for
 * a process without the right, BadAddress where no device or RAM is,
 * MemoryInUse for a device page another process maps. */
xous_err_t xous_map_physical(uintptr_t paddr, size_t len, uint32_t flags, xous_range_t *out);

/* An interrupt handler: runs in the claiming process with every interrupt
 * masked until it returns; it may send Scalars (never waiting) and nothing
 * that waits. */
typedef void (*xous_irq_handler_t)(uint32_t irq, void *arg);

/* ClaimInterrupt(irq, handler, arg): InterruptNotFound for a number the
 * controller lacks, InterruptInUse for one claimed (or the kernel's),
 * AccessDenied without the devices right. */
xous_err_t xous_claim_interrupt(uint32_t irq, xous_irq_handler_t handler, void *arg);
/* FreeInterrupt(irq): InterruptNotFound unless the caller claimed it. */
xous_err_t xous_free_interrupt(uint32_t irq);
/* VirtToPhys(addr): the physical address behind the caller's addr (for
 * DMA); BadAddress where nothing is mapped (on Linux: everywhere). */
xous_err_t xous_virt_to_phys(const volatile void *addr, uintptr_t *paddr);

#ifdef __cplusplus
}
#endif

#endif /* XOUS_DEVICE_H */
