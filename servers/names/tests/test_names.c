/* servers.names.*: the name server's dispatch, driven without a broker. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "names.h"
#include "recorder.h"

static struct names_state st;

static void counting_random(uint32_t *w, size_t n)
{
	static uint32_t next = 0x1000;

	for (size_t i = 0; i < n; i++)
		w[i] = next++;
}

static const xous_sid_t sid_a = {{0x11, 0x22, 0x33, 0x44}};  /* pid 2's server */
static const xous_sid_t sid_discovery = {{0xd15c, 1, 2, 3}}; /* the name server's own */
static uint32_t servers_made;
static int to_discovery;   /* call() sends to the discovery server */
static uint32_t last_task; /* the task of the last ConnectReply conn() read */

static void setup(void)
{
	rec_reset();
	rec_server(&sid_a, 2);
	servers_made = 0;
	to_discovery = 0;
	names_init(&st, &rec_io, counting_random);
}

/* A new server of process pid's, made in the fake kernel. */
static xous_sid_t server(xous_pid_t pid)
{
	xous_sid_t sid = {{0x5e0000u | pid, ++servers_made, 0xfeed, 0xbeef}};

	rec_server(&sid, pid);
	return sid;
}

/* Dispatch env: what it answers through the io table is recorded first,
 * then the answer it returns. */
static xous_answer_t serve(xous_envelope_t *env)
{
	return rec_dispatched(env, to_discovery ? discovery_dispatch(&st, env)
	                                        : names_dispatch(&st, env));
}

/* Send one protobuf request to the server as pid; returns its answer, or
 * NULL if the server parked it. */
static const struct rec_answer *call(xous_pid_t pid, uint32_t op, const ProtobufCMessage *msg,
                                     xous_envelope_t *keep)
{
	xous_envelope_t env =
	        rec_memory(XOUS_MUTABLE_BORROW, pid, (uint32_t)rec_n, op, msg, NULL, 0);
	xous_answer_t a = serve(&env);

	if (keep)
		*keep = env;
	if (a.kind == XOUS_ANSWER_DEFERRED)
		return NULL;
	ck_assert_int_eq(a.kind, XOUS_ANSWER_MEMORY);
	ck_assert_uint_eq(rec_last()->sender, env.sender);
	ck_assert_int_eq(rec_last()->returned, 1);
	return rec_last();
}

/* Register (names) or Serve (discovery): op's status. */
static xous_err_t reg_op(xous_pid_t pid, uint32_t op, const char *name, const xous_sid_t *sid,
                         uint32_t limit)
{
	NamesPb__RegisterRequest r = NAMES_PB__REGISTER_REQUEST__INIT;
	const struct rec_answer *a;

	r.name.data = (uint8_t *)name;
	r.name.len = strlen(name);
	r.sid0 = sid->w[0], r.sid1 = sid->w[1], r.sid2 = sid->w[2], r.sid3 = sid->w[3];
	r.conn_limit = limit;
	a = call(pid, op, &r.base, NULL);
	ck_assert_ptr_nonnull(a);
	ck_assert_int_eq(a->kind, REC_MEMORY);
	return (xous_err_t)a->v1;
}

static xous_err_t reg(xous_pid_t pid, const char *name, const xous_sid_t *sid, uint32_t limit)
{
	return reg_op(pid, NAMES_OP_REGISTER, name, sid, limit);
}

/* Lookup-style call; on success *cid and the token from the reply. */
static xous_err_t conn(xous_pid_t pid, uint32_t op, const char *name, xous_cid_t *cid,
                       uint32_t token[4])
{
	NamesPb__LookupRequest r = NAMES_PB__LOOKUP_REQUEST__INIT;
	const struct rec_answer *a;
	xous_envelope_t env;
	NamesPb__ConnectReply *reply;

	r.name.data = (uint8_t *)name;
	r.name.len = strlen(name);
	a = call(pid, op, &r.base, &env);
	ck_assert_ptr_nonnull(a);
	ck_assert_int_eq(a->kind, REC_MEMORY);
	ck_assert_uint_eq(a->sender, env.sender);
	if (a->v1 != XOUS_OK) {
		ck_assert_uint_eq(a->v2, 0);
		return (xous_err_t)a->v1;
	}
	reply = names_pb__connect_reply__unpack(NULL, a->v2, env.memory.buf.addr);
	ck_assert_ptr_nonnull(reply);
	if (cid)
		*cid = reply->cid;
	last_task = reply->task;
	if (token) {
		token[0] = reply->token0, token[1] = reply->token1;
		token[2] = reply->token2, token[3] = reply->token3;
	}
	names_pb__connect_reply__free_unpacked(reply, NULL);
	return XOUS_OK;
}

/* A BlockingConnect to name from pid: its answer, or NULL if parked. */
static const struct rec_answer *blocking(xous_pid_t pid, const char *name, xous_envelope_t *keep)
{
	NamesPb__LookupRequest r = NAMES_PB__LOOKUP_REQUEST__INIT;

	r.name.data = (uint8_t *)name;
	r.name.len = strlen(name);
	return call(pid, NAMES_OP_BLOCKING_CONNECT, &r.base, keep);
}

START_TEST(lookup_connects_the_caller_through_connect_for_process)
{
	xous_cid_t cid = 0;

	ck_assert_uint_eq(reg(2, "demo.echo", &sid_a, 0), XOUS_OK);
	ck_assert_uint_eq(conn(7, NAMES_OP_LOOKUP, "demo.echo", &cid, NULL), XOUS_OK);
	ck_assert_uint_eq(cid, 107);
	ck_assert_uint_eq(rec_cfp_n, 1);
	ck_assert_uint_eq(rec_cfp_pid[0], 7);
	ck_assert_mem_eq(&rec_cfp_sid[0], &sid_a, sizeof(sid_a));
}
END_TEST

