/* servers.blk.*: the blk server's dispatch on a device in memory, without a kernel. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "blk.h"
#include "recorder.h"
#include "rpc_ool.h"

#define MEM_SECTORS (17u * 2048u) /* 17 MiB: room for a transfer of XOUS_OOL_MAX */

static struct {
	uint8_t *bytes;
	xous_err_t fail; /* every call answers it, when set */
	unsigned reads, writes, flushes;
} mem;
static struct blk_device dev;
static struct blk_state st;
static uint8_t *region;

static xous_err_t mem_read(void *ctx, uint64_t sector, void *buf, size_t len)
{
	(void)ctx;
	ck_assert_uint_le(sector * BLK_SECTOR_SIZE + len, (uint64_t)MEM_SECTORS * BLK_SECTOR_SIZE);
	mem.reads++;
	if (!mem.fail)
		memcpy(buf, mem.bytes + sector * BLK_SECTOR_SIZE, len);
	return mem.fail;
}

static xous_err_t mem_write(void *ctx, uint64_t sector, const void *data, size_t len)
{
	(void)ctx;
	ck_assert_uint_le(sector * BLK_SECTOR_SIZE + len, (uint64_t)MEM_SECTORS * BLK_SECTOR_SIZE);
	mem.writes++;
	if (!mem.fail)
		memcpy(mem.bytes + sector * BLK_SECTOR_SIZE, data, len);
	return mem.fail;
}

static xous_err_t mem_flush(void *ctx)
{
	(void)ctx;
	mem.flushes++;
	return mem.fail;
}

static void setup(void)
{
	rec_reset();
	free(mem.bytes);
	memset(&mem, 0, sizeof(mem));
	mem.bytes = calloc(MEM_SECTORS, BLK_SECTOR_SIZE);
	ck_assert_ptr_nonnull(mem.bytes);
	dev = (struct blk_device){.ctx = &mem,
	                          .num_sectors = MEM_SECTORS,
	                          .read = mem_read,
	                          .write = mem_write,
	                          .flush = mem_flush};
	blk_init(&st, &dev);
	free(region);
	region = NULL;
}

static void fill(uint8_t *p, size_t len, unsigned seed)
{
	for (size_t i = 0; i < len; i++)
		p[i] = (uint8_t)(i * 7 + i / 4096 + seed);
}

/* A framed call of msg as the client makes it: a region with room for
 * reply_max bytes more (xous_rpc_call_sized's sizing, roughly). */
static xous_envelope_t framed(enum xous_kind kind, uint32_t op, const ProtobufCMessage *msg,
                              size_t reply_max)
{
	struct ool_frame f;
	xous_envelope_t e;
	size_t size;

	ck_assert_int_eq(ool_plan(&f, msg, NULL, 0, XOUS_OOL_CROSSOVER), XOUS_OK);
	size = f.total > reply_max + 512 ? f.total : reply_max + 512;
	size = (size + XOUS_PAGE_SIZE - 1) / XOUS_PAGE_SIZE * XOUS_PAGE_SIZE;
	free(region);
	region = aligned_alloc(XOUS_PAGE_SIZE, size);
	ck_assert_ptr_nonnull(region);
	memset(&e, 0, sizeof(e));
	e.sender = rec_sender(3, 1);
	e.kind = kind;
	e.memory.id = op;
	e.memory.buf.addr = region;
	e.memory.buf.len = size;
	e.memory.offset = XOUS_RPC_FRAMED_OFFSET;
	e.memory.valid = ool_write(&f, region, 1);
	ool_frame_free(&f);
	return e;
}

static xous_answer_t serve(xous_envelope_t *e)
{
	return rec_dispatched(e, blk_dispatch(&st, e));
}

/* Read: its status; on success the data is compared with want. */
static xous_err_t do_read(uint64_t sector, uint32_t n, size_t room, const uint8_t *want)
{
	BlkPb__ReadRequest r = BLK_PB__READ_REQUEST__INIT;
	struct ool_received got;

	r.sector = sector;
	r.num_sectors = n;
	xous_envelope_t e = framed(XOUS_MUTABLE_BORROW, BLK_OP_READ, &r.base, room);
	xous_answer_t a = serve(&e);
	ck_assert_int_eq(a.kind, XOUS_ANSWER_MEMORY);
	if (a.v[0])
		return (xous_err_t)a.v[0];
	ck_assert_int_eq(ool_receive(&blk_pb__data__descriptor, region, a.v[1], 1, OOL_COPY, &got),
	                 XOUS_OK);
	const BlkPb__Data *d = (const BlkPb__Data *)got.msg;
	ck_assert_uint_eq(d->data.len, (size_t)n * BLK_SECTOR_SIZE);
	ck_assert(memcmp(d->data.data, want, d->data.len) == 0);
	ool_received_free(&got);
	return XOUS_OK;
}

