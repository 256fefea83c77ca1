/*
 * fuzz_mutator.c - the structure-aware mutator of the server targets
 * (LLVMFuzzerCustomMutator): it reads an input as fuzz_server.h's records
 * and, most of the time, mutates one request as a protobuf message: the
 * packed payload of a lend marked FSRV_MODE_PROTO is decoded with its method's
 * input ProtobufCMessageDescriptor (or started empty when it does not
 * decode), one field is changed by its type (integers by libFuzzer's own
 * mutation of their bytes, so its comparison tables find the values a
 * handler tests, and the constants the code compares with; strings and
 * bytes by length and content; nested messages
 * made and descended into; repeated fields grown, shrunk, changed; unknown
 * fields added and dropped) and it is packed again in place. Otherwise it
 * appends a new well-formed request of a random method, or leaves the
 * input to libFuzzer's byte mutations.
 *
 * XOUS_FUZZ_MUTATOR=off in the environment leaves every input to
 * libFuzzer's byte mutations (the baseline of tests/fuzz/README.md).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_server.h"

#define MAX_DEPTH   4
#define MAX_RECORDS 256
#define MAX_PAYLOAD (4 * XOUS_PAGE_SIZE)

/* libFuzzer's; absent under other engines (then bytes stay as they are). */
size_t LLVMFuzzerMutate(uint8_t *data, size_t size, size_t max_size) __attribute__((weak));
size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size, unsigned int seed);

static unsigned rnd(unsigned *seed, unsigned n)
{
	*seed = *seed * 1103515245u + 12345u;
	return n ? (*seed >> 8) % n : 0;
}

static void *field_at(ProtobufCMessage *m, const ProtobufCFieldDescriptor *f)
{
	return (char *)m + f->offset;
}

static size_t engine_mutate(uint8_t *data, size_t size, size_t max)
{
	return LLVMFuzzerMutate ? LLVMFuzzerMutate(data, size, max) : size;
}

/* libFuzzer's mutation of n bytes of value (room for n bytes). */
static void mutate_bytes(void *value, size_t n)
{
	engine_mutate(value, n, n);
}

/*
 * The constants the code under test compares with (a server's magic
 * numbers, opcodes, limits): the fuzzing binary links with
 * -Wl,--wrap=__sanitizer_cov_trace_const_cmp4/8 (cmake/XousFuzz.cmake), so
 * every comparison with a constant passes here on its way to the engine.
 * kcore and the harness are built without comparison hooks, so the
 * constants are the server's.
 */
#define DICT_MAX 256
static uint64_t dict[DICT_MAX];
static unsigned ndict;

static void dict_add(uint64_t v)
{
	unsigned i;

	for (i = 0; i < ndict; i++)
		if (dict[i] == v)
			return;
	if (ndict < DICT_MAX)
		dict[ndict++] = v;
}

void __real___sanitizer_cov_trace_const_cmp4(uint32_t a, uint32_t b) __attribute__((weak));
void __real___sanitizer_cov_trace_const_cmp8(uint64_t a, uint64_t b) __attribute__((weak));
void __wrap___sanitizer_cov_trace_const_cmp4(uint32_t a, uint32_t b);
void __wrap___sanitizer_cov_trace_const_cmp8(uint64_t a, uint64_t b);

void __wrap___sanitizer_cov_trace_const_cmp4(uint32_t a, uint32_t b)
{
	dict_add(a);
	if (__real___sanitizer_cov_trace_const_cmp4)
		__real___sanitizer_cov_trace_const_cmp4(a, b);
}

void __wrap___sanitizer_cov_trace_const_cmp8(uint64_t a, uint64_t b)
{
	dict_add(a);
	if (__real___sanitizer_cov_trace_const_cmp8)
		__real___sanitizer_cov_trace_const_cmp8(a, b);
}

static const int64_t interesting[] = {0,
                                      1,
                                      -1,
                                      2,
                                      16,
                                      127,
                                      128,
                                      255,
                                      256,
                                      4096,
                                      65535,
                                      65536,
                                      0x7fffffff,
                                      -0x7fffffff - 1,
                                      0xffffffffll,
                                      INT64_MAX,
                                      INT64_MIN};

/* A new value for a number of n bytes. */
static void mutate_number(void *v, size_t n, unsigned *seed)
{
	int64_t x = 0;

	switch (rnd(seed, 5)) {
	case 0:
		x = interesting[rnd(seed, sizeof(interesting) / sizeof(interesting[0]))];
		memcpy(v, &x, n); /* little-endian: the low n bytes */
		break;
	case 1:
		if (ndict == 0)
			mutate_bytes(v, n);
		else
			memcpy(v, &dict[rnd(seed, ndict)], n);
		break;
	case 2:
		memcpy(&x, v, n);
		x += (int64_t)rnd(seed, 33) - 16;
		memcpy(v, &x, n);
		break;
	default: /* byte mutations, with libFuzzer's comparison tables */
		mutate_bytes(v, n);
		break;
	}
}

