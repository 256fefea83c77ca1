/*
 * The log server's client stubs, compiled into libxous-host. Logging must
 * never hang a program: with no log server running, calls fail with
 * XOUS_ERR_SERVER_NOT_FOUND instead of waiting for one.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <xous/log.h>
#include <xous/rpc.h>

#include "conn_cache.h"
#include "export.h"
#include "api.h"
#include "log.pb-c.h"

static struct servers_conn_cache log_conn;

/* The level $XOUS_LOG_LEVEL names: 1..5 or error .. trace; 0 if neither. */
static int level_named(const char *s)
{
	static const char *const names[] = {"error", "warn", "info", "debug", "trace"};

	for (int i = 0; s && i < LOG_LEVEL_TRACE; i++)
		if (strcasecmp(s, names[i]) == 0)
			return i + 1;
	return s && s[0] >= '1' && s[0] <= '5' && s[1] == '\0' ? s[0] - '0' : 0;
}

/* This process's level: $XOUS_LOG_LEVEL (the fleet file's log= for a fleet
 * server), read once; records above it are not sent. 5 (all) if unset. */
static int log_level_here(void)
{
	static int level;

	if (level == 0) {
		int l = level_named(getenv("XOUS_LOG_LEVEL"));

		level = l ? l : LOG_LEVEL_TRACE;
	}
	return level;
}

static xous_err_t log_cid(xous_cid_t *cid)
{
	return servers_conn_cached(&log_conn, LOG_SERVER_NAME, 0, cid);
}

XOUS_EXPORT xous_err_t xlog_record(int level, const char *file, unsigned line, const char *module,
                                   const char *text)
{
	LogPb__Record req = LOG_PB__RECORD__INIT;
	xous_cid_t cid;
	xous_err_t err;

	if (level < LOG_LEVEL_ERROR || level > LOG_LEVEL_TRACE || text == NULL)
		return XOUS_ERR_INVALID_ARGUMENT;
	if (level > log_level_here())
		return XOUS_OK;
	err = log_cid(&cid);
	if (err)
		return err;
	req.level = (uint32_t)level;
	req.file = (char *)(file ? file : "");
	req.line = line;
	req.module = (char *)(module ? module : "");
	req.text.data = (uint8_t *)text;
	req.text.len = strlen(text);
	return xous_rpc_call(cid, LOG_OP_RECORD, &req.base, NULL, NULL);
}

XOUS_EXPORT xous_err_t xlog(int level, const char *fmt, ...)
{
	char text[LOG_MAX_TEXT + 1];
	va_list ap;

	if (level < LOG_LEVEL_ERROR || level > LOG_LEVEL_TRACE || fmt == NULL)
		return XOUS_ERR_INVALID_ARGUMENT;
	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	return xlog_record(level, NULL, 0, NULL, text);
}

XOUS_EXPORT xous_err_t xlog_stream(int fd, const void *data, size_t len)
{
	LogPb__Stream req = LOG_PB__STREAM__INIT;
	xous_cid_t cid;
	xous_err_t err;

	if ((fd != 1 && fd != 2) || (data == NULL && len > 0) || len > XOUS_OOL_MAX)
		return XOUS_ERR_INVALID_ARGUMENT;
	err = log_cid(&cid);
	if (err)
		return err;
	req.data.data = (uint8_t *)data;
	req.data.len = len;
	return xous_rpc_call(cid, fd == 1 ? LOG_OP_STANDARD_OUTPUT : LOG_OP_STANDARD_ERROR,
	                     &req.base, NULL, NULL);
}
