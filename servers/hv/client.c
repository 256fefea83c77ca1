/* The hv server's client stub (<resea/hv.h>), compiled into libxous-host. */
#include <errno.h>
#include <fcntl.h>
#include <resea/hv.h>
#include <unistd.h>
#include <xous/names.h>

#include "api.h"
#include "conn_cache.h"
#include "export.h"

static struct servers_conn_cache hv_conn;

/* The image file's bytes into r (room for what fits above HV_GUEST_ENTRY):
 * their length, or 0 with *err set. */
static size_t read_image(const char *image, xous_range_t r, xous_err_t *err)
{
	size_t len = 0;
	int fd = open(image, O_RDONLY | O_CLOEXEC);
	char extra;

	*err = XOUS_OK;
	if (fd < 0) {
		*err = errno == ENOENT ? XOUS_ERR_NOT_FOUND : XOUS_ERR_ACCESS_DENIED;
		return 0;
	}
	while (len < r.len) {
		ssize_t n = read(fd, (char *)r.addr + len, r.len - len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (n < 0)
				*err = XOUS_ERR_STORAGE_ERROR;
			break;
		}
		len += (size_t)n;
	}
	if (*err == XOUS_OK && (len == 0 || (len == r.len && read(fd, &extra, 1) > 0)))
		*err = XOUS_ERR_INVALID_ARGUMENT; /* empty, or larger than the guest's memory */
	close(fd);
	return *err ? 0 : len;
}

XOUS_EXPORT xous_err_t hv_launch(const char *image, size_t guest_mem, task_t *guest)
{
	xous_range_t r, lent;
	size_t err_word = 0, task = 0, len;
	xous_cid_t cid;
	xous_err_t err;

	if (image == NULL || guest == NULL || guest_mem < HV_GUEST_MEM_MIN ||
	    guest_mem > HV_GUEST_MEM_MAX)
		return XOUS_ERR_INVALID_ARGUMENT;
	err = servers_conn_by(&hv_conn, xns_request_connection, HV_SERVER_NAME, &cid);
	if (err)
		return err;
	guest_mem = (guest_mem + XOUS_PAGE_SIZE - 1) & ~(size_t)(XOUS_PAGE_SIZE - 1);
	err = xous_map_memory(guest_mem - HV_GUEST_ENTRY + XOUS_PAGE_SIZE, XOUS_MEM_R | XOUS_MEM_W,
	                      &r);
	if (err)
		return err;
	for (int i = 0; i < 8; i++)
		((uint8_t *)r.addr)[i] = (uint8_t)((uint64_t)guest_mem >> (8 * i));
	lent.addr = (uint8_t *)r.addr + HV_LAUNCH_IMAGE_AT;
	lent.len = guest_mem - HV_GUEST_ENTRY;
	len = read_image(image, lent, &err);
	if (err == XOUS_OK) {
		lent.addr = r.addr;
		lent.len = (HV_LAUNCH_IMAGE_AT + len + XOUS_PAGE_SIZE - 1) &
		           ~(size_t)(XOUS_PAGE_SIZE - 1);
		err = xous_lend(cid, HV_OP_LAUNCH, lent, 0, HV_LAUNCH_IMAGE_AT + len, &err_word,
		                &task);
	}
	xous_unmap_memory(r);
	if (err == XOUS_OK)
		err = (xous_err_t)err_word;
	if (err == XOUS_OK)
		*guest = (task_t)task;
	return err;
}
