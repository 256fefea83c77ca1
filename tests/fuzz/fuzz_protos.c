/*
 * fuzz_protos.c - fuzz targets `protos` and `protos_rv`: every protobuf payload decoder of
 * the server interfaces (every .proto file in idl/).
 *
 * Input: one byte picks the message type, the rest is the payload. A payload
 * that decodes must pack again to bytes that decode to the same packing
 * (decode -> encode is stable); one that does not decode must simply fail.
 * Unknown fields are carried verbatim by protobuf-c, even malformed ones
 * (field number 0, see protos/crashes/field-number-zero) that it then refuses
 * to decode again; the servers ignore them, so the round trip is only checked
 * without them.
 */
#include <stdlib.h>
#include <string.h>

#include "benchmark.pb-c.h"
#include "fuzz_input.h"
#include "log.pb-c.h"
#include "names.pb-c.h"

static const ProtobufCMessageDescriptor *const types[] = {
        &names_pb__empty__descriptor,
        &names_pb__register_request__descriptor,
        &names_pb__lookup_request__descriptor,
        &names_pb__connect_reply__descriptor,
        &names_pb__auth_lookup_request__descriptor,
        &names_pb__unregister_request__descriptor,
        &names_pb__disconnect_request__descriptor,
        &names_pb__trusted_init_reply__descriptor,
        &log_pb__empty__descriptor,
        &log_pb__record__descriptor,
        &log_pb__stream__descriptor,
        &log_pb__program_name__descriptor,
        &benchmark_pb__value__descriptor,
        &benchmark_pb__payload__descriptor,
};

#define NTYPES (sizeof(types) / sizeof(types[0]))

static uint8_t *pack(const ProtobufCMessage *m, size_t *n)
{
	uint8_t *buf;

	*n = protobuf_c_message_get_packed_size(m);
	buf = malloc(*n ? *n : 1);
	FZ_CHECK(buf != NULL);
	FZ_CHECK(protobuf_c_message_pack(m, buf) == *n);
	return buf;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const ProtobufCMessageDescriptor *d;
	ProtobufCMessage *m, *again;
	uint8_t *b1, *b2;
	size_t n1, n2;

	if (size == 0)
		return 0;
	d = types[data[0] % NTYPES];
	m = protobuf_c_message_unpack(d, NULL, size - 1, data + 1);
	if (m == NULL)
		return 0;
	FZ_CHECK(m->descriptor == d);
#ifndef XOUS_FUZZ_PBC_RV /* kernel-riscv's runtime has no protobuf_c_message_check() */
	FZ_CHECK(protobuf_c_message_check(m));
#endif
	if (m->n_unknown_fields) {
		protobuf_c_message_free_unpacked(m, NULL);
		return 0;
	}
	b1 = pack(m, &n1);
	again = protobuf_c_message_unpack(d, NULL, n1, b1);
	FZ_CHECK(again != NULL); /* what we packed decodes */
	b2 = pack(again, &n2);
	FZ_CHECK(n1 == n2 && memcmp(b1, b2, n1) == 0);
	protobuf_c_message_free_unpacked(again, NULL);
	protobuf_c_message_free_unpacked(m, NULL);
	free(b1);
	free(b2);
	return 0;
}
