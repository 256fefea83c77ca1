/* servers.fs.*: the fs server's dispatch over an image made by mkfs.fat,
 * without a kernel (and the FAT core's cases of test_fat.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fssrv.h"
#include "image.h"
#include "recorder.h"
#include "rpc_ool.h"

void fat_cases(Suite *s, SFun setup);

static struct fs_state st;
static uint8_t *region;
static struct ool_received got;
static bool have_got;
static xous_pid_t dead_pid; /* the one process that is gone (0: none) */

static xous_err_t fake_name(xous_pid_t pid, char *buf, size_t len)
{
	if (pid == dead_pid || pid == 0)
		return XOUS_ERR_PROCESS_NOT_FOUND;
	snprintf(buf, len, "prog%u", (unsigned)pid);
	return XOUS_OK;
}

static void setup(void)
{
	rec_reset();
	dead_pid = 0;
	if (have_got)
		ool_received_free(&got);
	have_got = false;
}

static void mount_fs(int fat, unsigned mib, const char *extra)
{
	img_make(fat, mib, extra);
	fs_init(&st, &img_vol, fake_name);
}

/* The region of the next call, zeroed, whole pages. */
static xous_range_t fresh_region(size_t len)
{
	len = (len + XOUS_PAGE_SIZE - 1) / XOUS_PAGE_SIZE * XOUS_PAGE_SIZE;
	free(region);
	region = aligned_alloc(XOUS_PAGE_SIZE, len);
	ck_assert_ptr_nonnull(region);
	memset(region, 0, len);
	return (xous_range_t){region, len};
}

/* One framed call from pid with room for a reply of `room` bytes; the
 * reply (status OK and a descriptor) decoded into `got`. */
static xous_err_t call(xous_pid_t pid, uint32_t op, const ProtobufCMessage *req,
                       const ProtobufCMessageDescriptor *rd, size_t room)
{
	struct ool_frame f;
	xous_envelope_t e;
	xous_answer_t a;

	ck_assert_int_eq(ool_plan(&f, req, NULL, 0, XOUS_OOL_CROSSOVER), XOUS_OK);
	e = (xous_envelope_t){.sender = rec_sender(pid, 1), .kind = XOUS_MUTABLE_BORROW};
	e.memory.id = op;
	e.memory.buf = fresh_region(f.total > room + 1024 ? f.total : room + 1024);
	e.memory.offset = XOUS_RPC_FRAMED_OFFSET;
	e.memory.valid = ool_write(&f, region, 1);
	ool_frame_free(&f);
	a = rec_dispatched(&e, fs_dispatch(&st, &e));
	ck_assert_int_eq(a.kind, XOUS_ANSWER_MEMORY);
	if (have_got)
		ool_received_free(&got);
	have_got = false;
	if (a.v[0] == XOUS_OK && rd) {
		ck_assert_int_eq(ool_receive(rd, region, a.v[1], 1, OOL_COPY, &got), XOUS_OK);
		have_got = true;
	}
	return (xous_err_t)a.v[0];
}

static xous_err_t do_create(xous_pid_t pid, const char *path, bool exist_ok, int32_t *h)
{
	FsPb__CreateRequest req = FS_PB__CREATE_REQUEST__INIT;
	xous_err_t err;

	req.path = (char *)path;
	req.exist_ok = exist_ok;
	err = call(pid, FS_OP_CREATE, &req.base, &fs_pb__handle__descriptor, 64);
	*h = err ? 0 : ((FsPb__Handle *)got.msg)->handle;
	return err;
}

static xous_err_t do_open(xous_pid_t pid, const char *path, int32_t *h)
{
	FsPb__Path req = FS_PB__PATH__INIT;
	xous_err_t err;

	req.path = (char *)path;
	err = call(pid, FS_OP_OPEN, &req.base, &fs_pb__handle__descriptor, 64);
	*h = err ? 0 : ((FsPb__Handle *)got.msg)->handle;
	return err;
}

