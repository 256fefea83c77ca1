/*
 * runtime.rpc_ool.*: the out-of-line frame of <xous/rpc.h> (rpc_ool.c) and
 * the server side (rpc_serve.c) on the shapes of ool_test.proto: round trips
 * around the crossover, nested, repeated and oneof values, several large
 * ones, every hostile header, string checks on both sides, reply room.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "ool_test.pb-c.h"
#include "rpc_ool.h"

#define PAGE XOUS_PAGE_SIZE
#define X    XOUS_OOL_CROSSOVER

static uint8_t *region;
static size_t region_len;
static size_t nitems; /* of the last frame */
static void *owned[1024];
static size_t nowned;

static void setup(void)
{
	region = NULL;
	nowned = 0;
}

static void teardown(void)
{
	free(region);
	for (size_t i = 0; i < nowned; i++)
		free(owned[i]);
}

/* n bytes of a pattern that differs with seed (freed at teardown). */
static uint8_t *pattern(size_t n, unsigned seed)
{
	uint8_t *p = malloc(n ? n : 1);

	ck_assert_ptr_nonnull(p);
	ck_assert_uint_lt(nowned, sizeof(owned) / sizeof(owned[0]));
	for (size_t i = 0; i < n; i++)
		p[i] = (uint8_t)(i * 31 + seed * 7 + i / 251);
	owned[nowned++] = p;
	return p;
}

/* A string of n letters (freed at teardown). */
static char *letters(size_t n, unsigned seed)
{
	char *s = (char *)pattern(n + 1, seed);

	for (size_t i = 0; i < n; i++)
		s[i] = (char)('a' + (i + seed) % 26);
	s[n] = 0;
	return s;
}

static ProtobufCBinaryData bin(size_t n, unsigned seed)
{
	ProtobufCBinaryData b = {n, pattern(n, seed)};
	return b;
}

/* m's frame in a fresh region of at least len bytes, garbage around it;
 * returns valid. */
static size_t frame(const ProtobufCMessage *m, size_t len)
{
	struct ool_frame f;
	size_t valid;

	ck_assert_int_eq(ool_plan(&f, m, NULL, 0, XOUS_OOL_CROSSOVER), XOUS_OK);
	len = len > f.total ? len : f.total;
	region_len = (len + PAGE - 1) / PAGE * PAGE;
	free(region);
	region = aligned_alloc(PAGE, region_len);
	ck_assert_ptr_nonnull(region);
	memset(region, 0xee, region_len);
	valid = ool_write(&f, region, 1);
	ck_assert_uint_eq(valid, f.total);
	nitems = f.n;
	ool_frame_free(&f);
	return valid;
}

static int same_bytes(ProtobufCBinaryData a, ProtobufCBinaryData b)
{
	return a.len == b.len && (a.len == 0 || memcmp(a.data, b.data, a.len) == 0);
}

static int same_str(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "") == 0;
}

static int same_inner(const OolTest__Inner *a, const OolTest__Inner *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	if (!same_bytes(a->blob, b->blob) || !same_str(a->text, b->text) ||
	    a->n_parts != b->n_parts)
		return 0;
	for (size_t i = 0; i < a->n_parts; i++)
		if (!same_bytes(a->parts[i], b->parts[i]))
			return 0;
	return 1;
}

static int same_outer(const OolTest__Outer *a, const OolTest__Outer *b)
{
	if (!same_str(a->name, b->name) || !same_bytes(a->a, b->a) || !same_bytes(a->b, b->b) ||
	    !same_inner(a->inner, b->inner) || a->n_list != b->n_list || a->n_tags != b->n_tags ||
	    a->choice_case != b->choice_case || a->n != b->n)
		return 0;
	for (size_t i = 0; i < a->n_list; i++)
		if (!same_inner(a->list[i], b->list[i]))
			return 0;
	for (size_t i = 0; i < a->n_tags; i++)
		if (!same_str(a->tags[i], b->tags[i]))
			return 0;
	if (a->choice_case == OOL_TEST__OUTER__CHOICE_S)
		return same_str(a->s, b->s);
	if (a->choice_case == OOL_TEST__OUTER__CHOICE_D)
		return same_bytes(a->d, b->d);
	return 1;
}

