/* servers.vm.*: vm_dispatch and ool_dispatch, with a fake kernel. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "recorder.h"
#include "vmsrv.h"

/* The fake kernel: PhysGrant answers what a test set, and records what it
 * was asked; processes are alive unless marked dead, named by pid and
 * their incarnation. */
static struct {
	xous_err_t grant_err;
	xous_sender_t to;
	uintptr_t paddr;
	size_t len;
	uint32_t flags;
	int grants;
	xous_pid_t dead;
	unsigned incarnation[16];
} K;

static xous_err_t f_grant(xous_sender_t to, uintptr_t paddr, size_t len, uint32_t flags,
                          uintptr_t *out)
{
	K.grants++;
	K.to = to;
	K.paddr = paddr;
	K.len = len;
	K.flags = flags;
	*out = paddr ? paddr : 0x80000000u;
	return K.grant_err;
}

static xous_err_t f_name(xous_pid_t pid, char *buf, size_t len)
{
	if (pid == K.dead || pid >= 16)
		return XOUS_ERR_PROCESS_NOT_FOUND;
	snprintf(buf, len, "prog-%u-%u", (unsigned)pid, K.incarnation[pid]);
	return XOUS_OK;
}

static const struct vm_kernel_ops fake = {f_grant, f_name};
static struct vm_state vm;
static struct ool_state ool;

static void setup(void)
{
	rec_reset();
	memset(&K, 0, sizeof(K));
	vm_init(&vm, &fake);
	ool_init(&ool, &fake);
}

static xous_answer_t alloc(xous_pid_t pid, uintptr_t n, uintptr_t paddr, uintptr_t flags)
{
	xous_envelope_t e =
	        rec_scalar(XOUS_BLOCKING_SCALAR, pid, 1, VM_OP_ALLOC_PAGES, n, paddr, flags);

	return rec_dispatched(&e, vm_dispatch(&vm, &e));
}

static xous_err_t recv(xous_pid_t pid, uintptr_t addr, uintptr_t len)
{
	xous_envelope_t e = rec_scalar(XOUS_BLOCKING_SCALAR, pid, 1, OOL_OP_RECV, addr, len, 0);
	xous_answer_t a = rec_dispatched(&e, ool_dispatch(&ool, &e));

	ck_assert_int_eq(a.kind, XOUS_ANSWER_SCALAR1);
	return (xous_err_t)a.v[0];
}

/* A Send or Verify: req then n bytes of data in a lent page; the answer's
 * two words come back in *err and *v; the page (for Verify) in *page. */
static void lend(enum xous_kind kind, uint32_t op, xous_pid_t pid, struct ool_req req,
                 const void *data, size_t n, xous_err_t *err, uintptr_t *v, void **page)
{
	char raw[XOUS_PAGE_SIZE];
	xous_envelope_t e;
	xous_answer_t a;

	memcpy(raw, &req, sizeof(req));
	if (n)
		memcpy(raw + sizeof(req), data, n);
	e = rec_memory(kind, pid, 2, op, NULL, raw, sizeof(req) + n);
	a = rec_dispatched(&e, ool_dispatch(&ool, &e));
	ck_assert_int_eq(a.kind, XOUS_ANSWER_MEMORY);
	*err = (xous_err_t)a.v[0];
	*v = a.v[1];
	if (page)
		*page = e.memory.buf.addr;
}

static xous_err_t send(xous_pid_t src, xous_pid_t dst, const char *s, uintptr_t *id)
{
	xous_err_t err;
	size_t n = strlen(s) + 1;

	lend(XOUS_BORROW, OOL_OP_SEND, src, (struct ool_req){dst, 0, n}, s, n, &err, id, NULL);
	return err;
}

static xous_err_t verify(xous_pid_t self, xous_pid_t src, uintptr_t id, size_t len, char *out)
{
	xous_err_t err;
	uintptr_t v;
	void *page;

	lend(XOUS_MUTABLE_BORROW, OOL_OP_VERIFY, self, (struct ool_req){src, id, len}, NULL, 0,
	     &err, &v, &page);
	if (err == XOUS_OK) {
		ck_assert_uint_eq(v, len);
		memcpy(out, page, len);
	}
	return err;
}