static xous_err_t do_write(uint64_t sector, const uint8_t *data, size_t len)
{
	BlkPb__WriteRequest w = BLK_PB__WRITE_REQUEST__INIT;

	w.sector = sector;
	w.data.data = (uint8_t *)data;
	w.data.len = len;
	xous_envelope_t e = framed(XOUS_MUTABLE_BORROW, BLK_OP_WRITE, &w.base, 0);
	xous_answer_t a = serve(&e);
	ck_assert_int_eq(a.kind, XOUS_ANSWER_MEMORY);
	return (xous_err_t)a.v[0];
}

START_TEST(writes_read_back_at_every_size)
{
	static const size_t sectors[] = {1, 2, 8, 9, 2048, XOUS_OOL_MAX / BLK_SECTOR_SIZE};
	const uint64_t at[] = {
	        0, 7, 1000, 3, MEM_SECTORS - 2048, MEM_SECTORS - XOUS_OOL_MAX / BLK_SECTOR_SIZE};

	for (size_t i = 0; i < sizeof(sectors) / sizeof(sectors[0]); i++) {
		size_t len = sectors[i] * BLK_SECTOR_SIZE;
		uint8_t *data = malloc(len);
		uint64_t sector = at[i];

		fill(data, len, (unsigned)i);
		ck_assert_uint_eq(do_write(sector, data, len), XOUS_OK);
		ck_assert(memcmp(mem.bytes + sector * BLK_SECTOR_SIZE, data, len) == 0);
		ck_assert_uint_eq(do_read(sector, (uint32_t)sectors[i], len, data), XOUS_OK);
		free(data);
	}
}
END_TEST

/* The client's region has room for the data: it is read there and the
 * reply refers to it where it is. */
START_TEST(a_read_lands_in_the_callers_region)
{
	BlkPb__ReadRequest r = BLK_PB__READ_REQUEST__INIT;

	fill(mem.bytes, 64 * BLK_SECTOR_SIZE, 3);
	r.num_sectors = 64;
	xous_envelope_t e = framed(XOUS_MUTABLE_BORROW, BLK_OP_READ, &r.base, 64 * 512);
	xous_answer_t a = serve(&e);
	ck_assert_uint_eq(a.v[0], XOUS_OK);
	const struct xous_rpc_trailer *t = (const void *)(region + a.v[1] - sizeof(*t));
	const struct xous_rpc_ool_item *it = (const void *)((const uint8_t *)t - sizeof(*it));
	ck_assert_uint_eq(t->count, 1);
	ck_assert_uint_eq(it->length, 64 * 512);
	ck_assert(memcmp(region + it->offset, mem.bytes, it->length) == 0);
}
END_TEST

/* A region without room (a raw client's) still gets the data, or NoSpace:
 * never a write past it. */
START_TEST(a_small_region_is_answered_no_space_or_in_full)
{
	fill(mem.bytes, 16 * BLK_SECTOR_SIZE, 5);
	ck_assert_uint_eq(do_read(0, 16, 0, mem.bytes), XOUS_ERR_NO_SPACE);
	ck_assert_uint_eq(do_read(0, 1, 0, mem.bytes), XOUS_OK); /* fits beside the frame */
}
END_TEST

START_TEST(ranges_outside_the_device_are_invalid)
{
	uint8_t s[2 * BLK_SECTOR_SIZE] = {0};

	ck_assert_uint_eq(do_read(MEM_SECTORS, 1, 512, s), XOUS_ERR_INVALID_ARGUMENT);
	ck_assert_uint_eq(do_read(MEM_SECTORS - 1, 2, 1024, s), XOUS_ERR_INVALID_ARGUMENT);
	ck_assert_uint_eq(do_read(UINT64_MAX, 1, 512, s), XOUS_ERR_INVALID_ARGUMENT);
	ck_assert_uint_eq(do_read(UINT64_MAX - 1, 4, 4 * 512, s), XOUS_ERR_INVALID_ARGUMENT);
	ck_assert_uint_eq(do_read(0, 0, 0, s), XOUS_ERR_INVALID_ARGUMENT);
	ck_assert_uint_eq(do_read(0, XOUS_OOL_MAX / 512 + 1, 0, s), XOUS_ERR_INVALID_ARGUMENT);
	ck_assert_uint_eq(do_read(MEM_SECTORS - 1, 1, 512, s), XOUS_OK);
	ck_assert_uint_eq(do_write(MEM_SECTORS, s, 512), XOUS_ERR_INVALID_ARGUMENT);
	ck_assert_uint_eq(do_write(MEM_SECTORS - 1, s, 1024), XOUS_ERR_INVALID_ARGUMENT);
	ck_assert_uint_eq(do_write(UINT64_MAX, s, 512), XOUS_ERR_INVALID_ARGUMENT);
	ck_assert_uint_eq(do_write(MEM_SECTORS - 2, s, 1024), XOUS_OK);
	ck_assert_uint_eq(mem.reads, 1);
	ck_assert_uint_eq(mem.writes, 1);
}
END_TEST

