/*
 * protobuf-c.c - the part of the protobuf-c runtime API the servers use,
 * written for kernel-riscv: Debian ships protobuf-c's runtime only as a host
 * (x86-64) library, and its header alone is portable. Same API, same wire
 * format (proto2 and proto3 fields: varint, zigzag, fixed, length-delimited,
 * packed and unpacked repeated, nested messages; oneofs as plain optional
 * fields). Unknown fields are skipped when unpacking, not kept.
 */
#include <protobuf-c/protobuf-c.h>
#include <stdlib.h>
#include <string.h>

#ifndef PBC_HOST_TEST /* the host test links the real library, which has it */
const char protobuf_c_empty_string[] = "";
#endif

/* ---- allocation ---- */

static void *pbc_alloc(ProtobufCAllocator *a, size_t n)
{
	return a ? a->alloc(a->allocator_data, n) : malloc(n);
}

static void pbc_free(ProtobufCAllocator *a, void *p)
{
	if (!p)
		return;
	if (a)
		a->free(a->allocator_data, p);
	else
		free(p);
}

/* ---- field helpers ---- */

static size_t type_size(ProtobufCType t)
{
	switch (t) {
	case PROTOBUF_C_TYPE_INT64:
	case PROTOBUF_C_TYPE_SINT64:
	case PROTOBUF_C_TYPE_SFIXED64:
	case PROTOBUF_C_TYPE_UINT64:
	case PROTOBUF_C_TYPE_FIXED64:
	case PROTOBUF_C_TYPE_DOUBLE:
		return 8;
	case PROTOBUF_C_TYPE_BOOL:
		return sizeof(protobuf_c_boolean);
	case PROTOBUF_C_TYPE_STRING:
	case PROTOBUF_C_TYPE_MESSAGE:
		return sizeof(void *);
	case PROTOBUF_C_TYPE_BYTES:
		return sizeof(ProtobufCBinaryData);
	default:
		return 4;
	}
}

static ProtobufCWireType wire_type(ProtobufCType t)
{
	switch (t) {
	case PROTOBUF_C_TYPE_SFIXED32:
	case PROTOBUF_C_TYPE_FIXED32:
	case PROTOBUF_C_TYPE_FLOAT:
		return PROTOBUF_C_WIRE_TYPE_32BIT;
	case PROTOBUF_C_TYPE_SFIXED64:
	case PROTOBUF_C_TYPE_FIXED64:
	case PROTOBUF_C_TYPE_DOUBLE:
		return PROTOBUF_C_WIRE_TYPE_64BIT;
	case PROTOBUF_C_TYPE_STRING:
	case PROTOBUF_C_TYPE_BYTES:
	case PROTOBUF_C_TYPE_MESSAGE:
		return PROTOBUF_C_WIRE_TYPE_LENGTH_PREFIXED;
	default:
		return PROTOBUF_C_WIRE_TYPE_VARINT;
	}
}

static void *field_ptr(const ProtobufCMessage *m, unsigned off)
{
	return (char *)m + off;
}

/* The value of a scalar as the varint it is sent as. */
static uint64_t varint_value(ProtobufCType t, const void *v)
{
	switch (t) {
	case PROTOBUF_C_TYPE_INT32:
	case PROTOBUF_C_TYPE_ENUM:
		return (uint64_t)(int64_t) * (const int32_t *)v;
	case PROTOBUF_C_TYPE_SINT32: {
		int32_t x = *(const int32_t *)v;
		return (uint32_t)(((uint32_t)x << 1) ^ (uint32_t)(x >> 31));
	}
	case PROTOBUF_C_TYPE_UINT32:
		return *(const uint32_t *)v;
	case PROTOBUF_C_TYPE_SINT64: {
		int64_t x = *(const int64_t *)v;
		return ((uint64_t)x << 1) ^ (uint64_t)(x >> 63);
	}
	case PROTOBUF_C_TYPE_INT64:
	case PROTOBUF_C_TYPE_UINT64:
		return *(const uint64_t *)v;
	case PROTOBUF_C_TYPE_BOOL:
		return *(const protobuf_c_boolean *)v ? 1 : 0;
	default:
		return 0;
	}
}