START_TEST(lookup_of_an_absent_name_is_server_not_found)
{
	ck_assert_uint_eq(conn(3, NAMES_OP_LOOKUP, "nobody", NULL, NULL),
	                  XOUS_ERR_SERVER_NOT_FOUND);
	ck_assert_uint_eq(conn(3, NAMES_OP_TRY_CONNECT, "nobody", NULL, NULL),
	                  XOUS_ERR_SERVER_NOT_FOUND);
	ck_assert_uint_eq(rec_cfp_n, 0);
}
END_TEST

START_TEST(try_connect_connects_when_present)
{
	xous_cid_t cid = 0;

	ck_assert_uint_eq(reg(2, "x", &sid_a, 0), XOUS_OK);
	ck_assert_uint_eq(conn(4, NAMES_OP_TRY_CONNECT, "x", &cid, NULL), XOUS_OK);
	ck_assert_uint_eq(cid, 104);
}
END_TEST

START_TEST(bad_names_are_invalid_string)
{
	char long64[65], long63[64];
	const char *bad[] = {"",           "\xff", "\xc0\x80", "\xed\xa0\x80", "\xf4\x90\x80\x80",
	                     "ab\xe2\x82", long64};

	memset(long64, 'a', 64), long64[64] = '\0';
	memset(long63, 'b', 63), long63[63] = '\0';
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ck_assert_uint_eq(reg(2, bad[i], &sid_a, 0), XOUS_ERR_INVALID_STRING);
		ck_assert_uint_eq(conn(2, NAMES_OP_LOOKUP, bad[i], NULL, NULL),
		                  XOUS_ERR_INVALID_STRING);
		ck_assert_uint_eq(conn(2, NAMES_OP_BLOCKING_CONNECT, bad[i], NULL, NULL),
		                  XOUS_ERR_INVALID_STRING);
	}
	ck_assert_uint_eq(reg(2, long63, &sid_a, 0), XOUS_OK);
	ck_assert_uint_eq(reg(2, "caf\xc3\xa9 \xf0\x9f\x98\x80", &sid_a, 0), XOUS_OK);
	ck_assert_uint_eq(names_waiting(&st), 0);
}
END_TEST

START_TEST(a_taken_name_is_server_exists)
{
	xous_sid_t other = server(3);

	ck_assert_uint_eq(reg(2, "dup", &sid_a, 0), XOUS_OK);
	ck_assert_uint_eq(reg(3, "dup", &other, 0), XOUS_ERR_SERVER_EXISTS);
	/* whether "dup" still lives was asked of the kernel, with no connection */
	ck_assert_uint_eq(rec_cfp_n, 0);
	ck_assert_uint_eq(names_registered(&st), 1);
}
END_TEST

START_TEST(a_name_whose_server_died_can_be_registered_again)
{
	xous_sid_t other = server(3);

	ck_assert_uint_eq(reg(2, "restarted", &sid_a, 0), XOUS_OK);
	rec_dead_sid = sid_a;
	ck_assert_uint_eq(reg(3, "restarted", &other, 0), XOUS_OK);
	ck_assert_uint_eq(conn(4, NAMES_OP_LOOKUP, "restarted", NULL, NULL), XOUS_OK);
	ck_assert_mem_eq(&rec_cfp_sid[rec_cfp_n - 1], &other, sizeof(other));
}
END_TEST

START_TEST(a_lookup_of_a_dead_server_forgets_its_name)
{
	ck_assert_uint_eq(reg(2, "gone", &sid_a, 0), XOUS_OK);
	rec_dead_sid = sid_a;
	ck_assert_uint_eq(conn(4, NAMES_OP_LOOKUP, "gone", NULL, NULL), XOUS_ERR_SERVER_NOT_FOUND);
	memset(&rec_dead_sid, 0, sizeof(rec_dead_sid));
	ck_assert_uint_eq(conn(4, NAMES_OP_LOOKUP, "gone", NULL, NULL), XOUS_ERR_SERVER_NOT_FOUND);
	ck_assert_uint_eq(rec_cfp_n, 1);
	ck_assert_uint_eq(names_registered(&st), 0);
}
END_TEST

START_TEST(a_zero_server_id_is_invalid_argument)
{
	xous_sid_t zero = {{0, 0, 0, 0}};

	ck_assert_uint_eq(reg(2, "zero", &zero, 0), XOUS_ERR_INVALID_ARGUMENT);
}
END_TEST

START_TEST(connection_limit_is_enforced_and_disconnect_frees_a_slot)
{
	NamesPb__DisconnectRequest d = NAMES_PB__DISCONNECT_REQUEST__INIT;
	uint32_t token[4];

	ck_assert_uint_eq(reg(2, "lim", &sid_a, 2), XOUS_OK);
	ck_assert_uint_eq(conn(3, NAMES_OP_LOOKUP, "lim", NULL, token), XOUS_OK);
	ck_assert_uint_eq(conn(4, NAMES_OP_LOOKUP, "lim", NULL, NULL), XOUS_OK);
	ck_assert_uint_eq(conn(5, NAMES_OP_LOOKUP, "lim", NULL, NULL), XOUS_ERR_ACCESS_DENIED);
	ck_assert_uint_eq(conn(5, NAMES_OP_BLOCKING_CONNECT, "lim", NULL, NULL),
	                  XOUS_ERR_ACCESS_DENIED);
	d.name.data = (uint8_t *)"lim";
	d.name.len = 3;
	d.token0 = token[0] + 1, d.token1 = token[1], d.token2 = token[2], d.token3 = token[3];
	ck_assert_uint_eq(call(3, NAMES_OP_DISCONNECT, &d.base, NULL)->v1, XOUS_ERR_ACCESS_DENIED);
	d.token0 = token[0];
	ck_assert_uint_eq(call(3, NAMES_OP_DISCONNECT, &d.base, NULL)->v1, XOUS_OK);
	ck_assert_uint_eq(conn(5, NAMES_OP_LOOKUP, "lim", NULL, NULL), XOUS_OK);
	d.name.data = (uint8_t *)"gone";
	d.name.len = 4;
	ck_assert_uint_eq(call(3, NAMES_OP_DISCONNECT, &d.base, NULL)->v1,
	                  XOUS_ERR_SERVER_NOT_FOUND);
}
END_TEST