static size_t scalar_size(ProtobufCType t)
{
	switch (t) {
	case PROTOBUF_C_TYPE_INT64:
	case PROTOBUF_C_TYPE_UINT64:
	case PROTOBUF_C_TYPE_SINT64:
	case PROTOBUF_C_TYPE_FIXED64:
	case PROTOBUF_C_TYPE_SFIXED64:
	case PROTOBUF_C_TYPE_DOUBLE:
		return 8;
	case PROTOBUF_C_TYPE_STRING:
	case PROTOBUF_C_TYPE_MESSAGE:
		return sizeof(void *);
	case PROTOBUF_C_TYPE_BYTES:
		return sizeof(ProtobufCBinaryData);
	default: /* 32-bit kinds, bool, enum */
		return 4;
	}
}

/* A buffer of new contents: the old one's bytes mutated, grown or cut. */
static uint8_t *new_contents(const uint8_t *old, size_t len, size_t *out, unsigned *seed)
{
	size_t cap = len + 1 + rnd(seed, 64);
	uint8_t *b = malloc(cap + 1);

	if (!b)
		abort();
	if (len)
		memcpy(b, old, len);
	switch (rnd(seed, 4)) {
	case 0: /* a length the handler checks */
		len = rnd(seed, 2) ? 0 : rnd(seed, (unsigned)cap + 1);
		memset(b, 'a' + (int)rnd(seed, 26), len);
		break;
	default:
		len = engine_mutate(b, len, cap);
		break;
	}
	b[len] = 0;
	*out = len;
	return b;
}

static void mutate_message(ProtobufCMessage *m, unsigned *seed, int depth);

static void message_new(const ProtobufCMessageDescriptor *d, ProtobufCMessage **slot)
{
	ProtobufCMessage *m = calloc(1, d->sizeof_message);

	if (!m)
		abort();
	d->message_init(m);
	*slot = m;
}

/* Change one value of type f->type at v. */
static void mutate_value(const ProtobufCFieldDescriptor *f, void *v, unsigned *seed, int depth)
{
	size_t n;

	switch (f->type) {
	case PROTOBUF_C_TYPE_BOOL:
		*(protobuf_c_boolean *)v = !*(protobuf_c_boolean *)v;
		break;
	case PROTOBUF_C_TYPE_ENUM: {
		const ProtobufCEnumDescriptor *e = f->descriptor;

		if (e && e->n_values && rnd(seed, 4))
			*(int *)v = e->values[rnd(seed, e->n_values)].value;
		else
			mutate_number(v, 4, seed);
		break;
	}
	case PROTOBUF_C_TYPE_STRING: {
		char *old = *(char **)v;

		if (old && old != (const char *)f->default_value) {
			*(char **)v =
			        (char *)new_contents((const uint8_t *)old, strlen(old), &n, seed);
			free(old);
		} else {
			*(char **)v = (char *)new_contents((const uint8_t *)"", 0, &n, seed);
		}
		break;
	}
	case PROTOBUF_C_TYPE_BYTES: {
		ProtobufCBinaryData *b = v;
		const ProtobufCBinaryData *def = f->default_value;
		uint8_t *data = new_contents(b->data, b->len, &n, seed);

		if (b->data && (!def || b->data != def->data))
			free(b->data);
		b->data = data;
		b->len = n;
		break;
	}
	case PROTOBUF_C_TYPE_MESSAGE:
		if (!*(ProtobufCMessage **)v)
			message_new(f->descriptor, v);
		if (depth < MAX_DEPTH)
			mutate_message(*(ProtobufCMessage **)v, seed, depth + 1);
		break;
	default:
		mutate_number(v, scalar_size(f->type), seed);
		break;
	}
}

/* A repeated field: one element changed, one added (a copy or a new one),
 * or the last one removed. */
