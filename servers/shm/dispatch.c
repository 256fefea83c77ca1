/* The shm server's dispatch: regions of vm's pages, named by ids. */
#include <string.h>

#include "shmsrv.h"

void shm_init(struct shm_state *st, const struct shm_ops *k)
{
	memset(st, 0, sizeof(*st));
	st->k = k;
	st->next_id = 1;
}

static void region_close(struct shm_state *st, struct shm_region *r)
{
	st->k->release(r->paddr);
	r->used = false;
}

/* Regions whose creator is gone are closed. */
static void shm_sweep(struct shm_state *st)
{
	for (size_t i = 0; i < SHM_MAX_REGIONS; i++)
		if (st->regions[i].used && !who_alive(st->k->process_name, &st->regions[i].creator))
			region_close(st, &st->regions[i]);
}

static struct shm_region *region_find(struct shm_state *st, uintptr_t id)
{
	for (size_t i = 0; i < SHM_MAX_REGIONS; i++)
		if (st->regions[i].used && (uintptr_t)(uint32_t)st->regions[i].id == id)
			return &st->regions[i];
	return NULL;
}

/* Ids count up from 1 and are never reused (until 2^31 of them wrap). */
static int32_t new_id(struct shm_state *st)
{
	int32_t id = st->next_id;

	st->next_id = id == INT32_MAX ? 1 : id + 1;
	return id;
}

static xous_answer_t shm_create(struct shm_state *st, xous_pid_t pid, uintptr_t size)
{
	struct shm_region *free_r = NULL;
	unsigned mine = 0;
	uintptr_t paddr = 0;
	xous_err_t err;

	if (size == 0 || size > SHM_MAX_SIZE)
		return xous_answer_scalar2(XOUS_ERR_INVALID_ARGUMENT, 0);
	for (size_t i = 0; i < SHM_MAX_REGIONS; i++) {
		struct shm_region *r = &st->regions[i];
		if (!r->used)
			free_r = free_r ? free_r : r;
		else
			mine += r->creator.pid == pid;
	}
	if (free_r == NULL || mine >= SHM_REGIONS_PER_PID)
		return xous_answer_scalar2(XOUS_ERR_OUT_OF_MEMORY, 0);
	if (!who_now(st->k->process_name, pid, &free_r->creator))
		return xous_answer_scalar2(XOUS_ERR_PROCESS_NOT_FOUND, 0);
	free_r->pages = (size + XOUS_PAGE_SIZE - 1) / XOUS_PAGE_SIZE;
	if ((err = st->k->alloc(free_r->pages, &paddr)))
		return xous_answer_scalar2(err, 0);
	free_r->used = true;
	free_r->paddr = paddr;
	free_r->id = new_id(st);
	return xous_answer_scalar2(XOUS_OK, (uintptr_t)free_r->id);
}

static xous_answer_t shm_map(struct shm_state *st, uintptr_t id)
{
	struct shm_region *r = region_find(st, id);

	if (r == NULL)
		return xous_answer_scalar5(XOUS_ERR_NOT_FOUND, 0, 0, 0, 0);
	return xous_answer_scalar5(XOUS_OK, r->paddr, r->pages, 0, 0);
}

static xous_answer_t shm_close(struct shm_state *st, xous_pid_t pid, uintptr_t id)
{
	struct shm_region *r = region_find(st, id);

	if (r == NULL)
		return xous_answer_scalar1(XOUS_ERR_NOT_FOUND);
	if (r->creator.pid != pid)
		return xous_answer_scalar1(XOUS_ERR_ACCESS_DENIED);
	region_close(st, r);
	return xous_answer_scalar1(XOUS_OK);
}

xous_answer_t shm_dispatch(struct shm_state *st, xous_envelope_t *env)
{
	xous_pid_t pid = xous_sender_pid(env->sender);

	if (env->kind != XOUS_BLOCKING_SCALAR)
		return xous_answer_none();
	shm_sweep(st);
	switch (env->scalar.id) {
	case SHM_OP_CREATE:
		return shm_create(st, pid, env->scalar.arg[0]);
	case SHM_OP_MAP:
		return shm_map(st, env->scalar.arg[0]);
	case SHM_OP_CLOSE:
		return shm_close(st, pid, env->scalar.arg[0]);
	default:
		return xous_answer_none();
	}
}
