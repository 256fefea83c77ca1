/*
 * fuzz_server.c - the kcore-driven harness of fuzz_server.h: a platform of
 * one server process and scripted clients around the semantics module.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "fuzz_server.h"
#include "kcore.h"

#define PAGE      XOUS_PAGE_SIZE
#define MAX_LENDS 256          /* lends per input; a longer input ends there */
#define MAX_HELD  512          /* messages the server receives per input */
#define THREADS   3            /* threads per client process */
#define SELF      FSRV_CLIENTS /* the caller slot of the server's own process */

enum lend_state { L_FREE, L_SENT, L_HELD, L_DONE, L_MOVED, L_MOVE_BACK };

struct lend {
	uint8_t state, kind;
	uint32_t pid;
	void *client, *srv; /* the caller's pages, the server's copy */
	size_t len;
};

struct caller {
	uint32_t pid;
	kc_thread th[THREADS];
	unsigned nth;
	bool connected;
	kc_word cid;
};

struct held {
	xous_sender_t token;
	uint8_t kind;
	bool open; /* owed an answer (or, for a Move, given back) */
	int lend;
};

static struct {
	struct kc k;
	bool waiting[KC_MAX_THREADS]; /* inside a syscall whose result has not come */
	kc_regs res[KC_MAX_THREADS];  /* each thread's last result */
	struct lend lends[MAX_LENDS];
	unsigned nlends;
	struct caller callers[FSRV_CLIENTS + 1];
	struct held held[MAX_HELD];
	unsigned nheld;
	kc_thread srv; /* the serving thread */
	uint32_t sid[4];
	bool got; /* the serving thread's receive gave an envelope */
	kc_regs env;
	int env_lend;
	long maps; /* pages mapped by the harness, in mappings */
	uint32_t sid_counter, rand_counter;
} S;

const struct fsrv_target *fsrv_current;

/* ---- memory ---- */

static void *map(size_t len)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	FZ_CHECK(p != MAP_FAILED);
	S.maps++;
	return p;
}

static void unmap(void **p, size_t len)
{
	if (*p) {
		FZ_CHECK(munmap(*p, len) == 0);
		S.maps--;
		*p = NULL;
	}
}

/* ---- the platform kcore calls ---- */

static struct lend *lend_of(const kc_mem *m)
{
	FZ_CHECK(m->handle < S.nlends);
	return &S.lends[m->handle];
}

static void p_reply(void *ctx, kc_thread t, const kc_regs *r, const kc_mem *m)
{
	(void)ctx;
	FZ_CHECK(t < KC_MAX_THREADS && S.waiting[t]); /* one result per syscall */
	S.waiting[t] = false;
	S.res[t] = *r;
	if (r->a[0] == XOUS_RESULT_ERROR)
		FZ_CHECK(r->a[1] > 0 && r->a[1] <= XOUS_ERR_MAX);
	if (m) { /* the result that ends a lend comes to its caller, with it */
		struct lend *l = lend_of(m);

		FZ_CHECK(l->state == L_SENT || l->state == L_HELD);
		FZ_CHECK(l->pid == kc_thread_pid(&S.k, t));
		if (l->kind == XOUS_KIND_MUTABLE_BORROW && l->srv)
			memcpy(l->client, l->srv, l->len);
	}
}

