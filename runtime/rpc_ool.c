/*
 * The out-of-line frame of <xous/rpc.h> (rpc_ool.h): layout, writing and
 * checked decoding. Pure: no kernel calls.
 */
#include <stdlib.h>
#include <string.h>

#include "rpc_ool.h"

#define ITEM_BYTES    sizeof(struct xous_rpc_ool_item)
#define TRAILER_BYTES sizeof(struct xous_rpc_trailer)

static const char empty_string[1] = ""; /* an emptied string: packed, never freed */

static void *at(const ProtobufCMessage *m, unsigned off)
{
	return (char *)m + off;
}

static int is_lenval(ProtobufCType t)
{
	return t == PROTOBUF_C_TYPE_BYTES || t == PROTOBUF_C_TYPE_STRING;
}

static size_t elem_size(ProtobufCType t)
{
	return t == PROTOBUF_C_TYPE_BYTES ? sizeof(ProtobufCBinaryData) : sizeof(void *);
}

/* ---- the fixed walk over bytes and string values ---- */

typedef xous_err_t (*ool_slot_fn)(void *ctx, const ProtobufCFieldDescriptor *f, void *slot,
                                  uint32_t ordinal);
struct walk {
	ool_slot_fn fn;
	void *ctx;
	uint32_t ordinal;
};

static xous_err_t walk_msg(struct walk *w, ProtobufCMessage *m, int depth);

static xous_err_t walk_value(struct walk *w, const ProtobufCFieldDescriptor *f, void *slot,
                             int depth)
{
	if (f->type == PROTOBUF_C_TYPE_MESSAGE) {
		ProtobufCMessage *sub = *(ProtobufCMessage **)slot;
		return sub ? walk_msg(w, sub, depth + 1) : XOUS_OK;
	}
	if (w->ordinal == UINT32_MAX)
		return XOUS_ERR_INVALID_ARGUMENT;
	return w->fn(w->ctx, f, slot, w->ordinal++);
}

/* Whether field f of m is walked: a oneof's member only when it is set. */
static int walked(const ProtobufCMessage *m, const ProtobufCFieldDescriptor *f)
{
	if (f->type != PROTOBUF_C_TYPE_MESSAGE && !is_lenval(f->type))
		return 0;
	if (f->label != PROTOBUF_C_LABEL_REPEATED && (f->flags & PROTOBUF_C_FIELD_FLAG_ONEOF))
		return *(const uint32_t *)at(m, f->quantifier_offset) == f->id;
	return 1;
}

static xous_err_t walk_msg(struct walk *w, ProtobufCMessage *m, int depth)
{
	const ProtobufCMessageDescriptor *d = m->descriptor;
	xous_err_t err = XOUS_OK;

	if (depth > OOL_MAX_DEPTH)
		return XOUS_ERR_INVALID_ARGUMENT;
	for (unsigned i = 0; i < d->n_fields && !err; i++) {
		const ProtobufCFieldDescriptor *f = &d->fields[i];
		if (!walked(m, f))
			continue;
		if (f->label != PROTOBUF_C_LABEL_REPEATED) {
			err = walk_value(w, f, at(m, f->offset), depth);
			continue;
		}
		size_t n = *(const size_t *)at(m, f->quantifier_offset);
		char *arr = *(char **)at(m, f->offset);
		for (size_t j = 0; j < n && arr && !err; j++)
			err = walk_value(w, f, arr + j * elem_size(f->type), depth);
	}
	return err;
}

static xous_err_t ool_walk(ProtobufCMessage *m, ool_slot_fn fn, void *ctx)
{
	struct walk w = {fn, ctx, 0};

	return walk_msg(&w, m, 0);
}

/* The bytes of a value: a string's without its NUL. */
static const uint8_t *slot_bytes(const ProtobufCFieldDescriptor *f, const void *slot, size_t *len)
{
	if (f->type == PROTOBUF_C_TYPE_STRING) {
		const char *s = *(const char *const *)slot;
		*len = s ? strlen(s) : 0;
		return (const uint8_t *)s;
	}
	*len = ((const ProtobufCBinaryData *)slot)->len;
	return ((const ProtobufCBinaryData *)slot)->data;
}

/* ---- UTF-8 ---- */

