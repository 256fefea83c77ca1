/* servers.fshook.*: the hook's dispatch over a fake task memory and a fake fs server. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "fshook.h"
#include "recorder.h"

#define TASK     7
#define MEM_BASE 0x10000u
#define MEM_SIZE 0x10000u
#define PATH_AT  (MEM_BASE + 0x100)
#define BUF_AT   (MEM_BASE + 0x1000)
#define X_READ   0
#define X_OPEN   2
#define X_CLOSE  3
#define X_LSEEK  8
#define X_DENTS  217
#define X_OPENAT 257
#define X_FSTAT  262
#define X_ACCESS 21
#define X_WRITE  1

static unsigned char mem[MEM_SIZE];
static struct fshook st;
static int next_fd, open_handles;
static bool dead;
static const char hello[] = "hello from the fat image\n";

static bool in_mem(uint64_t addr, size_t len)
{
	return addr >= MEM_BASE && addr - MEM_BASE <= MEM_SIZE &&
	       len <= MEM_SIZE - (addr - MEM_BASE);
}

static xous_err_t f_mem_read(void *ctx, uint32_t task, uint64_t addr, void *buf, size_t len,
                             size_t *n)
{
	(void)ctx, (void)task;
	if (addr < MEM_BASE || addr >= MEM_BASE + MEM_SIZE)
		return XOUS_ERR_BAD_ADDRESS;
	*n = in_mem(addr, len) ? len : MEM_BASE + MEM_SIZE - addr;
	memcpy(buf, mem + (addr - MEM_BASE), *n);
	return XOUS_OK;
}

static xous_err_t f_mem_write(void *ctx, uint32_t task, uint64_t addr, const void *buf, size_t len,
                              size_t *n)
{
	(void)ctx;
	if (task != TASK || !in_mem(addr, len))
		return XOUS_ERR_BAD_ADDRESS;
	memcpy(mem + (addr - MEM_BASE), buf, len);
	*n = len;
	return XOUS_OK;
}

static xous_err_t f_new_fd(void *ctx, uint32_t task, uint32_t flags, int *fd)
{
	(void)ctx, (void)task, (void)flags;
	*fd = next_fd++;
	return XOUS_OK;
}

static bool f_alive(void *ctx, uint32_t task)
{
	(void)ctx;
	return !dead || task == TASK;
}

static xous_err_t f_open(void *ctx, const char *path, fshook_handle_t *h)
{
	(void)ctx;
	if (strcmp(path, "/hello.txt") && strcmp(path, "/dir/a.bin"))
		return XOUS_ERR_NOT_FOUND;
	*h = path[1] == 'h' ? 1 : 2;
	open_handles++;
	return XOUS_OK;
}

static xous_err_t f_close(void *ctx, fshook_handle_t h)
{
	(void)ctx, (void)h;
	open_handles--;
	return XOUS_OK;
}

static xous_err_t f_read(void *ctx, fshook_handle_t h, uint64_t off, size_t len, void *buf,
                         size_t *got)
{
	size_t size = h == 1 ? sizeof(hello) - 1 : 40000;

	(void)ctx;
	*got = off >= size ? 0 : size - off < len ? size - off : len;
	for (size_t i = 0; i < *got; i++)
		((char *)buf)[i] = h == 1 ? hello[off + i] : (char)((off + i) % 251);
	return XOUS_OK;
}

static xous_err_t f_info(void *ctx, const char *path, struct fshook_entry *out)
{
	(void)ctx;
	memset(out, 0, sizeof(*out));
	if (!strcmp(path, "/dir")) {
		out->is_dir = true;
	} else if (!strcmp(path, "/hello.txt")) {
		out->size = sizeof(hello) - 1;
	} else if (!strcmp(path, "/dir/a.bin")) {
		out->size = 40000;
	} else {
		return XOUS_ERR_NOT_FOUND;
	}
	strcpy(out->name, strrchr(path, '/') + 1);
	return XOUS_OK;
}

static xous_err_t f_list(void *ctx, const char *path, uint32_t index, struct fshook_entry *out,
                         size_t max, size_t *count)
{
	static const char *root[] = {"hello.txt", "dir"};

	(void)ctx;
	*count = 0;
	if (strcmp(path, "/"))
		return XOUS_ERR_NOT_FOUND;
	for (uint32_t i = index; i < 2 && *count < max; i++, (*count)++) {
		memset(&out[*count], 0, sizeof(out[0]));
		strcpy(out[*count].name, root[i]);
		out[*count].is_dir = i == 1;
	}
	return XOUS_OK;
}

static void setup(void)
{
	static const struct fshook_ops ops = {NULL,   f_mem_read, f_mem_write, f_new_fd, f_alive,
	                                      f_open, f_close,    f_read,      f_info,   f_list};

	rec_reset();
	memset(mem, 0, sizeof(mem));
	next_fd = 5;
	open_handles = 0;
	dead = false;
	fshook_init(&st, &ops);
}

/* One call of the task; *host: the hook let the host do it. */
static int64_t hook_call_as(uint32_t arch, uint32_t task, uint32_t sender, uint32_t nr, uint64_t a0,
                            uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4, bool *host)
{
	static char page[XOUS_PAGE_SIZE];
	struct abi_hook_frame fr = {.magic = ABI_HOOK_MAGIC,
	                            .arch = arch,
	                            .task = task,
	                            .nr = nr,
	                            .args = {a0, a1, a2, a3, a4, 0}};
	xous_envelope_t env =
	        rec_memory(XOUS_MUTABLE_BORROW, sender, 1, GLOBAL_ABI_HOOK, NULL, "", 0);
	xous_answer_t a;

	memset(page, 0, sizeof(page));
	memcpy(page, &fr, sizeof(fr));
	env.memory.buf.addr = page;
	env.memory.buf.len = sizeof(page);
	a = fshook_dispatch(&st, &env);
	if (a.kind != XOUS_ANSWER_MEMORY) {
		*host = true;
		return INT64_MIN;
	}
	memcpy(&fr, page, sizeof(fr));
	*host = fr.action == ABI_HOOK_HOST;
	return fr.result;
}

