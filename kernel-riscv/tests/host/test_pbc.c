/*
 * test_pbc.c - kernel-riscv's protobuf-c runtime (pbc/protobuf-c.c), built
 * for the host with its functions renamed xr_*, against the real
 * libprotobuf-c on the project's own messages: the same bytes packed, each
 * side unpacks the other's, and bad input is refused without a crash.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "check_main.h"
#include "log.pb-c.h"
#include "names.pb-c.h"

size_t xr_get_packed_size(const ProtobufCMessage *m);
size_t xr_pack(const ProtobufCMessage *m, uint8_t *out);
size_t xr_pack_to_buffer(const ProtobufCMessage *m, ProtobufCBuffer *b);
ProtobufCMessage *xr_unpack(const ProtobufCMessageDescriptor *d, ProtobufCAllocator *a, size_t len,
                            const uint8_t *data);
void xr_free_unpacked(ProtobufCMessage *m, ProtobufCAllocator *a);

/* Pack m with both runtimes and require the same bytes. */
static void same_bytes(const ProtobufCMessage *m)
{
	size_t n = protobuf_c_message_get_packed_size(m);
	uint8_t *want = malloc(n + 1), *got = malloc(n + 1);

	ck_assert_uint_eq(xr_get_packed_size(m), n);
	ck_assert_uint_eq(protobuf_c_message_pack(m, want), n);
	ck_assert_uint_eq(xr_pack(m, got), n);
	ck_assert_mem_eq(got, want, n);
	free(want);
	free(got);
}

static LogPb__Record full_record(void)
{
	static uint8_t text[] = {'h', 'i', 0, 0xff, '!'};
	LogPb__Record r = LOG_PB__RECORD__INIT;

	r.level = 4;
	r.file = "dir/file.c";
	r.line = 300000;
	r.module = "mod";
	r.text.data = text;
	r.text.len = sizeof(text);
	return r;
}

START_TEST(record_packs_to_the_same_bytes)
{
	LogPb__Record r = full_record();
	LogPb__Record empty = LOG_PB__RECORD__INIT;

	same_bytes(&r.base);
	same_bytes(&empty.base); /* proto3: zero fields are not sent */
}
END_TEST

START_TEST(fixed_and_repeated_fields_pack_to_the_same_bytes)
{
	uint32_t resp[] = {1, 0xdeadbeef, 0};
	uint8_t name[] = "a.name";
	NamesPb__AuthLookupRequest a = NAMES_PB__AUTH_LOOKUP_REQUEST__INIT;
	NamesPb__RegisterRequest reg = NAMES_PB__REGISTER_REQUEST__INIT;

	a.name.data = name;
	a.name.len = 6;
	a.n_response = 3;
	a.response = resp;
	same_bytes(&a.base);
	reg.name.data = name;
	reg.name.len = 6;
	reg.sid0 = 0xffffffff;
	reg.sid3 = 7;
	reg.conn_limit = 1u << 31;
	same_bytes(&reg.base);
}
END_TEST

START_TEST(each_side_unpacks_the_other)
{
	LogPb__Record r = full_record();
	uint8_t buf[256];
	size_t n = protobuf_c_message_pack(&r.base, buf);
	LogPb__Record *mine = (LogPb__Record *)xr_unpack(&log_pb__record__descriptor, NULL, n, buf);

	ck_assert_ptr_nonnull(mine);
	ck_assert_uint_eq(mine->level, 4);
	ck_assert_str_eq(mine->file, "dir/file.c");
	ck_assert_uint_eq(mine->line, 300000);
	ck_assert_str_eq(mine->module, "mod");
	ck_assert_uint_eq(mine->text.len, 5);
	ck_assert_mem_eq(mine->text.data, r.text.data, 5);
	n = xr_pack(&mine->base, buf);
	xr_free_unpacked(&mine->base, NULL);

	LogPb__Record *real = log_pb__record__unpack(NULL, n, buf);
	ck_assert_ptr_nonnull(real);
	ck_assert_str_eq(real->file, "dir/file.c");
	ck_assert_uint_eq(real->text.len, 5);
	log_pb__record__free_unpacked(real, NULL);
}
END_TEST

