/* The shm client (<resea/shm.h>), in both runtimes. */
#include <resea/shm.h>

#include "../vm/vm_kernel.h"
#include "api.h"
#include "export.h"

static struct vm_named_conn shm_conn;

static xous_err_t shm_call(uint32_t op, uintptr_t a1, xous_scalar_reply_t *r)
{
	xous_cid_t cid;
	xous_err_t err = vm_named_connect(&shm_conn, SHM_SERVER_NAME, &cid);

	if (err == XOUS_OK)
		err = xous_blocking_scalar(cid, op, a1, 0, 0, 0, r);
	return err ? err : (xous_err_t)r->v[0];
}

XOUS_EXPORT xous_err_t shm_create(size_t size, int32_t *shm_id)
{
	xous_scalar_reply_t r;
	xous_err_t err;

	if (shm_id == NULL || size == 0 || size > SHM_MAX_SIZE)
		return XOUS_ERR_INVALID_ARGUMENT;
	err = shm_call(SHM_OP_CREATE, size, &r);
	if (err == XOUS_OK)
		*shm_id = (int32_t)r.v[1];
	return err;
}

XOUS_EXPORT xous_err_t shm_map(int32_t shm_id, bool writable, void **vaddr)
{
	xous_scalar_reply_t r;
	xous_range_t range;
	uintptr_t pa;
	xous_err_t err;

	if (vaddr == NULL)
		return XOUS_ERR_INVALID_ARGUMENT;
	if (shm_id <= 0)
		return XOUS_ERR_NOT_FOUND;
	err = shm_call(SHM_OP_MAP, (uint32_t)shm_id, &r);
	if (err == XOUS_OK)
		err = vm_grant_pages(r.v[2], r.v[1], writable, &pa);
	if (err == XOUS_OK)
		err = xous_map_physical(pa, r.v[2] * XOUS_PAGE_SIZE,
		                        writable ? XOUS_MEM_R | XOUS_MEM_W : XOUS_MEM_R, &range);
	if (err == XOUS_OK)
		*vaddr = range.addr;
	return err;
}

XOUS_EXPORT xous_err_t shm_close(int32_t shm_id)
{
	xous_scalar_reply_t r;

	if (shm_id <= 0)
		return XOUS_ERR_NOT_FOUND;
	return shm_call(SHM_OP_CLOSE, (uint32_t)shm_id, &r);
}
