/*
 * The shm server as a pure dispatch function; its calls to vm and the
 * kernel come through struct shm_ops (unit tests and the fuzz target fake
 * them).
 */
#ifndef XOUS_SHM_SERVER_H
#define XOUS_SHM_SERVER_H

#include <stdbool.h>
#include <stdint.h>
#include <xous/serve.h>

#include "api.h"
#include "../vm/who.h"

struct shm_ops {
	/* fresh zeroed pages from vm, held by this process (vm_grant_pages) */
	xous_err_t (*alloc)(size_t pages, uintptr_t *paddr);
	/* give up this process's right on them (xous_phys_release) */
	xous_err_t (*release)(uintptr_t paddr);
	who_name_fn process_name;
};

struct shm_region {
	bool used;
	int32_t id;
	uintptr_t paddr;
	size_t pages;
	struct who creator;
};

struct shm_state {
	const struct shm_ops *k;
	int32_t next_id;
	struct shm_region regions[SHM_MAX_REGIONS];
};

void shm_init(struct shm_state *st, const struct shm_ops *k);
xous_answer_t shm_dispatch(struct shm_state *st, xous_envelope_t *env);

extern const struct shm_ops shm_ops_real;

#endif