static size_t varint_size(uint64_t v)
{
	size_t n = 1;

	while (v >= 0x80) {
		v >>= 7;
		n++;
	}
	return n;
}

static size_t put_varint(uint64_t v, uint8_t *out)
{
	size_t n = 0;

	while (v >= 0x80) {
		out[n++] = (uint8_t)(v | 0x80);
		v >>= 7;
	}
	out[n++] = (uint8_t)v;
	return n;
}

/* ---- packing: one routine that sizes (out == NULL) or writes ---- */

static size_t emit(uint8_t *out, size_t at, const void *src, size_t n)
{
	if (out)
		memcpy(out + at, src, n);
	return n;
}

static size_t emit_varint(uint8_t *out, size_t at, uint64_t v)
{
	return out ? put_varint(v, out + at) : varint_size(v);
}

static size_t pack_message(const ProtobufCMessage *m, uint8_t *out);

/* One value's payload (no tag). */
static size_t pack_value(ProtobufCType t, const void *v, uint8_t *out, size_t at)
{
	switch (wire_type(t)) {
	case PROTOBUF_C_WIRE_TYPE_32BIT:
		return emit(out, at, v, 4); /* RV32 and the wire are little-endian */
	case PROTOBUF_C_WIRE_TYPE_64BIT:
		return emit(out, at, v, 8);
	case PROTOBUF_C_WIRE_TYPE_VARINT:
		return emit_varint(out, at, varint_value(t, v));
	default:
		break;
	}
	const uint8_t *data;
	size_t len, n;
	if (t == PROTOBUF_C_TYPE_STRING) {
		data = *(const uint8_t *const *)v;
		len = data ? strlen((const char *)data) : 0;
	} else if (t == PROTOBUF_C_TYPE_BYTES) {
		data = ((const ProtobufCBinaryData *)v)->data;
		len = ((const ProtobufCBinaryData *)v)->len;
	} else {
		const ProtobufCMessage *sub = *(const ProtobufCMessage *const *)v;
		len = sub ? pack_message(sub, NULL) : 0;
		n = emit_varint(out, at, len);
		if (sub && out)
			pack_message(sub, out + at + n);
		return n + len;
	}
	n = emit_varint(out, at, len);
	return n + (len ? emit(out, at + n, data, len) : 0);
}

static size_t pack_tagged(const ProtobufCFieldDescriptor *f, ProtobufCWireType wt, const void *v,
                          uint8_t *out, size_t at)
{
	size_t n = emit_varint(out, at, (uint64_t)f->id << 3 | wt);

	return n + pack_value(f->type, v, out, at + n);
}

/* Whether a proto3 (LABEL_NONE) or proto2 optional field is sent at all. */
static int field_present(const ProtobufCMessage *m, const ProtobufCFieldDescriptor *f)
{
	const void *v = field_ptr(m, f->offset);

	if (f->flags & PROTOBUF_C_FIELD_FLAG_ONEOF)
		return *(const uint32_t *)field_ptr(m, f->quantifier_offset) == f->id;
	if (f->label == PROTOBUF_C_LABEL_REQUIRED)
		return 1;
	if (f->type == PROTOBUF_C_TYPE_MESSAGE || f->type == PROTOBUF_C_TYPE_STRING) {
		const void *p = *(const void *const *)v;
		if (!p)
			return 0;
		if (f->label == PROTOBUF_C_LABEL_NONE && f->type == PROTOBUF_C_TYPE_STRING)
			return *(const char *)p != '\0';
		return 1;
	}
	if (f->label == PROTOBUF_C_LABEL_OPTIONAL)
		return *(const protobuf_c_boolean *)field_ptr(m, f->quantifier_offset);
	if (f->type == PROTOBUF_C_TYPE_BYTES)
		return ((const ProtobufCBinaryData *)v)->len != 0;
	/* proto3 scalar: sent unless zero */
	static const uint8_t zero[8];
	return memcmp(v, zero, type_size(f->type)) != 0;
}

