/* The hv server's Linux platform (platform_host.c), for main.c. */
#ifndef XOUS_HV_PLATFORM_H
#define XOUS_HV_PLATFORM_H

#include <stdbool.h>

#include "hv.h"

#define HV_BLK_NAME "blk" /* the blk server's registered name (servers/blk/api.h) */

struct hv_host {
	xous_sid_t notice; /* the private server task_watch reports to */
	bool blk;          /* the blk server was found */
};

/* h's platform calls, in *pf. */
void hv_host_platform(struct hv_host *h, struct hv_platform *pf);

/* The vCPU task's main(): runs the guest the hv server gives it on KVM. */
int hv_vcpu_main(void);

#endif