/* Decode region[0, valid) in mode and compare it with m. */
static void expect_same(const OolTest__Outer *m, size_t valid, enum ool_mode mode)
{
	struct ool_received r;

	ck_assert_int_eq(ool_receive(&ool_test__outer__descriptor, region, valid, 1, mode, &r),
	                 XOUS_OK);
	ck_assert(same_outer(m, (const OolTest__Outer *)r.msg));
	ool_received_free(&r);
}

static xous_err_t receive(size_t valid, enum ool_mode mode)
{
	struct ool_received r;
	xous_err_t err = ool_receive(&ool_test__outer__descriptor, region, valid, 1, mode, &r);

	if (err == XOUS_OK)
		ool_received_free(&r);
	return err;
}

START_TEST(round_trips_around_the_crossover)
{
	static const size_t sizes[] = {0, 1, 3, X - 1, X, X + 1, 4096, 8192};

	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		OolTest__Outer m = OOL_TEST__OUTER__INIT;
		struct ool_received r;
		m.a = bin(sizes[i], 1);
		size_t valid = frame(&m.base, 0);
		ck_assert_uint_eq(nitems, sizes[i] >= X);
		expect_same(&m, valid, OOL_COPY);
		ck_assert_int_eq(ool_receive(&ool_test__outer__descriptor, region, valid, 1,
		                             OOL_IN_PLACE, &r),
		                 XOUS_OK);
		const OolTest__Outer *got = (const OolTest__Outer *)r.msg;
		ck_assert(same_outer(&m, got));
		/* out of line: the bytes are read where they are, at an aligned offset */
		if (sizes[i] >= X) {
			ck_assert(got->a.data >= region && got->a.data < region + valid);
			ck_assert_uint_eq((size_t)(got->a.data - region) % OOL_ALIGN, 0);
		}
		ool_received_free(&r);
	}
}
END_TEST

/* A message with every shape, values big and small. */
static OolTest__Outer *every_shape(size_t big)
{
	static OolTest__Inner inner, l0, l1;
	static OolTest__Inner *list[2];
	static ProtobufCBinaryData parts[3];
	static char *tags[3];
	static OolTest__Outer m;

	ool_test__outer__init(&m);
	ool_test__inner__init(&inner);
	ool_test__inner__init(&l0);
	ool_test__inner__init(&l1);
	m.name = letters(big, 1);
	m.a = bin(big + 1, 2);
	inner.blob = bin(big + 2, 3);
	inner.text = letters(5, 4);
	parts[0] = bin(big + 3, 5);
	parts[1] = bin(7, 6);
	parts[2] = bin(big, 7);
	inner.parts = parts;
	inner.n_parts = 3;
	m.inner = &inner;
	l0.blob = bin(big, 8);
	l1.text = letters(big + 9, 9);
	list[0] = &l0;
	list[1] = &l1;
	m.list = list;
	m.n_list = 2;
	tags[0] = letters(3, 10);
	tags[1] = letters(big, 11);
	tags[2] = letters(0, 12);
	m.tags = tags;
	m.n_tags = 3;
	m.b = bin(big, 13);
	m.choice_case = OOL_TEST__OUTER__CHOICE_D;
	m.d = bin(big, 14);
	m.n = 77;
	return &m;
}

START_TEST(nested_repeated_and_oneof_values_travel_out_of_line)
{
	OolTest__Outer *m = every_shape(X + 100);
	size_t valid = frame(&m->base, 0);

	ck_assert_uint_eq(nitems, 10); /* every big value, and only those */
	expect_same(m, valid, OOL_COPY);
	expect_same(m, valid, OOL_IN_PLACE);
	m->choice_case = OOL_TEST__OUTER__CHOICE_S; /* a oneof string, out of line */
	m->s = letters(X * 2, 15);
	valid = frame(&m->base, 0);
	expect_same(m, valid, OOL_IN_PLACE);
	m->s = letters(0, 16); /* set, and empty */
	valid = frame(&m->base, 0);
	expect_same(m, valid, OOL_COPY);
}
END_TEST

START_TEST(small_values_stay_in_the_head)
{
	OolTest__Outer *m = every_shape(10);
	size_t valid = frame(&m->base, 0);

	ck_assert_uint_eq(nitems, 0);
	expect_same(m, valid, OOL_IN_PLACE);
}
END_TEST

