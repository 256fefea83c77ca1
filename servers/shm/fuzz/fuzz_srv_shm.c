/*
 * fuzz_srv_shm.c - fuzz target `srv_shm`: shm_dispatch() behind the
 * checking io table of fuzz_server.h, over a fake vm whose pool runs out
 * and a kernel in which every pid divisible by 5 is gone.
 */
#include <stdio.h>

#include "fuzz_server.h"
#include "shmsrv.h"

static uintptr_t next_paddr;

static xous_err_t f_alloc(size_t pages, uintptr_t *paddr)
{
	if (next_paddr + pages * XOUS_PAGE_SIZE > 0x84000000u)
		return XOUS_ERR_OUT_OF_MEMORY;
	*paddr = next_paddr;
	next_paddr += pages * XOUS_PAGE_SIZE;
	return XOUS_OK;
}

static xous_err_t f_release(uintptr_t paddr)
{
	(void)paddr;
	return XOUS_OK;
}

static xous_err_t f_name(xous_pid_t pid, char *buf, size_t len)
{
	if (pid % 5 == 0)
		return XOUS_ERR_PROCESS_NOT_FOUND;
	snprintf(buf, len, "p%u", (unsigned)pid);
	return XOUS_OK;
}

static const struct shm_ops fake = {f_alloc, f_release, f_name};
static struct shm_state st;

static void init(uint64_t now)
{
	(void)now;
	next_paddr = 0x80000000u;
	shm_init(&st, &fake);
}

static xous_answer_t dispatch(xous_envelope_t *env, uint64_t now)
{
	(void)now;
	return shm_dispatch(&st, env);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct fsrv_target t = {
	        .init = init,
	        .dispatch = dispatch,
	};

	return fsrv_run(&t, data, size);
}