static xous_err_t do_close(xous_pid_t pid, int32_t h)
{
	FsPb__Handle req = FS_PB__HANDLE__INIT;

	req.handle = h;
	return call(pid, FS_OP_CLOSE, &req.base, NULL, 0);
}

static xous_err_t do_write(xous_pid_t pid, int32_t h, uint64_t off, const void *data, size_t len)
{
	FsPb__WriteRequest req = FS_PB__WRITE_REQUEST__INIT;

	req.handle = h;
	req.offset = off;
	req.data.data = (uint8_t *)data;
	req.data.len = len;
	return call(pid, FS_OP_WRITE, &req.base, NULL, 0);
}

/* Read into out; the data's place in the region through *at. */
static xous_err_t do_read(xous_pid_t pid, int32_t h, uint64_t off, size_t len, void *out, size_t *n)
{
	FsPb__ReadRequest req = FS_PB__READ_REQUEST__INIT;
	xous_err_t err;

	req.handle = h;
	req.offset = off;
	req.len = len;
	err = call(pid, FS_OP_READ, &req.base, &fs_pb__data__descriptor, len + 512);
	*n = 0;
	if (err == XOUS_OK) {
		const FsPb__Data *d = (const FsPb__Data *)got.msg;
		ck_assert_uint_le(d->data.len, len);
		if (d->data.len)
			memcpy(out, d->data.data, d->data.len);
		*n = d->data.len;
	}
	return err;
}

static xous_err_t do_path(xous_pid_t pid, uint32_t op, const char *path)
{
	FsPb__Path req = FS_PB__PATH__INIT;

	req.path = (char *)path;
	return call(pid, op, &req.base, op == FS_OP_STAT ? &fs_pb__stat__descriptor : NULL, 1024);
}

START_TEST(files_go_through_dispatch_and_read_back_with_mcopy)
{
	size_t len = 3u << 20, n;
	uint8_t *data = malloc(len), *back = malloc(len);
	int32_t h;

	mount_fs(32, 64, NULL);
	img_pattern(data, len, 11, 0);
	ck_assert_int_eq(do_create(3, "/Big File.bin", false, &h), XOUS_OK);
	ck_assert_int_gt(h, 0);
	ck_assert_int_eq(do_write(3, h, 0, data, len), XOUS_OK);
	ck_assert_int_eq(do_read(3, h, 0, len, back, &n), XOUS_OK);
	ck_assert_uint_eq(n, len);
	ck_assert(memcmp(back, data, len) == 0);
	{ /* answered in place: the data's item lies inside the caller's region */
		const struct xous_rpc_trailer *t =
		        (const void *)(region + rec_last()->v2 - sizeof(*t));
		const struct xous_rpc_ool_item *it =
		        (const void *)((const uint8_t *)t - sizeof(*it) * t->count);
		ck_assert_uint_eq(t->count, 1);
		ck_assert_uint_ge(it->offset, 64);
	}
	ck_assert_int_eq(do_read(3, h, len - 10, 100, back, &n), XOUS_OK);
	ck_assert_uint_eq(n, 10);
	ck_assert_int_eq(do_read(3, h, len, 100, back, &n), XOUS_OK);
	ck_assert_uint_eq(n, 0);
	ck_assert_int_eq(do_close(3, h), XOUS_OK);
	ck_assert_int_eq(do_close(3, h), XOUS_ERR_INVALID_ARGUMENT);
	ck_assert_int_eq(do_path(3, FS_OP_STAT, "/big file.BIN"), XOUS_OK);
	ck_assert_uint_eq(((FsPb__Stat *)got.msg)->size, len);
	ck_assert_str_eq(((FsPb__Stat *)got.msg)->name, "Big File.bin");
	img_fsck_clean();
	free(back);
	back = img_mcopy_out("/Big File.bin", &n);
	ck_assert_uint_eq(n, len);
	ck_assert(memcmp(back, data, len) == 0);
	free(back);
	free(data);
}
END_TEST

