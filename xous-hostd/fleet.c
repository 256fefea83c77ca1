/*
 * fleet.c - the servers the broker starts, PROGRAM, and shutdown.
 *
 * The fleet is the default one (the fleet servers of the server registry,
 * servers/servers.cmake, in its boot order) or the one of a fleet file
 * (format in README.md). It is ready when
 * every server has created a server; then the broker prints the process
 * table and starts PROGRAM. A server that ends is restarted by its policy,
 * with exponential back-off; one that ends for good before the fleet is
 * ready stops the broker with status 1.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <event2/event.h>

#include "hostd.h"
#include "xous_registry.h"
#include "policy.h"

#define FLEET_ARGS_MAX         64
#define FLEET_LINE_MAX         4096
#define FLEET_BACKOFF_DEFAULT  100
#define FLEET_BACKOFF_MAX      3600000u
#define FLEET_BACKOFF_CAP      30000u /* the longest wait between restarts */
#define FLEET_STABLE_MS        10000u /* a run this long resets the back-off */
#define FLEET_KILL_MS          1000   /* SIGTERM, then SIGKILL after this */
#define FLEET_READY_DEFAULT    30000u /* ready=: time to make a server */
#define FLEET_RESTARTS_DEFAULT 5u     /* restarts=: failed runs in a row before giving up */

#define FLEET_DEFAULT(program, policy, wellknown) {program, policy, wellknown},
static const struct {
	const char *program;
	const char *sandbox;
	const char *wellknown; /* 16 bytes, or "" */
} fleet_default_servers[] = {XOUS_REGISTRY_FLEET(FLEET_DEFAULT)};
#define FLEET_NDEFAULT (sizeof(fleet_default_servers) / sizeof(fleet_default_servers[0]))

/* The default fleet's physical memory rights (the registry's PHYS). */
#define FLEET_PHYS(program, phys) {program, phys},
static const struct {
	const char *program;
	const char *phys;
} fleet_default_phys[] = {XOUS_REGISTRY_PHYS(FLEET_PHYS)};
#define FLEET_NPHYS (sizeof(fleet_default_phys) / sizeof(fleet_default_phys[0]))

/* The optional fleet groups: a fleet line per server (the registry's GROUP). */
#define FLEET_GROUP(group, line) {group, line},
static const struct {
	const char *group;
	const char *line;
} fleet_groups[] = {XOUS_REGISTRY_GROUPS(FLEET_GROUP)};
#define FLEET_NGROUPS (sizeof(fleet_groups) / sizeof(fleet_groups[0]))

static char *fleet_strdup(const char *s)
{
	char *d = strdup(s);

	if (!d)
		hostd_fatal("out of memory");
	return d;
}

static struct hostd_fleet_srv *fleet_add(const char *name, int line)
{
	struct hostd_fleet_srv *f = realloc(hostd.fleet, (hostd.nfleet + 1) * sizeof(*f));

	if (!f)
		hostd_fatal("out of memory");
	hostd.fleet = f;
	f = &hostd.fleet[hostd.nfleet++];
	memset(f, 0, sizeof(*f));
	snprintf(f->name, sizeof(f->name), "%s", name);
	snprintf(f->sandbox, sizeof(f->sandbox), "default");
	f->restart = HOSTD_RESTART_NEVER;
	f->backoff_ms = FLEET_BACKOFF_DEFAULT;
	f->ready_ms = FLEET_READY_DEFAULT;
	f->max_restarts = FLEET_RESTARTS_DEFAULT;
	f->line = line;
	f->file_fd = -1;
	return f;
}

static int fleet_phys_parse(const char *v, uint32_t *out);

/* The registry's PHYS for a default-fleet program (by its file name). */
static void fleet_phys_default(struct hostd_fleet_srv *f)
{
	const char *prog = f->argv[0], *base = strrchr(prog, '/');

	base = base ? base + 1 : prog;
	for (size_t d = 0; d < FLEET_NPHYS && !f->phys_set; d++)
		if (!strcmp(base, fleet_default_phys[d].program))
			fleet_phys_parse(fleet_default_phys[d].phys, &f->phys);
}

void hostd_fleet_default(void)
{
	for (size_t i = 0; i < FLEET_NDEFAULT; i++) {
		struct hostd_fleet_srv *f = fleet_add(fleet_default_servers[i].program, 0);

		snprintf(f->sandbox, sizeof(f->sandbox), "%s", fleet_default_servers[i].sandbox);
		snprintf(f->wellknown, sizeof(f->wellknown), "%s",
		         fleet_default_servers[i].wellknown);
		f->argv = calloc(2, sizeof(char *));
		if (!f->argv)
			hostd_fatal("out of memory");
		f->argv[0] = fleet_strdup(fleet_default_servers[i].program);
		fleet_phys_default(f);
	}
}

/* ---- the fleet file ---- */

struct fleet_parse {
	const char *file;
	int line;
	char err[256];
	struct hostd_fleet_srv *cur; /* the server options apply to */
	unsigned seen;               /* options given for cur (bits) */
};

static int fleet_error(struct fleet_parse *ps, const char *fmt, ...)
        __attribute__((format(printf, 2, 3)));

