/*
 * hook: the ABI hook (CONTRACT section 7) with the fshook server on both
 * kernels: a foreign binary's file calls under /fs/ are served from the fs
 * server. The program writes three files through the fs server, then
 * launches a cmp hooked by fshook (Debian's /usr/bin/cmp on Linux;
 * hook_cmp, an RV32 Linux program of raw ecalls, on kernel-riscv): two
 * files with the same bytes compare the same (exit 0), files that differ
 * differ (1), a missing file is trouble (2). On kernel-riscv hook_cmp also
 * checks the answers of a read-only hook and of the kernel's own subset.
 * A hook of the program's own (a thread serving "conf-hook") sees each
 * call as a frame from the task with the kernel's arch, reads the task's
 * memory while it holds a call, and lets the host make every call; a hook
 * that destroys its server with a call held ends the task, and only it.
 * On kernel-riscv device registers are no buffer for the hook's calls. A
 * name given back no longer names a hook, and once registered again it
 * names the new server alone. Then the launch's refusals, and the hook's
 * calls refused to a process that is not a hook.
 */
#include <stdio.h>
#include <string.h>

#include <resea/abi_hook.h>
#include <resea/fs.h>
#include <resea/global.h>
#include <resea/task.h>
#include <xous/names.h>

#include "conf.h"

#ifdef __riscv
#define CMP "hook_cmp"
#else
#define CMP "/usr/bin/cmp"
#endif
#define EXITED   0x48
#define FILE_LEN 5000
#define CMP_A    "/fs/hook-a.txt"

/* The status of a task its hook ended: SIGKILL (Linux), the ecall's fault (RV32). */
#ifdef __riscv
#define ARCH        ABI_HOOK_ARCH_RISCV32
#define NR_OPENAT   56
#define HOOK_KILLED (256 + 8)
#else
#define ARCH        ABI_HOOK_ARCH_X86_64
#define NR_OPENAT   257
#define HOOK_KILLED (256 + 9)
#endif

/* A hook of the program's own: its server, its counts, and whether it
 * should fail the next call. */
struct own_hook {
	xous_sid_t sid;
	volatile unsigned calls, bad_frames, saw_path, devices_refused;
	volatile int fail_next;
};

#ifdef __riscv
#include <xous/device.h>

#define DEVICE_REFUSALS 2
/* Device registers as the hook's buffer (qemu virt's RTC, which no server
 * maps; the image lets this program map devices): both calls refuse them,
 * BAD_ADDRESS, and the kernel never reaches them. */
static unsigned device_buffer_refusals(const struct abi_hook_frame *fr)
{
	xous_range_t r;
	size_t n = 0;
	unsigned refused;

	if (xous_map_physical(0x00101000u, 4096, XOUS_MEM_R | XOUS_MEM_W, &r) != XOUS_OK)
		return 0;
	refused = (abi_hook_read(fr->task, fr->args[1], r.addr, 4, &n) == XOUS_ERR_BAD_ADDRESS) +
	          (abi_hook_write(fr->task, fr->args[1], r.addr, 4, &n) == XOUS_ERR_BAD_ADDRESS);
	xous_unmap_memory(r);
	return refused;
}
#else
#define DEVICE_REFUSALS 0
/* Linux has no device registers to give the hook's calls. */
static unsigned device_buffer_refusals(const struct abi_hook_frame *fr)
{
	(void)fr;
	return 0;
}
#endif

/* An openat's path argument as the hook reads it from the task. */
static void look_at_path(struct own_hook *h, const struct abi_hook_frame *fr)
{
	char path[sizeof(CMP_A)] = {0};
	size_t n = 0;

	if (fr->nr == NR_OPENAT &&
	    abi_hook_read(fr->task, fr->args[1], path, sizeof(path) - 1, &n) == XOUS_OK &&
	    n == sizeof(path) - 1 && !strcmp(path, CMP_A)) {
		h->saw_path++;
		h->devices_refused += device_buffer_refusals(fr);
	}
}

/* Serve h until its server is gone, or destroy it with a call held. */
static void *own_hook(void *arg)
{
	struct own_hook *h = arg;
	xous_envelope_t env;

	while (xous_receive_message(&h->sid, &env) == XOUS_OK) {
		struct abi_hook_frame fr;

		if (env.kind != XOUS_MUTABLE_BORROW || env.memory.id != GLOBAL_ABI_HOOK ||
		    env.memory.buf.len < sizeof(fr)) {
			xous_envelope_done(&env);
			continue;
		}
		memcpy(&fr, env.memory.buf.addr, sizeof(fr));
		h->calls++;
		h->bad_frames += fr.magic != ABI_HOOK_MAGIC || fr.arch != ARCH ||
		                 fr.task != xous_sender_pid(env.sender);
		look_at_path(h, &fr);
		if (h->fail_next) { /* with the call held: the task must end */
			xous_destroy_server(&h->sid);
			xous_envelope_done(&env);
			break;
		}
		fr.action = ABI_HOOK_HOST;
		memcpy(env.memory.buf.addr, &fr, sizeof(fr));
		xous_envelope_done(&env);
	}
	return NULL;
}

/* Write path with len bytes of conf_fill(seed), byte flip (if < len) changed. */
static void put_file(const char *path, unsigned seed, size_t flip)
{
	static uint8_t data[FILE_LEN];
	fs_handle_t h;

	conf_fill(data, sizeof(data), seed);
	if (flip < sizeof(data))
		data[flip] ^= 0x5a;
	CHECK_OK(fs_create(path, true, &h));
	CHECK_OK(fs_write(h, 0, data, sizeof(data)));
	CHECK_OK(fs_close(h));
}