START_TEST(blocking_connect_waits_and_every_waiter_wakes_on_register)
{
	xous_envelope_t w[3];
	NamesPb__LookupRequest r = NAMES_PB__LOOKUP_REQUEST__INIT;

	r.name.data = (uint8_t *)"late";
	r.name.len = 4;
	for (int i = 0; i < 3; i++)
		ck_assert_ptr_null(call(10 + i, NAMES_OP_BLOCKING_CONNECT, &r.base, &w[i]));
	ck_assert_uint_eq(names_waiting(&st), 3);
	ck_assert_uint_eq(rec_n, 0);
	ck_assert_uint_eq(reg(2, "late", &sid_a, 0), XOUS_OK);
	/* the three waiters through the io table, then the registrant's answer */
	ck_assert_uint_eq(rec_n, 4);
	ck_assert_int_eq(rec[3].returned, 1);
	ck_assert_uint_eq(names_waiting(&st), 0);
	for (int i = 0; i < 3; i++) {
		const struct rec_answer *a = rec_find(w[i].sender);
		NamesPb__ConnectReply *reply;

		ck_assert_ptr_nonnull(a);
		ck_assert_uint_lt((size_t)(a - rec), 3);
		ck_assert_int_eq(a->returned, 0);
		ck_assert_uint_eq(a->kind, REC_MEMORY);
		ck_assert_uint_eq(a->v1, XOUS_OK);
		reply = names_pb__connect_reply__unpack(NULL, a->v2, w[i].memory.buf.addr);
		ck_assert_ptr_nonnull(reply);
		ck_assert_uint_eq(reply->cid, 110 + i);
		names_pb__connect_reply__free_unpacked(reply, NULL);
	}
}
END_TEST

START_TEST(blocking_connect_to_a_name_whose_server_died_waits_for_its_restart)
{
	xous_envelope_t w;
	xous_sid_t restarted = server(3);
	NamesPb__LookupRequest r = NAMES_PB__LOOKUP_REQUEST__INIT;

	ck_assert_uint_eq(reg(2, "restarting", &sid_a, 0), XOUS_OK);
	rec_dead_sid = sid_a; /* its server died: the name is stale */
	r.name.data = (uint8_t *)"restarting";
	r.name.len = 10;
	ck_assert_ptr_null(call(10, NAMES_OP_BLOCKING_CONNECT, &r.base, &w)); /* parked */
	ck_assert_uint_eq(names_waiting(&st), 1);
	ck_assert_uint_eq(reg(3, "restarting", &restarted, 0), XOUS_OK);
	ck_assert_uint_eq(names_waiting(&st), 0);
	ck_assert_mem_eq(&rec_cfp_sid[rec_cfp_n - 1], &restarted, sizeof(restarted));
}
END_TEST

START_TEST(blocking_connect_answers_at_once_when_registered)
{
	xous_cid_t cid = 0;

	ck_assert_uint_eq(reg(2, "here", &sid_a, 0), XOUS_OK);
	ck_assert_uint_eq(conn(6, NAMES_OP_BLOCKING_CONNECT, "here", &cid, NULL), XOUS_OK);
	ck_assert_uint_eq(cid, 106);
	ck_assert_uint_eq(names_waiting(&st), 0);
}
END_TEST

START_TEST(a_waiter_whose_process_died_is_dropped)
{
	xous_envelope_t w;

	ck_assert_ptr_null(blocking(9, "svc", &w));
	rec_dead_pid = 9;
	ck_assert_uint_eq(reg(2, "svc", &sid_a, 1), XOUS_OK);
	ck_assert_ptr_nonnull(rec_find(w.sender));
	ck_assert_uint_eq(rec_find(w.sender)->kind, REC_MEMORY);
	ck_assert_uint_eq(rec_find(w.sender)->v1, XOUS_ERR_PROCESS_NOT_FOUND);
	ck_assert_uint_eq(names_waiting(&st), 0);
	/* the dead waiter used none of the limit */
	ck_assert_uint_eq(conn(3, NAMES_OP_LOOKUP, "svc", NULL, NULL), XOUS_OK);
}
END_TEST

START_TEST(too_many_waiters_is_out_of_memory)
{
	NamesPb__LookupRequest r = NAMES_PB__LOOKUP_REQUEST__INIT;

	r.name.data = (uint8_t *)"never";
	r.name.len = 5;
	for (int i = 0; i < NAMES_MAX_WAITERS; i++)
		ck_assert_ptr_null(call(3, NAMES_OP_BLOCKING_CONNECT, &r.base, NULL));
	ck_assert_uint_eq(call(3, NAMES_OP_BLOCKING_CONNECT, &r.base, NULL)->v1,
	                  XOUS_ERR_OUT_OF_MEMORY);
	ck_assert_uint_eq(names_waiting(&st), NAMES_MAX_WAITERS);
}
END_TEST