START_TEST(several_values_of_the_maximum_each)
{
	OolTest__Outer m = OOL_TEST__OUTER__INIT;
	OolTest__Outer *got;
	struct ool_received r;
	size_t valid;

	m.a = bin(XOUS_OOL_MAX, 1);
	m.b = bin(XOUS_OOL_MAX, 2);
	m.name = letters(XOUS_OOL_MAX, 3);
	valid = frame(&m.base, 0);
	ck_assert_uint_eq(nitems, 3);
	ck_assert_int_eq(
	        ool_receive(&ool_test__outer__descriptor, region, valid, 1, OOL_IN_PLACE, &r),
	        XOUS_OK);
	got = (OolTest__Outer *)r.msg;
	ck_assert(same_outer(&m, got));
	ool_received_free(&r);
}
END_TEST

START_TEST(values_past_the_maximum_are_refused_before_sending)
{
	OolTest__Outer m = OOL_TEST__OUTER__INIT;
	struct ool_frame f;

	m.a.data = pattern(1, 1); /* never read: the length is refused first */
	m.a.len = (size_t)XOUS_OOL_MAX + 1;
	ck_assert_int_eq(ool_plan(&f, &m.base, NULL, 0, XOUS_OOL_CROSSOVER),
	                 XOUS_ERR_INVALID_ARGUMENT);
	ool_frame_free(&f);
	m.a.len = 0;
	m.name = letters((size_t)XOUS_OOL_MAX + 1, 2);
	ck_assert_int_eq(ool_plan(&f, &m.base, NULL, 0, XOUS_OOL_CROSSOVER),
	                 XOUS_ERR_INVALID_ARGUMENT);
	ool_frame_free(&f);
	m.name = NULL;
	m.b.len = 5; /* a length without data */
	ck_assert_int_eq(ool_plan(&f, &m.base, NULL, 0, XOUS_OOL_CROSSOVER),
	                 XOUS_ERR_INVALID_ARGUMENT);
	ool_frame_free(&f);
}
END_TEST

START_TEST(utf8_is_checked)
{
	static const char *const good[] = {"",
	                                   "a",
	                                   "\xc3\xa9",
	                                   "\xe2\x82\xac",
	                                   "\xf0\x9f\x98\x80",
	                                   "\xf4\x8f\xbf\xbf",
	                                   "\xed\x9f\xbf"};
	static const char *const bad[] = {
	        "\xff",         "\xc3",         "\xc3\x28",         "\xc0\x80",
	        "\xe0\x80\xaf", "\xed\xa0\x80", "\xf4\x90\x80\x80", "\xf8\x88\x80\x80\x80",
	        "\x80",         "\xe2\x82"};

	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		ck_assert_msg(ool_utf8_ok((const uint8_t *)good[i], strlen(good[i])), "%zu", i);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(!ool_utf8_ok((const uint8_t *)bad[i], strlen(bad[i])), "%zu", i);
	ck_assert(!ool_utf8_ok((const uint8_t *)"a\0b", 3)); /* an embedded NUL */
}
END_TEST

START_TEST(a_sender_refuses_bad_strings)
{
	OolTest__Outer m = OOL_TEST__OUTER__INIT;
	OolTest__Inner in = OOL_TEST__INNER__INIT;
	char *big = letters(X * 2, 1);
	struct ool_frame f;

	m.name = "ok \xc3\x28";
	ck_assert_int_eq(ool_plan(&f, &m.base, NULL, 0, XOUS_OOL_CROSSOVER),
	                 XOUS_ERR_INVALID_STRING);
	ool_frame_free(&f);
	m.name = NULL;
	big[X] = (char)0xff; /* out of line, nested */
	in.text = big;
	m.inner = &in;
	ck_assert_int_eq(ool_plan(&f, &m.base, NULL, 0, XOUS_OOL_CROSSOVER),
	                 XOUS_ERR_INVALID_STRING);
	ool_frame_free(&f);
}
END_TEST

static struct xous_rpc_trailer *trailer(size_t valid)
{
	return (struct xous_rpc_trailer *)(region + valid - sizeof(struct xous_rpc_trailer));
}

static struct xous_rpc_ool_item *item(size_t valid, unsigned i)
{
	return (struct xous_rpc_ool_item *)trailer(valid) - trailer(valid)->count + i;
}

