/*
 * fuzz_rpc_ool.c - fuzz target `rpc_ool`: the receiving side of the
 * out-of-line frame of <xous/rpc.h> (runtime/rpc_ool.c), which servers run
 * on every request and clients on every reply, for message types of the
 * interfaces and the nested, repeated and oneof shapes of
 * runtime/tests/ool_test.proto.
 *
 * Input: byte 0 picks the type; byte 1 bit 0: a frame (else a plain packed
 * message), bit 1: bytes in place (a server) or copied (a client); the rest
 * is the region, an exact-size heap copy, so a read past it is caught. What
 * must hold: the decoder reads nothing outside the region; a message it
 * accepts sends again (its strings are NUL-free UTF-8, its values within the
 * maximum), and that frame decodes.
 */
#include <stdlib.h>
#include <string.h>

#include "benchmark.pb-c.h"
#include "fuzz_input.h"
#include "log.pb-c.h"
#include "names.pb-c.h"
#include "ool_test.pb-c.h"
#include "rpc_ool.h"

static const ProtobufCMessageDescriptor *const types[] = {
        &benchmark_pb__payload__descriptor,
        &benchmark_pb__value__descriptor,
        &log_pb__record__descriptor,
        &log_pb__program_name__descriptor,
        &names_pb__register_request__descriptor,
        &names_pb__auth_lookup_request__descriptor,
        &ool_test__outer__descriptor,
        &ool_test__inner__descriptor,
};

#define NTYPES (sizeof(types) / sizeof(types[0]))

/* Send m again and decode what was sent. */
static void resend(const ProtobufCMessage *m)
{
	struct ool_received again;
	struct ool_frame f;
	uint8_t *region;

	FZ_CHECK(ool_plan(&f, m, NULL, 0, XOUS_OOL_CROSSOVER) == XOUS_OK);
	region = malloc(f.total);
	FZ_CHECK(region != NULL);
	ool_write(&f, region, 1);
	FZ_CHECK(ool_receive(m->descriptor, region, f.total, 1, OOL_IN_PLACE, &again) == XOUS_OK);
	ool_received_free(&again);
	ool_frame_free(&f);
	free(region);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ool_received r;
	uint8_t *region;
	xous_err_t err;

	if (size < 2)
		return 0;
	region = malloc(size - 2 ? size - 2 : 1);
	FZ_CHECK(region != NULL);
	memcpy(region, data + 2, size - 2);
	err = ool_receive(types[data[0] % NTYPES], region, size - 2, data[1] & 1,
	                  data[1] & 2 ? OOL_IN_PLACE : OOL_COPY, &r);
	FZ_CHECK(err == XOUS_OK || err == XOUS_ERR_SERIALIZATION_ERROR ||
	         err == XOUS_ERR_INVALID_STRING);
	if (err == XOUS_OK) {
		FZ_CHECK(r.msg != NULL && r.msg->descriptor == types[data[0] % NTYPES]);
		if (r.msg->n_unknown_fields == 0) /* malformed ones do not pack back */
			resend(r.msg);
		ool_received_free(&r);
	}
	free(region);
	return 0;
}