static void mutate_repeated(ProtobufCMessage *m, const ProtobufCFieldDescriptor *f, unsigned *seed,
                            int depth)
{
	size_t *count = (size_t *)((char *)m + f->quantifier_offset);
	char **arr = field_at(m, f);
	size_t es = scalar_size(f->type);
	unsigned op = rnd(seed, 3);

	if (op == 0 && *count) {
		mutate_value(f, *arr + es * rnd(seed, (unsigned)*count), seed, depth);
	} else if (op == 1 && *count) {
		void *last = *arr + es * (*count - 1);

		if (f->type == PROTOBUF_C_TYPE_MESSAGE)
			protobuf_c_message_free_unpacked(*(ProtobufCMessage **)last, NULL);
		else if (f->type == PROTOBUF_C_TYPE_STRING)
			free(*(char **)last);
		else if (f->type == PROTOBUF_C_TYPE_BYTES)
			free(((ProtobufCBinaryData *)last)->data);
		(*count)--;
	} else if (*count < 64) {
		char *grown = realloc(*arr, es * (*count + 1));
		void *slot;

		if (!grown)
			abort();
		*arr = grown;
		slot = grown + es * (*count)++;
		memset(slot, 0, es);
		mutate_value(f, slot, seed, depth);
	}
}

/* Make field f present (proto2 optional, oneof member). */
static void make_present(ProtobufCMessage *m, const ProtobufCFieldDescriptor *f)
{
	if (f->flags & PROTOBUF_C_FIELD_FLAG_ONEOF) {
		uint32_t *which = (uint32_t *)((char *)m + f->quantifier_offset);
		unsigned i;

		if (*which != f->id) /* another member's value goes */
			for (i = 0; i < m->descriptor->n_fields; i++) {
				const ProtobufCFieldDescriptor *g = &m->descriptor->fields[i];

				if (g->quantifier_offset == f->quantifier_offset &&
				    g->id == *which) {
					if (g->type == PROTOBUF_C_TYPE_MESSAGE)
						protobuf_c_message_free_unpacked(
						        *(ProtobufCMessage **)field_at(m, g), NULL);
					else if (g->type == PROTOBUF_C_TYPE_STRING)
						free(*(char **)field_at(m, g));
					else if (g->type == PROTOBUF_C_TYPE_BYTES)
						free(((ProtobufCBinaryData *)field_at(m, g))->data);
					memset(field_at(m, g), 0, scalar_size(g->type));
				}
			}
		*which = f->id;
	} else if (f->label == PROTOBUF_C_LABEL_OPTIONAL && f->quantifier_offset &&
	           f->type != PROTOBUF_C_TYPE_MESSAGE && f->type != PROTOBUF_C_TYPE_STRING) {
		*(protobuf_c_boolean *)((char *)m + f->quantifier_offset) = 1;
	}
}

/* An unknown field: a tag the message does not have, any wire type. */
static void add_unknown(ProtobufCMessage *m, unsigned *seed)
{
	ProtobufCMessageUnknownField *u;
	size_t n;

	u = realloc(m->unknown_fields, sizeof(*u) * (m->n_unknown_fields + 1));
	if (!u)
		abort();
	m->unknown_fields = u;
	u += m->n_unknown_fields++;
	u->tag = 100 + rnd(seed, 1000);
	u->wire_type =
	        (ProtobufCWireType)(rnd(seed, 3) == 0 ? PROTOBUF_C_WIRE_TYPE_32BIT
	                                              : PROTOBUF_C_WIRE_TYPE_LENGTH_PREFIXED);
	u->data = new_contents((const uint8_t *)"", 0, &n, seed);
	if (u->wire_type == PROTOBUF_C_WIRE_TYPE_32BIT) {
		free(u->data);
		u->data = calloc(1, 4);
		if (!u->data)
			abort();
		n = 4;
	}
	u->len = n;
}

static void drop_unknown(ProtobufCMessage *m)
{
	size_t i;

	for (i = 0; i < m->n_unknown_fields; i++)
		free(m->unknown_fields[i].data);
	free(m->unknown_fields);
	m->unknown_fields = NULL;
	m->n_unknown_fields = 0;
}

static void mutate_message(ProtobufCMessage *m, unsigned *seed, int depth)
{
	const ProtobufCMessageDescriptor *d = m->descriptor;
	const ProtobufCFieldDescriptor *f;
	unsigned r = rnd(seed, 16);

	if (d->n_fields == 0 || r == 0) {
		if (m->n_unknown_fields && rnd(seed, 2))
			drop_unknown(m);
		else
			add_unknown(m, seed);
		return;
	}
	f = &d->fields[rnd(seed, d->n_fields)];
	if (f->label == PROTOBUF_C_LABEL_REPEATED) {
		mutate_repeated(m, f, seed, depth);
		return;
	}
	make_present(m, f);
	mutate_value(f, field_at(m, f), seed, depth);
}

/* The method's input type, for a lend with opcode id. */
static const ProtobufCMessageDescriptor *input_of(uint32_t id)
{
	const ProtobufCServiceDescriptor *svc = fsrv_current ? fsrv_current->svc : NULL;

	return svc && id < svc->n_methods ? svc->methods[id].input : NULL;
}