START_TEST(a_full_waiter_table_drops_the_dead_waiters)
{
	NamesPb__LookupRequest r = NAMES_PB__LOOKUP_REQUEST__INIT;
	xous_envelope_t last;
	xous_sid_t self;

	memcpy(self.w, NAMES_SERVER_NAME,
	       16); /* the words of the name, on this little-endian host */
	r.name.data = (uint8_t *)"never";
	r.name.len = 5;
	for (int i = 0; i < NAMES_MAX_WAITERS; i++)
		call(3 + i % 2, NAMES_OP_BLOCKING_CONNECT, &r.base, NULL);
	rec_dead_pid = 3;
	call(5, NAMES_OP_BLOCKING_CONNECT, &r.base, &last); /* parked, not refused */
	ck_assert_uint_eq(names_waiting(&st), NAMES_MAX_WAITERS / 2 + 1);
	ck_assert_uint_eq(rec_n, NAMES_MAX_WAITERS / 2);
	for (size_t k = 0; k < rec_n; k++) {
		ck_assert_uint_ne(rec[k].sender, last.sender);
		ck_assert_uint_eq(xous_sender_pid(rec[k].sender), 3);
		ck_assert_uint_eq(rec[k].v1, XOUS_ERR_PROCESS_NOT_FOUND);
	}
	ck_assert_mem_eq(&rec_cfp_sid[0], &self, sizeof(self));
}
END_TEST

START_TEST(unregister_is_for_the_owner_only)
{
	NamesPb__UnregisterRequest u = NAMES_PB__UNREGISTER_REQUEST__INIT;

	ck_assert_uint_eq(reg(2, "mine", &sid_a, 0), XOUS_OK);
	u.sid0 = sid_a.w[0], u.sid1 = sid_a.w[1], u.sid2 = sid_a.w[2], u.sid3 = sid_a.w[3];
	ck_assert_uint_eq(call(3, NAMES_OP_UNREGISTER, &u.base, NULL)->v1, XOUS_ERR_ACCESS_DENIED);
	ck_assert_uint_eq(call(2, NAMES_OP_UNREGISTER, &u.base, NULL)->v1, XOUS_OK);
	ck_assert_uint_eq(call(2, NAMES_OP_UNREGISTER, &u.base, NULL)->v1,
	                  XOUS_ERR_SERVER_NOT_FOUND);
	ck_assert_uint_eq(conn(3, NAMES_OP_LOOKUP, "mine", NULL, NULL), XOUS_ERR_SERVER_NOT_FOUND);
	ck_assert_uint_eq(reg(2, "mine", &sid_a, 0), XOUS_OK);
}
END_TEST

START_TEST(scalar_unregister_answers_one_or_zero)
{
	xous_envelope_t e;

	ck_assert_uint_eq(reg(2, "s", &sid_a, 0), XOUS_OK);
	e = rec_scalar(XOUS_BLOCKING_SCALAR, 3, 1, NAMES_OP_UNREGISTER, 0x11, 0x22, 0x33);
	e.scalar.arg[3] = 0x44;
	ck_assert_int_eq(serve(&e).kind, XOUS_ANSWER_SCALAR1);
	ck_assert_uint_eq(rec_last()->kind, REC_SCALAR1);
	ck_assert_uint_eq(rec_last()->v1, 0); /* not the owner */
	e.sender = rec_sender(2, 2);
	ck_assert_uint_eq(serve(&e).v[0], 1);
	ck_assert_uint_eq(rec_last()->v1, 1);
	ck_assert_uint_eq(serve(&e).v[0], 0);
	ck_assert_uint_eq(rec_last()->kind, REC_SCALAR1);
}
END_TEST

START_TEST(trusted_init_done_once_every_limit_is_used)
{
	NamesPb__Empty empty = NAMES_PB__EMPTY__INIT;
	xous_envelope_t e =
	        rec_scalar(XOUS_BLOCKING_SCALAR, 3, 1, NAMES_OP_TRUSTED_INIT_DONE, 0, 0, 0);
	const struct rec_answer *a;
	xous_envelope_t m;
	NamesPb__TrustedInitReply *reply;

	ck_assert_int_eq(serve(&e).kind, XOUS_ANSWER_SCALAR1);
	ck_assert_uint_eq(rec_last()->kind, REC_SCALAR1);
	ck_assert_uint_eq(rec_last()->v1, 1);
	ck_assert_uint_eq(reg(2, "tofu", &sid_a, 1), XOUS_OK);
	ck_assert_uint_eq(serve(&e).v[0], 0);
	ck_assert_uint_eq(rec_last()->v1, 0);
	ck_assert_uint_eq(conn(3, NAMES_OP_LOOKUP, "tofu", NULL, NULL), XOUS_OK);
	a = call(3, NAMES_OP_TRUSTED_INIT_DONE, &empty.base, &m);
	ck_assert_uint_eq(a->v1, XOUS_OK);
	reply = names_pb__trusted_init_reply__unpack(NULL, a->v2, m.memory.buf.addr);
	ck_assert_ptr_nonnull(reply);
	ck_assert(reply->done);
	names_pb__trusted_init_reply__free_unpacked(reply, NULL);
}
END_TEST

START_TEST(authenticated_lookup_is_access_denied)
{
	NamesPb__AuthLookupRequest r = NAMES_PB__AUTH_LOOKUP_REQUEST__INIT;

	ck_assert_uint_eq(call(3, NAMES_OP_AUTHENTICATED_LOOKUP, &r.base, NULL)->v1,
	                  XOUS_ERR_ACCESS_DENIED);
}
END_TEST

