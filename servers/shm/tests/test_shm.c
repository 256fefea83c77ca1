/* servers.shm.*: shm_dispatch, with a fake vm and kernel. */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "recorder.h"
#include "shmsrv.h"

static struct {
	xous_err_t alloc_err;
	uintptr_t next; /* the next fresh paddr */
	int allocs, releases;
	uintptr_t released;
	xous_pid_t dead;
} K;

static xous_err_t f_alloc(size_t pages, uintptr_t *paddr)
{
	if (K.alloc_err)
		return K.alloc_err;
	K.allocs++;
	*paddr = K.next;
	K.next += pages * XOUS_PAGE_SIZE;
	return XOUS_OK;
}

static xous_err_t f_release(uintptr_t paddr)
{
	K.releases++;
	K.released = paddr;
	return XOUS_OK;
}

static xous_err_t f_name(xous_pid_t pid, char *buf, size_t len)
{
	if (pid == K.dead)
		return XOUS_ERR_PROCESS_NOT_FOUND;
	snprintf(buf, len, "prog-%u", (unsigned)pid);
	return XOUS_OK;
}

static const struct shm_ops fake = {f_alloc, f_release, f_name};
static struct shm_state st;

static void setup(void)
{
	rec_reset();
	memset(&K, 0, sizeof(K));
	K.next = 0x80000000u;
	shm_init(&st, &fake);
}

static xous_answer_t call(xous_pid_t pid, uint32_t op, uintptr_t a1)
{
	xous_envelope_t e = rec_scalar(XOUS_BLOCKING_SCALAR, pid, 1, op, a1, 0, 0);

	return rec_dispatched(&e, shm_dispatch(&st, &e));
}

START_TEST(create_then_map_gives_the_run_to_anyone)
{
	xous_answer_t a = call(5, SHM_OP_CREATE, 5000);
	uintptr_t id = a.v[1];

	ck_assert_int_eq(a.kind, XOUS_ANSWER_SCALAR2);
	ck_assert_uint_eq(a.v[0], XOUS_OK);
	ck_assert_uint_eq(id, 1);
	ck_assert_uint_eq(call(5, SHM_OP_CREATE, 1).v[1], 2); /* ids count up */
	a = call(9, SHM_OP_MAP, id);
	ck_assert_int_eq(a.kind, XOUS_ANSWER_SCALAR5);
	ck_assert_uint_eq(a.v[0], XOUS_OK);
	ck_assert_uint_eq(a.v[1], 0x80000000u);
	ck_assert_uint_eq(a.v[2], 2); /* 5000 bytes: two pages */
	ck_assert_uint_eq(call(9, SHM_OP_MAP, 2).v[1], 0x80002000u);
}
END_TEST

START_TEST(unknown_and_closed_ids_are_not_found)
{
	uintptr_t id = call(5, SHM_OP_CREATE, 4096).v[1];

	ck_assert_uint_eq(call(5, SHM_OP_MAP, 77).v[0], XOUS_ERR_NOT_FOUND);
	ck_assert_uint_eq(call(5, SHM_OP_CLOSE, 77).v[0], XOUS_ERR_NOT_FOUND);
	ck_assert_uint_eq(call(6, SHM_OP_CLOSE, id).v[0], XOUS_ERR_ACCESS_DENIED);
	ck_assert_uint_eq(call(5, SHM_OP_CLOSE, id).v[0], XOUS_OK);
	ck_assert_int_eq(K.releases, 1);
	ck_assert_uint_eq(K.released, 0x80000000u);
	ck_assert_uint_eq(call(5, SHM_OP_MAP, id).v[0], XOUS_ERR_NOT_FOUND);
	ck_assert_uint_eq(call(5, SHM_OP_CLOSE, id).v[0], XOUS_ERR_NOT_FOUND);
	/* a closed id is never given again */
	ck_assert_uint_ne(call(5, SHM_OP_CREATE, 4096).v[1], id);
}
END_TEST

START_TEST(sizes_and_quotas_are_checked)
{
	ck_assert_uint_eq(call(5, SHM_OP_CREATE, 0).v[0], XOUS_ERR_INVALID_ARGUMENT);
	ck_assert_uint_eq(call(5, SHM_OP_CREATE, SHM_MAX_SIZE + 1).v[0], XOUS_ERR_INVALID_ARGUMENT);
	for (int i = 0; i < SHM_REGIONS_PER_PID; i++)
		ck_assert_uint_eq(call(5, SHM_OP_CREATE, 4096).v[0], XOUS_OK);
	ck_assert_uint_eq(call(5, SHM_OP_CREATE, 4096).v[0], XOUS_ERR_OUT_OF_MEMORY);
	ck_assert_uint_eq(call(6, SHM_OP_CREATE, 4096).v[0], XOUS_OK);
	K.alloc_err = XOUS_ERR_OUT_OF_MEMORY; /* vm's pool is full */
	ck_assert_uint_eq(call(6, SHM_OP_CREATE, 4096).v[0], XOUS_ERR_OUT_OF_MEMORY);
	K.alloc_err = XOUS_OK;
	ck_assert_uint_eq(call(6, SHM_OP_CREATE, 4096).v[1], SHM_REGIONS_PER_PID + 2);
}
END_TEST

START_TEST(regions_of_a_creator_that_is_gone_are_closed)
{
	uintptr_t a = call(5, SHM_OP_CREATE, 4096).v[1];
	uintptr_t b = call(6, SHM_OP_CREATE, 4096).v[1];

	K.dead = 5;
	ck_assert_uint_eq(call(6, SHM_OP_MAP, a).v[0], XOUS_ERR_NOT_FOUND);
	ck_assert_uint_eq(call(6, SHM_OP_MAP, b).v[0], XOUS_OK);
	ck_assert_int_eq(K.releases, 1);
	ck_assert_uint_eq(K.released, 0x80000000u);
}
END_TEST

START_TEST(other_kinds_and_opcodes_are_ignored)
{
	xous_envelope_t e = rec_scalar(XOUS_SCALAR, 5, 1, SHM_OP_CREATE, 4096, 0, 0);

	ck_assert_int_eq(shm_dispatch(&st, &e).kind, XOUS_ANSWER_NONE);
	e = rec_scalar(XOUS_BLOCKING_SCALAR, 5, 1, 42, 4096, 0, 0);
	ck_assert_int_eq(shm_dispatch(&st, &e).kind, XOUS_ANSWER_NONE);
	ck_assert_int_eq(K.allocs, 0);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("servers.shm");

	ADD(s, create_then_map_gives_the_run_to_anyone);
	ADD(s, unknown_and_closed_ids_are_not_found);
	ADD(s, sizes_and_quotas_are_checked);
	ADD(s, regions_of_a_creator_that_is_gone_are_closed);
	ADD(s, other_kinds_and_opcodes_are_ignored);
	return rec_run(s);
}
