#include "recorder.h"

#include <stdlib.h>
#include <string.h>

struct rec_answer rec[REC_MAX];
size_t rec_n;
xous_pid_t rec_dead_pid;
xous_pid_t rec_cfp_pid[REC_MAX];
xous_sid_t rec_cfp_sid[REC_MAX];
size_t rec_cfp_n;
size_t rec_disconnects;
size_t rec_owner_queries;
xous_sid_t rec_dead_sid;

/* The servers the fake kernel has: sid and the pid that created it. */
static struct {
	xous_sid_t sid;
	xous_pid_t owner;
} servers[REC_MAX];
static size_t nservers;

static void *pages[REC_MAX];
static size_t npages;
static int returning; /* inside rec_dispatched */

static void add(enum rec_kind kind, xous_sender_t sender, uintptr_t v1, uintptr_t v2)
{
	if (rec_n < REC_MAX)
		rec[rec_n++] = (struct rec_answer){kind, sender, v1, v2, returning};
}

static xous_err_t r_scalar(xous_sender_t s, uintptr_t v1)
{
	add(REC_SCALAR1, s, v1, 0);
	return XOUS_OK;
}

static xous_err_t r_scalar2(xous_sender_t s, uintptr_t v1, uintptr_t v2)
{
	add(REC_SCALAR2, s, v1, v2);
	return XOUS_OK;
}

static xous_err_t r_scalar5(xous_sender_t s, uintptr_t v1, uintptr_t v2, uintptr_t v3, uintptr_t v4,
                            uintptr_t v5)
{
	(void)v3, (void)v4, (void)v5;
	add(REC_SCALAR5, s, v1, v2);
	return XOUS_OK;
}

static xous_err_t r_memory(xous_sender_t s, size_t offset, size_t valid)
{
	add(REC_MEMORY, s, offset, valid);
	return XOUS_OK;
}

static xous_err_t r_done(xous_envelope_t *env)
{
	add(REC_DONE, env->sender, env->kind, 0);
	return XOUS_OK;
}

static xous_err_t r_cfp(xous_pid_t pid, const xous_sid_t *sid, xous_cid_t *cid)
{
	if (rec_cfp_n < REC_MAX) {
		rec_cfp_pid[rec_cfp_n] = pid;
		rec_cfp_sid[rec_cfp_n++] = *sid;
	}
	if (pid == rec_dead_pid)
		return XOUS_ERR_PROCESS_NOT_FOUND;
	if (memcmp(sid, &rec_dead_sid, sizeof(*sid)) == 0)
		return XOUS_ERR_SERVER_NOT_FOUND;
	*cid = 100 + pid;
	return XOUS_OK;
}

static xous_err_t r_disconnect(xous_cid_t cid)
{
	rec_disconnects++;
	(void)cid;
	return XOUS_OK;
}

static xous_pid_t r_pid(void)
{
	return REC_SELF_PID;
}

static xous_err_t r_owner(const xous_sid_t *sid, xous_pid_t *pid)
{
	rec_owner_queries++;
	for (size_t i = 0; i < nservers; i++) {
		if (memcmp(&servers[i].sid, sid, sizeof(*sid)) != 0)
			continue;
		if (servers[i].owner == rec_dead_pid ||
		    memcmp(sid, &rec_dead_sid, sizeof(*sid)) == 0)
			break;
		*pid = servers[i].owner;
		return XOUS_OK;
	}
	return XOUS_ERR_SERVER_NOT_FOUND;
}

void rec_server(const xous_sid_t *sid, xous_pid_t owner)
{
	for (size_t i = 0; i < nservers; i++) {
		if (memcmp(&servers[i].sid, sid, sizeof(*sid)) == 0) {
			servers[i].owner = owner;
			return;
		}
	}
	ck_assert_uint_lt(nservers, REC_MAX);
	servers[nservers].sid = *sid;
	servers[nservers++].owner = owner;
}

void rec_servers_end(xous_pid_t pid)
{
	size_t kept = 0;

	for (size_t i = 0; i < nservers; i++)
		if (servers[i].owner != pid)
			servers[kept++] = servers[i];
	nservers = kept;
}

const struct xous_server_io rec_io = {
        .return_scalar = r_scalar,
        .return_scalar2 = r_scalar2,
        .return_memory = r_memory,
        .envelope_done = r_done,
        .connect_for_process = r_cfp,
        .disconnect = r_disconnect,
        .process_id = r_pid,
        .return_scalar5 = r_scalar5,
        .server_owner = r_owner,
};

void rec_reset(void)
{
	rec_n = 0;
	rec_cfp_n = 0;
	rec_dead_pid = 0;
	rec_disconnects = 0;
	rec_owner_queries = 0;
	nservers = 0;
	memset(&rec_dead_sid, 0, sizeof(rec_dead_sid));
	for (size_t i = 0; i < npages; i++)
		free(pages[i]);
	npages = 0;
}

xous_sender_t rec_sender(xous_pid_t pid, uint32_t slot)
{
#if UINTPTR_MAX > 0xffffffffu
	return ((uintptr_t)pid << 32) | (slot + 1);
#else
	return ((uintptr_t)pid << 21) | (slot + 1);
#endif
}

xous_envelope_t rec_scalar(enum xous_kind kind, xous_pid_t pid, uint32_t slot, uint32_t id,
                           uintptr_t a1, uintptr_t a2, uintptr_t a3)
{
	xous_envelope_t env;

	memset(&env, 0, sizeof(env));
	env.sender = rec_sender(pid, slot);
	env.kind = kind;
	env.scalar.id = id;
	env.scalar.arg[0] = a1;
	env.scalar.arg[1] = a2;
	env.scalar.arg[2] = a3;
	return env;
}

xous_envelope_t rec_memory(enum xous_kind kind, xous_pid_t pid, uint32_t slot, uint32_t id,
                           const ProtobufCMessage *msg, const void *raw, size_t n)
{
	xous_envelope_t env;
	void *page = aligned_alloc(XOUS_PAGE_SIZE, XOUS_PAGE_SIZE);

	memset(page, 0, XOUS_PAGE_SIZE);
	if (npages < REC_MAX)
		pages[npages++] = page;
	memset(&env, 0, sizeof(env));
	env.sender = rec_sender(pid, slot);
	env.kind = kind;
	env.memory.id = id;
	env.memory.buf.addr = page;
	env.memory.buf.len = XOUS_PAGE_SIZE;
	if (msg) {
		env.memory.valid = protobuf_c_message_pack(msg, page);
	} else {
		memcpy(page, raw, n);
		env.memory.valid = n;
	}
	return env;
}

const struct rec_answer *rec_last(void)
{
	return rec_n ? &rec[rec_n - 1] : NULL;
}

const struct rec_answer *rec_find(xous_sender_t s)
{
	for (size_t i = 0; i < rec_n; i++)
		if (rec[i].sender == s)
			return &rec[i];
	return NULL;
}

xous_answer_t rec_dispatched(xous_envelope_t *env, xous_answer_t a)
{
	xous_envelope_t copy = *env; /* the test's envelope stays as dispatch left it */

	returning = 1;
	ck_assert_uint_eq(xous_io_answer(&rec_io, &copy, a), XOUS_OK);
	returning = 0;
	return a;
}

void rec_add_case(Suite *s, const char *name, SFun setup, const TTest *test)
{
	TCase *tc = tcase_create(name);

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, test);
	suite_add_tcase(s, tc);
}

int rec_run(Suite *s)
{
	SRunner *sr = srunner_create(s);
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