START_TEST(create_open_and_their_errors)
{
	int32_t h, h2;

	mount_fs(16, 16, NULL);
	ck_assert_int_eq(do_open(3, "/none", &h), XOUS_ERR_NOT_FOUND);
	ck_assert_int_eq(do_create(3, "/f.txt", false, &h), XOUS_OK);
	ck_assert_int_eq(do_write(3, h, 0, "hello", 5), XOUS_OK);
	ck_assert_int_eq(do_create(3, "/f.txt", false, &h2), XOUS_ERR_ALREADY_EXISTS);
	ck_assert_int_eq(do_create(3, "/F.TXT", true, &h2), XOUS_OK); /* opens unchanged */
	ck_assert_int_ne(h2, h);
	ck_assert_int_eq(do_path(3, FS_OP_STAT, "/f.txt"), XOUS_OK);
	ck_assert_uint_eq(((FsPb__Stat *)got.msg)->size, 5);
	ck_assert_int_eq(do_path(3, FS_OP_STAT, "/nope"), XOUS_ERR_NOT_FOUND);
	ck_assert_int_eq(do_path(3, FS_OP_MKDIR, "/d"), XOUS_OK);
	ck_assert_int_eq(do_open(3, "/d", &h2), XOUS_ERR_INVALID_ARGUMENT);
	ck_assert_int_eq(do_create(3, "/d/x/y", false, &h2), XOUS_ERR_NOT_FOUND);
	ck_assert_int_eq(do_path(3, FS_OP_STAT, "/d"), XOUS_OK);
	ck_assert(((FsPb__Stat *)got.msg)->is_dir);
	ck_assert_int_eq(do_create(3, "/bad|name", false, &h2), XOUS_ERR_INVALID_ARGUMENT);
	img_fsck_clean();
}
END_TEST

START_TEST(handles_belong_to_their_process)
{
	int32_t h;
	size_t n;
	char buf[8];

	mount_fs(16, 16, NULL);
	ck_assert_int_eq(do_create(3, "/mine", false, &h), XOUS_OK);
	ck_assert_int_eq(do_write(4, h, 0, "x", 1), XOUS_ERR_INVALID_ARGUMENT);
	ck_assert_int_eq(do_read(4, h, 0, 1, buf, &n), XOUS_ERR_INVALID_ARGUMENT);
	ck_assert_int_eq(do_close(4, h), XOUS_ERR_INVALID_ARGUMENT);
	ck_assert_int_eq(do_close(3, h + (1 << 9)), XOUS_ERR_INVALID_ARGUMENT); /* a stale one */
	ck_assert_int_eq(do_close(3, -5), XOUS_ERR_INVALID_ARGUMENT);
	ck_assert_int_eq(do_close(3, 0x7fffffff), XOUS_ERR_INVALID_ARGUMENT);
	ck_assert_int_eq(do_write(3, h, 0, "x", 1), XOUS_OK);
	ck_assert_int_eq(do_close(3, h), XOUS_OK);
}
END_TEST

START_TEST(handles_close_when_their_process_ends)
{
	int32_t h, first = 0;
	xous_err_t err;
	int opened = 0;

	mount_fs(16, 16, NULL);
	ck_assert_int_eq(do_create(5, "/held", false, &first), XOUS_OK);
	while ((err = do_open(5, "/held", &h)) == XOUS_OK)
		opened++;
	ck_assert_int_eq(err, XOUS_ERR_OUT_OF_MEMORY);
	ck_assert_int_eq(opened + 1, FS_HANDLES_PER_PID);
	ck_assert_int_eq(do_path(6, FS_OP_REMOVE, "/held"), XOUS_ERR_SHARE_VIOLATION);
	dead_pid = 5; /* the process ends */
	ck_assert_int_eq(do_path(6, FS_OP_REMOVE, "/held"), XOUS_OK);
	ck_assert_int_eq(do_close(5, first), XOUS_ERR_INVALID_ARGUMENT);
	/* every slot of the table taken by the living, then freed by a death */
	dead_pid = 0;
	ck_assert_int_eq(do_create(7, "/x", false, &h), XOUS_OK);
	for (xous_pid_t p = 8; p < 8 + FS_MAX_HANDLES / FS_HANDLES_PER_PID; p++)
		while (do_open(p, "/x", &h) == XOUS_OK)
			;
	ck_assert_int_eq(do_open(40, "/x", &h), XOUS_ERR_OUT_OF_MEMORY);
	dead_pid = 8;
	ck_assert_int_eq(do_open(40, "/x", &h), XOUS_OK);
	img_fsck_clean();
}
END_TEST

