/*
 * The client stubs' connection to a server, made once per
 * process: keyed by the pid, so a forked child (a new process under the
 * broker) connects afresh instead of using its parent's cid.
 */
#ifndef XOUS_SERVERS_CONN_CACHE_H
#define XOUS_SERVERS_CONN_CACHE_H

#include <xous.h>

struct servers_conn_cache {
	volatile xous_pid_t pid;
	volatile xous_cid_t cid;
};

/* The cid for the server named name (16 bytes); wait: xous_connect, else
 * xous_try_connect. Racing threads get the same cid (connecting twice to
 * one server gives the same cid). */
xous_err_t servers_conn_cached(struct servers_conn_cache *c, const char name[16], int wait,
                               xous_cid_t *cid);

/* The cid made by connect(arg, cid), once per process. */
xous_err_t servers_conn_once(struct servers_conn_cache *c,
                             xous_err_t (*connect)(const void *arg, xous_cid_t *cid),
                             const void *arg, xous_cid_t *cid);

#endif
