/*
 * fuzz_server.c - the checking io table and envelope builder of
 * fuzz_server.h.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "fuzz_server.h"
#include "kcore.h" /* the sender token layout */

#define FSRV_MAX 1024
#define PAGE     XOUS_PAGE_SIZE

enum { M_FREE, M_OPEN, M_DONE };

struct fmsg {
	uint8_t state;
	uint8_t kind;
	xous_sender_t sender;
	void *map; /* the lent pages, unmapped once answered */
	size_t len;
};

static struct fmsg msgs[FSRV_MAX];
static size_t nmsgs;
static uint32_t dead_pids; /* bit n: pid n died */
static uint32_t rand_counter;

static xous_sender_t make_token(uint32_t slot, xous_pid_t pid)
{
	return (xous_sender_t)(slot + 1) | (xous_sender_t)1 << KC_SENDER_SLOT_BITS |
	       (xous_sender_t)pid << KC_SENDER_PID_SHIFT;
}

/* The message a token names; a server that answers anything else is broken. */
static struct fmsg *find(xous_sender_t sender)
{
	size_t slot = (sender & (((xous_sender_t)1 << KC_SENDER_SLOT_BITS) - 1)) - 1;

	FZ_CHECK(slot < nmsgs && msgs[slot].sender == sender);
	return &msgs[slot];
}

static void finish(struct fmsg *m)
{
	FZ_CHECK(m->state == M_OPEN); /* exactly once */
	m->state = M_DONE;
	if (m->map) {
		munmap(m->map, m->len);
		m->map = NULL;
	}
}

static xous_err_t io_return_scalar(xous_sender_t sender, uintptr_t v1)
{
	struct fmsg *m = find(sender);

	(void)v1;
	FZ_CHECK(m->kind == XOUS_BLOCKING_SCALAR); /* a scalar answer fits no lend */
	finish(m);
	return XOUS_OK;
}

static xous_err_t io_return_scalar2(xous_sender_t sender, uintptr_t v1, uintptr_t v2)
{
	(void)v2;
	return io_return_scalar(sender, v1);
}

static xous_err_t io_return_scalar5(xous_sender_t sender, uintptr_t v1, uintptr_t v2, uintptr_t v3,
                                    uintptr_t v4, uintptr_t v5)
{
	(void)v2, (void)v3, (void)v4, (void)v5;
	return io_return_scalar(sender, v1);
}

static xous_err_t io_return_memory(xous_sender_t sender, size_t offset, size_t valid)
{
	struct fmsg *m = find(sender);

	(void)offset;
	FZ_CHECK(m->kind != XOUS_SCALAR && m->kind != XOUS_MOVE);
	if (m->kind != XOUS_BLOCKING_SCALAR)
		FZ_CHECK(valid <= m->len);
	finish(m);
	return XOUS_OK;
}

/* As libxous-host: gives back a Move, drops an unanswered blocking call, and
 * does nothing for a Scalar or for a call answered already. */
static xous_err_t io_envelope_done(xous_envelope_t *env)
{
	struct fmsg *m;

	if (env->kind == XOUS_NO_MESSAGE)
		return XOUS_OK;
	m = find(env->sender);
	FZ_CHECK(m->kind == env->kind);
	if (m->state == M_OPEN)
		finish(m);
	else
		FZ_CHECK(m->kind != XOUS_MOVE); /* a Move given back twice */
	env->kind = XOUS_NO_MESSAGE;
	return XOUS_OK;
}

static xous_err_t io_connect_for_process(xous_pid_t pid, const xous_sid_t *sid, xous_cid_t *cid)
{
	(void)sid;
	if (pid == 0 || pid > 31 || (dead_pids >> pid & 1))
		return XOUS_ERR_PROCESS_NOT_FOUND;
	*cid = 100 + pid;
	return XOUS_OK;
}

static xous_err_t io_disconnect(xous_cid_t cid)
{
	(void)cid;
	return XOUS_OK;
}

static xous_pid_t io_process_id(void)
{
	return FSRV_SELF_PID;
}

/* The owner of a server is the pid in its sid's first word (so an input
 * can name one); a dead pid's servers are gone. */
static xous_err_t io_server_owner(const xous_sid_t *sid, xous_pid_t *pid)
{
	if (sid->w[0] < 2 || sid->w[0] > 31 || (dead_pids >> sid->w[0] & 1))
		return XOUS_ERR_SERVER_NOT_FOUND;
	*pid = sid->w[0];
	return XOUS_OK;
}

