/*
 * pager.c - global_paged_region (<resea/global.h>) on kernel-riscv: the
 * kernel reserves the range and lends each page to the caller's pager on
 * its first touch (kernel/pager.c, docs/resea-pager.md).
 */
#include <resea/global.h>

#include "syscall.h"

xous_err_t global_paged_region(size_t len, void **vaddr)
{
	xrt_regs r;
	xous_err_t err;

	if (vaddr == NULL || len == 0 || len > SIZE_MAX - XOUS_PAGE_SIZE)
		return XOUS_ERR_INVALID_ARGUMENT;
	err = xrt_call(&r, XOUS_SYS_PAGED_REGION, len, 0, 0, 0, 0, 0, 0);
	if (err == XOUS_OK && r.a[0] != XOUS_RESULT_MEMORY_RANGE)
		err = XOUS_ERR_INTERNAL_ERROR;
	if (err == XOUS_OK)
		*vaddr = (void *)r.a[1];
	return err;
}
