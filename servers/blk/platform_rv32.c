/* The blk server's device on kernel-riscv: not yet written (a virtio-blk driver). */
#include <stdio.h>

#include "blk.h"

xous_err_t blk_platform_open(struct blk_device *dev)
{
	(void)dev;
	printf("xous-blk: no virtio-blk driver in this build\n");
	return XOUS_ERR_UNAVAILABLE;
}