static uint32_t p_deliver(void *ctx, kc_thread t, kc_regs *env, const kc_mem *m)
{
	kc_word kind = env->a[2];

	(void)ctx;
	FZ_CHECK(t == S.srv && S.waiting[t] && !S.got);
	FZ_CHECK(env->a[0] == XOUS_RESULT_MESSAGE_ENVELOPE && env->a[1] != 0);
	FZ_CHECK(kind >= XOUS_KIND_MUTABLE_BORROW && kind <= XOUS_KIND_BLOCKING_SCALAR);
	FZ_CHECK((m != NULL) == (kind <= XOUS_KIND_MOVE));
	S.env_lend = -1;
	if (m) {
		struct lend *l = lend_of(m);

		FZ_CHECK(l->state == L_SENT && l->kind == kind && m->len == l->len);
		l->srv = map(l->len);
		memcpy(l->srv, l->client, l->len);
		if (kind == XOUS_KIND_BORROW) /* a write faults, as a real Borrow's */
			FZ_CHECK(mprotect(l->srv, l->len, PROT_READ) == 0);
		env->a[4] = (kc_word)l->srv;
		l->state = L_HELD;
		if (kind == XOUS_KIND_MOVE) { /* the pages are the server's now */
			unmap(&l->client, l->len);
			l->state = L_MOVED;
		}
		S.env_lend = (int)m->handle;
	}
	S.waiting[t] = false;
	S.got = true;
	S.env = *env;
	return XOUS_OK;
}

/* kcore is done with a lend: exactly once, never for a delivered Move. */
static void p_mem_done(void *ctx, uint32_t caller_pid, uint32_t server_pid, const kc_mem *m)
{
	struct lend *l = lend_of(m);

	(void)ctx;
	(void)server_pid;
	FZ_CHECK(l->state == L_SENT || l->state == L_HELD);
	FZ_CHECK(caller_pid == 0 || caller_pid == l->pid);
	unmap(&l->srv, l->len);
	unmap(&l->client, l->len);
	l->state = L_DONE;
}

static void p_random_sid(void *ctx, uint32_t w[4])
{
	(void)ctx;
	S.sid_counter++;
	w[0] = 0x5e000000u | S.sid_counter;
	w[1] = 0xf022;
	w[2] = S.sid_counter * 7u;
	w[3] = 1;
}

static const struct kc_ops ops = {
        .reply = p_reply, .deliver = p_deliver, .mem_done = p_mem_done, .random_sid = p_random_sid};

/* One syscall of thread t; its result, or NULL while t is blocked. */
static const kc_regs *sys(kc_thread t, const kc_regs *in, const kc_mem *mem)
{
	FZ_CHECK(!S.waiting[t]);
	S.waiting[t] = true;
	FZ_CHECK(kc_syscall(&S.k, t, in, mem) == 0);
	return S.waiting[t] ? NULL : &S.res[t];
}

/* A syscall of the serving thread, which never blocks. */
static const kc_regs *srv_sys(kc_word a0, kc_word a1, kc_word a2, kc_word a3, kc_word a4,
                              kc_word a5, kc_word a6)
{
	const kc_regs in = {{a0, a1, a2, a3, a4, a5, a6, 0}};
	const kc_regs *r = sys(S.srv, &in, NULL);

	FZ_CHECK(r != NULL);
	return r;
}

/* ---- the server's io table: answers through kcore ---- */

static struct held *held_of(xous_sender_t token)
{
	unsigned i = S.nheld;

	while (i--)
		if (S.held[i].token == token)
			return &S.held[i];
	return NULL;
}

/* An answer must name a call the server holds and is owed one. */
static struct held *answering(xous_sender_t token)
{
	struct held *h = held_of(token);

	FZ_CHECK(h != NULL && h->open && h->kind != XOUS_KIND_MOVE && h->kind != XOUS_KIND_SCALAR);
	h->open = false;
	return h;
}

static xous_err_t answered(const kc_regs *r)
{
	FZ_CHECK(r->a[0] == XOUS_RESULT_OK); /* kcore takes every answer the server owes */
	return XOUS_OK;
}

static xous_err_t io_return_scalar5(xous_sender_t sender, uintptr_t v1, uintptr_t v2, uintptr_t v3,
                                    uintptr_t v4, uintptr_t v5)
{
	FZ_CHECK(answering(sender)->kind == XOUS_KIND_BLOCKING_SCALAR);
	return answered(srv_sys(XOUS_SYS_RETURN_SCALAR5, sender, v1, v2, v3, v4, v5));
}

static xous_err_t io_return_scalar(xous_sender_t sender, uintptr_t v1)
{
	FZ_CHECK(answering(sender)->kind == XOUS_KIND_BLOCKING_SCALAR);
	return answered(srv_sys(XOUS_SYS_RETURN_SCALAR1, sender, v1, 0, 0, 0, 0));
}