/* A new payload for a request of type d (old: its current bytes), packed
 * into out; its length, or 0 if it does not fit. */
static size_t mutate_request(const ProtobufCMessageDescriptor *d, const uint8_t *old, size_t len,
                             uint8_t *out, size_t cap, unsigned *seed)
{
	ProtobufCMessage *m = old ? protobuf_c_message_unpack(d, NULL, len, old) : NULL;
	size_t n;

	if (!m)
		message_new(d, &m);
	mutate_message(m, seed, 0);
	n = protobuf_c_message_get_packed_size(m);
	if (n <= cap)
		protobuf_c_message_pack(m, out);
	else
		n = 0;
	protobuf_c_message_free_unpacked(m, NULL);
	return n;
}

/* Replace the payload of record r in data with the n bytes of p. */
static size_t splice(uint8_t *data, size_t size, size_t max, const struct fsrv_record *r,
                     const uint8_t *p, size_t n)
{
	size_t after = r->payload_at + r->payload_len;

	if (size - r->payload_len + n > max || r->len_at + 2 > size)
		return 0;
	memmove(data + r->payload_at + n, data + after, size - after);
	memcpy(data + r->payload_at, p, n);
	data[r->len_at] = (uint8_t)n;
	data[r->len_at + 1] = (uint8_t)(n >> 8);
	return size - r->payload_len + n;
}

/* Append a well-formed request: a MutableBorrow or Borrow of a method's
 * input, served at once. */
static size_t append_request(uint8_t *data, size_t size, size_t max, unsigned *seed)
{
	const ProtobufCServiceDescriptor *svc = fsrv_current ? fsrv_current->svc : NULL;
	static uint8_t payload[MAX_PAYLOAD];
	uint8_t head[11];
	uint32_t id;
	size_t n, h = 0;

	if (!svc || svc->n_methods == 0)
		return 0;
	id = rnd(seed, svc->n_methods);
	n = mutate_request(svc->methods[id].input, NULL, 0, payload, sizeof(payload), seed);
	head[h++] = 0; /* a message */
	head[h++] = (uint8_t)(rnd(seed, 2) ? XOUS_KIND_MUTABLE_BORROW - 1 : XOUS_KIND_BORROW - 1);
	head[h++] = (uint8_t)rnd(seed, FSRV_CLIENTS);
	if (id < 12) {
		head[h++] = (uint8_t)id;
	} else { /* an opcode of its own */
		head[h++] = 0xf0;
		memcpy(head + h, &id, 4); /* little-endian, as fz_u32 reads it */
		h += 4;
	}
	head[h++] = FSRV_MODE_PROTO;
	head[h++] = (uint8_t)n;
	head[h++] = (uint8_t)(n >> 8);
	if (size + h + n > max)
		return 0;
	memcpy(data + size, head, h);
	memcpy(data + size + h, payload, n);
	return size + h + n;
}

static int enabled(void)
{
	static int on = -1;

	if (on < 0) {
		const char *e = getenv("XOUS_FUZZ_MUTATOR");

		on = !(e && strcmp(e, "off") == 0);
	}
	return on;
}

size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size, unsigned int seed)
{
	static struct fsrv_record recs[MAX_RECORDS];
	static uint8_t payload[MAX_PAYLOAD];
	struct fz f = {data, size};
	unsigned nrec = 0, pick, i;
	size_t n, out;

	if (!enabled() || rnd(&seed, 8) == 0)
		return engine_mutate(data, size, max_size);
	while (nrec < MAX_RECORDS && fsrv_read_record(&f, data, &recs[nrec]))
		if (recs[nrec].kind && recs[nrec].kind <= XOUS_KIND_MOVE &&
		    (recs[nrec].mode & FSRV_MODE_PROTO) && recs[nrec].len_at != SIZE_MAX &&
		    input_of(recs[nrec].id) && recs[nrec].len_at + 2 <= size)
			nrec++;
	if (nrec == 0 || rnd(&seed, 6) == 0) {
		out = append_request(data, size, max_size, &seed);
		return out ? out : engine_mutate(data, size, max_size);
	}
	pick = rnd(&seed, nrec);
	for (i = 0; i < 3; i++) { /* a request that does not fit tries again */
		n = mutate_request(input_of(recs[pick].id), recs[pick].payload,
		                   recs[pick].payload_len, payload, sizeof(payload), &seed);
		out = splice(data, size, max_size, &recs[pick], payload, n);
		if (out)
			return out;
	}
	return engine_mutate(data, size, max_size);
}