static int fleet_error(struct fleet_parse *ps, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(ps->err, sizeof(ps->err), fmt, ap);
	va_end(ap);
	return -1;
}

static bool fleet_name_ok(const char *s, bool lower)
{
	size_t n = strlen(s);

	if (n == 0 || n >= HOSTD_NAME_MAX)
		return false;
	for (; *s; s++) {
		char c = *s;
		bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
		          c == '_' || (!lower && ((c >= 'A' && c <= 'Z') || c == '.'));
		if (!ok)
			return false;
	}
	return true;
}

static int fleet_opt_restart(struct fleet_parse *ps, const char *v)
{
	if (!strcmp(v, "never"))
		ps->cur->restart = HOSTD_RESTART_NEVER;
	else if (!strcmp(v, "on-failure"))
		ps->cur->restart = HOSTD_RESTART_ON_FAILURE;
	else if (!strcmp(v, "always"))
		ps->cur->restart = HOSTD_RESTART_ALWAYS;
	else
		return fleet_error(ps, "restart must be never, on-failure or always, not '%s'", v);
	return 0;
}

/* A number from min to max for option what (its unit in unit). */
static int fleet_number(struct fleet_parse *ps, const char *what, const char *unit, const char *v,
                        unsigned min, unsigned max, unsigned *out)
{
	char *end;
	unsigned long n;

	errno = 0;
	n = strtoul(v, &end, 10);
	if (*v < '0' || *v > '9' || *end || errno || n < min || n > max)
		return fleet_error(ps, "%s must be a number of %s from %u to %u, not '%s'", what,
		                   unit, min, max, v);
	*out = (unsigned)n;
	return 0;
}

static int fleet_opt_backoff(struct fleet_parse *ps, const char *v)
{
	return fleet_number(ps, "backoff", "milliseconds", v, 1, FLEET_BACKOFF_MAX,
	                    &ps->cur->backoff_ms);
}

static int fleet_opt_ready(struct fleet_parse *ps, const char *v)
{
	return fleet_number(ps, "ready", "milliseconds", v, 1, FLEET_BACKOFF_MAX,
	                    &ps->cur->ready_ms);
}

static int fleet_opt_restarts(struct fleet_parse *ps, const char *v)
{
	return fleet_number(ps, "restarts", "restarts (0: no limit)", v, 0, 1000000,
	                    &ps->cur->max_restarts);
}

static int fleet_opt_log(struct fleet_parse *ps, const char *v)
{
	return fleet_number(ps, "log", "a level (1 error .. 5 trace)", v, 1, 5,
	                    &ps->cur->log_level);
}

static int fleet_opt_sandbox(struct fleet_parse *ps, const char *v)
{
	if (xh_policy_find(v) < 0)
		return fleet_error(ps, "sandbox policy '%s' is unknown (default, host or none)", v);
	if (xh_policy_find(v) == XH_POLICY_NONE && ps->cur->allow[0])
		return fleet_error(ps, "sandbox=none has no sandbox for allow= to widen");
	snprintf(ps->cur->sandbox, sizeof(ps->cur->sandbox), "%s", v);
	return 0;
}

/* System calls added to the server's sandbox, by name. */
static int fleet_opt_allow(struct fleet_parse *ps, const char *v)
{
	struct xh_allow a;
	char err[128];

	if (strlen(v) >= sizeof(ps->cur->allow))
		return fleet_error(ps, "allow= is longer than %zu bytes",
		                   sizeof(ps->cur->allow) - 1);
	if (xh_policy_allow_parse(v, &a, err, sizeof(err)) < 0)
		return fleet_error(ps, "allow=%s: %s", v, err);
	if (xh_policy_find(ps->cur->sandbox) == XH_POLICY_NONE)
		return fleet_error(ps, "sandbox=none has no sandbox for allow= to widen");
	snprintf(ps->cur->allow, sizeof(ps->cur->allow), "%s", v);
	return 0;
}

/*
 * The debugging tools of debug=: the words that run PROGRAM under each, and
 * whether the server keeps the library's filter (a tracer is a process of
 * its own; valgrind runs in the server's, where no filter lets it work).
 */
static const struct {
	const char *tool;
	const char *args; /* before PROGRAM; %s: gdbserver's port */
	bool filtered;
} fleet_tools[] = {
        {"strace", "-f", true},
        {"valgrind", NULL, false},
        {"gdbserver", "localhost:%s", true},
};
#define FLEET_NTOOLS (sizeof(fleet_tools) / sizeof(fleet_tools[0]))

/* The tool debug names (strace, valgrind, gdbserver:PORT), or -1. */
static int fleet_tool(const char *debug, const char **port)
{
	const char *colon = strchr(debug, ':');
	size_t n = colon ? (size_t)(colon - debug) : strlen(debug);

	*port = colon ? colon + 1 : NULL;
	for (size_t i = 0; i < FLEET_NTOOLS; i++)
		if (strlen(fleet_tools[i].tool) == n && !strncmp(debug, fleet_tools[i].tool, n))
			return (int)i;
	return -1;
}