static int64_t hook_call(uint32_t nr, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3,
                         uint64_t a4, bool *host)
{
	return hook_call_as(ABI_HOOK_ARCH_X86_64, TASK, TASK, nr, a0, a1, a2, a3, a4, host);
}

static int64_t served(uint32_t nr, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3)
{
	bool host;
	int64_t r = hook_call(nr, a0, a1, a2, a3, 0, &host);

	ck_assert(!host);
	return r;
}

static void to_host(uint32_t nr, uint64_t a0, uint64_t a1, uint64_t a2)
{
	bool host;

	hook_call(nr, a0, a1, a2, 0, 0, &host);
	ck_assert(host);
}

static uint64_t path(const char *p)
{
	strcpy((char *)mem + (PATH_AT - MEM_BASE), p);
	return PATH_AT;
}

static int64_t openat(const char *p, uint64_t flags)
{
	return served(X_OPENAT, (uint64_t)-100, path(p), flags, 0);
}

START_TEST(cat_reads_a_file_under_fs)
{
	int64_t fd = openat("/fs/hello.txt", 0);
	uint64_t size;

	ck_assert_int_eq(fd, 5);
	path("");
	ck_assert_int_eq(served(X_FSTAT, (uint64_t)fd, PATH_AT, BUF_AT, 0x1000), 0);
	memcpy(&size, mem + (BUF_AT - MEM_BASE) + 48, 8); /* st_size */
	ck_assert_uint_eq(size, sizeof(hello) - 1);
	ck_assert_int_eq(served(X_READ, (uint64_t)fd, BUF_AT, 131072, 0), sizeof(hello) - 1);
	ck_assert(!memcmp(mem + (BUF_AT - MEM_BASE), hello, sizeof(hello) - 1));
	ck_assert_int_eq(served(X_READ, (uint64_t)fd, BUF_AT, 131072, 0), 0);
	ck_assert_int_eq(served(X_LSEEK, (uint64_t)fd, 6, 0, 0), 6);
	ck_assert_int_eq(served(X_READ, (uint64_t)fd, BUF_AT, 4, 0), 4);
	ck_assert(!memcmp(mem + (BUF_AT - MEM_BASE), "from", 4));
	to_host(X_CLOSE, (uint64_t)fd, 0, 0); /* the placeholder closes on the host */
	ck_assert_int_eq(open_handles, 0);
	to_host(X_READ, (uint64_t)fd, BUF_AT, 16); /* no longer fshook's */
}
END_TEST