START_TEST(alloc_grants_the_caller_fresh_or_the_same_pages)
{
	xous_answer_t a = alloc(5, 3, 0, 0);

	ck_assert_int_eq(a.kind, XOUS_ANSWER_SCALAR2);
	ck_assert_uint_eq(a.v[0], XOUS_OK);
	ck_assert_uint_eq(a.v[1], 0x80000000u);
	ck_assert_uint_eq(K.len, 3 * XOUS_PAGE_SIZE);
	ck_assert_uint_eq(K.flags, XOUS_MEM_R | XOUS_MEM_W);
	ck_assert_uint_eq(xous_sender_pid(K.to), 5); /* the caller's message names it */
	a = alloc(6, 1, 0x80001000u, VM_GRANT_READ_ONLY);
	ck_assert_uint_eq(a.v[0], XOUS_OK);
	ck_assert_uint_eq(a.v[1], 0x80001000u);
	ck_assert_uint_eq(K.paddr, 0x80001000u);
	ck_assert_uint_eq(K.flags, XOUS_MEM_R);
	ck_assert_uint_eq(rec_n, 2);
}
END_TEST

START_TEST(alloc_refuses_bad_counts_and_addresses_and_passes_kernel_errors)
{
	ck_assert_uint_eq(alloc(5, 0, 0, 0).v[0], XOUS_ERR_INVALID_ARGUMENT);
	ck_assert_uint_eq(alloc(5, VM_MAX_PAGES + 1, 0, 0).v[0], XOUS_ERR_INVALID_ARGUMENT);
	ck_assert_uint_eq(alloc(5, 1, 0x80000010u, 0).v[0], XOUS_ERR_BAD_ALIGNMENT);
	ck_assert_int_eq(K.grants, 0);
	K.grant_err = XOUS_ERR_ACCESS_DENIED;
	ck_assert_uint_eq(alloc(5, 1, 0x10000000u, 0).v[0], XOUS_ERR_ACCESS_DENIED);
	ck_assert_uint_eq(alloc(5, 1, 0x10000000u, 0).v[1], 0);
	K.grant_err = XOUS_ERR_OUT_OF_MEMORY;
	ck_assert_uint_eq(alloc(5, 1, 0, 0).v[0], XOUS_ERR_OUT_OF_MEMORY);
}
END_TEST

START_TEST(vm_ignores_other_kinds_and_opcodes)
{
	xous_envelope_t e = rec_scalar(XOUS_BLOCKING_SCALAR, 5, 1, 99, 1, 0, 0);

	ck_assert_int_eq(vm_dispatch(&vm, &e).kind, XOUS_ANSWER_NONE);
	e = rec_scalar(XOUS_SCALAR, 5, 1, VM_OP_ALLOC_PAGES, 1, 0, 0);
	ck_assert_int_eq(vm_dispatch(&vm, &e).kind, XOUS_ANSWER_NONE);
	ck_assert_int_eq(K.grants, 0);
}
END_TEST

START_TEST(ool_round_trip_lands_in_the_registered_buffer)
{
	uintptr_t id = 0;
	char out[32];

	ck_assert_uint_eq(recv(7, 0x40000000u, 4096), XOUS_OK);
	ck_assert_uint_eq(send(5, 7, "hello ool", &id), XOUS_OK);
	ck_assert_uint_eq(id, 0x40000000u);
	ck_assert_uint_eq(verify(7, 5, id, 10, out), XOUS_OK);
	ck_assert_str_eq(out, "hello ool");
	/* the buffer took its one payload: a second one finds no room */
	ck_assert_uint_eq(send(5, 7, "again", &id), XOUS_ERR_NO_SPACE);
	ck_assert_uint_eq(verify(7, 5, 0x40000000u, 10, out), XOUS_ERR_NOT_FOUND);
}
END_TEST

