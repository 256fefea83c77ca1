/*
 * The log server's dispatch: turns records into single lines. Who sent a
 * record is read from the sender token, never from the payload.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "logsrv.h"

#define ST(svc) ((struct log_state *)(svc))

static const char *const level_names[] = {"", "ERROR", "WARN", "INFO", "DEBUG", "TRACE"};

int log_parse_level(const char *s)
{
	if (s == NULL)
		return 0;
	for (int i = 1; i <= LOG_LEVEL_TRACE; i++)
		if (strcasecmp(s, level_names[i]) == 0)
			return i;
	if (s[0] >= '1' && s[0] <= '5' && s[1] == '\0')
		return s[0] - '0';
	return 0;
}

/* Copy at most max bytes of src, control characters made spaces, so that
 * one record stays one line. Returns the length written. */
static size_t clean_copy(char *dst, const uint8_t *src, size_t len, size_t max)
{
	size_t n = len < max ? len : max;

	while (n > 0 && (src[n - 1] == '\n' || src[n - 1] == '\r'))
		n--;
	for (size_t i = 0; i < n; i++)
		dst[i] = (src[i] < 0x20 || src[i] == 0x7f) ? ' ' : (char)src[i];
	dst[n] = '\0';
	return n;
}

static struct log_program *program_of(struct log_state *st, xous_pid_t pid)
{
	for (size_t i = 0; i < LOG_MAX_PROGRAMS; i++)
		if (st->programs[i].used && st->programs[i].pid == pid)
			return &st->programs[i];
	return NULL;
}

static void emit_record(struct log_state *st, const LogPb__Record *in, xous_pid_t pid)
{
	static char line[LOG_MAX_TEXT + 2 * LOG_MAX_NAME + 256];
	char name[LOG_MAX_NAME + 1], text[LOG_MAX_TEXT + 1];
	const struct log_program *p = program_of(st, pid);
	uint64_t ms = st->now_ms() % (24u * 3600u * 1000u);
	int n;

	if (in->module && in->module[0])
		clean_copy(name, (const uint8_t *)in->module, strlen(in->module), LOG_MAX_NAME);
	else if (st->name_of && st->name_of(pid, name, sizeof(name)) == XOUS_OK && name[0])
		; /* stamped by the kernel */
	else if (p)
		strcpy(name, p->name);
	else
		strcpy(name, "pid");
	clean_copy(text, in->text.data, in->text.len, LOG_MAX_TEXT);
	n = snprintf(line, sizeof(line), "%02u:%02u:%02u.%03u %-5s %s(%u): %s",
	             (unsigned)(ms / 3600000u), (unsigned)(ms / 60000u % 60u),
	             (unsigned)(ms / 1000u % 60u), (unsigned)(ms % 1000u), level_names[in->level],
	             name, (unsigned)pid, text);
	if (n > 0 && in->level >= LOG_LEVEL_DEBUG && in->file && in->file[0] &&
	    (size_t)n < sizeof(line) - 1)
		n += snprintf(line + n, sizeof(line) - (size_t)n, " [%.*s:%u]", LOG_MAX_NAME * 2,
		              in->file, (unsigned)in->line);
	if (n < 0)
		return;
	if ((size_t)n > sizeof(line) - 2)
		n = (int)sizeof(line) - 2;
	line[n++] = '\n';
	st->out(line, (size_t)n);
}

static void do_record(LogPb__Log_Service *svc, const LogPb__Record *in,
                      LogPb__Empty_Closure closure, void *data)
{
	struct log_state *st = ST(svc);
	LogPb__Empty empty = LOG_PB__EMPTY__INIT;

	if (in->level < LOG_LEVEL_ERROR || in->level > LOG_LEVEL_TRACE) {
		xous_rpc_fail(data, XOUS_ERR_INVALID_ARGUMENT);
		return;
	}
	if ((int)in->level <= st->level)
		emit_record(st, in, xous_rpc_sender_pid(data));
	closure(&empty, data);
}

static void do_stream(LogPb__Log_Service *svc, const LogPb__Stream *in,
                      LogPb__Empty_Closure closure, void *data)
{
	LogPb__Empty empty = LOG_PB__EMPTY__INIT;

	if (in->data.len)
		ST(svc)->out((const char *)in->data.data, in->data.len);
	closure(&empty, data);
}

static void do_program_name(LogPb__Log_Service *svc, const LogPb__ProgramName *in,
                            LogPb__Empty_Closure closure, void *data)
{
	struct log_state *st = ST(svc);
	xous_pid_t pid = xous_rpc_sender_pid(data);
	LogPb__Empty empty = LOG_PB__EMPTY__INIT;
	struct log_program *p = program_of(st, pid);

	if (in->name == NULL || in->name[0] == '\0') {
		xous_rpc_fail(data, XOUS_ERR_INVALID_STRING);
		return;
	}
	for (size_t i = 0; i < LOG_MAX_PROGRAMS && p == NULL; i++)
		if (!st->programs[i].used)
			p = &st->programs[i];
	if (p == NULL) /* full: pids are reused, so forget an old one */
		p = &st->programs[st->next_evict++ % LOG_MAX_PROGRAMS];
	p->used = 1;
	p->pid = pid;
	clean_copy(p->name, (const uint8_t *)in->name, strlen(in->name), LOG_MAX_NAME);
	closure(&empty, data);
}

void log_init(struct log_state *st, int level, void (*out)(const char *buf, size_t len),
              uint64_t (*now_ms)(void))
{
	memset(st, 0, sizeof(*st));
	log_pb__log__init(&st->svc, NULL);
	st->svc.log_record = do_record;
	st->svc.standard_output = do_stream;
	st->svc.standard_error = do_stream;
	st->svc.set_program_name = do_program_name;
	st->level = level;
	st->out = out;
	st->now_ms = now_ms;
}

xous_answer_t log_dispatch(struct log_state *st, xous_envelope_t *env)
{
	return xous_rpc_serve(&st->svc.base, env);
}
