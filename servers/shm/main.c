/* xous-shm: shm_dispatch() served by xous_serve(), registered as "shm". */
#include <stdio.h>
#include <xous/names.h>
#include <xous/serve.h>

#include "../vm/vm_kernel.h"
#include "shmsrv.h"

static struct shm_state state;

static xous_err_t alloc_pages(size_t pages, uintptr_t *paddr)
{
	return vm_grant_pages(pages, 0, 1, paddr);
}

const struct shm_ops shm_ops_real = {alloc_pages, xous_phys_release, xous_process_name};

static xous_answer_t serve(void *st, xous_envelope_t *env)
{
	return shm_dispatch(st, env);
}

int main(void)
{
	xous_sid_t sid;
	xous_err_t err;

	shm_init(&state, &shm_ops_real);
	if ((err = xns_register_name(SHM_SERVER_NAME, 0, &sid))) {
		fprintf(stderr, "xous-shm: cannot register: %s\n", xous_strerror(err));
		return 1;
	}
	return xous_serve_program(&sid, 0, serve, &state);
}