int ool_utf8_ok(const uint8_t *s, size_t len)
{
	size_t i = 0;

	while (i < len) {
		uint8_t c = s[i];
		uint32_t cp, min;
		size_t n;
		if (c >= 0x01 && c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf)
			n = 1, cp = c & 0x1fu, min = 0x80;
		else if (c >= 0xe0 && c <= 0xef)
			n = 2, cp = c & 0x0fu, min = 0x800;
		else if (c >= 0xf0 && c <= 0xf4)
			n = 3, cp = c & 0x07u, min = 0x10000;
		else
			return 0; /* NUL, a continuation byte, or no UTF-8 lead byte */
		if (len - i <= n)
			return 0;
		for (size_t k = 1; k <= n; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return 0;
			cp = cp << 6 | (s[i + k] & 0x3fu);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return 0;
		i += n + 1;
	}
	return 1;
}

/* ---- the sender: plan, shadow, layout, write ---- */

struct plan_ctx {
	struct ool_frame *f;
	uintptr_t region;
	size_t len, crossover;
};

static xous_err_t push_item(struct ool_frame *f, struct ool_item it)
{
	if (f->n == f->cap) {
		size_t cap = f->cap ? 2 * f->cap : 4;
		struct ool_item *grown = realloc(f->items, cap * sizeof(*grown));
		if (grown == NULL)
			return XOUS_ERR_OUT_OF_MEMORY;
		f->items = grown;
		f->cap = cap;
	}
	f->items[f->n++] = it;
	return XOUS_OK;
}

static xous_err_t plan_slot(void *c, const ProtobufCFieldDescriptor *f, void *slot,
                            uint32_t ordinal)
{
	struct plan_ctx *pc = c;
	size_t len;
	const uint8_t *p = slot_bytes(f, slot, &len);
	uintptr_t a = (uintptr_t)p;
	struct ool_item it = {ordinal, 0, p, len, 0};

	if (len > XOUS_OOL_MAX || (len > 0 && p == NULL))
		return XOUS_ERR_INVALID_ARGUMENT;
	if (f->type == PROTOBUF_C_TYPE_STRING && !ool_utf8_ok(p, len))
		return XOUS_ERR_INVALID_STRING;
	it.in_place = len > 0 && pc->region && a >= pc->region && len <= pc->len &&
	              a - pc->region <= pc->len - len;
	if (it.in_place)
		it.off = a - pc->region;
	else if (len < pc->crossover)
		return XOUS_OK;
	return push_item(pc->f, it);
}

/* A copy of m's structure (messages and the arrays of repeated bytes,
 * strings and messages; not the values' bytes), freed by shadow_free. */
static void shadow_free(ProtobufCMessage *m)
{
	const ProtobufCMessageDescriptor *d;

	if (m == NULL)
		return;
	d = m->descriptor;
	for (unsigned i = 0; i < d->n_fields; i++) {
		const ProtobufCFieldDescriptor *f = &d->fields[i];
		if (!walked(m, f))
			continue;
		if (f->label != PROTOBUF_C_LABEL_REPEATED) {
			if (f->type == PROTOBUF_C_TYPE_MESSAGE)
				shadow_free(*(ProtobufCMessage **)at(m, f->offset));
			continue;
		}
		size_t n = *(size_t *)at(m, f->quantifier_offset);
		void **arr = *(void ***)at(m, f->offset);
		for (size_t j = 0; arr && j < n && f->type == PROTOBUF_C_TYPE_MESSAGE; j++)
			shadow_free(arr[j]);
		free(arr);
	}
	free(m);
}

/* Clear what shadow_free would free, so that a copy half made frees only
 * what it made. */
static void shadow_detach(ProtobufCMessage *m)
{
	const ProtobufCMessageDescriptor *d = m->descriptor;

	for (unsigned i = 0; i < d->n_fields; i++) {
		const ProtobufCFieldDescriptor *f = &d->fields[i];
		if (!walked(m, f))
			continue;
		if (f->label == PROTOBUF_C_LABEL_REPEATED) {
			*(size_t *)at(m, f->quantifier_offset) = 0;
			*(void **)at(m, f->offset) = NULL;
		} else if (f->type == PROTOBUF_C_TYPE_MESSAGE) {
			*(void **)at(m, f->offset) = NULL;
		}
	}
}

static ProtobufCMessage *shadow_of(const ProtobufCMessage *m, int depth);

static int shadow_field(ProtobufCMessage *c, const ProtobufCMessage *m,
                        const ProtobufCFieldDescriptor *f, int depth)
{
	if (f->label != PROTOBUF_C_LABEL_REPEATED) {
		const ProtobufCMessage *sub = *(ProtobufCMessage *const *)at(m, f->offset);
		if (f->type != PROTOBUF_C_TYPE_MESSAGE || sub == NULL)
			return 0;
		return (*(ProtobufCMessage **)at(c, f->offset) = shadow_of(sub, depth + 1)) ? 0
		                                                                            : -1;
	}
	size_t n = *(const size_t *)at(m, f->quantifier_offset), sz = elem_size(f->type);
	const char *src = *(char *const *)at(m, f->offset);
	char *arr;
	if (n == 0 || src == NULL)
		return 0;
	if (n > SIZE_MAX / sz || (arr = malloc(n * sz)) == NULL)
		return -1;
	memcpy(arr, src, n * sz);
	*(void **)at(c, f->offset) = arr;
	if (f->type != PROTOBUF_C_TYPE_MESSAGE) {
		*(size_t *)at(c, f->quantifier_offset) = n;
		return 0;
	}
	for (size_t j = 0; j < n; j++) {
		ProtobufCMessage *e = ((ProtobufCMessage **)arr)[j];
		((ProtobufCMessage **)arr)[j] = e ? shadow_of(e, depth + 1) : NULL;
		*(size_t *)at(c, f->quantifier_offset) = j + 1;
		if (e && ((ProtobufCMessage **)arr)[j] == NULL)
			return -1;
	}
	return 0;
}

static ProtobufCMessage *shadow_of(const ProtobufCMessage *m, int depth)
{
	const ProtobufCMessageDescriptor *d = m->descriptor;
	ProtobufCMessage *c;

	if (depth > OOL_MAX_DEPTH || (c = malloc(d->sizeof_message)) == NULL)
		return NULL;
	memcpy(c, m, d->sizeof_message);
	shadow_detach(c);
	for (unsigned i = 0; i < d->n_fields; i++) {
		if (walked(m, &d->fields[i]) && shadow_field(c, m, &d->fields[i], depth) != 0) {
			shadow_free(c);
			return NULL;
		}
	}
	return c;
}

/* Empty, in the shadow, the values that travel out of line. */
struct empty_ctx {
	const struct ool_frame *f;
	size_t next;
};

static xous_err_t empty_item(void *c, const ProtobufCFieldDescriptor *f, void *slot,
                             uint32_t ordinal)
{
	struct empty_ctx *ec = c;

	if (ec->next >= ec->f->n || ec->f->items[ec->next].ordinal != ordinal)
		return XOUS_OK;
	ec->next++;
	if (f->type == PROTOBUF_C_TYPE_STRING) {
		*(const char **)slot = empty_string;
	} else {
		((ProtobufCBinaryData *)slot)->data = NULL;
		((ProtobufCBinaryData *)slot)->len = 0;
	}
	return XOUS_OK;
}

/* ---- layout: the head, the copied values, then the table ---- */

struct span {
	size_t start, end;
};

/* Places pieces upward from 0, around the spans already taken (sorted). */
struct placer {
	const struct span *taken;
	size_t ntaken, j, pos;
};

static size_t align_up(size_t v, size_t a)
{
	return (v + a - 1) / a * a;
}

static size_t place(struct placer *p, size_t len, size_t align)
{
	size_t pos = align_up(p->pos, align);

	for (; p->j < p->ntaken && p->taken[p->j].start < pos + len; p->j++)
		if (p->taken[p->j].end > pos)
			pos = align_up(p->taken[p->j].end, align);
	p->pos = pos + len;
	return pos;
}

static int by_start(const void *a, const void *b)
{
	const struct span *x = a, *y = b;

	return x->start < y->start ? -1 : x->start > y->start;
}

static xous_err_t layout(struct ool_frame *f, size_t cap)
{
	struct placer p = {NULL, 0, 0, 0};
	struct span *taken = NULL;
	size_t end;

	for (size_t i = 0; i < f->n; i++)
		p.ntaken += f->items[i].in_place;
	if (p.ntaken && (taken = malloc(p.ntaken * sizeof(*taken))) == NULL)
		return XOUS_ERR_OUT_OF_MEMORY;
	for (size_t i = 0, k = 0; i < f->n; i++)
		if (f->items[i].in_place)
			taken[k++] =
			        (struct span){f->items[i].off, f->items[i].off + f->items[i].len};
	if (taken)
		qsort(taken, p.ntaken, sizeof(*taken), by_start);
	p.taken = taken;
	f->head_len = protobuf_c_message_get_packed_size(f->head);
	if (f->head_len >= OOL_FRAME_MAX) {
		free(taken);
		return XOUS_ERR_INVALID_ARGUMENT;
	}
	f->head_off = place(&p, f->head_len, 8);
	for (size_t i = 0; i < f->n && p.pos < OOL_FRAME_MAX; i++)
		if (!f->items[i].in_place)
			f->items[i].off = place(&p, f->items[i].len, OOL_ALIGN);
	end = p.pos;
	for (size_t k = 0; k < p.ntaken; k++)
		end = taken[k].end > end ? taken[k].end : end;
	free(taken);
	if (end >= OOL_FRAME_MAX || f->n > (OOL_FRAME_MAX - end) / ITEM_BYTES / 2)
		return XOUS_ERR_INVALID_ARGUMENT;
	f->table_off = align_up(end, 4);
	f->total = f->table_off + f->n * ITEM_BYTES + TRAILER_BYTES;
	return f->total <= cap ? XOUS_OK : XOUS_ERR_NO_SPACE;
}

xous_err_t ool_plan(struct ool_frame *f, const ProtobufCMessage *msg, const uint8_t *region,
                    size_t len, size_t crossover)
{
	struct plan_ctx pc = {f, (uintptr_t)region, len, crossover};
	xous_err_t err;

	memset(f, 0, sizeof(*f));
	f->head = msg;
	err = ool_walk((ProtobufCMessage *)msg, plan_slot, &pc);
	if (err == XOUS_OK && f->n > 0) {
		struct empty_ctx ec = {f, 0};
		f->shadow = shadow_of(msg, 0);
		if (f->shadow == NULL)
			return XOUS_ERR_OUT_OF_MEMORY;
		ool_walk(f->shadow, empty_item, &ec);
		f->head = f->shadow;
	}
	return err ? err : layout(f, region ? len : SIZE_MAX);
}

size_t ool_write(const struct ool_frame *f, uint8_t *region, int zero_gaps)
{
	struct xous_rpc_trailer t = {(uint32_t)f->head_off, (uint32_t)f->head_len, (uint32_t)f->n,
	                             XOUS_RPC_FRAMED};
	size_t pos = f->head_off + f->head_len;

	if (zero_gaps)
		memset(region, 0, f->head_off);
	protobuf_c_message_pack(f->head, region + f->head_off);
	for (size_t i = 0; i < f->n; i++) {
		const struct ool_item *it = &f->items[i];
		struct xous_rpc_ool_item e = {it->ordinal, (uint32_t)it->off, (uint32_t)it->len};
		if (!it->in_place) {
			if (zero_gaps)
				memset(region + pos, 0, it->off - pos);
			memcpy(region + it->off, it->data, it->len);
			pos = it->off + it->len;
		}
		memcpy(region + f->table_off + i * ITEM_BYTES, &e, ITEM_BYTES);
	}
	if (zero_gaps)
		memset(region + pos, 0, f->table_off - pos);
	memcpy(region + f->table_off + f->n * ITEM_BYTES, &t, TRAILER_BYTES);
	return f->total;
}

void ool_frame_free(struct ool_frame *f)
{
	shadow_free(f->shadow);
	free(f->items);
	memset(f, 0, sizeof(*f));
}

/* ---- the receiver ---- */

/* The trailer and the table, each read once, checked against valid. */
static xous_err_t read_table(const uint8_t *region, size_t valid, struct xous_rpc_trailer *t,
                             struct xous_rpc_ool_item **items)
{
	size_t table_off;

	if (valid < TRAILER_BYTES)
		return XOUS_ERR_SERIALIZATION_ERROR;
	memcpy(t, region + valid - TRAILER_BYTES, TRAILER_BYTES);
	if (t->magic != XOUS_RPC_FRAMED || t->count > (valid - TRAILER_BYTES) / ITEM_BYTES)
		return XOUS_ERR_SERIALIZATION_ERROR;
	table_off = valid - TRAILER_BYTES - t->count * ITEM_BYTES;
	if (t->head_offset > table_off || t->head_length > table_off - t->head_offset)
		return XOUS_ERR_SERIALIZATION_ERROR;
	if (t->count == 0)
		return XOUS_OK;
	if ((*items = malloc(t->count * ITEM_BYTES)) == NULL)
		return XOUS_ERR_OUT_OF_MEMORY;
	memcpy(*items, region + table_off, t->count * ITEM_BYTES);
	for (uint32_t i = 0; i < t->count; i++) {
		const struct xous_rpc_ool_item *it = &(*items)[i];
		if (it->offset > table_off || it->length > table_off - it->offset ||
		    it->length > XOUS_OOL_MAX || (i > 0 && it->ordinal <= it[-1].ordinal))
			return XOUS_ERR_SERIALIZATION_ERROR;
	}
	return XOUS_OK;
}

static const ProtobufCFieldDescriptor *field_by_id(const ProtobufCMessageDescriptor *d, uint64_t id)
{
	for (unsigned i = 0; i < d->n_fields; i++)
		if (d->fields[i].id == id)
			return &d->fields[i];
	return NULL;
}

static int get_varint(const uint8_t **p, const uint8_t *end, uint64_t *v)
{
	*v = 0;
	for (unsigned shift = 0; shift < 64 && *p < end; shift += 7) {
		uint8_t b = *(*p)++;
		*v |= (uint64_t)(b & 0x7f) << shift;
		if (!(b & 0x80))
			return 0;
	}
	return -1;
}

/* Every string of the packed message p[0, len): NUL-free UTF-8. */
static xous_err_t check_strings(const ProtobufCMessageDescriptor *d, const uint8_t *p, size_t len,
                                int depth)
{
	const uint8_t *end = p + len;
	xous_err_t err;
	uint64_t key, n;

	if (depth > OOL_MAX_DEPTH)
		return XOUS_ERR_SERIALIZATION_ERROR;
	while (p < end) {
		if (get_varint(&p, end, &key))
			return XOUS_ERR_SERIALIZATION_ERROR;
		const ProtobufCFieldDescriptor *f = field_by_id(d, key >> 3);
		switch (key & 7) {
		case PROTOBUF_C_WIRE_TYPE_VARINT:
			if (get_varint(&p, end, &n))
				return XOUS_ERR_SERIALIZATION_ERROR;
			break;
		case PROTOBUF_C_WIRE_TYPE_64BIT:
		case PROTOBUF_C_WIRE_TYPE_32BIT:
			n = (key & 7) == PROTOBUF_C_WIRE_TYPE_64BIT ? 8 : 4;
			if ((size_t)(end - p) < n)
				return XOUS_ERR_SERIALIZATION_ERROR;
			p += n;
			break;
		case PROTOBUF_C_WIRE_TYPE_LENGTH_PREFIXED:
			if (get_varint(&p, end, &n) || n > (uint64_t)(end - p))
				return XOUS_ERR_SERIALIZATION_ERROR;
			if (f && f->type == PROTOBUF_C_TYPE_STRING && !ool_utf8_ok(p, (size_t)n))
				return XOUS_ERR_INVALID_STRING;
			if (f && f->type == PROTOBUF_C_TYPE_MESSAGE &&
			    (err = check_strings(f->descriptor, p, (size_t)n, depth + 1)) !=
			            XOUS_OK)
				return err;
			p += n;
			break;
		default:
			return XOUS_ERR_SERIALIZATION_ERROR;
		}
	}
	return XOUS_OK;
}

/* Free what unpacking put in a value (as protobuf-c's free does). */
static void slot_release(const ProtobufCFieldDescriptor *f, void *slot)
{
	if (f->type == PROTOBUF_C_TYPE_STRING) {
		char *s = *(char **)slot;
		if (s && s != f->default_value && s != protobuf_c_empty_string)
			free(s);
	} else {
		const ProtobufCBinaryData *def = f->default_value;
		uint8_t *p = ((ProtobufCBinaryData *)slot)->data;
		if (p && (def == NULL || p != def->data))
			free(p);
	}
}

struct attach_ctx {
	const uint8_t *region;
	const struct xous_rpc_ool_item *items;
	size_t n, next;
	enum ool_mode mode;
	struct ool_received *r;
};

static xous_err_t attach_item(void *c, const ProtobufCFieldDescriptor *f, void *slot,
                              uint32_t ordinal)
{
	struct attach_ctx *ac = c;
	const struct xous_rpc_ool_item *it;
	const uint8_t *src;
	ProtobufCBinaryData *b = slot;
	uint8_t *copy;
	size_t len;

	if (ac->next >= ac->n || ac->items[ac->next].ordinal != ordinal)
		return XOUS_OK;
	it = &ac->items[ac->next++];
	src = ac->region + it->offset;
	slot_bytes(f, slot, &len);
	if (len != 0) /* the head carried a value for it too */
		return XOUS_ERR_SERIALIZATION_ERROR;
	if (f->type == PROTOBUF_C_TYPE_BYTES && ac->mode == OOL_IN_PLACE) {
		ac->r->held[ac->r->n++] = (struct ool_held){b, *b};
		b->data = (uint8_t *)src;
		b->len = it->length;
		return XOUS_OK;
	}
	if ((copy = malloc((size_t)it->length + 1)) == NULL)
		return XOUS_ERR_OUT_OF_MEMORY;
	memcpy(copy, src, it->length);
	copy[it->length] = 0;
	if (f->type == PROTOBUF_C_TYPE_STRING && !ool_utf8_ok(copy, it->length)) {
		free(copy);
		return XOUS_ERR_INVALID_STRING;
	}
	slot_release(f, slot);
	if (f->type == PROTOBUF_C_TYPE_STRING) {
		*(char **)slot = (char *)copy;
	} else {
		b->data = copy;
		b->len = it->length;
	}
	return XOUS_OK;
}

static xous_err_t attach(const uint8_t *region, const struct xous_rpc_ool_item *items, size_t n,
                         enum ool_mode mode, struct ool_received *r)
{
	struct attach_ctx ac = {region, items, n, 0, mode, r};
	xous_err_t err;

	if (n == 0)
		return XOUS_OK;
	if (mode == OOL_IN_PLACE && (r->held = malloc(n * sizeof(*r->held))) == NULL)
		return XOUS_ERR_OUT_OF_MEMORY;
	err = ool_walk(r->msg, attach_item, &ac);
	if (err == XOUS_ERR_INVALID_ARGUMENT || (err == XOUS_OK && ac.next != n))
		err = XOUS_ERR_SERIALIZATION_ERROR; /* too deep, or ordinals of no value */
	return err;
}

xous_err_t ool_receive(const ProtobufCMessageDescriptor *d, const uint8_t *region, size_t valid,
                       int framed, enum ool_mode mode, struct ool_received *r)
{
	struct xous_rpc_trailer t = {0, (uint32_t)valid, 0, 0};
	struct xous_rpc_ool_item *items = NULL;
	uint8_t small[256], *head = small;
	xous_err_t err = XOUS_OK;

	memset(r, 0, sizeof(*r));
	if (framed)
		err = read_table(region, valid, &t, &items);
	else if ((size_t)t.head_length != valid)
		err = XOUS_ERR_SERIALIZATION_ERROR;
	if (err == XOUS_OK && t.head_length > sizeof(small) &&
	    (head = malloc(t.head_length)) == NULL)
		err = XOUS_ERR_OUT_OF_MEMORY;
	if (err == XOUS_OK) {
		/* a private copy: the sender may still write the region */
		memcpy(head, region + t.head_offset, t.head_length);
		r->msg = protobuf_c_message_unpack(d, NULL, t.head_length, head);
		err = r->msg ? check_strings(d, head, t.head_length, 0)
		             : XOUS_ERR_SERIALIZATION_ERROR;
	}
	if (err == XOUS_OK)
		err = attach(region, items, t.count, mode, r);
	if (head != small)
		free(head);
	free(items);
	if (err)
		ool_received_free(r);
	return err;
}

void ool_received_free(struct ool_received *r)
{
	for (size_t i = 0; i < r->n; i++)
		*r->held[i].slot = r->held[i].orig;
	free(r->held);
	if (r->msg)
		protobuf_c_message_free_unpacked(r->msg, NULL);
	memset(r, 0, sizeof(*r));
}