START_TEST(writers_to_different_files_interleave_byte_exact)
{
	enum { FILES = 4, PIECE = 3000, ROUNDS = 40 };
	uint8_t piece[PIECE], *want;
	int32_t h[FILES];
	char path[32];
	size_t n;

	mount_fs(16, 16, NULL);
	for (int f = 0; f < FILES; f++) {
		snprintf(path, sizeof(path), "/writer %d.log", f);
		ck_assert_int_eq(do_create((xous_pid_t)(10 + f), path, false, &h[f]), XOUS_OK);
	}
	/* round r: each writer writes its piece r at its own offset, backwards */
	for (int r = ROUNDS - 1; r >= 0; r--)
		for (int f = 0; f < FILES; f++) {
			img_pattern(piece, PIECE, (uint32_t)f, (uint64_t)r * PIECE);
			ck_assert_int_eq(do_write((xous_pid_t)(10 + f), h[f], (uint64_t)r * PIECE,
			                          piece, PIECE),
			                 XOUS_OK);
		}
	want = malloc(PIECE * ROUNDS);
	for (int f = 0; f < FILES; f++) {
		uint8_t *back;
		snprintf(path, sizeof(path), "/writer %d.log", f);
		img_pattern(want, PIECE * ROUNDS, (uint32_t)f, 0);
		back = img_mcopy_out(path, &n);
		ck_assert_uint_eq(n, PIECE * ROUNDS);
		ck_assert(memcmp(back, want, n) == 0);
		free(back);
	}
	free(want);
	img_fsck_clean();
}
END_TEST

START_TEST(list_rename_remove_truncate_and_sync)
{
	FsPb__ListRequest lr = FS_PB__LIST_REQUEST__INIT;
	FsPb__RenameRequest rr = FS_PB__RENAME_REQUEST__INIT;
	FsPb__TruncateRequest tr = FS_PB__TRUNCATE_REQUEST__INIT;
	FsPb__Empty empty = FS_PB__EMPTY__INIT;
	const FsPb__ListReply *l;
	int32_t h;

	mount_fs(12, 4, NULL);
	ck_assert_int_eq(do_path(3, FS_OP_MKDIR, "/d"), XOUS_OK);
	ck_assert_int_eq(do_path(3, FS_OP_MKDIR, "/d"), XOUS_ERR_ALREADY_EXISTS);
	ck_assert_int_eq(do_create(3, "/d/one", false, &h), XOUS_OK);
	ck_assert_int_eq(do_write(3, h, 0, "0123456789", 10), XOUS_OK);
	lr.path = "/d";
	lr.max = 1000;
	ck_assert_int_eq(call(3, FS_OP_LIST, &lr.base, &fs_pb__list_reply__descriptor, 1 << 20),
	                 XOUS_OK);
	l = (const FsPb__ListReply *)got.msg;
	ck_assert_uint_eq(l->n_entries, 1);
	ck_assert_str_eq(l->entries[0]->name, "one");
	ck_assert_uint_eq(l->entries[0]->size, 10);
	lr.path = "/d/one";
	ck_assert_int_eq(call(3, FS_OP_LIST, &lr.base, &fs_pb__list_reply__descriptor, 1 << 20),
	                 XOUS_ERR_INVALID_ARGUMENT);
	tr.handle = h;
	tr.size = 4;
	ck_assert_int_eq(call(3, FS_OP_TRUNCATE, &tr.base, NULL, 0), XOUS_OK);
	rr.from = "/d/one";
	rr.to = "/two and more";
	ck_assert_int_eq(call(3, FS_OP_RENAME, &rr.base, NULL, 0), XOUS_OK);
	ck_assert_int_eq(do_path(3, FS_OP_STAT, "/two and more"), XOUS_OK);
	ck_assert_uint_eq(((FsPb__Stat *)got.msg)->size, 4);
	ck_assert_int_eq(do_path(3, FS_OP_REMOVE, "/two and more"), XOUS_ERR_SHARE_VIOLATION);
	ck_assert_int_eq(do_close(3, h), XOUS_OK);
	ck_assert_int_eq(do_path(3, FS_OP_REMOVE, "/two and more"), XOUS_OK);
	ck_assert_int_eq(do_path(3, FS_OP_REMOVE, "/d"), XOUS_OK);
	ck_assert_int_eq(call(3, FS_OP_SYNC, &empty.base, NULL, 0), XOUS_OK);
	img_fsck_clean();
}
END_TEST

