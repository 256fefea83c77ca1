/* The shm_test client (<resea/shm_test.h>), in both runtimes. */
#include <resea/shm_test.h>

#include "../vm/vm_kernel.h"
#include "api.h"
#include "export.h"

static struct vm_named_conn shm_test_conn;

XOUS_EXPORT xous_err_t shm_test_read(int32_t *shm_id)
{
	xous_scalar_reply_t r;
	xous_cid_t cid;
	xous_err_t err;

	if (shm_id == NULL)
		return XOUS_ERR_INVALID_ARGUMENT;
	err = vm_named_connect(&shm_test_conn, SHM_TEST_SERVER_NAME, &cid);
	if (err == XOUS_OK)
		err = xous_blocking_scalar(cid, SHM_TEST_OP_READ, 0, 0, 0, 0, &r);
	if (err == XOUS_OK)
		err = (xous_err_t)r.v[0];
	if (err == XOUS_OK)
		*shm_id = (int32_t)r.v[1];
	return err;
}