START_TEST(partial_sectors_are_invalid)
{
	uint8_t s[1024] = {0};

	ck_assert_uint_eq(do_write(0, s, 0), XOUS_ERR_INVALID_ARGUMENT);
	ck_assert_uint_eq(do_write(0, s, 511), XOUS_ERR_INVALID_ARGUMENT);
	ck_assert_uint_eq(do_write(0, s, 513), XOUS_ERR_INVALID_ARGUMENT);
	ck_assert_uint_eq(mem.writes, 0);
}
END_TEST

START_TEST(device_errors_are_storage_errors)
{
	uint8_t s[512] = {0};
	BlkPb__Empty none = BLK_PB__EMPTY__INIT;

	mem.fail = XOUS_ERR_STORAGE_ERROR;
	ck_assert_uint_eq(do_read(0, 1, 512, s), XOUS_ERR_STORAGE_ERROR);
	ck_assert_uint_eq(do_write(0, s, 512), XOUS_ERR_STORAGE_ERROR);
	xous_envelope_t e = framed(XOUS_MUTABLE_BORROW, BLK_OP_FLUSH, &none.base, 0);
	ck_assert_uint_eq(serve(&e).v[0], XOUS_ERR_STORAGE_ERROR);
}
END_TEST

START_TEST(flush_and_capacity)
{
	BlkPb__Empty none = BLK_PB__EMPTY__INIT;
	struct ool_received got;

	xous_envelope_t e = framed(XOUS_MUTABLE_BORROW, BLK_OP_FLUSH, &none.base, 0);
	ck_assert_uint_eq(serve(&e).v[0], XOUS_OK);
	ck_assert_uint_eq(mem.flushes, 1);
	e = framed(XOUS_MUTABLE_BORROW, BLK_OP_GET_CAPACITY, &none.base, 64);
	xous_answer_t a = serve(&e);
	ck_assert_uint_eq(a.v[0], XOUS_OK);
	ck_assert_int_eq(
	        ool_receive(&blk_pb__capacity__descriptor, region, a.v[1], 1, OOL_COPY, &got),
	        XOUS_OK);
	ck_assert_uint_eq(((BlkPb__Capacity *)got.msg)->num_sectors, MEM_SECTORS);
	ck_assert_uint_eq(((BlkPb__Capacity *)got.msg)->sector_size, 512);
	ool_received_free(&got);
}
END_TEST

/* A Borrow cannot carry a reply: the read happens into memory of the
 * server's own, never into the read-only region. */
START_TEST(a_borrowed_read_leaves_the_region_alone)
{
	BlkPb__ReadRequest r = BLK_PB__READ_REQUEST__INIT;

	fill(mem.bytes, 4 * BLK_SECTOR_SIZE, 9);
	r.num_sectors = 4;
	xous_envelope_t e = framed(XOUS_BORROW, BLK_OP_READ, &r.base, 4 * 512);
	uint8_t *copy = malloc(e.memory.buf.len);
	memcpy(copy, region, e.memory.buf.len);
	xous_answer_t a = serve(&e);
	ck_assert_int_eq(a.kind, XOUS_ANSWER_MEMORY);
	ck_assert_uint_eq(a.v[1], 0);
	ck_assert(memcmp(copy, region, e.memory.buf.len) == 0);
	free(copy);
}
END_TEST

START_TEST(scalars_and_unknown_opcodes)
{
	xous_envelope_t e = rec_scalar(XOUS_BLOCKING_SCALAR, 3, 1, BLK_OP_READ, 0, 1, 0);
	BlkPb__Empty none = BLK_PB__EMPTY__INIT;

	ck_assert_int_eq(serve(&e).kind, XOUS_ANSWER_NONE); /* the loop fails it */
	e = framed(XOUS_MUTABLE_BORROW, 4, &none.base, 0);
	ck_assert_uint_eq(serve(&e).v[0], XOUS_ERR_INVALID_ARGUMENT);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("blk");

	ADD(s, writes_read_back_at_every_size);
	ADD(s, a_read_lands_in_the_callers_region);
	ADD(s, a_small_region_is_answered_no_space_or_in_full);
	ADD(s, ranges_outside_the_device_are_invalid);
	ADD(s, partial_sectors_are_invalid);
	ADD(s, device_errors_are_storage_errors);
	ADD(s, flush_and_capacity);
	ADD(s, a_borrowed_read_leaves_the_region_alone);
	ADD(s, scalars_and_unknown_opcodes);
	return rec_run(s);
}