START_TEST(a_full_disk_answers_no_space_through_dispatch)
{
	size_t len = 9u << 20;
	uint8_t *data = calloc(1, len);
	int32_t h;

	mount_fs(16, 8, "-s 1");
	ck_assert_int_eq(do_create(3, "/too big", false, &h), XOUS_OK);
	ck_assert_int_eq(do_write(3, h, 0, data, len), XOUS_ERR_NO_SPACE);
	ck_assert_int_eq(do_path(3, FS_OP_STAT, "/too big"), XOUS_OK);
	ck_assert_uint_eq(((FsPb__Stat *)got.msg)->size, 0);
	img_fsck_clean();
	free(data);
}
END_TEST

START_TEST(without_a_volume_every_call_fails_storage_error)
{
	int32_t h;
	xous_envelope_t e;

	fs_init(&st, NULL, fake_name);
	ck_assert_int_eq(do_create(3, "/f", false, &h), XOUS_ERR_STORAGE_ERROR);
	ck_assert_int_eq(do_path(3, FS_OP_STAT, "/"), XOUS_ERR_STORAGE_ERROR);
	e = rec_scalar(XOUS_BLOCKING_SCALAR, 3, 1, FS_OP_SYNC, 0, 0, 0);
	ck_assert_int_eq(fs_dispatch(&st, &e).kind, XOUS_ANSWER_NONE);
}
END_TEST

START_TEST(scalars_and_bad_frames_are_refused)
{
	xous_envelope_t e;
	xous_answer_t a;

	mount_fs(16, 16, NULL);
	e = rec_scalar(XOUS_BLOCKING_SCALAR, 3, 1, FS_OP_OPEN, 1, 2, 3);
	ck_assert_int_eq(fs_dispatch(&st, &e).kind, XOUS_ANSWER_NONE);
	e = rec_memory(XOUS_MUTABLE_BORROW, 3, 1, 99, NULL, "x", 1);
	a = fs_dispatch(&st, &e);
	ck_assert_uint_eq(a.v[0], XOUS_ERR_INVALID_ARGUMENT);
	e = rec_memory(XOUS_MUTABLE_BORROW, 3, 1, FS_OP_OPEN, NULL, "\xff\xff\xff", 3);
	a = fs_dispatch(&st, &e);
	ck_assert_uint_ne(a.v[0], XOUS_OK);
}
END_TEST

int main(void)
{
	Suite *s;

	/* Each case runs mkfs.fat, mtools and fsck.fat several times: seconds on
	 * a loaded machine. The timeout only catches a hang (read before the
	 * cases are made). */
	setenv("CK_DEFAULT_TIMEOUT", "300", 0);
	s = suite_create("fs");

	ADD(s, files_go_through_dispatch_and_read_back_with_mcopy);
	ADD(s, create_open_and_their_errors);
	ADD(s, handles_belong_to_their_process);
	ADD(s, handles_close_when_their_process_ends);
	ADD(s, writers_to_different_files_interleave_byte_exact);
	ADD(s, list_rename_remove_truncate_and_sync);
	ADD(s, a_full_disk_answers_no_space_through_dispatch);
	ADD(s, without_a_volume_every_call_fails_storage_error);
	ADD(s, scalars_and_bad_frames_are_refused);
	fat_cases(s, setup);
	return rec_run(s);
}