static int fleet_opt_debug(struct fleet_parse *ps, const char *v)
{
	const char *port;
	int t = fleet_tool(v, &port);
	char *end;
	unsigned long n = port ? strtoul(port, &end, 10) : 0;
	bool wants_port = t >= 0 && fleet_tools[t].args && strchr(fleet_tools[t].args, '%');

	if (t < 0 || wants_port != (port != NULL) ||
	    (port && (*port < '0' || *port > '9' || *end || n < 1 || n > 65535)))
		return fleet_error(ps, "debug must be strace, valgrind or gdbserver:PORT, not '%s'",
		                   v);
	snprintf(ps->cur->debug, sizeof(ps->cur->debug), "%s", v);
	return 0;
}

/* phys=: pool, devices, both (pool,devices) or none. */
static int fleet_phys_parse(const char *v, uint32_t *out)
{
	static const struct {
		const char *word;
		uint32_t flags;
	} w[] = {{"none", 0},
	         {"pool", KC_PHYS_POOL},
	         {"devices", KC_PHYS_DEVICES},
	         {"pool,devices", KC_PHYS_POOL | KC_PHYS_DEVICES},
	         {"devices,pool", KC_PHYS_POOL | KC_PHYS_DEVICES}};

	for (size_t i = 0; i < sizeof(w) / sizeof(w[0]); i++)
		if (!strcmp(v, w[i].word)) {
			*out = w[i].flags;
			return 0;
		}
	return -1;
}

static int fleet_opt_phys(struct fleet_parse *ps, const char *v)
{
	if (fleet_phys_parse(v, &ps->cur->phys) < 0)
		return fleet_error(ps, "phys=%s: expected pool, devices, pool,devices or none", v);
	ps->cur->phys_set = true;
	return 0;
}

static struct hostd_fleet_srv *fleet_declares(const char *wellknown)
{
	for (size_t i = 0; i < hostd.nfleet; i++)
		if (!strcmp(hostd.fleet[i].wellknown, wellknown))
			return &hostd.fleet[i];
	return NULL;
}

/* Declare wellknown (16 bytes) for the current server, once in the file. */
/* file=PATH: opened read-write now, handed to every run of the server as
 * fd HOSTD_FILE_FD (proc.c). A regular file or a block device. */
