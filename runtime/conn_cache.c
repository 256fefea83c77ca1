#include "conn_cache.h"

xous_err_t servers_conn_once(struct servers_conn_cache *c,
                             xous_err_t (*connect)(const void *arg, xous_cid_t *cid),
                             const void *arg, xous_cid_t *cid)
{
	xous_pid_t pid = xous_process_id();
	xous_err_t err;

	if (c->cid != 0 && c->pid == pid) {
		*cid = c->cid;
		return XOUS_OK;
	}
	err = connect(arg, cid);
	if (err)
		return err;
	c->cid = 0; /* never a new pid with an old cid */
	c->pid = pid;
	c->cid = *cid;
	return XOUS_OK;
}

static xous_err_t connect_waiting(const void *name, xous_cid_t *cid)
{
	xous_sid_t sid = xous_sid_from_name(name);

	return xous_connect(&sid, cid);
}

static xous_err_t connect_now(const void *name, xous_cid_t *cid)
{
	xous_sid_t sid = xous_sid_from_name(name);

	return xous_try_connect(&sid, cid);
}

xous_err_t servers_conn_cached(struct servers_conn_cache *c, const char name[16], int wait,
                               xous_cid_t *cid)
{
	return servers_conn_once(c, wait ? connect_waiting : connect_now, name, cid);
}