static xous_err_t io_return_scalar2(xous_sender_t sender, uintptr_t v1, uintptr_t v2)
{
	FZ_CHECK(answering(sender)->kind == XOUS_KIND_BLOCKING_SCALAR);
	return answered(srv_sys(XOUS_SYS_RETURN_SCALAR2, sender, v1, v2, 0, 0, 0));
}

static xous_err_t io_return_memory(xous_sender_t sender, size_t offset, size_t valid)
{
	struct held *h = answering(sender);

	if (h->lend >= 0) /* a lend's valid fits it */
		FZ_CHECK(valid <= S.lends[h->lend].len);
	return answered(srv_sys(XOUS_SYS_RETURN_MEMORY, sender, 0, 0, offset, valid, 0));
}

/* As libxous-host: gives back a Move, drops an unanswered blocking call
 * (ReturnMemory, which a BlockingScalar's caller sees as UNAVAILABLE), and
 * does nothing for a Scalar or for a call answered already. */
static xous_err_t io_envelope_done(xous_envelope_t *env)
{
	struct held *h;

	if (env->kind == XOUS_NO_MESSAGE)
		return XOUS_OK;
	h = held_of(env->sender);
	FZ_CHECK(h != NULL && h->kind == (uint8_t)env->kind);
	if (h->kind == XOUS_KIND_MOVE) {
		struct lend *l = &S.lends[h->lend];

		FZ_CHECK(h->open && l->state == L_MOVED); /* a Move given back once */
		h->open = false;
		unmap(&l->srv, l->len);
		l->state = L_MOVE_BACK;
	} else if (h->open) {
		bool lend = h->kind != XOUS_KIND_BLOCKING_SCALAR;

		io_return_memory(env->sender, lend ? env->memory.offset : 0,
		                 lend ? env->memory.valid : 0);
	}
	env->kind = XOUS_NO_MESSAGE;
	return XOUS_OK;
}

