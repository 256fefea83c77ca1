/*
 * Promise 12: limits answer with errors, not hangs: queue depth, connections
 * per process, lent bytes, processes, threads.
 *
 * Each limit is driven until it answers, with a generous cap on the number of
 * tries so that a missing limit fails the check instead of eating the
 * machine. The errors are those of docs/abi.md: a full queue is
 * ServerQueueFull, threads ThreadNotAvailable, the others OutOfMemory.
 * Everything taken is given back afterwards, and works again.
 */
#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <unistd.h>

#include "itest.h"
#include "raw.h"

static void queue_depth(void)
{
	xous_sid_t sid;
	xous_cid_t cid;
	xous_envelope_t env;
	xous_err_t err = XOUS_OK;
	int n = 0;

	REQUIRE(xous_create_server(&sid) == XOUS_OK && xous_connect(&sid, &cid) == XOUS_OK,
	        "create a server");
	while (n < 100000 && (err = xous_try_send_scalar(cid, 1, n, 0, 0, 0)) == XOUS_OK)
		n++;
	CHECK_ERR(err, XOUS_ERR_SERVER_QUEUE_FULL, "queue depth: try_send after %d queued", n);
	while (n-- > 0)
		xous_receive_message(&sid, &env);
	CHECK_ERR(xous_try_send_scalar(cid, 1, 0, 0, 0, 0), XOUS_OK, "drained: try_send works");
	xous_destroy_server(&sid);
}

static void connections(void)
{
	enum { CAP = 5000 };
	xous_sid_t *sids = calloc(CAP, sizeof *sids);
	xous_cid_t *cids = calloc(CAP, sizeof *cids), cid;
	xous_sid_t again;
	xous_err_t err = XOUS_OK;
	int n = 0;

	REQUIRE(sids != NULL && cids != NULL, "calloc");
	/* Every server we create is also a connection of ours (docs/abi.md). */
	while (n < CAP && (err = xous_create_server(&sids[n])) == XOUS_OK &&
	       (err = xous_connect(&sids[n], &cids[n])) == XOUS_OK)
		n++;
	CHECK_ERR(err, XOUS_ERR_OUT_OF_MEMORY, "connections per process: after %d", n);
	/* A cid outlives its server until it is disconnected (docs/abi.md). */
	for (int i = 0; i <= n && i < CAP; i++)
		xous_destroy_server(&sids[i]);
	CHECK_ERR(xous_create_server(&again), XOUS_ERR_OUT_OF_MEMORY,
	          "destroying the servers does not free their cids");
	for (int i = 0; i < n; i++)
		xous_disconnect(cids[i]);
	CHECK_ERR(xous_create_server(&again), XOUS_OK, "after disconnecting them, a new server");
	CHECK_ERR(xous_connect(&again, &cid), XOUS_OK, "and a connection to it");
	xous_destroy_server(&again);
	free(sids);
	free(cids);
}

/* Lent bytes: 1 GiB Borrows (sparse memfds, never touched) held by a server. */
#define GIB       ((size_t)1 << 30)
#define MAX_LENDS 16

static xous_sid_t lend_sid;
static xous_cid_t lend_cid;
static sem_t lend_step;

struct lend {
	xous_range_t buf;
	atomic_int done;
	xous_err_t err;
};

static void *lender(void *arg)
{
	struct lend *l = arg;
	size_t off, valid;

	l->err = xous_lend(lend_cid, 1, l->buf, 0, 0, &off, &valid);
	if (!atomic_exchange(&l->done, 1) && l->err)
		sem_post(&lend_step); /* refused: it never reached the server */
	return NULL;
}

static void *lend_holder(void *arg)
{
	xous_sender_t held[MAX_LENDS];
	xous_envelope_t env;
	int n = 0;

	(void)arg;
	while (n < MAX_LENDS && xous_receive_message(&lend_sid, &env) == XOUS_OK) {
		if (env.kind == XOUS_SCALAR)
			break;
		held[n++] = env.sender;
		sem_post(&lend_step);
	}
	while (n-- > 0)
		xous_return_memory(held[n], 0, 0);
	return NULL;
}

