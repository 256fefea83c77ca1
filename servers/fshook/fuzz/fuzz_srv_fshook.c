/*
 * fuzz_srv_fshook.c - fuzz target `srv_fshook`: the hook's frame decoder
 * and fshook_dispatch() with the checking io table of fuzz_server.h. The
 * task's memory is a fake of its own, taken from the lent page itself (so
 * paths and buffers come from the input), and the fake fs server holds one
 * file and one directory.
 */
#include <string.h>

#include "fshook.h"
#include "fuzz_server.h"

#define MEM_SIZE 8192u

static struct fshook st;
static unsigned char mem[MEM_SIZE]; /* the task's memory at address 0 */
static int next_fd;

static xous_err_t f_mem_read(void *ctx, uint32_t task, uint64_t addr, void *buf, size_t len,
                             size_t *n)
{
	(void)ctx, (void)task;
	if (addr >= MEM_SIZE)
		return XOUS_ERR_BAD_ADDRESS;
	*n = len < MEM_SIZE - addr ? len : MEM_SIZE - addr;
	memcpy(buf, mem + addr, *n);
	return XOUS_OK;
}

static xous_err_t f_mem_write(void *ctx, uint32_t task, uint64_t addr, const void *buf, size_t len,
                              size_t *n)
{
	(void)ctx, (void)task;
	if (addr >= MEM_SIZE)
		return XOUS_ERR_BAD_ADDRESS;
	*n = len < MEM_SIZE - addr ? len : MEM_SIZE - addr;
	memcpy(mem + addr, buf, *n);
	return XOUS_OK;
}

static xous_err_t f_new_fd(void *ctx, uint32_t task, uint32_t flags, int *fd)
{
	(void)ctx, (void)task, (void)flags;
	if (next_fd % 5 == 4) {
		next_fd++;
		return XOUS_ERR_OUT_OF_MEMORY;
	}
	*fd = next_fd++ % 32;
	return XOUS_OK;
}

static bool f_alive(void *ctx, uint32_t task)
{
	(void)ctx;
	return task % 3 != 0;
}

static xous_err_t f_open(void *ctx, const char *path, fshook_handle_t *h)
{
	(void)ctx;
	if (strcmp(path, "/a.txt"))
		return XOUS_ERR_NOT_FOUND;
	*h = 1;
	return XOUS_OK;
}

static xous_err_t f_close(void *ctx, fshook_handle_t h)
{
	(void)ctx, (void)h;
	return XOUS_OK;
}

static xous_err_t f_read(void *ctx, fshook_handle_t h, uint64_t off, size_t len, void *buf,
                         size_t *got)
{
	(void)ctx, (void)h;
	*got = off >= 70000 ? 0 : 70000 - off < len ? 70000 - off : len;
	memset(buf, (int)(off & 0xff), *got);
	return XOUS_OK;
}

static xous_err_t f_info(void *ctx, const char *path, struct fshook_entry *out)
{
	(void)ctx;
	memset(out, 0, sizeof(*out));
	if (!strcmp(path, "/d"))
		out->is_dir = true;
	else if (!strcmp(path, "/a.txt"))
		out->size = 70000;
	else
		return XOUS_ERR_NOT_FOUND;
	return XOUS_OK;
}

static xous_err_t f_list(void *ctx, const char *path, uint32_t index, struct fshook_entry *out,
                         size_t max, size_t *count)
{
	(void)ctx;
	*count = 0;
	if (strcmp(path, "/") && strcmp(path, "/d"))
		return XOUS_ERR_NOT_FOUND;
	for (uint32_t i = index; i < 3 && *count < max; i++, (*count)++) {
		memset(&out[*count], 'n', sizeof(out[0].name) - 1); /* the longest name */
		out[*count].name[i * 100] = 0;
		out[*count].is_dir = i == 0;
	}
	return XOUS_OK;
}

static void init(uint64_t now)
{
	static const struct fshook_ops ops = {NULL,   f_mem_read, f_mem_write, f_new_fd, f_alive,
	                                      f_open, f_close,    f_read,      f_info,   f_list};

	(void)now;
	next_fd = 3;
	fshook_init(&st, &ops);
}

/* The frame's task is made its sender's, and its arch one of the two, often
 * enough for the calls to be reached; the lent page is also the memory. */
static xous_answer_t dispatch(xous_envelope_t *env, uint64_t now)
{
	(void)now;
	if (env->kind == XOUS_MUTABLE_BORROW &&
	    env->memory.buf.len >= sizeof(struct abi_hook_frame)) {
		struct abi_hook_frame *fr = env->memory.buf.addr;
		size_t n = env->memory.buf.len < MEM_SIZE ? env->memory.buf.len : MEM_SIZE;

		memcpy(mem, env->memory.buf.addr, n);
		if (fr->magic & 1) {
			fr->magic = ABI_HOOK_MAGIC;
			fr->task = xous_sender_pid(env->sender);
			fr->arch = fr->nr & 0x10000 ? ABI_HOOK_ARCH_RISCV32 : ABI_HOOK_ARCH_X86_64;
			fr->nr &= 0x1ff;
			env->memory.id = GLOBAL_ABI_HOOK;
		}
	}
	return fshook_dispatch(&st, env);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct fsrv_target t = {
	        .init = init,
	        .dispatch = dispatch,
	};

	return fsrv_run(&t, data, size);
}