/* The head of a plain Outer whose name (field 1) is the n bytes s. */
static size_t plain_name(const char *s, size_t n)
{
	free(region);
	region_len = PAGE;
	region = aligned_alloc(PAGE, PAGE);
	region[0] = 0x0a;
	region[1] = (uint8_t)n;
	memcpy(region + 2, s, n);
	return n + 2;
}

START_TEST(a_receiver_refuses_bad_strings)
{
	OolTest__Outer m = OOL_TEST__OUTER__INIT;
	struct ool_received r;
	size_t valid;
	char *name = letters(X, 1);

	/* in the head: bad UTF-8, an embedded NUL */
	valid = plain_name("ab\xc3\x28", 4);
	ck_assert_int_eq(
	        ool_receive(&ool_test__outer__descriptor, region, valid, 0, OOL_IN_PLACE, &r),
	        XOUS_ERR_INVALID_STRING);
	valid = plain_name("a\0b", 3);
	ck_assert_int_eq(ool_receive(&ool_test__outer__descriptor, region, valid, 0, OOL_COPY, &r),
	                 XOUS_ERR_INVALID_STRING);
	valid = plain_name("fine", 4);
	ck_assert_int_eq(ool_receive(&ool_test__outer__descriptor, region, valid, 0, OOL_COPY, &r),
	                 XOUS_OK);
	ck_assert_str_eq(((OolTest__Outer *)r.msg)->name, "fine");
	ool_received_free(&r);
	/* out of line: bad UTF-8, a NUL, in either mode */
	m.name = name;
	valid = frame(&m.base, 0);
	region[item(valid, 0)->offset + 5] = 0xc0;
	ck_assert_int_eq(receive(valid, OOL_IN_PLACE), XOUS_ERR_INVALID_STRING);
	valid = frame(&m.base, 0);
	region[item(valid, 0)->offset + X - 1] = 0;
	ck_assert_int_eq(receive(valid, OOL_COPY), XOUS_ERR_INVALID_STRING);
	valid = frame(&m.base, 0);
	ck_assert_int_eq(receive(valid, OOL_COPY), XOUS_OK);
}
END_TEST

/* A frame with a small inline name (ordinal 0) and a, b out of line
 * (ordinals 1, 2). */
static size_t two_items(void)
{
	static OolTest__Outer m = OOL_TEST__OUTER__INIT;
	size_t valid;

	m.name = "x";
	m.a = bin(X, 1);
	m.b = bin(X + 1, 2);
	valid = frame(&m.base, 0);
	ck_assert_uint_eq(trailer(valid)->count, 2);
	ck_assert_uint_eq(item(valid, 0)->ordinal, 1);
	ck_assert_uint_eq(item(valid, 1)->ordinal, 2);
	return valid;
}

/* Every way a header can lie, read by either side: SERIALIZATION_ERROR. */
START_TEST(hostile_headers_are_serialization_errors)
{
	for (int mode = OOL_COPY; mode <= OOL_IN_PLACE; mode++) {
		size_t valid = two_items(), table = valid - 16 - 24;
		ck_assert_int_eq(receive(valid, mode), XOUS_OK);
#define LIE(what)                                                                                  \
	do {                                                                                       \
		valid = two_items();                                                               \
		what;                                                                              \
		ck_assert_int_eq(receive(valid, mode), XOUS_ERR_SERIALIZATION_ERROR);              \
	} while (0)
		LIE(trailer(valid)->magic ^= 1);
		LIE(trailer(valid)->count = UINT32_MAX);
		LIE(trailer(valid)->count = (uint32_t)(valid / 12));
		LIE(trailer(valid)->head_offset = (uint32_t)table + 1);
		LIE(trailer(valid)->head_length = UINT32_MAX);
		LIE(trailer(valid)->head_length = (uint32_t)table + 1);
		LIE(memset(region, 0xff, 8)); /* a head that does not decode */
		LIE(item(valid, 0)->offset = (uint32_t)table);
		LIE(item(valid, 0)->offset = UINT32_MAX);
		LIE(item(valid, 1)->length = UINT32_MAX);
		LIE(item(valid, 1)->length = (uint32_t)(table - item(valid, 1)->offset + 1));
		LIE(item(valid, 1)->ordinal = 1);    /* not increasing */
		LIE(item(valid, 1)->ordinal = 1000); /* no such value */
		LIE(item(valid, 1)->ordinal = 3);    /* past the last: the oneof is unset */
		LIE(item(valid, 0)->ordinal = 0);    /* name: the head has it already */
		LIE(valid = 15);
		LIE(valid = 0);
		LIE(valid -= 4); /* the trailer a word early */
#undef LIE
	}
}
END_TEST

