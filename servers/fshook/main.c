/*
 * xous-fshook: fshook_dispatch() served under the name "fshook"
 * (registered with the name server), over the kernel's ABI hook calls and
 * the fs server.
 */
#include <resea/fs.h>
#include <stdio.h>
#include <string.h>
#include <xous/names.h>
#include <xous/serve.h>

#include "fshook.h"

static xous_err_t k_mem_read(void *ctx, uint32_t task, uint64_t addr, void *buf, size_t len,
                             size_t *n)
{
	(void)ctx;
	return abi_hook_read(task, addr, buf, len, n);
}

static xous_err_t k_mem_write(void *ctx, uint32_t task, uint64_t addr, const void *buf, size_t len,
                              size_t *n)
{
	(void)ctx;
	return abi_hook_write(task, addr, buf, len, n);
}

static xous_err_t k_new_fd(void *ctx, uint32_t task, uint32_t flags, int *fd)
{
	(void)ctx;
	return abi_hook_fd(task, flags, fd);
}

static bool k_alive(void *ctx, uint32_t task)
{
	char name[8];

	(void)ctx;
	return xous_process_name(task, name, sizeof(name)) == XOUS_OK;
}

static xous_err_t k_open(void *ctx, const char *path, fshook_handle_t *h)
{
	(void)ctx;
	return fs_open(path, h);
}

static xous_err_t k_close(void *ctx, fshook_handle_t h)
{
	(void)ctx;
	return fs_close(h);
}

static xous_err_t k_read(void *ctx, fshook_handle_t h, uint64_t off, size_t len, void *buf,
                         size_t *got)
{
	(void)ctx;
	return fs_read(h, off, len, buf, got);
}

static void entry_of(const struct fs_dirent *d, struct fshook_entry *e)
{
	_Static_assert(sizeof(e->name) == sizeof(d->name), "the fs server's names fit");
	memcpy(e->name, d->name, sizeof(e->name));
	e->size = d->size;
	e->is_dir = d->is_dir;
}

static xous_err_t k_info(void *ctx, const char *path, struct fshook_entry *out)
{
	struct fs_dirent d;
	xous_err_t err = fs_info(path, &d);

	(void)ctx;
	if (!err)
		entry_of(&d, out);
	return err;
}

/* One entry at a time (fshook asks for one). */
static xous_err_t k_list(void *ctx, const char *path, uint32_t index, struct fshook_entry *out,
                         size_t max, size_t *count)
{
	struct fs_dirent d;
	xous_err_t err = max ? fs_list(path, index, &d, 1, count) : XOUS_OK;

	(void)ctx;
	if (!max)
		*count = 0;
	if (!err && *count)
		entry_of(&d, out);
	return err;
}

static xous_answer_t serve(void *st, xous_envelope_t *env)
{
	return fshook_dispatch(st, env);
}

int main(void)
{
	static const struct fshook_ops ops = {NULL,   k_mem_read, k_mem_write, k_new_fd, k_alive,
	                                      k_open, k_close,    k_read,      k_info,   k_list};
	static struct fshook state;
	xous_sid_t sid;
	xous_err_t err;

	fshook_init(&state, &ops);
	if ((err = xns_register_name(FSHOOK_SERVER_NAME, 0, &sid))) {
		fprintf(stderr, "xous-fshook: registering \"%s\": %s\n", FSHOOK_SERVER_NAME,
		        xous_strerror(err));
		return 1;
	}
	return xous_serve_program(&sid, 0, serve, &state);
}