const struct xous_server_io fsrv_io = {
        .return_scalar = io_return_scalar,
        .return_scalar2 = io_return_scalar2,
        .return_memory = io_return_memory,
        .envelope_done = io_envelope_done,
        .connect_for_process = io_connect_for_process,
        .disconnect = io_disconnect,
        .process_id = io_process_id,
        .return_scalar5 = io_return_scalar5,
        .server_owner = io_server_owner,
};

void fsrv_reset(void)
{
	size_t i;

	for (i = 0; i < nmsgs; i++)
		if (msgs[i].map)
			munmap(msgs[i].map, msgs[i].len);
	memset(msgs, 0, sizeof(msgs));
	nmsgs = 0;
	dead_pids = 0;
	rand_counter = 0;
}

size_t fsrv_open(void)
{
	size_t i, n = 0;

	for (i = 0; i < nmsgs; i++)
		n += msgs[i].state == M_OPEN;
	return n;
}

void fsrv_answer(xous_envelope_t *env, xous_answer_t a)
{
	switch (a.kind) {
	case XOUS_ANSWER_NONE:
	case XOUS_ANSWER_DEFERRED:
		break;
	case XOUS_ANSWER_SCALAR1:
	case XOUS_ANSWER_SCALAR2:
	case XOUS_ANSWER_SCALAR5:
		FZ_CHECK(env->kind == XOUS_BLOCKING_SCALAR || env->kind == XOUS_SCALAR);
		break;
	case XOUS_ANSWER_MEMORY:
		FZ_CHECK(env->kind == XOUS_BORROW || env->kind == XOUS_MUTABLE_BORROW);
		break;
	default:
		FZ_CHECK(0); /* no such answer */
	}
	FZ_CHECK(xous_io_answer(&fsrv_io, env, a) == XOUS_OK);
}

void fsrv_kill_pid(xous_pid_t pid)
{
	if (pid < 32)
		dead_pids |= 1u << pid;
}

void fsrv_random(uint32_t *words, size_t n)
{
	while (n--)
		*words++ = rand_counter++ & 3;
}

/* ---- building payloads ---- */

static uintptr_t pick_word(struct fz *f)
{
	uint8_t b = fz_u8(f);

	if (b < 0xc0)
		return b % 64;
	if (b == 0xff)
		return (uintptr_t)fz_u64(f);
	return fz_u32(f);
}

static const char *const strings[] = {
        "", "a", "xous-name-server", "ticktimer-server", "b\xc3\xa9", "\xff\xfe"};

/* A byte string: a few names that collide, or raw input bytes. */
static size_t pick_bytes(struct fz *f, const uint8_t **out, uint8_t *scratch)
{
	uint8_t b = fz_u8(f);

	if (b < 0x80) {
		*out = (const uint8_t *)strings[b % (sizeof(strings) / sizeof(strings[0]))];
		return strlen((const char *)*out);
	}
	if (b == 0xff) { /* longer than any server takes */
		memset(scratch, 'x', 300);
		*out = scratch;
		return 300;
	}
	return fz_bytes(f, out, b & 0x7f);
}

static void set_field(struct fz *f, const ProtobufCFieldDescriptor *fd, char *msg, uint8_t *arena,
                      size_t *used)
{
	void *p = msg + fd->offset;
	const uint8_t *bytes;
	size_t n;

	switch (fd->type) {
	case PROTOBUF_C_TYPE_BYTES:
		n = pick_bytes(f, &bytes, arena + *used);
		((ProtobufCBinaryData *)p)->len = n;
		((ProtobufCBinaryData *)p)->data = (uint8_t *)bytes;
		*used += 300;
		break;
	case PROTOBUF_C_TYPE_STRING:
		n = pick_bytes(f, &bytes, arena + *used);
		memmove(arena + *used, bytes, n);
		arena[*used + n] = 0;
		*(char **)p = (char *)arena + *used;
		*used += 301;
		break;
	case PROTOBUF_C_TYPE_BOOL:
		*(protobuf_c_boolean *)p = fz_u8(f) & 1;
		break;
	case PROTOBUF_C_TYPE_INT64:
	case PROTOBUF_C_TYPE_UINT64:
	case PROTOBUF_C_TYPE_SINT64:
	case PROTOBUF_C_TYPE_FIXED64:
	case PROTOBUF_C_TYPE_SFIXED64:
		*(uint64_t *)p = pick_word(f);
		break;
	case PROTOBUF_C_TYPE_MESSAGE:
		break; /* none of our interfaces nests messages */
	default:       /* 32-bit kinds and enums */
		*(uint32_t *)p = (uint32_t)pick_word(f);
		break;
	}
}

