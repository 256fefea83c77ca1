/* servers.benchmark.*: the benchmark server's dispatch, without a kernel. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "benchmark.h"
#include "recorder.h"
#include "rpc_ool.h"

static struct benchmark_state st;
static uint8_t *region;

static void setup(void)
{
	rec_reset();
	benchmark_init(&st);
	free(region);
	region = NULL;
}

static xous_answer_t serve(xous_envelope_t *e)
{
	return rec_dispatched(e, benchmark_dispatch(&st, e));
}

START_TEST(nop_answers_the_value_as_it_is)
{
	static const int32_t values[] = {0, 1, -1, 42, INT32_MIN, INT32_MAX};

	for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
		xous_envelope_t e = rec_scalar(XOUS_BLOCKING_SCALAR, 3, (uint32_t)i,
		                               BENCHMARK_OP_NOP, (uint32_t)values[i], 0, 0);
		xous_answer_t a = serve(&e);
		ck_assert_int_eq(a.kind, XOUS_ANSWER_SCALAR1);
		ck_assert_int_eq((int32_t)(uint32_t)a.v[0], values[i]);
		ck_assert_int_eq(rec_last()->kind, REC_SCALAR1);
	}
}
END_TEST

START_TEST(nop_as_a_memory_call)
{
	BenchmarkPb__Value v = BENCHMARK_PB__VALUE__INIT;
	BenchmarkPb__Value *got;

	v.value = -7;
	xous_envelope_t e =
	        rec_memory(XOUS_MUTABLE_BORROW, 3, 1, BENCHMARK_OP_NOP, &v.base, NULL, 0);
	xous_answer_t a = serve(&e);
	ck_assert_int_eq(a.kind, XOUS_ANSWER_MEMORY);
	ck_assert_uint_eq(a.v[0], XOUS_OK);
	got = benchmark_pb__value__unpack(NULL, a.v[1], e.memory.buf.addr);
	ck_assert_ptr_nonnull(got);
	ck_assert_int_eq(got->value, -7);
	benchmark_pb__value__free_unpacked(got, NULL);
}
END_TEST

START_TEST(other_scalars_are_not_answered)
{
	xous_envelope_t e =
	        rec_scalar(XOUS_BLOCKING_SCALAR, 3, 1, BENCHMARK_OP_NOP_WITH_OOL, 1, 0, 0);

	ck_assert_int_eq(serve(&e).kind, XOUS_ANSWER_NONE); /* the loop fails it UNAVAILABLE */
	e = rec_scalar(XOUS_SCALAR, 3, 2, BENCHMARK_OP_NOP, 1, 0, 0);
	ck_assert_int_eq(serve(&e).kind, XOUS_ANSWER_NONE); /* a Scalar: nobody waits */
}
END_TEST

/* A framed NopWithOol of data[0, len) in a region of its own. */
static xous_envelope_t framed(const uint8_t *data, size_t len, size_t *item_off)
{
	BenchmarkPb__Payload p = BENCHMARK_PB__PAYLOAD__INIT;
	struct ool_frame f;
	xous_envelope_t e;
	size_t size;

	p.data.data = (uint8_t *)data;
	p.data.len = len;
	ck_assert_int_eq(ool_plan(&f, &p.base, NULL, 0, XOUS_OOL_CROSSOVER), XOUS_OK);
	size = (f.total + XOUS_PAGE_SIZE - 1) / XOUS_PAGE_SIZE * XOUS_PAGE_SIZE;
	free(region);
	region = aligned_alloc(XOUS_PAGE_SIZE, size);
	ck_assert_ptr_nonnull(region);
	memset(&e, 0, sizeof(e));
	e.sender = rec_sender(3, 1);
	e.kind = XOUS_MUTABLE_BORROW;
	e.memory.id = BENCHMARK_OP_NOP_WITH_OOL;
	e.memory.buf.addr = region;
	e.memory.buf.len = size;
	e.memory.offset = XOUS_RPC_FRAMED_OFFSET;
	e.memory.valid = ool_write(&f, region, 1);
	*item_off = f.n ? f.items[0].off : SIZE_MAX;
	ool_frame_free(&f);
	return e;
}

START_TEST(nop_with_ool_returns_the_same_bytes)
{
	static const size_t sizes[] = {0, 3, 4096, 8192, 16u << 20};

	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		uint8_t *data = malloc(sizes[i] + 1);
		struct ool_received r;
		size_t at;
		for (size_t k = 0; k < sizes[i]; k++)
			data[k] = (uint8_t)(k * 7 + k / 4096);
		xous_envelope_t e = framed(data, sizes[i], &at);
		xous_answer_t a = serve(&e);
		ck_assert_int_eq(a.kind, XOUS_ANSWER_MEMORY);
		ck_assert_uint_eq(a.v[0], XOUS_OK);
		ck_assert_int_eq(ool_receive(&benchmark_pb__payload__descriptor, region, a.v[1], 1,
		                             OOL_COPY, &r),
		                 XOUS_OK);
		const BenchmarkPb__Payload *p = (const BenchmarkPb__Payload *)r.msg;
		ck_assert_uint_eq(p->data.len, sizes[i]);
		ck_assert(sizes[i] == 0 || memcmp(p->data.data, data, sizes[i]) == 0);
		if (at != SIZE_MAX) { /* out of line: answered in place, no copy */
			const struct xous_rpc_trailer *t =
			        (const void *)(region + a.v[1] - sizeof(*t));
			const struct xous_rpc_ool_item *it =
			        (const void *)((const uint8_t *)t - sizeof(*it) * t->count);
			ck_assert_uint_eq(t->count, 1);
			ck_assert_uint_eq(it->offset, at);
		}
		ool_received_free(&r);
		free(data);
	}
}
END_TEST

START_TEST(a_bad_frame_is_a_serialization_error)
{
	static const uint8_t data[5000];
	size_t at;
	xous_envelope_t e = framed(data, sizeof(data), &at);

	e.memory.valid -= 1;
	xous_answer_t a = serve(&e);
	ck_assert_uint_eq(a.v[0], XOUS_ERR_SERIALIZATION_ERROR);
	ck_assert_uint_eq(a.v[1], 0);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("benchmark");

	ADD(s, nop_answers_the_value_as_it_is);
	ADD(s, nop_as_a_memory_call);
	ADD(s, other_scalars_are_not_answered);
	ADD(s, nop_with_ool_returns_the_same_bytes);
	ADD(s, a_bad_frame_is_a_serialization_error);
	return rec_run(s);
}