static size_t pack_repeated(const ProtobufCFieldDescriptor *f, const ProtobufCMessage *m,
                            uint8_t *out, size_t at)
{
	size_t count = *(const size_t *)field_ptr(m, f->quantifier_offset), n = 0, body = 0;
	const char *arr = *(char *const *)field_ptr(m, f->offset);
	size_t sz = type_size(f->type);

	if (count == 0)
		return 0;
	if (!(f->flags & PROTOBUF_C_FIELD_FLAG_PACKED) ||
	    wire_type(f->type) == PROTOBUF_C_WIRE_TYPE_LENGTH_PREFIXED) {
		for (size_t i = 0; i < count; i++)
			n += pack_tagged(f, wire_type(f->type), arr + i * sz, out, at + n);
		return n;
	}
	for (size_t i = 0; i < count; i++)
		body += pack_value(f->type, arr + i * sz, NULL, 0);
	n = emit_varint(out, at, (uint64_t)f->id << 3 | PROTOBUF_C_WIRE_TYPE_LENGTH_PREFIXED);
	n += emit_varint(out, at + n, body);
	for (size_t i = 0; i < count; i++)
		n += pack_value(f->type, arr + i * sz, out, at + n);
	return n;
}

static size_t pack_message(const ProtobufCMessage *m, uint8_t *out)
{
	const ProtobufCMessageDescriptor *d = m->descriptor;
	size_t n = 0;

	for (unsigned i = 0; i < d->n_fields; i++) {
		const ProtobufCFieldDescriptor *f = &d->fields[i];
		if (f->label == PROTOBUF_C_LABEL_REPEATED)
			n += pack_repeated(f, m, out, n);
		else if (field_present(m, f))
			n += pack_tagged(f, wire_type(f->type), field_ptr(m, f->offset), out, n);
	}
	return n;
}

size_t protobuf_c_message_get_packed_size(const ProtobufCMessage *message)
{
	return pack_message(message, NULL);
}

size_t protobuf_c_message_pack(const ProtobufCMessage *message, uint8_t *out)
{
	return pack_message(message, out);
}

size_t protobuf_c_message_pack_to_buffer(const ProtobufCMessage *message, ProtobufCBuffer *buffer)
{
	size_t len = pack_message(message, NULL);
	uint8_t *tmp = malloc(len ? len : 1);

	if (!tmp)
		return 0;
	pack_message(message, tmp);
	buffer->append(buffer, len, tmp);
	free(tmp);
	return len;
}

/* ---- unpacking ---- */

struct reader {
	const uint8_t *p, *end;
};

static int get_varint(struct reader *r, uint64_t *v)
{
	uint64_t x = 0;

	for (unsigned shift = 0; shift < 70; shift += 7) {
		if (r->p >= r->end)
			return -1;
		uint8_t b = *r->p++;
		x |= (uint64_t)(b & 0x7f) << shift;
		if (!(b & 0x80)) {
			*v = x;
			return 0;
		}
	}
	return -1;
}

static int get_bytes(struct reader *r, size_t n, const uint8_t **data)
{
	if ((size_t)(r->end - r->p) < n)
		return -1;
	*data = r->p;
	r->p += n;
	return 0;
}

static const ProtobufCFieldDescriptor *find_field(const ProtobufCMessageDescriptor *d, uint32_t id)
{
	for (unsigned i = 0; i < d->n_fields; i++)
		if (d->fields[i].id == id)
			return &d->fields[i];
	return NULL;
}