static int fleet_opt_file(struct fleet_parse *ps, const char *v)
{
	struct stat st;
	int fd;

	if (ps->cur->tap)
		return fleet_error(ps, "file= and tap=yes both give fd 4: one of them");
	fd = open(v, O_RDWR | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return fleet_error(ps, "file=%s: %s", v, strerror(errno));
	if (fstat(fd, &st) < 0 || !(S_ISREG(st.st_mode) || S_ISBLK(st.st_mode))) {
		close(fd);
		return fleet_error(ps, "file=%s: not a regular file or a block device", v);
	}
	/* above the fds a child is given, so that setting those up keeps it */
	ps->cur->file_fd = fcntl(fd, F_DUPFD_CLOEXEC, HOSTD_FILE_FD + 1);
	close(fd);
	if (ps->cur->file_fd < 0)
		return fleet_error(ps, "file=%s: %s", v, strerror(errno));
	return 0;
}

/* tap=yes: the TAP device of the broker's network namespace (netns.c),
 * handed over as file= hands a file. */
static int fleet_opt_tap(struct fleet_parse *ps, const char *v)
{
	if (strcmp(v, "yes") && strcmp(v, "no"))
		return fleet_error(ps, "tap must be yes or no, not '%s'", v);
	if (ps->cur->file_fd >= 0 && !strcmp(v, "yes"))
		return fleet_error(ps, "file= and tap=yes both give fd 4: one of them");
	ps->cur->tap = !strcmp(v, "yes");
	return 0;
}

/* The default fleet's well-known names: roles too, declared or not. */
static size_t fleet_default_names(void)
{
	size_t n = 0;

	for (size_t d = 0; d < FLEET_NDEFAULT; d++)
		n += fleet_default_servers[d].wellknown[0] != 0;
	return n;
}

static int fleet_declare(struct fleet_parse *ps, const char *wellknown)
{
	struct hostd_fleet_srv *dup = fleet_declares(wellknown);
	size_t n = fleet_default_names();

	if (dup)
		return fleet_error(ps, "well-known name '%s' is already server %s's (line %d)",
		                   wellknown, dup->name, dup->line);
	for (size_t i = 0; i < hostd.nfleet; i++)
		n += hostd.fleet[i].wellknown[0] != 0;
	if (n >= KC_MAX_ROLES)
		return fleet_error(ps, "too many well-known names (at most %d)",
		                   KC_MAX_ROLES - (int)fleet_default_names());
	snprintf(ps->cur->wellknown, sizeof(ps->cur->wellknown), "%s", wellknown);
	return 0;
}

/* 1 to 16 printable bytes, padded with spaces to the 16 of a server id. */
static int fleet_opt_wellknown(struct fleet_parse *ps, const char *v)
{
	char name[17];
	size_t n = strlen(v);

	for (const char *c = v; *c; c++)
		if (*c <= ' ' || *c > '~')
			n = 0;
	if (n == 0 || n > 16)
		return fleet_error(ps,
		                   "well-known name '%s' is not 1 to 16 printable characters "
		                   "(padded with spaces to 16)",
		                   v);
	snprintf(name, sizeof(name), "%-16s", v);
	return fleet_declare(ps, name);
}

static const struct {
	const char *key;
	int (*set)(struct fleet_parse *, const char *);
} fleet_opts[] = {
        {"restart", fleet_opt_restart},     {"sandbox", fleet_opt_sandbox},
        {"backoff", fleet_opt_backoff},     {"allow", fleet_opt_allow},
        {"wellknown", fleet_opt_wellknown}, {"debug", fleet_opt_debug},
        {"phys", fleet_opt_phys},           {"ready", fleet_opt_ready},
        {"restarts", fleet_opt_restarts},   {"log", fleet_opt_log},
        {"file", fleet_opt_file},           {"tap", fleet_opt_tap},
};
#define FLEET_NOPTS (sizeof(fleet_opts) / sizeof(fleet_opts[0]))

/* The option KEY=VALUE tok names, or -1 if tok is not one. */
static int fleet_opt_find(const char *tok)
{
	const char *eq = strchr(tok, '=');

	for (size_t i = 0; eq && i < FLEET_NOPTS; i++)
		if ((size_t)(eq - tok) == strlen(fleet_opts[i].key) &&
		    !strncmp(tok, fleet_opts[i].key, (size_t)(eq - tok)))
			return (int)i;
	return -1;
}

static int fleet_option(struct fleet_parse *ps, const char *tok)
{
	int i = fleet_opt_find(tok);

	if (i < 0)
		return fleet_error(ps,
		                   "unknown option '%s' (expected restart=, sandbox=, backoff=, "
		                   "allow=, wellknown=, debug=, phys=, ready=, restarts=, log=, "
		                   "file= or tap=)",
		                   tok);
	if (ps->seen & (1u << i))
		return fleet_error(ps, "%s is given twice for server %s", fleet_opts[i].key,
		                   ps->cur->name);
	ps->seen |= 1u << i;
	return fleet_opts[i].set(ps, strchr(tok, '=') + 1);
}

static int fleet_split(struct fleet_parse *ps, char *line, char **tok, int max)
{
	int n = 0;

	for (char *s = strtok(line, " \t\r\n"); s; s = strtok(NULL, " \t\r\n")) {
		if (n == max)
			return fleet_error(ps, "too many words (at most %d)", max);
		tok[n++] = s;
	}
	return n;
}

static struct hostd_fleet_srv *fleet_find(const char *name)
{
	for (size_t i = 0; i < hostd.nfleet; i++)
		if (!strcmp(hostd.fleet[i].name, name))
			return &hostd.fleet[i];
	return NULL;
}

/* "server NAME PROGRAM [ARGS...]", options anywhere after PROGRAM. */
static int fleet_server(struct fleet_parse *ps, char **tok, int n)
{
	struct hostd_fleet_srv *dup;
	int argc = 0;

	if (strcmp(tok[0], "server"))
		return fleet_error(ps, "unknown directive '%s' (expected 'server')", tok[0]);
	if (n < 2)
		return fleet_error(ps, "'server' needs a name and a program");
	if (!fleet_name_ok(tok[1], false))
		return fleet_error(ps,
		                   "server name '%s' is not a name ([A-Za-z0-9._-], 1 to %d bytes)",
		                   tok[1], HOSTD_NAME_MAX - 1);
	if ((dup = fleet_find(tok[1])))
		return fleet_error(ps, "server %s is already defined on line %d", tok[1],
		                   dup->line);
	if (n < 3 || fleet_opt_find(tok[2]) >= 0)
		return fleet_error(ps, "server %s has no program", tok[1]);
	if (hostd.nfleet + 3 > KC_MAX_PROCS) /* pid 1 and PROGRAM need room too */
		return fleet_error(ps, "too many servers (at most %d)", KC_MAX_PROCS - 2);
	ps->cur = fleet_add(tok[1], ps->line);
	ps->seen = 0;
	ps->cur->argv = calloc((size_t)n, sizeof(char *));
	if (!ps->cur->argv)
		hostd_fatal("out of memory");
	for (int i = 2; i < n; i++) {
		if (fleet_opt_find(tok[i]) >= 0) {
			if (fleet_option(ps, tok[i]) < 0)
				return -1;
		} else {
			ps->cur->argv[argc++] = fleet_strdup(tok[i]);
		}
	}
	return 0;
}

/* "physmem SIZE": the emulated physical memory's size, in bytes with an
 * optional K, M or G; whole pages, one page to HOSTD_PHYS_MAX. */
static int fleet_physmem(struct fleet_parse *ps, char **tok, int n)
{
	static const char units[] = "KMG";
	unsigned long long v;
	const char *unit;
	char *end;

	if (n != 2)
		return fleet_error(ps, "'physmem' needs one size (e.g. physmem 64M)");
	if (hostd.phys_size)
		return fleet_error(ps, "physmem is given twice");
	errno = 0;
	v = strtoull(tok[1], &end, 10);
	unit = *end ? strchr(units, *end) : NULL;
	if (unit && !end[1] && v <= HOSTD_PHYS_MAX) {
		v <<= 10 * (unit - units + 1);
		end++;
	}
	if (tok[1][0] < '0' || tok[1][0] > '9' || *end || errno || v == 0 || v > HOSTD_PHYS_MAX ||
	    v % XOUS_PAGE_SIZE)
		return fleet_error(ps,
		                   "physmem %s: a size in whole pages (4096 bytes), K, M or G, "
		                   "at most 1G",
		                   tok[1]);
	hostd.phys_size = (kc_word)v;
	return 0;
}

static int fleet_line(struct fleet_parse *ps, char *line)
{
	char *tok[FLEET_ARGS_MAX];
	bool indented = line[0] == ' ' || line[0] == '\t';
	int n;

	n = fleet_split(ps, line, tok, FLEET_ARGS_MAX);
	if (n <= 0 || tok[0][0] == '#')
		return n < 0 ? -1 : 0;
	if (!indented && !strcmp(tok[0], "physmem"))
		return fleet_physmem(ps, tok, n);
	if (!indented)
		return fleet_server(ps, tok, n);
	if (!ps->cur)
		return fleet_error(ps, "an indented option line must follow a 'server' line");
	for (int i = 0; i < n; i++)
		if (fleet_option(ps, tok[i]) < 0)
			return -1;
	return 0;
}

/* A server that declares no well-known name and runs a program of the
 * default fleet under its own name declares that program's registry name. */
static int fleet_default_roles(struct fleet_parse *ps)
{
	for (size_t i = 0; i < hostd.nfleet; i++) {
		const char *prog = hostd.fleet[i].argv[0], *base = strrchr(prog, '/');

		base = base ? base + 1 : prog;
		for (size_t d = 0; d < FLEET_NDEFAULT && !hostd.fleet[i].wellknown[0]; d++) {
			if (strcmp(base, fleet_default_servers[d].program) ||
			    !fleet_default_servers[d].wellknown[0])
				continue;
			ps->cur = &hostd.fleet[i];
			ps->line = ps->cur->line;
			if (fleet_declare(ps, fleet_default_servers[d].wellknown) < 0)
				return -1;
		}
	}
	return 0;
}

/* Read a fleet file; on a bad line print FILE:LINE: what is wrong and return -1. */
int hostd_fleet_load(const char *file)
{
	struct fleet_parse ps = {.file = file};
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	int r = 0;
	FILE *fp = fopen(file, "re");

	if (!fp) {
		fprintf(stderr, "xous-hostd: %s: %s\n", file, strerror(errno));
		return -1;
	}
	while (r == 0 && (len = getline(&line, &cap, fp)) >= 0) {
		ps.line++;
		if (len > FLEET_LINE_MAX)
			r = fleet_error(&ps, "line is longer than %d bytes", FLEET_LINE_MAX);
		else if (memchr(line, 0, (size_t)len))
			r = fleet_error(&ps, "line holds a NUL byte");
		else
			r = fleet_line(&ps, line);
	}
	free(line);
	if (r == 0 && ferror(fp))
		r = fleet_error(&ps, "read error: %s", strerror(errno));
	if (r == 0)
		r = fleet_default_roles(&ps);
	for (size_t i = 0; r == 0 && i < hostd.nfleet; i++)
		fleet_phys_default(&hostd.fleet[i]);
	fclose(fp);
	if (r < 0)
		fprintf(stderr, "%s:%d: %s\n", file, ps.line, ps.err);
	return r;
}

/* ---- the optional fleet groups (xous-hostd --disk IMAGE, --net) ---- */

/* The name of the value group's lines take ("IMAGE" for {IMAGE}) in
 * name[size], "" if they take none; -1 if there is no such group. */
int hostd_fleet_group_value(const char *group, char *name, size_t size)
{
	int found = -1;

	name[0] = 0;
	for (size_t i = 0; i < FLEET_NGROUPS; i++) {
		const char *open, *close;

		if (strcmp(fleet_groups[i].group, group))
			continue;
		found = 0;
		open = strchr(fleet_groups[i].line, '{');
		close = open ? strchr(open, '}') : NULL;
		if (close)
			snprintf(name, size, "%.*s", (int)(close - open - 1), open + 1);
	}
	return found;
}

/* " [--G VALUE]" per group, for the usage line. */
void hostd_fleet_groups_usage(FILE *fp)
{
	char name[32];

	for (size_t i = 0; i < FLEET_NGROUPS; i++) {
		size_t j = 0;

		while (j < i && strcmp(fleet_groups[j].group, fleet_groups[i].group))
			j++;
		if (j < i)
			continue; /* said already */
		hostd_fleet_group_value(fleet_groups[i].group, name, sizeof(name));
		fprintf(fp, " [--%s%s%s]", fleet_groups[i].group, name[0] ? " " : "", name);
	}
}

/* tok with its {NAME} replaced by value: memory of its own, or NULL if
 * tok has none. */
static char *fleet_subst(const char *tok, const char *value)
{
	const char *open = strchr(tok, '{'), *close = open ? strchr(open, '}') : NULL;
	char *out;

	if (!close)
		return NULL;
	if (asprintf(&out, "%.*s%s%s", (int)(open - tok), tok, value, close + 1) < 0)
		hostd_fatal("out of memory");
	return out;
}

/* Append group's servers to the fleet, value standing for their {NAME}
 * words; on a bad line say what is wrong and return -1. */
int hostd_fleet_group(const char *group, const char *value)
{
	struct fleet_parse ps = {.file = group};
	int r = 0;

	for (size_t i = 0; r == 0 && i < FLEET_NGROUPS; i++) {
		char *line, *tok[FLEET_ARGS_MAX] = {0}, *own[FLEET_ARGS_MAX];
		int n;

		if (strcmp(fleet_groups[i].group, group))
			continue;
		line = fleet_strdup(fleet_groups[i].line);
		n = fleet_split(&ps, line, tok, FLEET_ARGS_MAX);
		for (int k = 0; k < n; k++)
			if ((own[k] = fleet_subst(tok[k], value ? value : "")))
				tok[k] = own[k];
		r = n < 0 ? -1 : n == 0 ? 0 : fleet_server(&ps, tok, n);
		for (int k = 0; k < n; k++)
			free(own[k]);
		free(line);
	}
	for (size_t i = 0; r == 0 && i < hostd.nfleet; i++)
		fleet_phys_default(&hostd.fleet[i]);
	if (r < 0)
		fprintf(stderr, "xous-hostd: --%s%s%s: %s\n", group, value ? " " : "",
		        value ? value : "", ps.err);
	return r;
}

/* ---- running the fleet ---- */

static void fleet_sid(const char *name, uint32_t sid[4])
{
	const unsigned char *b = (const unsigned char *)name;

	for (int i = 0; i < 4; i++)
		sid[i] = (uint32_t)b[4 * i] | (uint32_t)b[4 * i + 1] << 8 |
		         (uint32_t)b[4 * i + 2] << 16 | (uint32_t)b[4 * i + 3] << 24;
}

static uint32_t fleet_role(const char *wellknown)
{
	uint32_t sid[4], role;

	fleet_sid(wellknown, sid);
	if (kc_role_define(hostd.kc, sid, &role))
		hostd_fatal("too many well-known names (at most %d)", KC_MAX_ROLES);
	return role;
}

/*
 * Every well-known name of the default fleet and of the fleet's servers is
 * a role: only the server that declares it may create that server id, and
 * PROGRAM holds the default fleet's names that no server declares.
 */
static void fleet_roles(void)
{
	for (size_t i = 0; i < hostd.nfleet; i++)
		if (hostd.fleet[i].wellknown[0])
			hostd.fleet[i].role = fleet_role(hostd.fleet[i].wellknown);
	for (size_t d = 0; d < FLEET_NDEFAULT; d++) {
		const char *name = fleet_default_servers[d].wellknown;

		if (name[0] && !fleet_declares(name))
			hostd.program_roles |= 1u << fleet_role(name);
	}
}

/* Say how a server runs under its debug= tool (at each start). */
static void fleet_debug_say(const struct hostd_fleet_srv *f, int t, const char *port)
{
	if (fleet_tools[t].filtered)
		hostd_warn("server %s runs under %s (debug=%s): the tool without the baseline "
		           "filter, the server with the library's sandbox %s; left dumpable%s%s",
		           f->name, fleet_tools[t].tool, f->debug, f->sandbox,
		           port ? "; waiting for gdb: target remote localhost:" : "",
		           port ? port : "");
	else
		hostd_warn("server %s runs under %s (debug=%s): no sandbox (the tool runs in the "
		           "server's process); left dumpable",
		           f->name, fleet_tools[t].tool, f->debug);
}

/* The words before PROGRAM in argv that run it under tool t: how many (0
 * without a tool, at most 2). word holds the tool's argument. */
static size_t fleet_debug_words(int t, const char *port, char *argv[], char word[64])
{
	size_t n = 0;

	if (t < 0)
		return 0;
	argv[n++] = (char *)fleet_tools[t].tool;
	if (fleet_tools[t].args) {
		snprintf(word, 64, fleet_tools[t].args, port);
		argv[n++] = word;
	}
	return n;
}

static void fleet_launch(struct hostd_fleet_srv *f)
{
	char path[4096], word[64];
	const char *port = NULL;
	int t = f->debug[0] ? fleet_tool(f->debug, &port) : -1;
	size_t argc = 0, pre;

	while (f->argv[argc])
		argc++;
	char *argv[argc + 3];
	pre = fleet_debug_words(t, port, argv, word);
	if (t >= 0)
		fleet_debug_say(f, t, port);
	memcpy(argv + pre, f->argv, (argc + 1) * sizeof(char *));
	argv[pre] = (char *)hostd_proc_resolve(f->argv[0], path, sizeof(path));
	if (hostd_netns_prepare(f) < 0) {
		if (!hostd.fleet_ready)
			hostd_shutdown(1);
		return;
	}
	f->started_ms = hostd_now_ms();
	uint32_t err;

	f->child = hostd_proc_launch(argv, f->name,
	                             t < 0 || fleet_tools[t].filtered ? f->sandbox : "none",
	                             t < 0 || fleet_tools[t].filtered ? f->allow : NULL,
	                             t < 0 ? NULL : fleet_tools[t].tool, f->log_level, f->file_fd,
	                             KC_NO_THREAD, NULL, &err);
	if (f->child && f->wellknown[0])
		kc_process_set_role(hostd.kc, f->child->proc->pid, f->role);
	if (f->child && f->phys)
		kc_process_set_phys(hostd.kc, f->child->proc->pid, f->phys);
	if (f->child)
		f->child->srv = f;
	else if (!hostd.fleet_ready)
		hostd_shutdown(1);
}

static void fleet_program(void)
{
	const char *base = strrchr(hostd.program[0], '/');
	struct hostd_child *ch;

	uint32_t err;

	ch = hostd_proc_launch(hostd.program, base ? base + 1 : hostd.program[0], NULL, NULL, NULL,
	                       0, -1, KC_NO_THREAD, NULL, &err);
	if (!ch) {
		hostd_shutdown(1);
		return;
	}
	ch->program = true;
	for (uint32_t r = 0; r < KC_MAX_ROLES; r++)
		if (hostd.program_roles >> r & 1u)
			kc_process_set_role(hostd.kc, ch->proc->pid, r);
}

static void fleet_table(void)
{
	fprintf(stderr, "xous-hostd: %4s  %-20s %s\n", "PID", "NAME", "LINUX PID");
	fprintf(stderr, "xous-hostd: %4d  %-20s %d\n", 1, "kernel", (int)getpid());
	for (size_t i = 0; i < hostd.nfleet; i++) {
		struct hostd_fleet_srv *f = &hostd.fleet[i];

		if (f->child && f->child->proc)
			fprintf(stderr, "xous-hostd: %4u  %-20s %d\n", f->child->proc->pid, f->name,
			        (int)f->child->lpid);
	}
	fprintf(stderr, "xous-hostd: fleet ready\n");
}

/*
 * A fleet server is ready once it has made a server: checked after each
 * CreateServer syscall has returned (route.c), when kcore knows it. The
 * fleet is ready when every server is; then PROGRAM starts.
 */
void hostd_fleet_check(void)
{
	bool all = true;

	if (hostd.fleet_ready || hostd.shutting_down)
		return;
	for (size_t i = 0; i < hostd.nfleet; i++) {
		struct hostd_fleet_srv *f = &hostd.fleet[i];

		if (!f->ready && f->child && f->child->proc &&
		    kc_process_servers(hostd.kc, f->child->proc->pid) > 0)
			f->ready = true;
		all = all && f->ready;
	}
	if (!all)
		return;
	hostd.fleet_ready = true;
	if (hostd.nfleet)
		fleet_table();
	if (hostd.program)
		fleet_program();
}

/* Readiness: a server that has not made a server ready= ms after it
 * started stops the start-up (status 1), as one that ends would. */
static struct event *fleet_ready_timer;

static void fleet_ready_cb(evutil_socket_t fd, short what, void *arg);

static void fleet_ready_arm(void)
{
	uint64_t now = hostd_now_ms(), next = UINT64_MAX;

	for (size_t i = 0; i < hostd.nfleet; i++) {
		struct hostd_fleet_srv *f = &hostd.fleet[i];

		if (f->child && !f->ready && f->started_ms + f->ready_ms < next)
			next = f->started_ms + f->ready_ms;
	}
	if (next == UINT64_MAX || hostd.fleet_ready || hostd.shutting_down)
		return;
	next = next > now ? next - now : 0;
	struct timeval tv = {(time_t)(next / 1000), (suseconds_t)(next % 1000) * 1000};
	if (!fleet_ready_timer)
		fleet_ready_timer = evtimer_new(hostd.base, fleet_ready_cb, NULL);
	if (!fleet_ready_timer || evtimer_add(fleet_ready_timer, &tv) < 0)
		hostd_fatal("cannot arm the readiness timer");
}

static void fleet_ready_cb(evutil_socket_t fd, short what, void *arg)
{
	uint64_t now = hostd_now_ms();

	(void)fd;
	(void)what;
	(void)arg;
	hostd_fleet_check();
	for (size_t i = 0; i < hostd.nfleet && !hostd.fleet_ready && !hostd.shutting_down; i++) {
		struct hostd_fleet_srv *f = &hostd.fleet[i];

		if (f->child && !f->ready && now - f->started_ms >= f->ready_ms) {
			hostd_warn(
			        "server %s has made no server %u ms after it started (ready=%u): "
			        "the fleet cannot start; xousctl threads shows what it waits on",
			        f->name, f->ready_ms, f->ready_ms);
			hostd_shutdown(1);
		}
	}
	fleet_ready_arm();
	hostd_run_pending();
	hostd_gc();
}

void hostd_fleet_start(void)
{
	fleet_roles();
	for (size_t i = 0; i < hostd.nfleet && !hostd.shutting_down; i++)
		fleet_launch(&hostd.fleet[i]);
	hostd_fleet_check();
	fleet_ready_arm();
}

void hostd_fleet_close(void)
{
	if (fleet_ready_timer)
		event_free(fleet_ready_timer);
	fleet_ready_timer = NULL;
}

static void fleet_restart_cb(evutil_socket_t fd, short what, void *arg)
{
	struct hostd_fleet_srv *f = arg;

	(void)fd;
	(void)what;
	if (!hostd.shutting_down && !f->child) {
		fleet_launch(f);
		fleet_ready_arm();
	}
	hostd_run_pending();
	hostd_gc();
}

static void fleet_schedule(struct hostd_fleet_srv *f)
{
	uint64_t cap = f->backoff_ms > FLEET_BACKOFF_CAP ? f->backoff_ms : FLEET_BACKOFF_CAP;
	uint64_t ms;
	struct timeval tv;

	if (hostd_now_ms() - f->started_ms >= FLEET_STABLE_MS)
		f->failures = 0;
	if (f->max_restarts && f->failures >= f->max_restarts) {
		f->gave_up = true;
		hostd_warn("server %s ended %u times in a row within %u ms of starting: not "
		           "restarted again (restarts=%u)",
		           f->name, f->failures + 1, FLEET_STABLE_MS, f->max_restarts);
		if (!hostd.fleet_ready)
			hostd_shutdown(1);
		return;
	}
	f->restarts++;
	ms = (uint64_t)f->backoff_ms << (f->failures > 16 ? 16 : f->failures);
	if (ms > cap)
		ms = cap;
	f->failures++;
	tv.tv_sec = (time_t)(ms / 1000);
	tv.tv_usec = (suseconds_t)(ms % 1000) * 1000;
	if (!f->timer)
		f->timer = evtimer_new(hostd.base, fleet_restart_cb, f);
	if (!f->timer || evtimer_add(f->timer, &tv) < 0)
		hostd_fatal("cannot arm a restart timer");
	fprintf(stderr, "xous-hostd: restarting %s in %llu ms\n", f->name, (unsigned long long)ms);
}

static int fleet_code(int status)
{
	return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status);
}

