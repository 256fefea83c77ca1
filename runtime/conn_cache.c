#include "conn_cache.h"

/* The cached cid, if this process made it. */
static int cached(const struct servers_conn_cache *c, xous_cid_t *cid)
{
	if (c->cid == 0 || c->pid != xous_process_id())
		return 0;
	*cid = c->cid;
	return 1;
}

static void remember(struct servers_conn_cache *c, xous_cid_t cid)
{
	c->cid = 0; /* never a new pid with an old cid */
	c->pid = xous_process_id();
	c->cid = cid;
}

xous_err_t servers_conn_cached(struct servers_conn_cache *c, const char name[16], int wait,
                               xous_cid_t *cid)
{
	xous_sid_t sid;
	xous_err_t err;

	if (cached(c, cid))
		return XOUS_OK;
	sid = xous_sid_from_name(name);
	err = wait ? xous_connect(&sid, cid) : xous_try_connect(&sid, cid);
	if (err == XOUS_OK)
		remember(c, *cid);
	return err;
}

xous_err_t servers_conn_by(struct servers_conn_cache *c,
                           xous_err_t (*connect)(const char *name, xous_cid_t *cid),
                           const char *name, xous_cid_t *cid)
{
	xous_err_t err;

	if (cached(c, cid))
		return XOUS_OK;
	err = connect(name, cid);
	if (err == XOUS_OK)
		remember(c, *cid);
	return err;
}