START_TEST(a_read_stops_at_the_most_one_call_moves)
{
	int64_t fd = openat("/fs/dir/a.bin", 0);

	ck_assert_int_eq(served(X_READ, (uint64_t)fd, BUF_AT, 32768, 0), 32768);
	for (size_t i = 0; i < 32768; i++)
		ck_assert_uint_eq(mem[BUF_AT - MEM_BASE + i], i % 251);
	ck_assert_int_eq(served(X_READ, (uint64_t)fd, BUF_AT, 32768, 0), 40000 - 32768);
	/* a buffer that leaves the task's memory */
	ck_assert_int_eq(served(X_LSEEK, (uint64_t)fd, 0, 0, 0), 0);
	ck_assert_int_eq(served(X_READ, (uint64_t)fd, MEM_BASE + MEM_SIZE + 4096, 10, 0), -14);
}
END_TEST

START_TEST(other_paths_and_descriptors_go_to_the_host)
{
	bool host;

	path("/etc/passwd");
	to_host(X_OPENAT, (uint64_t)-100, PATH_AT, 0);
	to_host(X_OPEN, path("/fsx/a"), 0, 0);
	to_host(X_OPEN, path("relative/fs/a"), 0, 0);
	to_host(X_READ, 3, BUF_AT, 10);
	to_host(X_WRITE, 1, BUF_AT, 10);
	to_host(X_FSTAT, 1, path(""), BUF_AT);
	/* an unreadable path is the caller's fault */
	ck_assert_int_eq(hook_call(X_OPENAT, (uint64_t)-100, 16, 0, 0, 0, &host), -14);
	ck_assert(!host);
}
END_TEST

START_TEST(the_fs_is_read_only_and_missing_files_are_enoent)
{
	ck_assert_int_eq(openat("/fs/hello.txt", 1), -30);  /* O_WRONLY */
	ck_assert_int_eq(openat("/fs/new.txt", 0101), -30); /* O_CREAT */
	ck_assert_int_eq(openat("/fs/missing.txt", 0), -2);
	ck_assert_int_eq(openat("/fs/hello.txt", 0200000), -20); /* O_DIRECTORY */
	ck_assert_int_eq(served(X_ACCESS, path("/fs/hello.txt"), 4, 0, 0), 0);
	ck_assert_int_eq(served(X_ACCESS, path("/fs/hello.txt"), 2, 0, 0), -30);
	ck_assert_int_eq(served(X_ACCESS, path("/fs/nothing"), 0, 0, 0), -2);
	ck_assert_int_eq(open_handles, 0);
}
END_TEST

START_TEST(dot_dot_never_leaves_fs)
{
	int64_t fd = openat("/fs/dir/../../../hello.txt", 0);

	ck_assert_int_eq(fd, 5);
	ck_assert_int_eq(served(X_READ, (uint64_t)fd, BUF_AT, 5, 0), 5);
	ck_assert_int_eq(openat("/fs//./dir/./a.bin", 0), 6);
}
END_TEST