/* Pack a message of type d with fields from the input into buf. */
static size_t build_message(struct fz *f, const ProtobufCMessageDescriptor *d, uint8_t *buf,
                            size_t cap)
{
	static uint8_t arena[16 * 301];
	uint64_t storage[64];
	char *msg = (char *)storage;
	size_t used = 0, n;
	unsigned i;

	if (d->sizeof_message > sizeof(storage) || d->n_fields > 16)
		return 0;
	d->message_init((ProtobufCMessage *)msg);
	for (i = 0; i < d->n_fields; i++) {
		const ProtobufCFieldDescriptor *fd = &d->fields[i];

		if (fd->label == PROTOBUF_C_LABEL_REPEATED || !(fz_u8(f) & 1))
			continue; /* left at its default */
		set_field(f, fd, msg, arena, &used);
	}
	n = protobuf_c_message_get_packed_size((ProtobufCMessage *)msg);
	if (n > cap)
		return 0;
	return protobuf_c_message_pack((ProtobufCMessage *)msg, buf);
}

static void fill_memory(struct fz *f, const ProtobufCServiceDescriptor *svc, xous_envelope_t *env,
                        struct fmsg *m)
{
	uint8_t mode = fz_u8(f);
	size_t valid = 0;

	m->len = PAGE * (1 + (mode >> 6 & 1));
	m->map = mmap(NULL, m->len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	FZ_CHECK(m->map != MAP_FAILED);
	if ((mode & 1) && svc && env->memory.id < svc->n_methods) {
		valid = build_message(f, svc->methods[env->memory.id].input, m->map, m->len);
	} else {
		const uint8_t *raw;

		valid = fz_bytes(f, &raw, fz_u16(f) % (m->len + 1));
		memcpy(m->map, raw, valid);
	}
	if (mode & 2) /* a caller that claims more than it wrote */
		valid = m->len;
	if (m->kind == XOUS_BORROW)
		FZ_CHECK(mprotect(m->map, m->len, PROT_READ) ==
		         0); /* a write faults, as a real Borrow */
	env->memory.buf.addr = m->map;
	env->memory.buf.len = m->len;
	env->memory.offset = mode & 4 ? fz_u8(f) : 0;
	env->memory.valid = valid;
}

int fsrv_envelope(struct fz *f, const ProtobufCServiceDescriptor *svc, xous_envelope_t *env)
{
	uint8_t kb, pb, ib;
	struct fmsg *m;
	xous_pid_t pid;
	int i;

	if (fz_left(f) == 0 || nmsgs == FSRV_MAX)
		return 0;
	kb = fz_u8(f);
	pb = fz_u8(f);
	ib = fz_u8(f);
	pid = pb == 0xff ? FSRV_SELF_PID : 2 + pb % 6u;
	m = &msgs[nmsgs];
	memset(env, 0, sizeof(*env));
	m->kind = (uint8_t)(1 + kb % 5);
	m->sender = make_token((uint32_t)nmsgs, pid);
	m->state = m->kind == XOUS_SCALAR ? M_DONE : M_OPEN; /* a Scalar is owed nothing */
	nmsgs++;
	env->sender = m->sender;
	env->kind = (enum xous_kind)m->kind;
	if (m->kind == XOUS_SCALAR || m->kind == XOUS_BLOCKING_SCALAR) {
		env->scalar.id = ib < 0xf0 ? ib % 24u : fz_u32(f);
		for (i = 0; i < 4; i++)
			env->scalar.arg[i] = pick_word(f);
	} else {
		env->memory.id = ib < 0xf0 ? ib % 12u : fz_u32(f);
		fill_memory(f, svc, env, m);
	}
	return 1;
}

static size_t parked(const struct fsrv_target *t)
{
	return t->waiting ? t->waiting() : 0;
}

int fsrv_run(const struct fsrv_target *t, const uint8_t *data, size_t size)
{
	struct fz f = {data, size};
	uint64_t now = 1000;
	xous_envelope_t env;

	fsrv_reset();
	t->init(now);
	while (fz_left(&f)) {
		uint8_t op = fz_u8(&f) % 8;

		if (op < 6) {
			if (!fsrv_envelope(&f, t->svc, &env))
				break;
			fsrv_answer(&env, t->dispatch(&env, now));
		} else if (op == 6) {
			now += fz_u16(&f);
			if (t->tick)
				t->tick(now);
		} else {
			fsrv_kill_pid(2 + fz_u8(&f) % 6u);
		}
		FZ_CHECK(fsrv_open() == parked(t)); /* nothing owed but what is parked */
	}
	if (t->tick) {
		t->tick(now + 100000000ull);
		FZ_CHECK(fsrv_open() == parked(t));
	}
	fsrv_reset();
	return 0;
}
