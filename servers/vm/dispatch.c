/* The vm process's dispatch: vm's AllocPages and ool's Recv, Send, Verify. */
#include <stdlib.h>
#include <string.h>

#include "vmsrv.h"

#define PAGE ((uintptr_t)XOUS_PAGE_SIZE)

/* ---- vm ---- */

void vm_init(struct vm_state *st, const struct vm_kernel_ops *k)
{
	st->k = k;
}

static xous_answer_t vm_alloc(struct vm_state *st, const xous_envelope_t *env)
{
	uintptr_t n = env->scalar.arg[0], paddr = env->scalar.arg[1], out = 0;
	uint32_t flags = XOUS_MEM_R | XOUS_MEM_W;
	xous_err_t err;

	if (n == 0 || n > VM_MAX_PAGES)
		return xous_answer_scalar2(XOUS_ERR_INVALID_ARGUMENT, 0);
	if (paddr & (PAGE - 1))
		return xous_answer_scalar2(XOUS_ERR_BAD_ALIGNMENT, 0);
	if (env->scalar.arg[2] & VM_GRANT_READ_ONLY)
		flags = XOUS_MEM_R;
	err = st->k->grant(env->sender, paddr, n * PAGE, flags, &out);
	return xous_answer_scalar2(err, err ? 0 : out);
}

xous_answer_t vm_dispatch(struct vm_state *st, xous_envelope_t *env)
{
	if (env->kind == XOUS_BLOCKING_SCALAR && env->scalar.id == VM_OP_ALLOC_PAGES)
		return vm_alloc(st, env);
	return xous_answer_none();
}

/* ---- ool ---- */

void ool_init(struct ool_state *st, const struct vm_kernel_ops *k)
{
	memset(st, 0, sizeof(*st));
	st->k = k;
}

static void buf_unstage(struct ool_buf *b)
{
	free(b->data);
	b->data = NULL;
	b->full = false;
	b->len = 0;
}

static void buf_free(struct ool_buf *b)
{
	buf_unstage(b);
	b->used = false;
}

void ool_sweep(struct ool_state *st)
{
	for (size_t i = 0; i < OOL_MAX_BUFS; i++) {
		struct ool_buf *b = &st->bufs[i];
		if (b->used && !who_alive(st->k->process_name, &b->owner))
			buf_free(b);
		else if (b->full && !who_alive(st->k->process_name, &b->src))
			buf_unstage(b);
	}
}

void ool_fini(struct ool_state *st)
{
	for (size_t i = 0; i < OOL_MAX_BUFS; i++)
		buf_free(&st->bufs[i]);
}

static xous_answer_t ool_recv(struct ool_state *st, const xous_envelope_t *env)
{
	xous_pid_t pid = xous_sender_pid(env->sender);
	uintptr_t addr = env->scalar.arg[0], len = env->scalar.arg[1];
	struct ool_buf *slot = NULL;
	unsigned mine = 0;

	if (addr == 0 || len == 0 || len > OOL_MAX_LEN)
		return xous_answer_scalar1(XOUS_ERR_INVALID_ARGUMENT);
	if (addr & (PAGE - 1))
		return xous_answer_scalar1(XOUS_ERR_BAD_ALIGNMENT);
	for (size_t i = 0; i < OOL_MAX_BUFS; i++) {
		struct ool_buf *b = &st->bufs[i];
		if (!b->used) {
			slot = slot ? slot : b;
			continue;
		}
		if (b->owner.pid != pid)
			continue;
		if (b->addr == addr)
			return xous_answer_scalar1(XOUS_ERR_ALREADY_EXISTS);
		mine++;
	}
	if (slot == NULL || mine >= OOL_BUFS_PER_PROC)
		return xous_answer_scalar1(XOUS_ERR_OUT_OF_MEMORY);
	if (!who_now(st->k->process_name, pid, &slot->owner))
		return xous_answer_scalar1(XOUS_ERR_PROCESS_NOT_FOUND);
	slot->used = true;
	slot->full = false;
	slot->addr = addr;
	slot->cap = len;
	return xous_answer_scalar1(XOUS_OK);
}