START_TEST(ool_send_needs_a_free_buffer_that_holds_it)
{
	uintptr_t id = 0;

	ck_assert_uint_eq(send(5, 7, "nobody registered", &id), XOUS_ERR_NO_SPACE);
	ck_assert_uint_eq(recv(7, 0x40000000u, 4), XOUS_OK);
	ck_assert_uint_eq(send(5, 7, "too long", &id), XOUS_ERR_NO_SPACE);
	ck_assert_uint_eq(recv(7, 0x40002000u, 64), XOUS_OK);
	ck_assert_uint_eq(recv(7, 0x40001000u, 16), XOUS_OK);
	ck_assert_uint_eq(send(5, 7, "fits 16", &id), XOUS_OK);
	ck_assert_uint_eq(id, 0x40001000u); /* the smallest that holds it */
	ck_assert_uint_eq(send(5, 7, "abc", &id), XOUS_OK);
	ck_assert_uint_eq(id, 0x40000000u);
}
END_TEST

START_TEST(ool_recv_refuses_bad_buffers_and_bounds_each_process)
{
	ck_assert_uint_eq(recv(7, 0, 4096), XOUS_ERR_INVALID_ARGUMENT);
	ck_assert_uint_eq(recv(7, 0x40000000u, 0), XOUS_ERR_INVALID_ARGUMENT);
	ck_assert_uint_eq(recv(7, 0x40000000u, OOL_MAX_LEN + 1), XOUS_ERR_INVALID_ARGUMENT);
	ck_assert_uint_eq(recv(7, 0x40000010u, 64), XOUS_ERR_BAD_ALIGNMENT);
	for (uintptr_t i = 0; i < OOL_BUFS_PER_PROC; i++)
		ck_assert_uint_eq(recv(7, 0x40000000u + i * 4096, 64), XOUS_OK);
	ck_assert_uint_eq(recv(7, 0x40000000u, 64), XOUS_ERR_ALREADY_EXISTS);
	ck_assert_uint_eq(recv(7, 0x50000000u, 64), XOUS_ERR_OUT_OF_MEMORY);
	ck_assert_uint_eq(recv(8, 0x50000000u, 64), XOUS_OK); /* others still register */
}
END_TEST

START_TEST(ool_verify_checks_source_id_and_length)
{
	uintptr_t id = 0;
	char out[32];

	ck_assert_uint_eq(recv(7, 0x40000000u, 4096), XOUS_OK);
	ck_assert_uint_eq(send(5, 7, "payload", &id), XOUS_OK);
	ck_assert_uint_eq(verify(7, 6, id, 8, out), XOUS_ERR_NOT_FOUND);        /* wrong src */
	ck_assert_uint_eq(verify(7, 5, id + 4096, 8, out), XOUS_ERR_NOT_FOUND); /* wrong id */
	ck_assert_uint_eq(verify(8, 5, id, 8, out), XOUS_ERR_NOT_FOUND);        /* not its own */
	ck_assert_uint_eq(verify(7, 5, id, 7, out), XOUS_ERR_INVALID_ARGUMENT); /* wrong len */
	ck_assert_uint_eq(verify(7, 5, id, 8, out), XOUS_OK); /* still staged after those */
	ck_assert_str_eq(out, "payload");
}
END_TEST

START_TEST(ool_refuses_bad_requests_and_unknown_opcodes)
{
	xous_envelope_t e = rec_memory(XOUS_BORROW, 5, 2, OOL_OP_SEND, NULL, "x", 1);
	xous_answer_t a = rec_dispatched(&e, ool_dispatch(&ool, &e));
	struct ool_req big = {7, 0, OOL_MAX_LEN + 1};
	xous_err_t err;
	uintptr_t v;

	ck_assert_int_eq(a.kind, XOUS_ANSWER_MEMORY);
	/* the request is read from the lent page: {'x', 0, 0} names no buffer */
	ck_assert_uint_eq(a.v[0], XOUS_ERR_NO_SPACE);
	ck_assert_uint_eq(recv(7, 0x40000000u, 4096), XOUS_OK);
	lend(XOUS_BORROW, OOL_OP_SEND, 5, big, NULL, 0, &err, &v, NULL);
	ck_assert_uint_eq(err, XOUS_ERR_INVALID_ARGUMENT);
	big.len = XOUS_PAGE_SIZE; /* more than the lent page holds after the request */
	lend(XOUS_BORROW, OOL_OP_SEND, 5, big, NULL, 0, &err, &v, NULL);
	ck_assert_uint_eq(err, XOUS_ERR_INVALID_ARGUMENT);
	e = rec_scalar(XOUS_BLOCKING_SCALAR, 5, 1, 42, 0, 0, 0);
	ck_assert_int_eq(ool_dispatch(&ool, &e).kind, XOUS_ANSWER_NONE);
	e = rec_memory(XOUS_MUTABLE_BORROW, 5, 2, OOL_OP_SEND, NULL, "x", 1);
	ck_assert_int_eq(ool_dispatch(&ool, &e).kind, XOUS_ANSWER_NONE);
}
END_TEST

