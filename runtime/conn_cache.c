#include "conn_cache.h"

xous_err_t servers_conn_cached(struct servers_conn_cache *c, const char name[16], int wait,
                               xous_cid_t *cid)
{
	xous_pid_t pid = xous_process_id();
	xous_sid_t sid;
	xous_err_t err;

	if (c->cid != 0 && c->pid == pid) {
		*cid = c->cid;
		return XOUS_OK;
	}
	sid = xous_sid_from_name(name);
	err = wait ? xous_connect(&sid, cid) : xous_try_connect(&sid, cid);
	if (err)
		return err;
	c->cid = 0; /* never a new pid with an old cid */
	c->pid = pid;
	c->cid = *cid;
	return XOUS_OK;
}
