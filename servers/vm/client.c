/* The vm and ool clients (<resea/vm.h>, <resea/ool.h>), in both runtimes. */
#include <string.h>

#include <resea/ool.h>
#include <resea/vm.h>

#include "api.h"
#include "export.h"
#include "vm_kernel.h"

#define PAGE ((size_t)XOUS_PAGE_SIZE)

static struct vm_named_conn vm_conn, ool_conn;

XOUS_EXPORT xous_err_t vm_grant_pages(size_t num_pages, uintptr_t paddr, int writable,
                                      uintptr_t *paddr_out)
{
	xous_scalar_reply_t r;
	xous_cid_t cid;
	xous_err_t err = vm_named_connect(&vm_conn, VM_SERVER_NAME, &cid);

	if (err == XOUS_OK)
		err = xous_blocking_scalar(cid, VM_OP_ALLOC_PAGES, num_pages, paddr,
		                           writable ? 0 : VM_GRANT_READ_ONLY, 0, &r);
	if (err == XOUS_OK)
		err = (xous_err_t)r.v[0];
	if (err == XOUS_OK)
		*paddr_out = r.v[1];
	return err;
}

XOUS_EXPORT xous_err_t vm_alloc_pages(size_t num_pages, uintptr_t paddr, void **vaddr,
                                      uintptr_t *paddr_out)
{
	xous_range_t r;
	uintptr_t pa = 0;
	xous_err_t err;

	if (vaddr == NULL || num_pages == 0 || num_pages > VM_MAX_PAGES)
		return XOUS_ERR_INVALID_ARGUMENT;
	if (paddr & (PAGE - 1))
		return XOUS_ERR_BAD_ALIGNMENT;
	err = vm_grant_pages(num_pages, paddr, 1, &pa);
	if (err == XOUS_OK) {
		err = xous_map_physical(pa, num_pages * PAGE, XOUS_MEM_R | XOUS_MEM_W, &r);
	} else if (err == XOUS_ERR_ACCESS_DENIED && paddr != 0) {
		/* not vm's pages: device registers are the kernel's to give, to
		 * the processes the fleet names (ACCESS_DENIED for the others) */
		pa = paddr;
		err = xous_map_physical(pa, num_pages * PAGE, XOUS_MEM_R | XOUS_MEM_W, &r);
		if (err != XOUS_OK)
			return err;
	}
	if (err != XOUS_OK) {
		if (pa != 0 && paddr == 0)
			xous_phys_release(pa); /* fresh pages nobody maps: they go */
		return err;
	}
	*vaddr = r.addr;
	if (paddr_out)
		*paddr_out = pa;
	return XOUS_OK;
}

XOUS_EXPORT xous_err_t ool_recv(void *buf, size_t len)
{
	xous_scalar_reply_t r;
	xous_cid_t cid;
	xous_err_t err;

	if (buf == NULL || len == 0 || len > OOL_MAX_LEN)
		return XOUS_ERR_INVALID_ARGUMENT;
	err = vm_named_connect(&ool_conn, OOL_SERVER_NAME, &cid);
	if (err == XOUS_OK)
		err = xous_blocking_scalar(cid, OOL_OP_RECV, (uintptr_t)buf, len, 0, 0, &r);
	return err ? err : (xous_err_t)r.v[0];
}

/*
 * Lend ool a fresh lendable buffer of room bytes (so that the caller's
 * buffers may have any alignment) that starts with req followed by len
 * bytes of data (if any); out (if any) gets the first out_len bytes back.
 * *v is the answer's second word.
 */
static xous_err_t ool_lend(uint32_t op, const struct ool_req *req, const void *data, size_t len,
                           void *out, size_t out_len, uintptr_t *v)
{
	size_t room = sizeof(*req) + len > out_len ? sizeof(*req) + len : out_len;
	size_t ret_err = 0, ret_v = 0;
	xous_range_t buf;
	xous_cid_t cid;
	xous_err_t err = vm_named_connect(&ool_conn, OOL_SERVER_NAME, &cid);

	if (err == XOUS_OK)
		err = xous_map_memory((room + PAGE - 1) & ~(PAGE - 1), XOUS_MEM_R | XOUS_MEM_W,
		                      &buf);
	if (err != XOUS_OK)
		return err;
	memcpy(buf.addr, req, sizeof(*req));
	if (len)
		memcpy((char *)buf.addr + sizeof(*req), data, len);
	if (op == OOL_OP_SEND)
		err = xous_lend(cid, op, buf, 0, sizeof(*req) + len, &ret_err, &ret_v);
	else
		err = xous_lend_mut(cid, op, buf, 0, sizeof(*req), &ret_err, &ret_v);
	if (err == XOUS_OK)
		err = (xous_err_t)ret_err;
	if (err == XOUS_OK && out_len)
		memcpy(out, buf.addr, out_len);
	xous_unmap_memory(buf);
	*v = ret_v;
	return err;
}

XOUS_EXPORT xous_err_t ool_send(task_t dst, const void *data, size_t len, uintptr_t *id)
{
	struct ool_req req = {dst, 0, len};
	uintptr_t v = 0;
	xous_err_t err;

	if (id == NULL || (data == NULL && len != 0) || len > OOL_MAX_LEN)
		return XOUS_ERR_INVALID_ARGUMENT;
	err = ool_lend(OOL_OP_SEND, &req, data, len, NULL, 0, &v);
	if (err == XOUS_OK)
		*id = v;
	return err;
}

XOUS_EXPORT xous_err_t ool_verify(task_t src, uintptr_t id, size_t len, void **received_at)
{
	struct ool_req req = {src, id, len};
	uintptr_t v = 0;
	xous_err_t err;

	if (received_at == NULL || id == 0 || len > OOL_MAX_LEN)
		return XOUS_ERR_INVALID_ARGUMENT;
	err = ool_lend(OOL_OP_VERIFY, &req, NULL, 0, (void *)id, len, &v);
	if (err == XOUS_OK)
		*received_at = (void *)id;
	return err;
}
