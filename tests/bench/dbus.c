/*
 * dbus.c - the dbus-daemon peer: a private bus (our own config file in the
 * run's temp dir, so no session bus is needed or touched), a server process
 * that answers a method call with sd-bus, and this process calling it with
 * sd-bus. The path of one call is client -> dbus-daemon -> server -> back,
 * the same shape as ours through xous-hostd.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench.h"

#ifdef XOUS_BENCH_DBUS
#include <systemd/sd-bus.h>

#define BENCH_NAME "org.xous.Bench"
#define BENCH_PATH "/org/xous/Bench"

struct dbus_peer {
	sd_bus *bus;
	char addr[512];
};

static int write_config(const char *file, const char *sock)
{
	FILE *f = fopen(file, "w");

	if (!f)
		return -1;
	fprintf(f,
	        "<!DOCTYPE busconfig PUBLIC \"-//freedesktop//DTD D-Bus Bus Configuration "
	        "1.0//EN\"\n \"http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd\">\n"
	        "<busconfig>\n  <type>session</type>\n  <listen>unix:path=%s</listen>\n"
	        "  <auth>EXTERNAL</auth>\n  <policy context=\"default\">\n"
	        "    <allow send_destination=\"*\"/>\n    <allow receive_sender=\"*\"/>\n"
	        "    <allow own=\"*\"/>\n"
	        "  </policy>\n</busconfig>\n",
	        sock);
	return fclose(f);
}

static void show_log(const char *file)
{
	char line[512];
	FILE *f = fopen(file, "r");

	fprintf(stderr, "xous-bench: dbus-daemon did not start:\n");
	while (f && fgets(line, sizeof(line), f))
		fputs(line, stderr);
	if (f)
		fclose(f);
}

/* dbus-daemon --nofork --print-address=FD; the first line on FD is the bus. */
static int start_daemon(struct dbus_peer *d)
{
	char conf[512], sock[512], fdarg[64], cfarg[600], logf[512];
	int pfd[2], log;
	ssize_t n;
	size_t got = 0;

	snprintf(conf, sizeof(conf), "%s/dbus.conf", bench_opts.tmpdir);
	snprintf(sock, sizeof(sock), "%s/dbus.sock", bench_opts.tmpdir);
	if (write_config(conf, sock) != 0 || pipe(pfd) != 0)
		return -1;
	snprintf(fdarg, sizeof(fdarg), "--print-address=%d", pfd[1]);
	snprintf(cfarg, sizeof(cfarg), "--config-file=%s", conf);
	char *argv[] = {"/usr/bin/dbus-daemon", cfarg, "--nofork", fdarg, NULL};
	if (access(argv[0], X_OK) != 0) {
		fprintf(stderr, "xous-bench: no %s, dbus peer skipped\n", argv[0]);
		return -1;
	}
	/* its complaints (it cannot raise its fd limit unprivileged) go to a
	 * log that is shown only if the bus does not come up */
	snprintf(logf, sizeof(logf), "%s/dbus.log", bench_opts.tmpdir);
	log = open(logf, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (bench_spawn(argv, -1, -1, log) < 0)
		return -1;
	if (log >= 0)
		close(log);
	close(pfd[1]);
	while (got < sizeof(d->addr) - 1) {
		n = read(pfd[0], d->addr + got, sizeof(d->addr) - 1 - got);
		if (n <= 0)
			break;
		got += (size_t)n;
		if (memchr(d->addr, '\n', got))
			break;
	}
	close(pfd[0]);
	d->addr[got] = 0;
	d->addr[strcspn(d->addr, "\n")] = 0;
	if (!d->addr[0])
		show_log(logf);
	return d->addr[0] ? 0 : -1;
}

static int open_bus(const char *addr, sd_bus **out)
{
	sd_bus *bus = NULL;
	int r = sd_bus_new(&bus);

	if (r >= 0)
		r = sd_bus_set_address(bus, addr);
	if (r >= 0)
		r = sd_bus_set_bus_client(bus, 1);
	if (r >= 0)
		r = sd_bus_start(bus);
	if (r < 0) {
		fprintf(stderr, "xous-bench: sd-bus connect %s: %s\n", addr, strerror(-r));
		sd_bus_unref(bus);
		return r;
	}
	*out = bus;
	return 0;
}

static int method_ping(sd_bus_message *m, void *userdata, sd_bus_error *err)
{
	uint64_t v;
	int r;

	(void)userdata;
	(void)err;
	r = sd_bus_message_read(m, "t", &v);
	if (r < 0)
		return r;
	return sd_bus_reply_method_return(m, "t", v + 1);
}

static const sd_bus_vtable bench_vtable[] = {
        SD_BUS_VTABLE_START(0),
        SD_BUS_METHOD("Ping", "t", "t", method_ping, SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_VTABLE_END,
};

static void server_main(const char *addr, int ready)
{
	sd_bus *bus;
	int r;

	if (open_bus(addr, &bus) < 0)
		_exit(1);
	r = sd_bus_add_object_vtable(bus, NULL, BENCH_PATH, BENCH_NAME, bench_vtable, NULL);
	if (r >= 0)
		r = sd_bus_request_name(bus, BENCH_NAME, 0);
	if (r < 0) {
		fprintf(stderr, "xous-bench: dbus server: %s\n", strerror(-r));
		_exit(1);
	}
	if (write(ready, "R", 1) != 1)
		_exit(1);
	close(ready);
	for (;;) {
		r = sd_bus_process(bus, NULL);
		if (r < 0)
			_exit(0);
		if (r > 0)
			continue;
		if (sd_bus_wait(bus, UINT64_MAX) < 0)
			_exit(0);
	}
}

struct dbus_peer *dbus_peer_start(void)
{
	struct dbus_peer *d = bench_calloc(sizeof(*d));
	int rfd[2];
	char c;
	pid_t pid;

	if (!d || start_daemon(d) != 0 || pipe(rfd) != 0)
		return NULL;
	pid = bench_fork();
	if (pid == 0) {
		close(rfd[0]);
		server_main(d->addr, rfd[1]);
	}
	close(rfd[1]);
	if (pid < 0 || read(rfd[0], &c, 1) != 1) {
		close(rfd[0]);
		fprintf(stderr, "xous-bench: dbus server did not start\n");
		return NULL;
	}
	close(rfd[0]);
	if (open_bus(d->addr, &d->bus) < 0)
		return NULL;
	return d;
}

int dbus_rt(void *ctx, long n, double *ns, double *rate)
{
	struct dbus_peer *d = ctx;
	uint64_t t0 = bench_now_ns(), v;
	long i;
	int r;

	(void)rate;
	for (i = 0; i < n; i++) {
		sd_bus_error err = SD_BUS_ERROR_NULL;
		sd_bus_message *reply = NULL;
		r = sd_bus_call_method(d->bus, BENCH_NAME, BENCH_PATH, BENCH_NAME, "Ping", &err,
		                       &reply, "t", (uint64_t)i);
		if (r >= 0)
			r = sd_bus_message_read(reply, "t", &v);
		sd_bus_message_unref(reply);
		if (r < 0 || v != (uint64_t)i + 1) {
			fprintf(stderr, "xous-bench: dbus call: %s\n",
			        err.message ? err.message : strerror(-r));
			sd_bus_error_free(&err);
			return -1;
		}
		sd_bus_error_free(&err);
	}
	*ns = (double)(bench_now_ns() - t0) / (double)n;
	return 0;
}

void dbus_peer_stop(struct dbus_peer *d)
{
	if (d && d->bus)
		sd_bus_flush_close_unref(d->bus);
	free(d);
}

#else /* !XOUS_BENCH_DBUS */

struct dbus_peer *dbus_peer_start(void)
{
	fprintf(stderr, "xous-bench: built without libsystemd, dbus peer skipped\n");
	return NULL;
}

int dbus_rt(void *ctx, long n, double *ns, double *rate)
{
	(void)ctx;
	(void)n;
	(void)ns;
	(void)rate;
	return -1;
}

void dbus_peer_stop(struct dbus_peer *d)
{
	(void)d;
}

#endif