/* The request at the start of a lent buffer, if it holds one. */
static bool read_req(const xous_envelope_t *env, struct ool_req *req)
{
	if (env->memory.buf.addr == NULL || env->memory.buf.len < sizeof(*req))
		return false;
	memcpy(req, env->memory.buf.addr, sizeof(*req));
	return true;
}

static size_t staged_by(const struct ool_state *st, xous_pid_t pid)
{
	size_t sum = 0;

	for (size_t i = 0; i < OOL_MAX_BUFS; i++)
		if (st->bufs[i].full && st->bufs[i].src.pid == pid)
			sum += st->bufs[i].len;
	return sum;
}

/* The smallest free buffer of dst that holds len bytes. */
static struct ool_buf *free_buf_of(struct ool_state *st, uint64_t dst, uint64_t len)
{
	struct ool_buf *best = NULL;

	for (size_t i = 0; i < OOL_MAX_BUFS; i++) {
		struct ool_buf *b = &st->bufs[i];
		if (b->used && !b->full && b->owner.pid == dst && b->cap >= len &&
		    (best == NULL || b->cap < best->cap))
			best = b;
	}
	return best;
}

static xous_answer_t ool_answer(xous_err_t err, uintptr_t v)
{
	return xous_answer_memory(err, err ? 0 : v);
}

static xous_answer_t ool_send(struct ool_state *st, const xous_envelope_t *env)
{
	xous_pid_t pid = xous_sender_pid(env->sender);
	struct ool_req req;
	struct ool_buf *b;
	void *copy;

	if (!read_req(env, &req) || req.len > OOL_MAX_LEN ||
	    req.len > env->memory.buf.len - sizeof(req))
		return ool_answer(XOUS_ERR_INVALID_ARGUMENT, 0);
	if ((b = free_buf_of(st, req.peer, req.len)) == NULL)
		return ool_answer(XOUS_ERR_NO_SPACE, 0);
	if (staged_by(st, pid) + req.len > OOL_STAGED_PER_SRC ||
	    (copy = malloc(req.len ? req.len : 1)) == NULL)
		return ool_answer(XOUS_ERR_OUT_OF_MEMORY, 0);
	if (!who_now(st->k->process_name, pid, &b->src)) {
		free(copy);
		return ool_answer(XOUS_ERR_PROCESS_NOT_FOUND, 0);
	}
	memcpy(copy, (const char *)env->memory.buf.addr + sizeof(req), req.len);
	b->data = copy;
	b->len = req.len;
	b->full = true;
	return ool_answer(XOUS_OK, b->addr);
}

static xous_answer_t ool_verify(struct ool_state *st, const xous_envelope_t *env)
{
	xous_pid_t pid = xous_sender_pid(env->sender);
	struct ool_req req;
	struct ool_buf *b = NULL;

	if (!read_req(env, &req))
		return ool_answer(XOUS_ERR_INVALID_ARGUMENT, 0);
	for (size_t i = 0; i < OOL_MAX_BUFS && b == NULL; i++)
		if (st->bufs[i].full && st->bufs[i].owner.pid == pid &&
		    st->bufs[i].addr == req.id && st->bufs[i].src.pid == req.peer)
			b = &st->bufs[i];
	if (b == NULL)
		return ool_answer(XOUS_ERR_NOT_FOUND, 0);
	if (req.len != b->len || b->len > env->memory.buf.len)
		return ool_answer(XOUS_ERR_INVALID_ARGUMENT, 0);
	memcpy(env->memory.buf.addr, b->data, b->len);
	buf_free(b);
	return ool_answer(XOUS_OK, req.len);
}

xous_answer_t ool_dispatch(struct ool_state *st, xous_envelope_t *env)
{
	ool_sweep(st);
	if (env->kind == XOUS_BLOCKING_SCALAR && env->scalar.id == OOL_OP_RECV)
		return ool_recv(st, env);
	if (env->kind == XOUS_BORROW && env->memory.id == OOL_OP_SEND)
		return ool_send(st, env);
	if (env->kind == XOUS_MUTABLE_BORROW && env->memory.id == OOL_OP_VERIFY)
		return ool_verify(st, env);
	return xous_answer_none();
}