static void fleet_report(struct hostd_fleet_srv *f, int status)
{
	if (WIFSIGNALED(status))
		fprintf(stderr, "xous-hostd: server %s killed by signal %d (SIG%s)\n", f->name,
		        WTERMSIG(status),
		        sigabbrev_np(WTERMSIG(status)) ? sigabbrev_np(WTERMSIG(status)) : "?");
	else
		fprintf(stderr, "xous-hostd: server %s exited with status %d\n", f->name,
		        WEXITSTATUS(status));
	/* The kernel tells a parent only the signal, never the call. */
	if (WIFSIGNALED(status) && WTERMSIG(status) == SIGSYS && strcmp(f->sandbox, "none"))
		fprintf(stderr,
		        "xous-hostd: server %s made a system call its sandbox (%s%s%s) denies "
		        "(a server that links libxous-host names it on the line before); name "
		        "it with allow= on the server's fleet line to permit it\n",
		        f->name, f->sandbox, f->allow[0] ? ", allow=" : "", f->allow);
}

static void fleet_check_done(void)
{
	if (hostd.shutting_down && LIST_EMPTY(&hostd.children))
		event_base_loopbreak(hostd.base);
}

/* A child was reaped (its Xous process is already queued for death). */
void hostd_fleet_child_exit(struct hostd_child *ch, int status)
{
	struct hostd_fleet_srv *f = ch->srv;

	if (ch->program) {
		hostd.exit_status = fleet_code(status);
		hostd_shutdown(hostd.exit_status);
	} else if (f) {
		f->child = NULL;
		if (!hostd.shutting_down) {
			bool failed = fleet_code(status) != 0;

			fleet_report(f, status);
			if (f->restart == HOSTD_RESTART_ALWAYS ||
			    (f->restart == HOSTD_RESTART_ON_FAILURE && failed)) {
				fleet_schedule(f);
			} else if (!hostd.fleet_ready) {
				hostd_warn("server %s ended before the fleet was ready", f->name);
				hostd_shutdown(1);
			}
		}
	}
	fleet_check_done();
}

static void fleet_kill_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	(void)arg;
	hostd_proc_signal_all(SIGKILL);
}

/* Stop everything: SIGTERM to every child, SIGKILL a second later. */
void hostd_shutdown(int status)
{
	struct timeval tv = {FLEET_KILL_MS / 1000, (FLEET_KILL_MS % 1000) * 1000};

	if (hostd.shutting_down)
		return;
	hostd.shutting_down = true;
	hostd.exit_status = status;
	hostd_attach_close();
	for (size_t i = 0; i < hostd.nfleet; i++)
		if (hostd.fleet[i].timer)
			evtimer_del(hostd.fleet[i].timer);
	hostd_proc_signal_all(SIGTERM);
	hostd.kill_timer = evtimer_new(hostd.base, fleet_kill_cb, NULL);
	if (hostd.kill_timer)
		evtimer_add(hostd.kill_timer, &tv);
	fleet_check_done();
}