static void lent_bytes(void)
{
	static struct lend lends[MAX_LENDS];
	xous_tid_t tids[MAX_LENDS], holder;
	xous_err_t err = XOUS_OK;
	int n, ok = 1;

	sem_init(&lend_step, 0, 0);
	REQUIRE(xous_create_server(&lend_sid) == XOUS_OK &&
	                xous_connect(&lend_sid, &lend_cid) == XOUS_OK,
	        "create a server");
	REQUIRE(xous_create_thread(lend_holder, NULL, &holder) == XOUS_OK, "a holding server");
	for (n = 0; n < MAX_LENDS && err == XOUS_OK; n++) {
		REQUIRE(xous_map_memory(GIB, XOUS_MEM_R | XOUS_MEM_W, &lends[n].buf) == XOUS_OK,
		        "map 1 GiB");
		REQUIRE(xous_create_thread(lender, &lends[n], &tids[n]) == XOUS_OK, "a lender");
		sem_wait(&lend_step); /* held by the server, or refused */
		if (atomic_load(&lends[n].done))
			err = lends[n].err;
	}
	CHECK_ERR(err, XOUS_ERR_OUT_OF_MEMORY, "lent bytes: a Borrow after %d GiB held", n - 1);
	xous_send_scalar(lend_cid, 2, 0, 0, 0, 0);
	xous_join_thread(holder, NULL);
	for (int i = 0; i < n; i++) {
		xous_join_thread(tids[i], NULL);
		ok &= i == n - 1 || lends[i].err == XOUS_OK;
		xous_unmap_memory(lends[i].buf);
	}
	CHECK(ok, "the Borrows held before the limit all came back Ok");
	xous_destroy_server(&lend_sid);
}

/* Threads: start them until refused; they wait on a barrier, then end. */
static pthread_mutex_t gate_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t gate_cv = PTHREAD_COND_INITIALIZER;
static int gate_open;

static void *parked(void *arg)
{
	pthread_mutex_lock(&gate_mu);
	while (!gate_open)
		pthread_cond_wait(&gate_cv, &gate_mu);
	pthread_mutex_unlock(&gate_mu);
	return arg;
}

static void threads(void)
{
	enum { CAP = 3000 };
	xous_tid_t *tids = calloc(CAP, sizeof *tids);
	xous_err_t err = XOUS_OK;
	int n = 0, ok = 1;

	REQUIRE(tids != NULL, "calloc");
	while (n < CAP &&
	       (err = xous_create_thread(parked, (void *)(uintptr_t)n, &tids[n])) == XOUS_OK)
		n++;
	struct rlimit rl;
	if (err == XOUS_ERR_OUT_OF_MEMORY && getrlimit(RLIMIT_NOFILE, &rl) == 0 &&
	    rl.rlim_cur < 4 * (rlim_t)n)
		itest_note("threads: out of fds after %d (RLIMIT_NOFILE %llu), limit not reached",
		           n, (unsigned long long)rl.rlim_cur);
	else
		CHECK_ERR(err, XOUS_ERR_THREAD_NOT_AVAILABLE, "threads: create_thread after %d", n);
	pthread_mutex_lock(&gate_mu);
	gate_open = 1;
	pthread_cond_broadcast(&gate_cv);
	pthread_mutex_unlock(&gate_mu);
	for (int i = 0; i < n; i++) {
		void *res = NULL;
		ok &= xous_join_thread(tids[i], &res) == XOUS_OK && res == (void *)(uintptr_t)i;
	}
	CHECK(ok, "all %d threads joined with their results", n);
	xous_tid_t t;
	CHECK_ERR(xous_create_thread(parked, NULL, &t), XOUS_OK, "after joining, a new thread");
	xous_join_thread(t, NULL);
	free(tids);
}

/* Processes: attach by hand (cheap: one socket each) until refused. */
static void processes(void)
{
	enum { CAP = 5000 };
	int *fds = calloc(CAP, sizeof *fds);
	uint64_t key[2];
	struct xh_frame r = {0};
	int n = 0;

	REQUIRE(fds != NULL && raw_key(key) == 0, "the broker's key");
	while (n < CAP && (fds[n] = raw_hello(key, &r)) >= 0 && r.w[0] == XOUS_RESULT_PROCESS_ID)
		n++;
	if (n < CAP && fds[n] < 0 && errno == EMFILE)
		itest_note("processes: out of fds of our own after %d; the limit was not reached",
		           n);
	else
		CHECK(n < CAP && fds[n] >= 0 && r.w[0] == XOUS_RESULT_ERROR &&
		              r.w[1] == XOUS_ERR_OUT_OF_MEMORY,
		      "processes: attaching after %d more is refused with OutOfMemory", n);
	for (int i = 0; i <= n && i < CAP; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	free(fds);
}

int main(void)
{
	struct rlimit rl;

	/* A socket per thread and per process: room for more than the tables hold. */
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	queue_depth();
	connections();
	lent_bytes();
	threads();
	processes();
	return itest_done();
}
