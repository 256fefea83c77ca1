/*
 * xous-log: log_dispatch() served by xous_serve().
 * Level filter: --level LEVEL, else $XOUS_LOG_LEVEL, else info (3);
 * LEVEL is 1..5 or error, warn, info, debug, trace.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xous/serve.h>

#include "logsrv.h"

static struct log_state state;

static xous_answer_t serve(void *st, xous_envelope_t *env)
{
	return log_dispatch(st, env);
}

static int level_from(int argc, char **argv)
{
	const char *s = getenv("XOUS_LOG_LEVEL");

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--level") == 0 && i + 1 < argc)
			s = argv[++i];
		else if (strncmp(argv[i], "--level=", 8) == 0)
			s = argv[i] + 8;
		else
			return -1;
	}
	if (s == NULL)
		return LOG_LEVEL_INFO;
	return log_parse_level(s) ? log_parse_level(s) : -1;
}

int main(int argc, char **argv)
{
	xous_sid_t sid = xous_sid_from_name(LOG_SERVER_NAME);
	int level = level_from(argc, argv);

	if (level < 0) {
		fprintf(stderr, "usage: xous-log [--level 1..5|error|warn|info|debug|trace]\n");
		return 2;
	}
	log_init(&state, level, log_platform_write, log_platform_utc_ms);
	state.name_of = xous_process_name;
	return xous_serve_program(&sid, 1, serve, &state);
}
