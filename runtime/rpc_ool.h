/*
 * The out-of-line frame of <xous/rpc.h>, shared by its client
 * (rpc_client.c) and server (rpc_serve.c) sides: how a message is laid out
 * in a lent region, and how a received region becomes a message again.
 *
 * A sender walks its message in the fixed order of ool_walk() (fields in
 * descriptor order, elements of a repeated field in turn, nested messages
 * depth first, a oneof's member only when it is the set one); each bytes or
 * string value it meets has the next ordinal. A value of at least
 * XOUS_OOL_CROSSOVER bytes, or one that already lies inside the region (a
 * reply's), travels out of line: emptied in the packed head, its bytes at an
 * aligned offset, {ordinal, offset, length} in the table.
 */
#ifndef XOUS_RPC_OOL_H
#define XOUS_RPC_OOL_H

#include <xous/rpc.h>

/* Values of this many bytes or more travel out of line (CMake cache
 * XOUS_OOL_CROSSOVER; docs/performance.md has the measurement). */
#ifndef XOUS_OOL_CROSSOVER
#define XOUS_OOL_CROSSOVER 1536u
#endif
/* Offsets of out-of-line payloads are multiples of this. */
#define OOL_ALIGN 64u
/* A frame stays below 2 GiB: no sum of its offsets wraps, even in 32 bits. */
#define OOL_FRAME_MAX (UINT32_MAX / 2)
/* Nesting deeper than this is refused (a message built to exhaust a stack). */
#define OOL_MAX_DEPTH 64

struct ool_item {
	uint32_t ordinal;
	int in_place; /* already inside the region: referenced where it is */
	const uint8_t *data;
	size_t len;
	size_t off;
};

/* A message laid out for a region (ool_plan), then written (ool_write). */
struct ool_frame {
	const ProtobufCMessage *head; /* what is packed: msg, or shadow */
	ProtobufCMessage *shadow;     /* msg's structure with the items emptied */
	struct ool_item *items;       /* in ordinal order */
	size_t n, cap;
	size_t head_off, head_len, table_off, total;
};

/*
 * Lay msg out; values of crossover bytes or more go out of line (the sides
 * pass XOUS_OOL_CROSSOVER). region/len: the region the frame goes into when
 * it already holds payloads the message may point at (a server's reply;
 * then the frame must fit len, else XOUS_ERR_NO_SPACE); NULL, 0 for a fresh
 * one.
 * Errors: XOUS_ERR_INVALID_ARGUMENT (a value over XOUS_OOL_MAX, bytes with a
 * length and no data, a frame past 4 GiB), XOUS_ERR_INVALID_STRING (a string
 * that is not UTF-8), XOUS_ERR_OUT_OF_MEMORY. ool_frame_free() in every case.
 */
xous_err_t ool_plan(struct ool_frame *f, const ProtobufCMessage *msg, const uint8_t *region,
                    size_t len, size_t crossover);
/* Write the planned frame; zero_gaps: clear the padding between its parts
 * (a region that held other bytes before). Returns f->total, the valid
 * length that goes with it. */
size_t ool_write(const struct ool_frame *f, uint8_t *region, int zero_gaps);
void ool_frame_free(struct ool_frame *f);

/* A received message whose bytes values point into the region. */
struct ool_held {
	ProtobufCBinaryData *slot;
	ProtobufCBinaryData orig;
};
struct ool_received {
	ProtobufCMessage *msg;
	struct ool_held *held; /* bytes values to put back before freeing */
	size_t n;
};

enum ool_mode {
	OOL_COPY,     /* every value copied into memory of its own (a client's reply) */
	OOL_IN_PLACE, /* bytes point into the region (a server's request) */
};

/*
 * Decode the frame in region[0, valid) (framed), or the plain packed
 * message region[0, valid) (!framed). Strings are copied in either mode and
 * checked: NUL-free valid UTF-8, else XOUS_ERR_INVALID_STRING. A frame or
 * message that does not decode, an offset, length or ordinal that does not
 * fit: XOUS_ERR_SERIALIZATION_ERROR. Nothing of the region is read twice.
 */
xous_err_t ool_receive(const ProtobufCMessageDescriptor *d, const uint8_t *region, size_t valid,
                       int framed, enum ool_mode mode, struct ool_received *r);
/* Put back what pointed into the region and free the message. */
void ool_received_free(struct ool_received *r);

/* Whether s[0, len) is UTF-8 without a NUL. */
int ool_utf8_ok(const uint8_t *s, size_t len);

#endif
