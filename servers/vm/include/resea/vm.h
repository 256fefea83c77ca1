/*
 * <resea/vm.h> - the "vm" server's client (CONTRACT section 5): pages of
 * the physical pool. Calls, errors and an example: docs/resea-memory.md.
 */
#ifndef RESEA_VM_H
#define RESEA_VM_H

#include <stddef.h>
#include <stdint.h>
#include <xous.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * paddr 0: num_pages fresh zeroed pages from vm's physical pool, their
 * physical address in *paddr_out. A paddr inside pages vm handed out (page
 * aligned, all num_pages inside one allocation): those same pages, for any
 * process. Any other paddr: device registers, for the processes the fleet
 * names phys=devices only. Mapped read-write at *vaddr; paddr_out may be NULL.
 * Errors: INVALID_ARGUMENT (0 pages, more than the pool can ever give, NULL
 * vaddr), BAD_ALIGNMENT (paddr not page aligned), OUT_OF_MEMORY (the pool,
 * or the caller's share of the kernel's tables, is full), ACCESS_DENIED
 * (a paddr vm did not hand out: other RAM, device registers), BAD_ADDRESS
 * (a process named phys=devices, an address no device backs).
 */
xous_err_t vm_alloc_pages(size_t num_pages, uintptr_t paddr, void **vaddr, uintptr_t *paddr_out);

#ifdef __cplusplus
}
#endif

#endif /* RESEA_VM_H */