START_TEST(malformed_payload_is_serialization_error)
{
	static const uint8_t junk[] = {0xff, 0xff, 0xff, 0xff, 0xff, 0x0a, 0x80};
	xous_envelope_t e =
	        rec_memory(XOUS_MUTABLE_BORROW, 3, 1, NAMES_OP_LOOKUP, NULL, junk, sizeof(junk));

	xous_answer_t a = serve(&e);

	ck_assert_int_eq(a.kind, XOUS_ANSWER_MEMORY);
	ck_assert_uint_eq(a.v[0], XOUS_ERR_SERIALIZATION_ERROR);
	ck_assert_uint_eq(a.v[1], 0);
	ck_assert_uint_eq(rec_last()->kind, REC_MEMORY);
	e = rec_memory(XOUS_MUTABLE_BORROW, 3, 2, NAMES_OP_LOOKUP, NULL, junk, 0);
	e.memory.valid = XOUS_PAGE_SIZE + 1; /* more than the buffer */
	a = serve(&e);
	ck_assert_int_eq(a.kind, XOUS_ANSWER_MEMORY);
	ck_assert_uint_eq(a.v[0], XOUS_ERR_SERIALIZATION_ERROR);
}
END_TEST

START_TEST(unknown_opcodes_are_refused)
{
	NamesPb__Empty empty = NAMES_PB__EMPTY__INIT;
	xous_envelope_t e = rec_scalar(XOUS_BLOCKING_SCALAR, 3, 1, 77, 0, 0, 0);

	ck_assert_uint_eq(call(3, 99, &empty.base, NULL)->v1, XOUS_ERR_INVALID_ARGUMENT);
	ck_assert_int_eq(serve(&e).kind, XOUS_ANSWER_NONE); /* the dropped answer */
	ck_assert_uint_eq(rec_last()->kind, REC_DONE);
}
END_TEST

START_TEST(a_read_only_lend_gets_the_status_without_a_reply)
{
	NamesPb__LookupRequest r = NAMES_PB__LOOKUP_REQUEST__INIT;
	xous_envelope_t e;
	xous_answer_t a;

	r.name.data = (uint8_t *)"ro";
	r.name.len = 2;
	ck_assert_uint_eq(reg(2, "ro", &sid_a, 0), XOUS_OK);
	e = rec_memory(XOUS_BORROW, 3, 1, NAMES_OP_LOOKUP, &r.base, NULL, 0);
	a = serve(&e);
	ck_assert_int_eq(a.kind, XOUS_ANSWER_MEMORY);
	ck_assert_uint_eq(a.v[0], XOUS_OK);
	ck_assert_uint_eq(a.v[1], 0);
	ck_assert_uint_eq(rec_last()->kind, REC_MEMORY);
}
END_TEST

START_TEST(a_register_of_a_server_that_does_not_exist_is_server_not_found)
{
	xous_sid_t made_up = {{0xdead, 0xbeef, 0xf00d, 0xcafe}};

	ck_assert_uint_eq(reg(2, "made-up", &made_up, 0), XOUS_ERR_SERVER_NOT_FOUND);
	ck_assert_uint_eq(names_registered(&st), 0);
	ck_assert_uint_eq(conn(3, NAMES_OP_LOOKUP, "made-up", NULL, NULL),
	                  XOUS_ERR_SERVER_NOT_FOUND);
	ck_assert_uint_eq(rec_cfp_n, 0);
}
END_TEST

START_TEST(a_register_of_another_process_s_server_is_access_denied)
{
	xous_envelope_t w;

	ck_assert_ptr_null(blocking(9, "stolen", &w));
	ck_assert_uint_eq(reg(3, "stolen", &sid_a, 0), XOUS_ERR_ACCESS_DENIED);
	ck_assert_uint_eq(names_registered(&st), 0);
	ck_assert_uint_eq(names_waiting(&st), 1); /* nobody was connected to it */
	ck_assert_uint_eq(rec_cfp_n, 0);
	ck_assert_uint_eq(reg(2, "stolen", &sid_a, 0), XOUS_OK); /* its owner may */
	ck_assert_uint_eq(names_waiting(&st), 0);
	ck_assert_uint_eq(rec_find(w.sender)->v1, XOUS_OK);
}
END_TEST

/* pid registers names "<tag>.<i>" for i < n, each on a server of its own. */
static void reg_many(xous_pid_t pid, const char *tag, int n, xous_err_t want)
{
	for (int i = 0; i < n; i++) {
		char name[32];
		xous_sid_t sid = server(pid);

		snprintf(name, sizeof(name), "%s.%d", tag, i);
		ck_assert_uint_eq(reg(pid, name, &sid, 0), want);
	}
}

