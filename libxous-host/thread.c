/*
 * thread.c - joinable threads known to the kernel.
 *
 * xous_create_thread makes the new thread's connection first (a socketpair
 * whose far end goes to the broker with CreateThread), so the thread exists
 * for the kernel, with its tid, before its pthread runs. The thread's end
 * of the pair is its connection; closing it when the thread ends is how the
 * broker learns that the thread is gone. JoinThread waits for that in the
 * kernel; the thread's real return value comes from pthread_join.
 */
#include <pthread.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include "xous-host-internal.h"

struct start {
	void *(*entry)(void *);
	void *arg;
	int fd;
};

struct joinable {
	xous_tid_t tid;
	pthread_t thread;
};

static pthread_mutex_t g_thr_lock = PTHREAD_MUTEX_INITIALIZER;
static struct joinable *g_thr;
static size_t g_nthr, g_cap_thr;

/* fork(): the child's copy of the table is whole. */
void xh_thread_fork(enum xh_fork_phase phase)
{
	if (phase == XH_FORK_PREPARE)
		pthread_mutex_lock(&g_thr_lock);
	else
		pthread_mutex_unlock(&g_thr_lock);
}

static void *thread_main(void *p)
{
	struct start s = *(struct start *)p;

	free(p);
	xh_conn_adopt(s.fd);
	void *r = s.entry(s.arg);
	xh_conn_release();
	return r;
}

static bool table_add_locked(xous_tid_t tid, pthread_t t)
{
	if (g_nthr == g_cap_thr) {
		size_t ncap = g_cap_thr ? g_cap_thr * 2 : 16;
		struct joinable *p = realloc(g_thr, ncap * sizeof *p);
		if (p == NULL)
			return false;
		g_thr = p;
		g_cap_thr = ncap;
	}
	g_thr[g_nthr++] = (struct joinable){tid, t};
	return true;
}

static bool table_take(xous_tid_t tid, pthread_t *t)
{
	bool found = false;

	pthread_mutex_lock(&g_thr_lock);
	for (size_t i = 0; i < g_nthr; i++) {
		if (g_thr[i].tid == tid) {
			*t = g_thr[i].thread;
			g_thr[i] = g_thr[--g_nthr];
			found = true;
			break;
		}
	}
	pthread_mutex_unlock(&g_thr_lock);
	return found;
}

static xous_err_t join_syscall(xous_tid_t tid, uint64_t *word)
{
	struct xh_call c;

	xh_call_init(&c, XOUS_SYS_JOIN_THREAD);
	c.w[1] = tid;
	xous_err_t err = xh_syscall(&c);
	if (err == XOUS_OK)
		err = xh_expect(&c, XOUS_RESULT_SCALAR1);
	if (err == XOUS_OK)
		*word = c.w[1];
	return err;
}

/* Tell the kernel about the new thread; *fd is the thread's own end. */
static xous_err_t create_syscall(xous_tid_t *tid, int *fd)
{
	struct xh_call c;
	int sv[2];

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
		return XOUS_ERR_THREAD_NOT_AVAILABLE;
	xh_call_init(&c, XOUS_SYS_CREATE_THREAD);
	c.fd = sv[1];
	xous_err_t err = xh_syscall(&c);
	close(sv[1]);
	if (err == XOUS_OK)
		err = xh_expect(&c, XOUS_RESULT_THREAD_ID);
	if (err != XOUS_OK) {
		close(sv[0]);
		return err;
	}
	*tid = (xous_tid_t)c.w[1];
	*fd = sv[0];
	return XOUS_OK;
}

/* The kernel has the thread but no pthread runs it: end it and reap it. */
static void create_undo(xous_tid_t tid, int fd)
{
	uint64_t word;

	close(fd);
	join_syscall(tid, &word);
}

xous_err_t xous_create_thread(void *(*entry)(void *), void *arg, xous_tid_t *tid)
{
	struct start *s;
	pthread_t t;
	xous_tid_t new_tid;
	int fd, rc;

	if (entry == NULL)
		return XOUS_ERR_INVALID_ARGUMENT;
	s = malloc(sizeof *s);
	if (s == NULL)
		return XOUS_ERR_OUT_OF_MEMORY;
	xous_err_t err = create_syscall(&new_tid, &fd);
	if (err != XOUS_OK) {
		free(s);
		return err;
	}
	*s = (struct start){entry, arg, fd};
	pthread_mutex_lock(&g_thr_lock);
	rc = pthread_create(&t, NULL, thread_main, s);
	if (rc == 0 && !table_add_locked(new_tid, t))
		pthread_detach(t); /* it runs, but cannot be joined for its value */
	pthread_mutex_unlock(&g_thr_lock);
	if (rc != 0) {
		free(s);
		create_undo(new_tid, fd);
		return XOUS_ERR_THREAD_NOT_AVAILABLE;
	}
	if (tid != NULL)
		*tid = new_tid;
	return XOUS_OK;
}

xous_err_t xous_join_thread(xous_tid_t tid, void **result)
{
	pthread_t t;
	uint64_t word = 0;
	bool ours = table_take(tid, &t);
	xous_err_t err = join_syscall(tid, &word);
	void *r = (void *)(uintptr_t)word;

	if (ours && err != XOUS_OK) {
		/* Still running as far as anyone knows: keep it joinable. */
		pthread_mutex_lock(&g_thr_lock);
		table_add_locked(tid, t);
		pthread_mutex_unlock(&g_thr_lock);
		return err;
	}
	if (ours)
		pthread_join(t, &r);
	if (err == XOUS_OK && result != NULL)
		*result = r;
	return err;
}