static int skip_value(struct reader *r, unsigned wt)
{
	uint64_t v;
	const uint8_t *data;

	switch (wt) {
	case PROTOBUF_C_WIRE_TYPE_VARINT:
		return get_varint(r, &v);
	case PROTOBUF_C_WIRE_TYPE_64BIT:
		return get_bytes(r, 8, &data);
	case PROTOBUF_C_WIRE_TYPE_32BIT:
		return get_bytes(r, 4, &data);
	case PROTOBUF_C_WIRE_TYPE_LENGTH_PREFIXED:
		if (get_varint(r, &v) || v > (uint64_t)(r->end - r->p))
			return -1;
		return get_bytes(r, (size_t)v, &data);
	default:
		return -1;
	}
}

/* Store one scalar read with wire type wt into dst. */
static int read_scalar(struct reader *r, ProtobufCType t, unsigned wt, void *dst)
{
	const uint8_t *data;
	uint64_t v;

	if (wt != (unsigned)wire_type(t))
		return -1;
	if (wt == PROTOBUF_C_WIRE_TYPE_32BIT || wt == PROTOBUF_C_WIRE_TYPE_64BIT) {
		size_t n = wt == PROTOBUF_C_WIRE_TYPE_32BIT ? 4 : 8;
		if (get_bytes(r, n, &data))
			return -1;
		memcpy(dst, data, n);
		return 0;
	}
	if (get_varint(r, &v))
		return -1;
	switch (t) {
	case PROTOBUF_C_TYPE_SINT32:
		*(int32_t *)dst = (int32_t)((uint32_t)v >> 1) ^ -(int32_t)(v & 1);
		break;
	case PROTOBUF_C_TYPE_SINT64:
		*(int64_t *)dst = (int64_t)(v >> 1) ^ -(int64_t)(v & 1);
		break;
	case PROTOBUF_C_TYPE_INT64:
	case PROTOBUF_C_TYPE_UINT64:
		*(uint64_t *)dst = v;
		break;
	case PROTOBUF_C_TYPE_BOOL:
		*(protobuf_c_boolean *)dst = v != 0;
		break;
	default: /* int32, uint32, enum */
		*(uint32_t *)dst = (uint32_t)v;
		break;
	}
	return 0;
}

static ProtobufCMessage *unpack(const ProtobufCMessageDescriptor *d, ProtobufCAllocator *a,
                                const uint8_t *data, size_t len, int depth);

/* Read one length-delimited value (string, bytes, message) into dst. */
static int read_lenval(struct reader *r, const ProtobufCFieldDescriptor *f, ProtobufCAllocator *a,
                       void *dst, int depth)
{
	const uint8_t *data;
	uint64_t n;

	if (get_varint(r, &n) || n > (uint64_t)(r->end - r->p) || get_bytes(r, (size_t)n, &data))
		return -1;
	if (f->type == PROTOBUF_C_TYPE_MESSAGE) {
		ProtobufCMessage *sub = unpack(f->descriptor, a, data, (size_t)n, depth + 1);
		if (!sub)
			return -1;
		*(ProtobufCMessage **)dst = sub;
		return 0;
	}
	uint8_t *copy = pbc_alloc(a, (size_t)n + 1);
	if (!copy)
		return -1;
	memcpy(copy, data, (size_t)n);
	copy[n] = 0;
	if (f->type == PROTOBUF_C_TYPE_STRING) {
		*(char **)dst = (char *)copy;
	} else {
		((ProtobufCBinaryData *)dst)->data = copy;
		((ProtobufCBinaryData *)dst)->len = (size_t)n;
	}
	return 0;
}

/* Make room for one more element of a repeated field; returns its address. */
static void *repeated_slot(ProtobufCMessage *m, const ProtobufCFieldDescriptor *f,
                           ProtobufCAllocator *a)
{
	size_t *count = field_ptr(m, f->quantifier_offset), sz = type_size(f->type);
	char **arr = field_ptr(m, f->offset);
	char *grown = pbc_alloc(a, (*count + 1) * sz);

	if (!grown)
		return NULL;
	if (*count)
		memcpy(grown, *arr, *count * sz);
	pbc_free(a, *arr);
	*arr = grown;
	memset(grown + *count * sz, 0, sz);
	return grown + (*count)++ * sz;
}