/* ---- the server side, through xous_rpc_serve ---- */

static int handled;
static uint8_t server_bytes[64 * 1024];

static void do_echo(OolTest__OolTest_Service *svc, const OolTest__Outer *in,
                    OolTest__Outer_Closure closure, void *data)
{
	(void)svc;
	handled++;
	closure(in, data);
}

static void do_grow(OolTest__OolTest_Service *svc, const OolTest__Outer *in,
                    OolTest__Outer_Closure closure, void *data)
{
	OolTest__Outer out = OOL_TEST__OUTER__INIT;

	(void)svc;
	handled++;
	out.b.data = server_bytes;
	out.b.len = in->n < sizeof(server_bytes) ? in->n : sizeof(server_bytes);
	closure(&out, data);
}

static xous_answer_t serve(uint32_t op, size_t valid, size_t offset)
{
	static OolTest__OolTest_Service svc;
	xous_envelope_t e;

	ool_test__ool_test__init(&svc, NULL);
	svc.echo = do_echo;
	svc.grow = do_grow;
	memset(&e, 0, sizeof(e));
	e.sender = 1;
	e.kind = XOUS_MUTABLE_BORROW;
	e.memory.id = op;
	e.memory.buf.addr = region;
	e.memory.buf.len = region_len;
	e.memory.offset = offset;
	e.memory.valid = valid;
	handled = 0;
	return xous_rpc_serve(&svc.base, &e);
}

START_TEST(a_served_echo_goes_back_in_place)
{
	OolTest__Outer *m = every_shape(X + 1);
	size_t valid = frame(&m->base, 0), a_at = item(valid, 1)->offset;
	xous_answer_t a = serve(0, valid, XOUS_RPC_FRAMED_OFFSET);

	ck_assert_int_eq(a.kind, XOUS_ANSWER_MEMORY);
	ck_assert_uint_eq(a.v[0], XOUS_OK);
	ck_assert_uint_eq(handled, 1);
	expect_same(m, a.v[1], OOL_COPY);
	/* bytes a (ordinal 1) is referenced where the request had it */
	ck_assert_uint_eq(item(a.v[1], 1)->ordinal, 1);
	ck_assert_uint_eq(item(a.v[1], 1)->offset, a_at);
}
END_TEST

START_TEST(a_plain_request_gets_a_plain_reply)
{
	OolTest__Outer m = OOL_TEST__OUTER__INIT;
	OolTest__Outer *got;
	size_t valid;

	m.name = "plain";
	m.n = 5;
	free(region);
	region_len = PAGE;
	region = aligned_alloc(PAGE, PAGE);
	valid = protobuf_c_message_pack(&m.base, region);
	xous_answer_t a = serve(0, valid, 0);
	ck_assert_uint_eq(a.v[0], XOUS_OK);
	got = ool_test__outer__unpack(NULL, a.v[1], region);
	ck_assert_ptr_nonnull(got);
	ck_assert(same_outer(&m, got));
	ool_test__outer__free_unpacked(got, NULL);
	valid = plain_name("\xff", 1);
	a = serve(0, valid, 0);
	ck_assert_uint_eq(a.v[0], XOUS_ERR_INVALID_STRING);
	ck_assert_uint_eq(handled, 0);
}
END_TEST

START_TEST(a_bad_string_never_reaches_the_handler)
{
	OolTest__Outer m = OOL_TEST__OUTER__INIT;
	size_t valid;

	m.name = letters(X, 1);
	valid = frame(&m.base, 0);
	region[item(valid, 0)->offset] = 0xfe;
	xous_answer_t a = serve(0, valid, XOUS_RPC_FRAMED_OFFSET);
	ck_assert_uint_eq(a.v[0], XOUS_ERR_INVALID_STRING);
	ck_assert_uint_eq(a.v[1], 0);
	ck_assert_uint_eq(handled, 0);
	valid = frame(&m.base, 0);
	trailer(valid)->magic = 0;
	a = serve(0, valid, XOUS_RPC_FRAMED_OFFSET);
	ck_assert_uint_eq(a.v[0], XOUS_ERR_SERIALIZATION_ERROR);
	ck_assert_uint_eq(handled, 0);
	a = serve(2, valid, XOUS_RPC_FRAMED_OFFSET); /* past the last method */
	ck_assert_uint_eq(a.v[0], XOUS_ERR_INVALID_ARGUMENT);
}
END_TEST