/* The exit status of "abi-hook=HOOK CMP args", or 999 if it did not run. */
static uint32_t hooked_by(const char *hook, const xous_sid_t *sid, const char *args)
{
	char line[200];
	xous_envelope_t env;
	task_t t;
	xous_err_t err;

	snprintf(line, sizeof(line), "abi-hook=%s " CMP " %s", hook, args);
	if ((err = task_launch(line, &t)) != XOUS_OK) {
		printf("FAIL launching %s: %s\n", line, xous_strerror(err));
		return 999;
	}
	CHECK_OK(task_watch(t, sid, EXITED));
	CHECK_OK(xous_receive_message(sid, &env));
	CHECK(env.kind == XOUS_SCALAR && env.scalar.id == EXITED && env.scalar.arg[0] == t);
	return (uint32_t)env.scalar.arg[1];
}

static uint32_t hooked(const xous_sid_t *sid, const char *args)
{
	return hooked_by("fshook", sid, args);
}

/* The program's own hook: every call reaches it, the host makes them
 * (so /fs is the host's: cmp cannot open the file); then its failure. */
static void own_hook_sees_every_call(const xous_sid_t *sid)
{
	static struct own_hook h;
	xous_tid_t tid;

	CHECK_OK(xns_register_name("conf-hook", 0, &h.sid));
	CHECK_OK(xous_create_thread(own_hook, &h, &tid));
	CHECK(hooked_by("conf-hook", sid, "-s " CMP_A " /fs/hook-b.txt") == 2);
	CHECK(h.calls > 0 && h.bad_frames == 0 && h.saw_path == 1 &&
	      h.devices_refused == DEVICE_REFUSALS);
	h.fail_next = 1;
	CHECK(hooked_by("conf-hook", sid, "-s " CMP_A " /fs/hook-b.txt") == HOOK_KILLED);
	CHECK_OK(xous_join_thread(tid, NULL));
}

/* A name its server gave back hooks nothing (the bare prefix says
 * SERVER_NOT_FOUND, not INVALID_ARGUMENT); registered again by another
 * server, it hooks that one alone, though the first still lives. */
static void a_name_given_back_hooks_no_more(const xous_sid_t *sid)
{
	static struct own_hook before, after;
	xous_tid_t a, b;
	task_t t;

	CHECK_OK(xns_register_name("conf-hook-2", 0, &before.sid));
	CHECK_OK(xous_create_thread(own_hook, &before, &a));
	CHECK_OK(xns_unregister(&before.sid));
	CHECK_ERR(task_launch("abi-hook=conf-hook-2", &t), XOUS_ERR_SERVER_NOT_FOUND);
	CHECK_OK(xns_register_name("conf-hook-2", 0, &after.sid));
	CHECK_OK(xous_create_thread(own_hook, &after, &b));
	CHECK(hooked_by("conf-hook-2", sid, "-s " CMP_A " /fs/hook-b.txt") == 2);
	CHECK(before.calls == 0 && after.calls > 0);
	CHECK_OK(xous_destroy_server(&before.sid));
	CHECK_OK(xous_destroy_server(&after.sid));
	CHECK_OK(xous_join_thread(a, NULL));
	CHECK_OK(xous_join_thread(b, NULL));
}

int main(void)
{
	xous_sid_t sid;
	task_t t;
	size_t n;
	int fd;
	char b;

	put_file("/hook-a.txt", 3, FILE_LEN);
	put_file("/hook-b.txt", 3, FILE_LEN);
	put_file("/hook-c.txt", 3, 4000);
	CHECK_OK(xous_create_server(&sid));
	CHECK(hooked(&sid, "-s /fs/hook-a.txt /fs/hook-b.txt") == 0);
	CHECK(hooked(&sid, "/fs/hook-a.txt /fs/hook-c.txt") == 1);
	CHECK(hooked(&sid, "-s /fs/hook-a.txt /fs/no-such-file.txt") == 2);
#ifdef __riscv
	CHECK(hooked(&sid, "--refusals /fs/hook-a.txt") == 0);
#endif
	own_hook_sees_every_call(&sid);
	a_name_given_back_hooks_no_more(&sid);
	CHECK(hooked(&sid, "-s /fs/hook-a.txt /fs/hook-b.txt") == 0); /* fshook still serves */
	CHECK_ERR(task_launch("abi-hook=no-such-hook " CMP " /fs/hook-a.txt /fs/hook-b.txt", &t),
	          XOUS_ERR_SERVER_NOT_FOUND);
	CHECK_ERR(task_launch("abi-hook=fshook", &t), XOUS_ERR_INVALID_ARGUMENT);
	CHECK_ERR(abi_hook_read(xous_process_id(), (uintptr_t)&b, &b, 1, &n),
	          XOUS_ERR_PROCESS_NOT_FOUND);
	CHECK_ERR(abi_hook_write(xous_process_id(), (uintptr_t)&b, &b, 1, &n),
	          XOUS_ERR_PROCESS_NOT_FOUND);
	CHECK_ERR(abi_hook_fd(xous_process_id(), 0, &fd), XOUS_ERR_PROCESS_NOT_FOUND);
	return conf_end("hook");
}