START_TEST(ool_staged_bytes_are_bounded_per_sender)
{
	static char big[XOUS_PAGE_SIZE];
	uintptr_t id;
	xous_err_t err;
	size_t n = XOUS_PAGE_SIZE - sizeof(struct ool_req);

	ool.bufs[0] = (struct ool_buf){
	        .used = true, .owner = {9, "prog-9-0"}, .addr = 4096, .cap = OOL_MAX_LEN};
	ool.bufs[1] = (struct ool_buf){
	        .used = true, .owner = {9, "prog-9-0"}, .addr = 8192, .cap = OOL_MAX_LEN};
	ool.bufs[2] = (struct ool_buf){.used = true,
	                               .full = true,
	                               .owner = {9, "prog-9-0"},
	                               .addr = 12288,
	                               .cap = OOL_MAX_LEN,
	                               .src = {5, "prog-5-0"},
	                               .data = malloc(1),
	                               .len = OOL_STAGED_PER_SRC - n + 1};
	lend(XOUS_BORROW, OOL_OP_SEND, 5, (struct ool_req){9, 0, n}, big, n, &err, &id, NULL);
	ck_assert_uint_eq(err, XOUS_ERR_OUT_OF_MEMORY);
	lend(XOUS_BORROW, OOL_OP_SEND, 6, (struct ool_req){9, 0, n}, big, n, &err, &id, NULL);
	ck_assert_uint_eq(err, XOUS_OK);
	ool_fini(&ool);
}
END_TEST

START_TEST(ool_forgets_processes_that_are_gone)
{
	uintptr_t id = 0;
	char out[16];

	ck_assert_uint_eq(recv(7, 0x40000000u, 4096), XOUS_OK);
	ck_assert_uint_eq(recv(8, 0x40000000u, 4096), XOUS_OK);
	ck_assert_uint_eq(send(5, 7, "to 7", &id), XOUS_OK);
	ck_assert_uint_eq(send(9, 8, "to 8", &id), XOUS_OK);
	K.dead = 5; /* the sender died: its payload goes, 7's buffer is free again */
	ck_assert_uint_eq(verify(7, 5, 0x40000000u, 5, out), XOUS_ERR_NOT_FOUND);
	ck_assert_uint_eq(send(6, 7, "later", &id), XOUS_OK);
	K.dead = 0;
	K.incarnation[8] = 1; /* 8 died and its pid went to another process */
	ck_assert_uint_eq(verify(8, 9, 0x40000000u, 5, out), XOUS_ERR_NOT_FOUND);
	ck_assert_uint_eq(send(9, 8, "again", &id), XOUS_ERR_NO_SPACE);
	for (size_t i = 0; i < OOL_MAX_BUFS; i++)
		ck_assert(!ool.bufs[i].used || ool.bufs[i].owner.pid == 7);
	ool_fini(&ool);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("servers.vm");

	ADD(s, alloc_grants_the_caller_fresh_or_the_same_pages);
	ADD(s, alloc_refuses_bad_counts_and_addresses_and_passes_kernel_errors);
	ADD(s, vm_ignores_other_kinds_and_opcodes);
	ADD(s, ool_round_trip_lands_in_the_registered_buffer);
	ADD(s, ool_send_needs_a_free_buffer_that_holds_it);
	ADD(s, ool_recv_refuses_bad_buffers_and_bounds_each_process);
	ADD(s, ool_verify_checks_source_id_and_length);
	ADD(s, ool_refuses_bad_requests_and_unknown_opcodes);
	ADD(s, ool_staged_bytes_are_bounded_per_sender);
	ADD(s, ool_forgets_processes_that_are_gone);
	return rec_run(s);
}