START_TEST(a_process_registers_at_most_its_quota_of_names)
{
	NamesPb__UnregisterRequest u = NAMES_PB__UNREGISTER_REQUEST__INIT;
	xous_sid_t first = server(5), more = server(5), again = server(5);

	ck_assert_uint_eq(reg(5, "q.first", &first, 0), XOUS_OK);
	reg_many(5, "q", NAMES_MAX_PER_PROCESS - 1, XOUS_OK);
	ck_assert_uint_eq(reg(5, "q.more", &more, 0), XOUS_ERR_OUT_OF_MEMORY);
	ck_assert_uint_eq(reg(5, "q.more", &sid_a, 0), XOUS_ERR_ACCESS_DENIED);
	ck_assert_uint_eq(reg(2, "other", &sid_a, 0), XOUS_OK); /* another process may */
	/* a name given back makes room */
	u.sid0 = first.w[0], u.sid1 = first.w[1], u.sid2 = first.w[2], u.sid3 = first.w[3];
	ck_assert_uint_eq(call(5, NAMES_OP_UNREGISTER, &u.base, NULL)->v1, XOUS_OK);
	ck_assert_uint_eq(reg(5, "q.more", &more, 0), XOUS_OK);
	ck_assert_uint_eq(reg(5, "q.again", &again, 0), XOUS_ERR_OUT_OF_MEMORY);
	/* so does a server destroyed: its name is forgotten */
	rec_dead_sid = more;
	ck_assert_uint_eq(reg(5, "q.again", &again, 0), XOUS_OK);
	ck_assert_uint_eq(conn(3, NAMES_OP_LOOKUP, "q.more", NULL, NULL),
	                  XOUS_ERR_SERVER_NOT_FOUND);
	ck_assert_uint_eq(names_registered(&st), NAMES_MAX_PER_PROCESS + 1);
}
END_TEST

#define FILLERS (NAMES_MAX_ENTRIES / NAMES_MAX_PER_PROCESS)

START_TEST(the_names_of_processes_that_ended_are_dropped)
{
	xous_sid_t late = server(40);
	char tag[16];

	for (xous_pid_t pid = 10; pid < 10 + FILLERS; pid++) {
		snprintf(tag, sizeof(tag), "fill%u", (unsigned)pid);
		reg_many(pid, tag, NAMES_MAX_PER_PROCESS, XOUS_OK);
	}
	ck_assert_uint_eq(names_registered(&st), NAMES_MAX_ENTRIES);
	ck_assert_uint_eq(reg(40, "late", &late, 0), XOUS_ERR_OUT_OF_MEMORY); /* all live */
	for (xous_pid_t pid = 10; pid < 10 + FILLERS; pid++)
		rec_servers_end(pid);
	/* pid 10 again, a new process: its predecessor's names count for nothing */
	reg_many(10, "reborn", NAMES_MAX_PER_PROCESS, XOUS_OK);
	ck_assert_uint_eq(names_registered(&st), NAMES_MAX_PER_PROCESS);
	ck_assert_uint_eq(reg(40, "late", &late, 0), XOUS_OK);
	ck_assert_uint_eq(conn(3, NAMES_OP_LOOKUP, "fill11.0", NULL, NULL),
	                  XOUS_ERR_SERVER_NOT_FOUND);
	ck_assert_uint_eq(conn(3, NAMES_OP_LOOKUP, "late", NULL, NULL), XOUS_OK);
}
END_TEST

START_TEST(a_name_whose_server_another_process_made_again_is_stale)
{
	xous_sid_t other = server(5);

	ck_assert_uint_eq(reg(2, "moved", &sid_a, 0), XOUS_OK);
	rec_server(&sid_a, 4); /* pid 2's server is gone; pid 4 made one with its sid */
	/* the stale name counts against pid 2's quota no more */
	reg_many(2, "mine", NAMES_MAX_PER_PROCESS, XOUS_OK);
	ck_assert_uint_eq(reg(5, "moved", &other, 0), XOUS_OK); /* and is free to take */
	ck_assert_uint_eq(conn(3, NAMES_OP_LOOKUP, "moved", NULL, NULL), XOUS_OK);
	ck_assert_mem_eq(&rec_cfp_sid[rec_cfp_n - 1], &other, sizeof(other));
}
END_TEST

START_TEST(trusted_init_done_forgets_the_names_of_servers_that_are_gone)
{
	xous_envelope_t e =
	        rec_scalar(XOUS_BLOCKING_SCALAR, 3, 1, NAMES_OP_TRUSTED_INIT_DONE, 0, 0, 0);

	ck_assert_uint_eq(reg(2, "tofu", &sid_a, 1), XOUS_OK);
	ck_assert_uint_eq(serve(&e).v[0], 0);
	rec_dead_sid = sid_a;
	ck_assert_uint_eq(serve(&e).v[0], 1);
	ck_assert_uint_eq(names_registered(&st), 0);
}
END_TEST

/* A small fixed PRNG: the same "random" payloads on every run. */
static uint32_t prng(void)
{
	static uint32_t x = 2463534242u;

	x ^= x << 13, x ^= x >> 17, x ^= x << 5;
	return x;
}

START_TEST(every_random_payload_is_answered_once_or_parked)
{
	for (uint32_t i = 0; i < 1500; i++) {
		uint8_t junk[48];
		size_t n = prng() % sizeof(junk), answers = 0, parked = names_waiting(&st);
		xous_envelope_t e;
		xous_answer_t a;

		for (size_t k = 0; k < n; k++)
			junk[k] = (uint8_t)prng();
		if (n > 2 && i % 3 == 0)
			junk[0] = 0x0a,
			junk[1] = (uint8_t)(n - 2); /* a field 1 of the right length */
		e = rec_memory(i % 5 ? XOUS_MUTABLE_BORROW : XOUS_BORROW, 3 + i % 7, i, prng() % 10,
		               NULL, junk, n);
		a = serve(&e);
		for (size_t k = 0; k < rec_n; k++)
			answers += rec[k].sender == e.sender;
		ck_assert_uint_eq(answers, a.kind != XOUS_ANSWER_DEFERRED);
		ck_assert(answers == 1 || names_waiting(&st) == parked + 1);
	}
}
END_TEST

/* ---- discovery: the same table through the second server ---- */