static int read_field(struct reader *r, ProtobufCMessage *m, const ProtobufCFieldDescriptor *f,
                      unsigned wt, ProtobufCAllocator *a, int depth)
{
	int lenval = wire_type(f->type) == PROTOBUF_C_WIRE_TYPE_LENGTH_PREFIXED;

	if (f->label == PROTOBUF_C_LABEL_REPEATED && !lenval &&
	    wt == PROTOBUF_C_WIRE_TYPE_LENGTH_PREFIXED) {
		uint64_t n; /* a packed run of scalars */
		const uint8_t *data;
		if (get_varint(r, &n) || n > (uint64_t)(r->end - r->p) ||
		    get_bytes(r, (size_t)n, &data))
			return -1;
		struct reader run = {data, data + n};
		while (run.p < run.end) {
			void *slot = repeated_slot(m, f, a);
			if (!slot || read_scalar(&run, f->type, wire_type(f->type), slot))
				return -1;
		}
		return 0;
	}
	void *dst = f->label == PROTOBUF_C_LABEL_REPEATED ? repeated_slot(m, f, a)
	                                                  : field_ptr(m, f->offset);
	if (!dst)
		return -1;
	if (!lenval)
		return read_scalar(r, f->type, wt, dst);
	if (wt != PROTOBUF_C_WIRE_TYPE_LENGTH_PREFIXED)
		return -1;
	if (f->label != PROTOBUF_C_LABEL_REPEATED) { /* a later value replaces an earlier one */
		if (f->type == PROTOBUF_C_TYPE_MESSAGE) {
			protobuf_c_message_free_unpacked(*(ProtobufCMessage **)dst, a);
			*(ProtobufCMessage **)dst = NULL;
		} else if (f->type == PROTOBUF_C_TYPE_STRING) {
			char *old = *(char **)dst;
			if (old && old != f->default_value && old != protobuf_c_empty_string)
				pbc_free(a, old);
			*(char **)dst = NULL; /* a later failure must not free it again */
		} else {
			ProtobufCBinaryData *b = dst;
			const ProtobufCBinaryData *def = f->default_value;
			if (b->data && (!def || b->data != def->data))
				pbc_free(a, b->data);
			b->data = NULL;
			b->len = 0;
		}
	}
	return read_lenval(r, f, a, dst, depth);
}

static void mark_present(ProtobufCMessage *m, const ProtobufCFieldDescriptor *f)
{
	if (f->flags & PROTOBUF_C_FIELD_FLAG_ONEOF)
		*(uint32_t *)field_ptr(m, f->quantifier_offset) = f->id;
	else if (f->label == PROTOBUF_C_LABEL_OPTIONAL && f->type != PROTOBUF_C_TYPE_MESSAGE &&
	         f->type != PROTOBUF_C_TYPE_STRING)
		*(protobuf_c_boolean *)field_ptr(m, f->quantifier_offset) = 1;
}

static ProtobufCMessage *unpack(const ProtobufCMessageDescriptor *d, ProtobufCAllocator *a,
                                const uint8_t *data, size_t len, int depth)
{
	struct reader r = {data, data + len};
	ProtobufCMessage *m;

	if (!d || depth > 64 || !(m = pbc_alloc(a, d->sizeof_message)))
		return NULL;
	protobuf_c_message_init(d, m);
	while (r.p < r.end) {
		uint64_t key;
		if (get_varint(&r, &key) || (key >> 3) == 0 || (key >> 3) > 0x1fffffff)
			goto fail;
		const ProtobufCFieldDescriptor *f = find_field(d, (uint32_t)(key >> 3));
		unsigned wt = (unsigned)(key & 7);
		if (!f) {
			if (skip_value(&r, wt))
				goto fail;
			continue;
		}
		if (read_field(&r, m, f, wt, a, depth))
			goto fail;
		mark_present(m, f);
	}
	for (unsigned i = 0; i < d->n_fields; i++)
		if (d->fields[i].label == PROTOBUF_C_LABEL_REQUIRED &&
		    d->fields[i].type == PROTOBUF_C_TYPE_MESSAGE &&
		    !*(void **)field_ptr(m, d->fields[i].offset))
			goto fail;
	return m;
fail:
	protobuf_c_message_free_unpacked(m, a);
	return NULL;
}