/* The linux_dirent64 names in mem at BUF_AT, n bytes, joined by spaces. */
static void names(size_t n, char *out)
{
	size_t at = 0;

	out[0] = 0;
	while (at < n) {
		uint16_t reclen;

		memcpy(&reclen, mem + (BUF_AT - MEM_BASE) + at + 16, 2);
		ck_assert_uint_ge(reclen, 24);
		ck_assert_uint_eq(reclen % 8, 0);
		strcat(out, (char *)mem + (BUF_AT - MEM_BASE) + at + 19);
		strcat(out, " ");
		at += reclen;
	}
}

START_TEST(ls_lists_a_directory)
{
	int64_t fd = openat("/fs/", 0200000), n;
	char got[256];
	uint16_t mode;
	bool host;

	ck_assert_int_ge(fd, 0);
	n = served(X_DENTS, (uint64_t)fd, BUF_AT, 32768, 0);
	ck_assert_int_gt(n, 0);
	names((size_t)n, got);
	ck_assert_str_eq(got, ". .. hello.txt dir ");
	ck_assert_int_eq(served(X_DENTS, (uint64_t)fd, BUF_AT, 32768, 0), 0);
	/* a buffer too small for one entry */
	ck_assert_int_eq(served(X_LSEEK, (uint64_t)fd, 0, 0, 0), 0);
	ck_assert_int_eq(served(X_DENTS, (uint64_t)fd, BUF_AT, 8, 0), -22);
	ck_assert_int_eq(served(X_READ, (uint64_t)fd, BUF_AT, 8, 0), -21);
	/* stat relative to the directory, statx of the directory */
	ck_assert_int_eq(served(X_FSTAT, (uint64_t)fd, path("hello.txt"), BUF_AT, 0), 0);
	ck_assert_int_eq(hook_call(332, (uint64_t)-100, path("/fs"), 0, 0x7ff, BUF_AT, &host), 0);
	ck_assert(!host);
	memcpy(&mode, mem + (BUF_AT - MEM_BASE) + 28, 2); /* stx_mode */
	ck_assert_uint_eq(mode, 040555);
}
END_TEST

/* An openat of /fs/hello.txt by task. */
static int64_t open_as(uint32_t task)
{
	bool host;

	return hook_call_as(ABI_HOOK_ARCH_X86_64, task, task, X_OPENAT, (uint64_t)-100,
	                    path("/fs/hello.txt"), 0, 0, 0, &host);
}

START_TEST(descriptors_are_limited_per_task_and_freed_with_it)
{
	uint32_t others = FSHOOK_MAX_FILES / FSHOOK_MAX_PER_TASK;

	for (uint32_t t = 0; t < others; t++) {
		for (int i = 0; i < FSHOOK_MAX_PER_TASK; i++)
			ck_assert_int_ge(open_as(TASK + 1 + t), 0);
		ck_assert_int_eq(open_as(TASK + 1 + t), -24);
	}
	ck_assert_int_eq(open_handles, FSHOOK_MAX_FILES);
	ck_assert_int_eq(open_as(TASK), -24); /* the table is full */
	dead = true;                          /* the other tasks are gone: their files make room */
	ck_assert_int_ge(open_as(TASK), 0);
	ck_assert_int_eq(open_handles, 1);
}
END_TEST