/* Serve (discovery) as pid: its status. */
static xous_err_t dserve(xous_pid_t pid, const char *name, const xous_sid_t *sid, uint32_t limit)
{
	xous_err_t err;

	to_discovery = 1;
	err = reg_op(pid, DISCOVERY_OP_SERVE, name, sid, limit);
	to_discovery = 0;
	return err;
}

/* Lookup (discovery) as pid, answered at once: its status, *cid, last_task. */
static xous_err_t dlookup(xous_pid_t pid, const char *name, xous_cid_t *cid)
{
	xous_err_t err;

	to_discovery = 1;
	err = conn(pid, DISCOVERY_OP_LOOKUP, name, cid, NULL);
	to_discovery = 0;
	return err;
}

/* The reply a parked caller w got: its task; cid 100 + the caller's pid. */
static uint32_t woken_task(const xous_envelope_t *w)
{
	const struct rec_answer *a = rec_find(w->sender);
	NamesPb__ConnectReply *reply;
	uint32_t task;

	ck_assert_ptr_nonnull(a);
	ck_assert_int_eq(a->returned, 0);
	ck_assert_uint_eq(a->v1, XOUS_OK);
	reply = names_pb__connect_reply__unpack(NULL, a->v2, w->memory.buf.addr);
	ck_assert_ptr_nonnull(reply);
	ck_assert_uint_eq(reply->cid, 100 + xous_sender_pid(w->sender));
	task = reply->task;
	names_pb__connect_reply__free_unpacked(reply, NULL);
	return task;
}

START_TEST(a_served_name_is_found_by_both_lookups_with_its_task)
{
	xous_cid_t cid = 0;

	ck_assert_uint_eq(dserve(2, "resea.echo", &sid_a, 0), XOUS_OK);
	ck_assert_uint_eq(conn(7, NAMES_OP_LOOKUP, "resea.echo", &cid, NULL), XOUS_OK);
	ck_assert_uint_eq(cid, 107);
	ck_assert_uint_eq(last_task, 2);
	last_task = 0;
	ck_assert_uint_eq(dlookup(8, "resea.echo", &cid), XOUS_OK);
	ck_assert_uint_eq(cid, 108);
	ck_assert_uint_eq(last_task, 2);
	ck_assert_mem_eq(&rec_cfp_sid[rec_cfp_n - 1], &sid_a, sizeof(sid_a));
	ck_assert_uint_eq(rec_cfp_pid[rec_cfp_n - 1], 8);
}
END_TEST

START_TEST(a_registered_name_is_found_by_discovery_lookup)
{
	xous_sid_t other = server(3);
	xous_cid_t cid = 0;

	ck_assert_uint_eq(reg(3, "xous.svc", &other, 0), XOUS_OK);
	ck_assert_uint_eq(dlookup(4, "xous.svc", &cid), XOUS_OK);
	ck_assert_uint_eq(cid, 104);
	ck_assert_uint_eq(last_task, 3);
}
END_TEST

START_TEST(lookups_wait_for_a_name_served_either_way)
{
	NamesPb__LookupRequest r = NAMES_PB__LOOKUP_REQUEST__INIT;
	xous_sid_t other = server(3);
	xous_envelope_t w[2];

	r.name.data = (uint8_t *)"later";
	r.name.len = 5;
	to_discovery = 1;
	ck_assert_ptr_null(call(10, DISCOVERY_OP_LOOKUP, &r.base, &w[0])); /* parked */
	to_discovery = 0;
	ck_assert_ptr_null(call(11, NAMES_OP_BLOCKING_CONNECT, &r.base, &w[1]));
	ck_assert_uint_eq(names_waiting(&st), 2);
	ck_assert_uint_eq(rec_n, 0); /* no answer until the name comes */
	ck_assert_uint_eq(dserve(3, "later", &other, 0), XOUS_OK);
	ck_assert_uint_eq(names_waiting(&st), 0);
	ck_assert_uint_eq(woken_task(&w[0]), 3);
	ck_assert_uint_eq(woken_task(&w[1]), 3);

	/* and a discovery lookup woken by a name server registration */
	r.name.data = (uint8_t *)"later.too";
	r.name.len = 9;
	to_discovery = 1;
	ck_assert_ptr_null(call(12, DISCOVERY_OP_LOOKUP, &r.base, &w[0]));
	to_discovery = 0;
	ck_assert_uint_eq(reg(2, "later.too", &sid_a, 0), XOUS_OK);
	ck_assert_uint_eq(woken_task(&w[0]), 2);
}
END_TEST

START_TEST(serve_keeps_the_name_servers_rules)
{
	xous_sid_t other = server(3), zero = {{0, 0, 0, 0}};
	xous_cid_t cid;

	ck_assert_uint_eq(dserve(2, "", &sid_a, 0), XOUS_ERR_INVALID_STRING);
	ck_assert_uint_eq(dserve(2, "\xc0\x80", &sid_a, 0), XOUS_ERR_INVALID_STRING);
	ck_assert_uint_eq(dlookup(2, "\xff", &cid), XOUS_ERR_INVALID_STRING);
	ck_assert_uint_eq(dserve(2, "z", &zero, 0), XOUS_ERR_INVALID_ARGUMENT);
	ck_assert_uint_eq(dserve(2, "theirs", &other, 0), XOUS_ERR_ACCESS_DENIED);
	ck_assert_uint_eq(dserve(3, "taken", &other, 0), XOUS_OK);
	ck_assert_uint_eq(dserve(2, "taken", &sid_a, 0), XOUS_ERR_SERVER_EXISTS);
	ck_assert_uint_eq(reg(2, "taken", &sid_a, 0), XOUS_ERR_SERVER_EXISTS);
	/* a name served is free again once its server is gone */
	rec_servers_end(3);
	ck_assert_uint_eq(dserve(2, "taken", &sid_a, 0), XOUS_OK);
	for (int i = 0; i < NAMES_MAX_PER_PROCESS; i++) {
		char name[16];

		snprintf(name, sizeof(name), "n%d", i);
		other = server(4);
		ck_assert_uint_eq(dserve(4, name, &other, 0), XOUS_OK);
	}
	other = server(4);
	ck_assert_uint_eq(dserve(4, "one.more", &other, 0), XOUS_ERR_OUT_OF_MEMORY);
	ck_assert_uint_eq(reg(4, "one.more", &other, 0), XOUS_ERR_OUT_OF_MEMORY);
}
END_TEST

