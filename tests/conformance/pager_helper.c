/*
 * pager_helper: the task the pager conformance program launches, on both
 * kernels. "conformance-pager-helper MODE" first waits for the launcher's
 * go (a BlockingScalar to the server it registered as "conf-pager-go",
 * answered once the launcher set this task's pager), then:
 *   fault   stores to address 16 (a bad access);
 *   touch   reads the first page of a paged region (its pager fails it).
 * Either way it should not live to return.
 */
#include <stdint.h>
#include <string.h>

#include <resea/global.h>
#include <xous/names.h>

#include "conf_fault.h"

int main(int argc, char **argv)
{
	xous_scalar_reply_t r;
	xous_cid_t cid;
	void *region;

	if (argc != 2 || xns_request_connection_blocking("conf-pager-go", &cid) != XOUS_OK ||
	    xous_blocking_scalar(cid, 1, 0, 0, 0, 0, &r) != XOUS_OK)
		return 98;
	if (strcmp(argv[1], "fault") == 0) {
		volatile uintptr_t addr = 16; /* the compiler may not see the fault coming */

		*(volatile uint32_t *)addr = 1;
		return 97;
	}
	if (strcmp(argv[1], "touch") == 0 &&
	    global_paged_region(XOUS_PAGE_SIZE, &region) == XOUS_OK)
		return *(volatile uint8_t *)region == 0x5a ? 96 : 95;
	return 94;
}