static xous_err_t io_connect_for_process(xous_pid_t pid, const xous_sid_t *sid, xous_cid_t *cid)
{
	(void)sid;
	if (pid < 2 || !kc_process_alive(&S.k, pid))
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

/* A server kcore knows is its owner's; any other sid names its owner in its
 * first word (so that an input can name one), while that process lives. */
static xous_err_t io_server_owner(const xous_sid_t *sid, xous_pid_t *pid)
{
	struct kc_server_info info;
	uint32_t s = kc_server_slot(&S.k, sid->w);

	if (s != KC_NIL && kc_server_info(&S.k, s, &info)) {
		*pid = info.owner;
		return XOUS_OK;
	}
	if (sid->w[0] < 2 || !kc_process_alive(&S.k, sid->w[0]))
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

void fsrv_random(uint32_t *words, size_t n)
{
	while (n--)
		*words++ = S.rand_counter++ & 3;
}

/* ---- reading records ---- */

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

int fsrv_read_record(struct fz *f, const uint8_t *base, struct fsrv_record *r)
{
	static uint8_t built[2 * PAGE];
	const ProtobufCServiceDescriptor *svc = fsrv_current ? fsrv_current->svc : NULL;
	uint8_t ib;
	int i;

	if (fz_left(f) == 0)
		return 0;
	memset(r, 0, sizeof(*r));
	r->op = fz_u8(f) % 8;
	if (r->op == FSRV_OP_TIME) {
		r->value = fz_u16(f);
		return 1;
	}
	if (r->op == FSRV_OP_DEATH) {
		r->value = fz_u8(f);
		return 1;
	}
	if (r->op == FSRV_OP_SERVE)
		return 1;
	r->flags = fz_u8(f);
	r->kind = (uint8_t)(1 + r->flags % 5);
	r->caller = fz_u8(f);
	ib = fz_u8(f);
	if (r->kind >= XOUS_KIND_SCALAR) {
		r->id = ib < 0xf0 ? ib % 24u : fz_u32(f);
		for (i = 0; i < 4; i++)
			r->arg[i] = pick_word(f);
		return 1;
	}
	r->id = ib < 0xf0 ? ib % 12u : fz_u32(f);
	r->mode = fz_u8(f);
	if ((r->mode & FSRV_MODE_FIELDS) && svc && r->id < svc->n_methods) {
		r->payload_len = build_message(f, svc->methods[r->id].input, built, sizeof(built));
		r->payload = built;
		r->payload_at = r->len_at = SIZE_MAX; /* not in the input */
	} else {
		r->len_at = (size_t)(f->p - base);
		r->payload_len = fz_bytes(f, &r->payload, fz_u16(f));
		r->payload_at = (size_t)(r->payload - base);
	}
	if (r->mode & FSRV_MODE_OFFSET)
		r->value = fz_u8(f);
	return 1;
}

/* ---- callers ---- */

static bool caller_ready(struct caller *c, unsigned slot)
{
	uint32_t pid;
	kc_thread t;

	if (slot == SELF) {
		c->pid = FSRV_SELF_PID;
	} else if (c->pid == 0 || !kc_process_alive(&S.k, c->pid)) {
		memset(c, 0, sizeof(*c));
		if (kc_process_create(&S.k, &pid, &t) != XOUS_OK)
			return false; /* kcore's process table is full */
		c->pid = pid;
		c->th[c->nth++] = t;
	}
	return true;
}

/* A thread of c not inside a syscall (a new one if all are), or KC_NO_THREAD. */
static kc_thread caller_thread(struct caller *c)
{
	kc_thread t;
	unsigned i;

	for (i = 0; i < c->nth; i++)
		if (!S.waiting[c->th[i]] && c->th[i] != S.srv)
			return c->th[i];
	if (c->nth == THREADS || kc_thread_create(&S.k, c->pid, false, &t) != XOUS_OK)
		return KC_NO_THREAD;
	c->th[c->nth++] = t;
	return t;
}

static bool caller_connect(struct caller *c, kc_thread t)
{
	const kc_regs in = {{XOUS_SYS_CONNECT, S.sid[0], S.sid[1], S.sid[2], S.sid[3], 0, 0, 0}};
	const kc_regs *r;

	if (c->connected)
		return true;
	r = sys(t, &in, NULL);
	FZ_CHECK(r != NULL); /* the server exists: no wait */
	if (r->a[0] != XOUS_RESULT_CONNECTION_ID)
		return false; /* the connection table is full */
	c->connected = true;
	c->cid = r->a[1];
	return true;
}

/* The lend of record r: fresh pages holding its payload. */
static int lend_new(const struct fsrv_record *r, uint32_t pid, kc_mem *mem)
{
	struct lend *l;
	size_t valid;

	if (S.nlends == MAX_LENDS)
		return -1;
	l = &S.lends[S.nlends];
	l->kind = r->kind;
	l->pid = pid;
	l->len = PAGE * (1u + (r->mode >> 4 & 3));
	l->client = map(l->len);
	valid = r->payload_len < l->len ? r->payload_len : l->len;
	if (valid)
		memcpy(l->client, r->payload, valid);
	l->state = L_SENT;
	memset(mem, 0, sizeof(*mem));
	mem->addr = (kc_word)l->client;
	mem->len = l->len;
	mem->offset = r->mode & FSRV_MODE_FRAMED ? XOUS_RPC_FRAMED_OFFSET : r->value;
	mem->valid = r->mode & FSRV_MODE_VALID ? l->len : valid;
	mem->handle = S.nlends;
	return (int)S.nlends++;
}

/* Record r's message, from its caller through kcore into the server's queue. */
static bool send_record(const struct fsrv_record *r)
{
	unsigned slot = r->caller == 0xff ? SELF : r->caller % FSRV_CLIENTS;
	struct caller *c = &S.callers[slot];
	kc_regs in = {{r->flags & FSRV_TRY ? XOUS_SYS_TRY_SEND_MESSAGE : XOUS_SYS_SEND_MESSAGE, 0,
	               r->kind, r->id, 0, 0, 0, 0}};
	kc_mem mem;
	kc_thread t;
	int i;

	if (!caller_ready(c, slot))
		return true;
	t = caller_thread(c);
	if (t == KC_NO_THREAD || !caller_connect(c, t))
		return true;
	in.a[1] = c->cid;
	if (r->kind >= XOUS_KIND_SCALAR) {
		for (i = 0; i < 4; i++)
			in.a[4 + i] = r->arg[i];
		sys(t, &in, NULL);
		return true;
	}
	if (lend_new(r, c->pid, &mem) < 0)
		return false;
	in.a[4] = mem.addr;
	in.a[5] = mem.len;
	in.a[6] = mem.offset;
	in.a[7] = mem.valid;
	sys(t, &in, &mem);
	return true;
}

static void die(unsigned slot)
{
	struct caller *c = &S.callers[slot];
	unsigned i;

	if (c->pid == 0 || !kc_process_alive(&S.k, c->pid))
		return;
	kc_process_exit(&S.k, c->pid); /* its threads may get results while it dies */
	for (i = 0; i < c->nth; i++)
		S.waiting[c->th[i]] = false; /* a dead thread is owed nothing more */
	c->pid = 0;
}

/* ---- the server ---- */

static bool fits(enum xous_answer_kind a, unsigned kind)
{
	switch (a) {
	case XOUS_ANSWER_NONE:
	case XOUS_ANSWER_DEFERRED:
		return true;
	case XOUS_ANSWER_SCALAR1:
	case XOUS_ANSWER_SCALAR2:
	case XOUS_ANSWER_SCALAR5:
		return kind == XOUS_KIND_BLOCKING_SCALAR || kind == XOUS_KIND_SCALAR;
	case XOUS_ANSWER_MEMORY:
		return kind == XOUS_KIND_BORROW || kind == XOUS_KIND_MUTABLE_BORROW;
	default:
		return false; /* no such answer */
	}
}

static void envelope_from(const kc_regs *r, xous_envelope_t *env)
{
	memset(env, 0, sizeof(*env));
	env->sender = r->a[1];
	env->kind = (enum xous_kind)r->a[2];
	if (r->a[2] >= XOUS_KIND_SCALAR) {
		env->scalar.id = (uint32_t)r->a[3];
		memcpy(env->scalar.arg, &r->a[4], sizeof(env->scalar.arg));
	} else {
		env->memory.id = (uint32_t)r->a[3];
		env->memory.buf.addr = (void *)r->a[4];
		env->memory.buf.len = r->a[5];
		env->memory.offset = r->a[6];
		env->memory.valid = r->a[7];
	}
}

/* The serving thread takes every queued message and dispatches it, as the
 * loop of xous_serve; false once the server has received MAX_HELD. */
static bool serve(const struct fsrv_target *t, uint64_t now)
{
	xous_envelope_t env;
	xous_answer_t a;
	struct held *h;

	for (;;) {
		if (S.nheld == MAX_HELD)
			return false;
		S.got = false;
		srv_sys(XOUS_SYS_TRY_RECEIVE_MESSAGE, S.sid[0], S.sid[1], S.sid[2], S.sid[3], 0, 0);
		if (!S.got) {
			FZ_CHECK(S.res[S.srv].a[0] == XOUS_RESULT_NONE);
			return true;
		}
		h = &S.held[S.nheld++];
		h->token = S.env.a[1];
		h->kind = (uint8_t)S.env.a[2];
		h->open = h->kind != XOUS_KIND_SCALAR;
		h->lend = S.env_lend;
		envelope_from(&S.env, &env);
		a = t->dispatch(&env, now);
		FZ_CHECK(fits(a.kind, h->kind));
		FZ_CHECK(xous_io_answer(&fsrv_io, &env, a) == XOUS_OK);
	}
}

static size_t parked(const struct fsrv_target *t)
{
	return t->waiting ? t->waiting() : 0;
}

/* Nothing owed but what is parked, and kcore holds the same calls. */
static void check_open(const struct fsrv_target *t)
{
	struct kc_server_info info;
	size_t open = 0, calls = 0;
	unsigned i;

	for (i = 0; i < S.nheld; i++) {
		open += S.held[i].open;
		calls += S.held[i].open && S.held[i].kind != XOUS_KIND_MOVE;
	}
	FZ_CHECK(open == parked(t));
	FZ_CHECK(kc_server_info(&S.k, kc_server_slot(&S.k, S.sid), &info));
	FZ_CHECK(info.held == calls);
}

static void setup(void)
{
	const kc_regs *r;
	uint32_t pid;
	int i;
	kc_regs in = {{XOUS_SYS_CREATE_SERVER, 0, 0, 0, 0, 0, 0, 0}};

	memset(&S, 0, sizeof(S));
	kc_init(&S.k, &ops);
	FZ_CHECK(kc_process_create(&S.k, &pid, &S.srv) == XOUS_OK && pid == FSRV_SELF_PID);
	S.callers[SELF].pid = pid;
	S.callers[SELF].th[0] = S.srv; /* taken: it serves */
	S.callers[SELF].nth = 1;
	S.waiting[S.srv] = false;
	r = sys(S.srv, &in, NULL);
	FZ_CHECK(r && (r->a[0] == XOUS_RESULT_NEW_SERVER_ID || r->a[0] == XOUS_RESULT_SERVER_ID));
	for (i = 0; i < 4; i++)
		S.sid[i] = (uint32_t)r->a[1 + i];
}

/* Every client dies, then the server: kcore must be back at its baseline
 * and every lend back, with nothing left mapped but the Moves the server
 * kept. */
static void teardown(void)
{
	struct kc_counts c;
	unsigned i;

	for (i = 0; i < FSRV_CLIENTS; i++)
		die(i);
	kc_process_exit(&S.k, FSRV_SELF_PID);
	for (i = 0; i < S.callers[SELF].nth; i++)
		S.waiting[S.callers[SELF].th[i]] = false;
	kc_counts(&S.k, &c);
	FZ_CHECK(c.procs == 1 && c.threads == 0 && c.servers == 0 && c.msgs == 0 && c.conns == 0);
	FZ_CHECK(c.lent_bytes == 0 && c.ahead == 0 && c.reserved == 0 && c.overfull == 0);
	for (i = 0; i < KC_MAX_THREADS; i++)
		FZ_CHECK(!S.waiting[i]);
	for (i = 0; i < S.nlends; i++) {
		struct lend *l = &S.lends[i];

		FZ_CHECK(l->state == L_DONE || l->state == L_MOVED || l->state == L_MOVE_BACK);
		FZ_CHECK(l->client == NULL && (l->srv == NULL) == (l->state != L_MOVED));
		unmap(&l->srv, l->len); /* the Moves it kept die with it */
	}
	FZ_CHECK(S.maps == 0);
}

int fsrv_run(const struct fsrv_target *t, const uint8_t *data, size_t size)
{
	struct fz f = {data, size};
	struct fsrv_record r;
	uint64_t now = 1000;
	bool more = true;

	fsrv_current = t;
	setup();
	if (t->init)
		t->init(now);
	while (more && fsrv_read_record(&f, data, &r)) {
		if (r.op == FSRV_OP_TIME) {
			now += r.value;
			if (t->tick)
				t->tick(now);
		} else if (r.op == FSRV_OP_DEATH) {
			die(r.value % FSRV_CLIENTS);
		} else if (r.op == FSRV_OP_SERVE) {
			more = serve(t, now);
		} else {
			more = send_record(&r) && ((r.flags & FSRV_QUEUED) || serve(t, now));
		}
		check_open(t);
	}
	serve(t, now);
	if (t->tick)
		t->tick(now + 100000000ull);
	check_open(t);
	teardown();
	return 0;
}