START_TEST(serve_sets_no_connection_limit)
{
	ck_assert_uint_eq(dserve(2, "unlimited", &sid_a, 1), XOUS_OK);
	for (xous_pid_t pid = 3; pid < 8; pid++)
		ck_assert_uint_eq(dlookup(pid, "unlimited", NULL), XOUS_OK);
}
END_TEST

START_TEST(discovery_refuses_unknown_methods_and_scalars)
{
	NamesPb__Empty e = NAMES_PB__EMPTY__INIT;
	xous_envelope_t sc = rec_scalar(XOUS_BLOCKING_SCALAR, 3, 1, NAMES_OP_UNREGISTER, 1, 2, 3);

	to_discovery = 1;
	ck_assert_uint_eq(call(3, 2, &e.base, NULL)->v1, XOUS_ERR_INVALID_ARGUMENT);
	ck_assert_uint_eq(call(3, NAMES_OP_BLOCKING_CONNECT, &e.base, NULL)->v1,
	                  XOUS_ERR_INVALID_ARGUMENT);
	to_discovery = 0;
	rec_dispatched(&sc, discovery_dispatch(&st, &sc));
	ck_assert_uint_eq(rec_last()->kind, REC_DONE);
}
END_TEST

START_TEST(discovery_is_a_name_of_the_name_servers_own)
{
	xous_cid_t cid = 0;

	rec_server(&sid_discovery, REC_SELF_PID);
	ck_assert_uint_eq(names_serve_discovery(&st, &sid_discovery), XOUS_OK);
	ck_assert_uint_eq(conn(6, NAMES_OP_LOOKUP, DISCOVERY_SERVER_NAME, &cid, NULL), XOUS_OK);
	ck_assert_uint_eq(cid, 106);
	ck_assert_uint_eq(last_task, REC_SELF_PID);
	ck_assert_mem_eq(&rec_cfp_sid[0], &sid_discovery, sizeof(sid_discovery));
	/* nobody else takes the name while it lives */
	ck_assert_uint_eq(reg(2, DISCOVERY_SERVER_NAME, &sid_a, 0), XOUS_ERR_SERVER_EXISTS);
	ck_assert_uint_eq(names_serve_discovery(&st, &sid_discovery), XOUS_ERR_SERVER_EXISTS);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("servers.names");

	ADD(s, lookup_connects_the_caller_through_connect_for_process);
	ADD(s, lookup_of_an_absent_name_is_server_not_found);
	ADD(s, try_connect_connects_when_present);
	ADD(s, bad_names_are_invalid_string);
	ADD(s, a_taken_name_is_server_exists);
	ADD(s, a_name_whose_server_died_can_be_registered_again);
	ADD(s, a_lookup_of_a_dead_server_forgets_its_name);
	ADD(s, a_zero_server_id_is_invalid_argument);
	ADD(s, connection_limit_is_enforced_and_disconnect_frees_a_slot);
	ADD(s, blocking_connect_waits_and_every_waiter_wakes_on_register);
	ADD(s, blocking_connect_answers_at_once_when_registered);
	ADD(s, blocking_connect_to_a_name_whose_server_died_waits_for_its_restart);
	ADD(s, a_waiter_whose_process_died_is_dropped);
	ADD(s, too_many_waiters_is_out_of_memory);
	ADD(s, a_full_waiter_table_drops_the_dead_waiters);
	ADD(s, unregister_is_for_the_owner_only);
	ADD(s, scalar_unregister_answers_one_or_zero);
	ADD(s, trusted_init_done_once_every_limit_is_used);
	ADD(s, authenticated_lookup_is_access_denied);
	ADD(s, malformed_payload_is_serialization_error);
	ADD(s, unknown_opcodes_are_refused);
	ADD(s, a_read_only_lend_gets_the_status_without_a_reply);
	ADD(s, a_register_of_a_server_that_does_not_exist_is_server_not_found);
	ADD(s, a_register_of_another_process_s_server_is_access_denied);
	ADD(s, a_process_registers_at_most_its_quota_of_names);
	ADD(s, the_names_of_processes_that_ended_are_dropped);
	ADD(s, a_name_whose_server_another_process_made_again_is_stale);
	ADD(s, trusted_init_done_forgets_the_names_of_servers_that_are_gone);
	ADD(s, every_random_payload_is_answered_once_or_parked);
	ADD(s, a_served_name_is_found_by_both_lookups_with_its_task);
	ADD(s, a_registered_name_is_found_by_discovery_lookup);
	ADD(s, lookups_wait_for_a_name_served_either_way);
	ADD(s, serve_keeps_the_name_servers_rules);
	ADD(s, serve_sets_no_connection_limit);
	ADD(s, discovery_refuses_unknown_methods_and_scalars);
	ADD(s, discovery_is_a_name_of_the_name_servers_own);
	return rec_run(s);
}