START_TEST(packed_repeated_fields_unpack)
{
	uint32_t resp[] = {5, 6, 7, 8};
	NamesPb__AuthLookupRequest a = NAMES_PB__AUTH_LOOKUP_REQUEST__INIT;
	uint8_t buf[128];

	a.n_response = 4;
	a.response = resp;
	size_t n = protobuf_c_message_pack(&a.base, buf);
	NamesPb__AuthLookupRequest *m = (NamesPb__AuthLookupRequest *)xr_unpack(
	        &names_pb__auth_lookup_request__descriptor, NULL, n, buf);
	ck_assert_ptr_nonnull(m);
	ck_assert_uint_eq(m->n_response, 4);
	ck_assert_uint_eq(m->response[3], 8);
	ck_assert_uint_eq(m->name.len, 0);
	xr_free_unpacked(&m->base, NULL);
}
END_TEST

START_TEST(unknown_fields_are_skipped)
{
	/* field 9 varint, field 10 bytes, field 11 fixed32, then level = 2 */
	const uint8_t buf[] = {0x48, 0x96, 0x01, 0x52, 0x02, 'x',  'y',
	                       0x5d, 1,    2,    3,    4,    0x08, 0x02};
	LogPb__Record *m =
	        (LogPb__Record *)xr_unpack(&log_pb__record__descriptor, NULL, sizeof(buf), buf);

	ck_assert_ptr_nonnull(m);
	ck_assert_uint_eq(m->level, 2);
	xr_free_unpacked(&m->base, NULL);
}
END_TEST

START_TEST(bad_input_is_refused)
{
	const uint8_t truncated_len[] = {0x12, 0x05, 'a', 'b'}; /* file: 5 bytes, 2 given */
	const uint8_t long_varint[] = {0x08, 0xff, 0xff, 0xff, 0xff, 0xff,
	                               0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
	const uint8_t bad_wire[] = {0x0b};               /* field 1, wire type 3 */
	const uint8_t wrong_type[] = {0x0d, 1, 2, 3, 4}; /* level as fixed32 */
	const uint8_t field_zero[] = {0x00, 0x01};

	ck_assert_ptr_null(
	        xr_unpack(&log_pb__record__descriptor, NULL, sizeof(truncated_len), truncated_len));
	ck_assert_ptr_null(
	        xr_unpack(&log_pb__record__descriptor, NULL, sizeof(long_varint), long_varint));
	ck_assert_ptr_null(
	        xr_unpack(&log_pb__record__descriptor, NULL, sizeof(bad_wire), bad_wire));
	ck_assert_ptr_null(
	        xr_unpack(&log_pb__record__descriptor, NULL, sizeof(wrong_type), wrong_type));
	ck_assert_ptr_null(
	        xr_unpack(&log_pb__record__descriptor, NULL, sizeof(field_zero), field_zero));
	ck_assert_ptr_null(xr_unpack(&log_pb__record__descriptor, NULL, 3, NULL));
}
END_TEST

static uint8_t sink[256];
static size_t sink_len;

static void sink_append(ProtobufCBuffer *b, size_t len, const uint8_t *data)
{
	(void)b;
	memcpy(sink + sink_len, data, len);
	sink_len += len;
}

START_TEST(pack_to_buffer_appends_the_packed_bytes)
{
	LogPb__Record r = full_record();
	ProtobufCBuffer b = {sink_append};
	uint8_t want[256];
	size_t n = protobuf_c_message_pack(&r.base, want);

	sink_len = 0;
	ck_assert_uint_eq(xr_pack_to_buffer(&r.base, &b), n);
	ck_assert_uint_eq(sink_len, n);
	ck_assert_mem_eq(sink, want, n);
}
END_TEST

int main(void)
{
	const TTest *const tests[] = {
	        record_packs_to_the_same_bytes,
	        fixed_and_repeated_fields_pack_to_the_same_bytes,
	        each_side_unpacks_the_other,
	        packed_repeated_fields_unpack,
	        unknown_fields_are_skipped,
	        bad_input_is_refused,
	        pack_to_buffer_appends_the_packed_bytes,
	};

	return run_tests("kernel-riscv protobuf-c runtime", tests,
	                 sizeof(tests) / sizeof(tests[0]));
}