ProtobufCMessage *protobuf_c_message_unpack(const ProtobufCMessageDescriptor *descriptor,
                                            ProtobufCAllocator *allocator, size_t len,
                                            const uint8_t *data)
{
	if (!data && len)
		return NULL;
	return unpack(descriptor, allocator, data, len, 0);
}

static void free_value(const ProtobufCFieldDescriptor *f, void *v, ProtobufCAllocator *a)
{
	if (f->type == PROTOBUF_C_TYPE_STRING) {
		char *s = *(char **)v;
		if (s && s != f->default_value && s != protobuf_c_empty_string)
			pbc_free(a, s);
	} else if (f->type == PROTOBUF_C_TYPE_BYTES) {
		const ProtobufCBinaryData *def = f->default_value;
		uint8_t *p = ((ProtobufCBinaryData *)v)->data;
		if (p && (!def || p != def->data))
			pbc_free(a, p);
	} else if (f->type == PROTOBUF_C_TYPE_MESSAGE) {
		protobuf_c_message_free_unpacked(*(ProtobufCMessage **)v, a);
	}
}

void protobuf_c_message_free_unpacked(ProtobufCMessage *message, ProtobufCAllocator *allocator)
{
	if (!message)
		return;
	const ProtobufCMessageDescriptor *d = message->descriptor;
	for (unsigned i = 0; i < d->n_fields; i++) {
		const ProtobufCFieldDescriptor *f = &d->fields[i];
		void *v = field_ptr(message, f->offset);
		if (f->label == PROTOBUF_C_LABEL_REPEATED) {
			size_t count = *(size_t *)field_ptr(message, f->quantifier_offset);
			char *arr = *(char **)v;
			for (size_t j = 0; arr && j < count; j++)
				free_value(f, arr + j * type_size(f->type), allocator);
			pbc_free(allocator, arr);
		} else {
			free_value(f, v, allocator);
		}
	}
	pbc_free(allocator, message);
}

void protobuf_c_message_init(const ProtobufCMessageDescriptor *descriptor, void *message)
{
	descriptor->message_init((ProtobufCMessage *)message);
}

/* ---- services ---- */

typedef void (*pbc_handler)(ProtobufCService *service, const ProtobufCMessage *input,
                            ProtobufCClosure closure, void *closure_data);

/* The generated service struct puts one handler per method right after its base. */
void protobuf_c_service_invoke_internal(ProtobufCService *service, unsigned method_index,
                                        const ProtobufCMessage *input, ProtobufCClosure closure,
                                        void *closure_data)
{
	pbc_handler *handlers = (pbc_handler *)(service + 1);

	if (method_index < service->descriptor->n_methods && handlers[method_index])
		handlers[method_index](service, input, closure, closure_data);
	else
		closure(NULL, closure_data);
}

void protobuf_c_service_generated_init(ProtobufCService *service,
                                       const ProtobufCServiceDescriptor *descriptor,
                                       ProtobufCServiceDestroy destroy)
{
	pbc_handler *handlers = (pbc_handler *)(service + 1);

	service->descriptor = descriptor;
	service->destroy = destroy;
	service->invoke = protobuf_c_service_invoke_internal;
	memset(handlers, 0, descriptor->n_methods * sizeof(*handlers));
}

void protobuf_c_service_destroy(ProtobufCService *service)
{
	service->destroy(service);
}