START_TEST(frames_that_are_not_whole_or_not_the_senders_are_refused)
{
	bool host;
	static char page[XOUS_PAGE_SIZE];
	xous_envelope_t env =
	        rec_memory(XOUS_MUTABLE_BORROW, TASK, 1, GLOBAL_ABI_HOOK, NULL, "", 0);
	struct abi_hook_frame fr = {
	        .magic = ABI_HOOK_MAGIC, .arch = ABI_HOOK_ARCH_X86_64, .task = TASK};

	ck_assert_int_eq(hook_call_as(ABI_HOOK_ARCH_X86_64, TASK, TASK + 1, X_OPEN,
	                              path("/fs/hello.txt"), 0, 0, 0, 0, &host),
	                 INT64_MIN);
	ck_assert_int_eq(hook_call_as(0x40000003, TASK, TASK, X_OPEN, path("/fs/hello.txt"), 0, 0,
	                              0, 0, &host),
	                 INT64_MIN);
	env.memory.buf.addr = page;
	env.memory.buf.len = sizeof(fr) - 1;
	memcpy(page, &fr, sizeof(fr));
	ck_assert_int_lt(fshook_frame(&env, &fr), 0);
	env.memory.buf.len = sizeof(page);
	ck_assert_int_eq(fshook_frame(&env, &fr), 0);
	env.memory.id = GLOBAL_ABI_HOOK + 1;
	ck_assert_int_lt(fshook_frame(&env, &fr), 0);
	ck_assert_int_eq(open_handles, 0);
}
END_TEST

START_TEST(rv32_calls_map_onto_the_same_service)
{
	bool host;
	int64_t fd = hook_call_as(ABI_HOOK_ARCH_RISCV32, TASK, TASK, 56, (uint64_t)-100,
	                          path("/fs/hello.txt"), 0, 0, 0, &host);

	ck_assert(!host);
	ck_assert_int_eq(fd, 5);
	ck_assert_int_eq(hook_call_as(ABI_HOOK_ARCH_RISCV32, TASK, TASK, 63, (uint64_t)fd, BUF_AT,
	                              100, 0, 0, &host),
	                 sizeof(hello) - 1);
	ck_assert(!memcmp(mem + (BUF_AT - MEM_BASE), hello, sizeof(hello) - 1));
	/* _llseek(fd, 0, 11, &pos, SEEK_SET): the 64-bit position lands at pos */
	ck_assert_int_eq(hook_call_as(ABI_HOOK_ARCH_RISCV32, TASK, TASK, 62, (uint64_t)fd, 0, 11,
	                              BUF_AT + 512, 0, &host),
	                 0);
	ck_assert(!host);
	int64_t pos;
	memcpy(&pos, mem + (BUF_AT + 512 - MEM_BASE), sizeof(pos));
	ck_assert_int_eq(pos, 11);
	ck_assert_int_eq(hook_call_as(ABI_HOOK_ARCH_RISCV32, TASK, TASK, 63, (uint64_t)fd, BUF_AT,
	                              100, 0, 0, &host),
	                 sizeof(hello) - 1 - 11);
	ck_assert(!memcmp(mem + (BUF_AT - MEM_BASE), hello + 11, sizeof(hello) - 1 - 11));
	/* from the end, past the start: EINVAL, the position kept */
	ck_assert_int_eq(hook_call_as(ABI_HOOK_ARCH_RISCV32, TASK, TASK, 62, (uint64_t)fd,
	                              0xffffffffu, (uint32_t)-1000, BUF_AT + 512, 2, &host),
	                 -22);
	hook_call_as(ABI_HOOK_ARCH_RISCV32, TASK, TASK, 64, 1, BUF_AT, 5, 0, 0, &host); /* write */
	ck_assert(host);
	hook_call_as(ABI_HOOK_ARCH_RISCV32, TASK, TASK, 57, (uint64_t)fd, 0, 0, 0, 0, &host);
	ck_assert(host);
	ck_assert_int_eq(open_handles, 0);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("servers.fshook");

	ADD(s, cat_reads_a_file_under_fs);
	ADD(s, a_read_stops_at_the_most_one_call_moves);
	ADD(s, other_paths_and_descriptors_go_to_the_host);
	ADD(s, the_fs_is_read_only_and_missing_files_are_enoent);
	ADD(s, dot_dot_never_leaves_fs);
	ADD(s, ls_lists_a_directory);
	ADD(s, descriptors_are_limited_per_task_and_freed_with_it);
	ADD(s, frames_that_are_not_whole_or_not_the_senders_are_refused);
	ADD(s, rv32_calls_map_onto_the_same_service);
	return rec_run(s);
}