START_TEST(a_reply_that_does_not_fit_is_no_space)
{
	OolTest__Outer m = OOL_TEST__OUTER__INIT, want = OOL_TEST__OUTER__INIT;
	size_t valid;

	for (size_t i = 0; i < sizeof(server_bytes); i++)
		server_bytes[i] = (uint8_t)(i * 13);
	m.n = sizeof(server_bytes);
	valid = frame(&m.base, 0); /* one page */
	xous_answer_t a = serve(1, valid, XOUS_RPC_FRAMED_OFFSET);
	ck_assert_uint_eq(a.v[0], XOUS_ERR_NO_SPACE);
	ck_assert_uint_eq(a.v[1], 0);
	ck_assert_uint_eq(handled, 1);
	valid = frame(&m.base, sizeof(server_bytes) + PAGE); /* room for it */
	a = serve(1, valid, XOUS_RPC_FRAMED_OFFSET);
	ck_assert_uint_eq(a.v[0], XOUS_OK);
	want.b.data = server_bytes;
	want.b.len = sizeof(server_bytes);
	expect_same(&want, a.v[1], OOL_COPY);
}
END_TEST

/* Without a runtime nothing is kept: an offer of a channel is answered as
 * a frame, its reply clear of the stamp; a channel call names nothing and
 * runs nothing. */
START_TEST(channels_need_a_runtime_that_keeps_pages)
{
	OolTest__Outer *m = every_shape(X + 1);
	size_t valid = frame(&m->base, 0);
	xous_answer_t a = serve(0, valid, XOUS_RPC_CHANNEL_OFFSET);
	static OolTest__OolTest_Service svc;
	xous_envelope_t e;

	ck_assert_int_eq(a.kind, XOUS_ANSWER_MEMORY);
	ck_assert_uint_eq(a.v[0], XOUS_OK);
	ck_assert_uint_le(a.v[1], region_len - XOUS_RPC_STAMP_BYTES);
	expect_same(m, a.v[1], OOL_COPY);
	ool_test__ool_test__init(&svc, NULL);
	svc.echo = do_echo;
	memset(&e, 0, sizeof(e));
	e.sender = 1;
	e.kind = XOUS_BLOCKING_SCALAR;
	e.scalar.id = XOUS_RPC_CHANNEL_ID;
	e.scalar.arg[0] = 1;
	e.scalar.arg[1] = valid;
	handled = 0;
	a = xous_rpc_serve(&svc.base, &e);
	ck_assert_int_eq(a.kind, XOUS_ANSWER_SCALAR2);
	ck_assert_uint_eq(a.v[0], XOUS_RPC_CHANNEL_LOST);
	ck_assert_uint_eq(handled, 0);
}
END_TEST

static void add(Suite *s, const char *name, const TTest *t)
{
	TCase *tc = tcase_create(name);

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, t);
	tcase_set_timeout(tc, 30);
	suite_add_tcase(s, tc);
}
#define ADD(s, name) add((s), #name, name)

int main(void)
{
	Suite *s = suite_create("rpc_ool");
	SRunner *sr;
	int failed;

	ADD(s, round_trips_around_the_crossover);
	ADD(s, nested_repeated_and_oneof_values_travel_out_of_line);
	ADD(s, small_values_stay_in_the_head);
	ADD(s, several_values_of_the_maximum_each);
	ADD(s, values_past_the_maximum_are_refused_before_sending);
	ADD(s, utf8_is_checked);
	ADD(s, a_sender_refuses_bad_strings);
	ADD(s, a_receiver_refuses_bad_strings);
	ADD(s, hostile_headers_are_serialization_errors);
	ADD(s, a_served_echo_goes_back_in_place);
	ADD(s, a_plain_request_gets_a_plain_reply);
	ADD(s, a_bad_string_never_reaches_the_handler);
	ADD(s, a_reply_that_does_not_fit_is_no_space);
	ADD(s, channels_need_a_runtime_that_keeps_pages);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
