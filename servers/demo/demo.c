/*
 * xous-demo: a tour of the fleet, run by scripts/run under xous-hostd.
 *
 * It registers a server ("demo.echo", served by a thread of this process)
 * through the name server, connects to it by name, and walks through the
 * four caller idioms of Xous, printing what flows:
 *   1. non-synchronizing  Scalar and Move: returns once queued
 *   2. synchronous        BlockingScalar, Borrow, MutableBorrow: waits for the answer
 *   3. asynchronous       a request that returns at once; the answer comes
 *                         later as a push notification to the caller's own server
 *   4. deferred response  the caller blocks, but the server parks the request,
 *                         serves others meanwhile and answers later
 * Then it sleeps on the ticktimer, logs, and reads the time. With --stay it
 * waits forever afterwards, keeping the fleet up (Ctrl-C ends it). With
 * --disk (under xous-hostd --disk IMAGE) it writes a file through fs and
 * reads it back; with --net (under xous-hostd --net) it shows ip's DHCP
 * lease (devices.c).
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <xous.h>
#include <xous/log.h>
#include <xous/names.h>
#include <xous/ticktimer.h>
#include <xous/time.h>

#include "demo.h"

enum {
	OP_QUIT,
	OP_NOTE,      /* Scalar: no answer */
	OP_TAKE,      /* Move: the pages become the server's */
	OP_PING,      /* BlockingScalar: answers a1 + 1 */
	OP_COUNT,     /* Borrow: read only */
	OP_UPPER,     /* MutableBorrow: written in place */
	OP_SUBSCRIBE, /* Scalar: push a notification to "demo.callback" later */
	OP_LATER,     /* BlockingScalar: parked until OP_RELEASE */
	OP_RELEASE,   /* Scalar: answer the parked OP_LATER */
	OP_NOTIFY,    /* to the caller's callback server */
};

static xous_sid_t echo_sid, callback_sid;
static xous_sender_t parked; /* the deferred OP_LATER, 0 if none */
static uintptr_t parked_arg;
static int released; /* a release that came before the request it releases */

static void serve_memory(xous_envelope_t *env)
{
	char *text = env->memory.buf.addr;

	if (env->memory.id == OP_UPPER && env->kind == XOUS_MUTABLE_BORROW) {
		for (size_t i = 0; i < env->memory.valid; i++)
			text[i] = (char)toupper((unsigned char)text[i]);
		SAY("   echo: MutableBorrow, wrote %zu bytes in place\n", env->memory.valid);
	} else if (env->memory.id == OP_COUNT) {
		SAY("   echo: Borrow of %zu bytes, read only: \"%.*s\"\n", env->memory.valid,
		    (int)env->memory.valid, text);
	} else if (env->memory.id == OP_TAKE) {
		SAY("   echo: Move of %zu bytes, mine now: \"%.*s\"\n", env->memory.buf.len,
		    (int)env->memory.valid, text);
	}
}

/* Asynchronous: connect to the caller's server by name and push the answer. */
static void push_notification(uintptr_t value)
{
	xous_cid_t cid;

	if (xns_request_connection("demo.callback", &cid) == XOUS_OK) {
		SAY("   echo: pushing notification(%lu) to \"demo.callback\"\n",
		    (unsigned long)value);
		xous_send_scalar(cid, OP_NOTIFY, value, 0, 0, 0);
	}
}

static void serve_scalar(xous_envelope_t *env)
{
	uintptr_t a1 = env->scalar.arg[0];

	switch (env->scalar.id) {
	case OP_NOTE:
		SAY("   echo: Scalar note(%lu), nobody waits\n", (unsigned long)a1);
		break;
	case OP_PING:
		SAY("   echo: BlockingScalar ping(%lu), answering %lu\n", (unsigned long)a1,
		    (unsigned long)a1 + 1);
		xous_return_scalar(env->sender, a1 + 1);
		break;
	case OP_SUBSCRIBE:
		SAY("   echo: subscribe(%lu) taken; the answer will be pushed\n",
		    (unsigned long)a1);
		push_notification(a1 * 2);
		break;
	case OP_LATER:
		if (released) {
			xous_return_scalar(env->sender, a1 * 10);
			break;
		}
		SAY("   echo: BlockingScalar later(%lu) parked; serving others meanwhile\n",
		    (unsigned long)a1);
		parked = env->sender; /* kept, not answered: the caller stays blocked */
		parked_arg = a1;
		break;
	case OP_RELEASE:
		if (parked == 0) {
			released = 1;
			break;
		}
		SAY("   echo: release: answering the parked later(%lu)\n",
		    (unsigned long)parked_arg);
		xous_return_scalar(parked, parked_arg * 10);
		parked = 0;
		break;
	}
}

/* The echo server: a thread of this process receiving on echo_sid. */
static void *echo_server(void *arg)
{
	xous_envelope_t env;

	(void)arg;
	while (xous_receive_message(&echo_sid, &env) == XOUS_OK) {
		if (env.kind == XOUS_SCALAR && env.scalar.id == OP_QUIT)
			break;
		if (env.kind == XOUS_SCALAR || env.kind == XOUS_BLOCKING_SCALAR)
			serve_scalar(&env);
		else
			serve_memory(&env);
		if (env.sender != parked)         /* a parked request is answered later */
			xous_envelope_done(&env); /* answers what was not answered above */
	}
	SAY("   echo: quit\n");
	return NULL;
}

int check(const char *what, xous_err_t err)
{
	if (err)
		SAY("demo: %s failed: %s\n", what, xous_strerror(err));
	return err != XOUS_OK;
}

static int non_synchronizing(xous_cid_t cid)
{
	xous_range_t page;

	SAY("\n1. non-synchronizing: fire and forget\n-> Scalar note(7)\n");
	if (check("send_scalar", xous_send_scalar(cid, OP_NOTE, 7, 0, 0, 0)) ||
	    check("map_memory", xous_map_memory(XOUS_PAGE_SIZE, XOUS_MEM_R | XOUS_MEM_W, &page)))
		return 1;
	strcpy(page.addr, "a page to give away");
	SAY("-> Move of one page (it leaves this process)\n");
	return check("send_memory", xous_send_memory(cid, OP_TAKE, page, 0, 19));
}

static int synchronous(xous_cid_t cid)
{
	const char *hello = "hello, xous";
	xous_scalar_reply_t r;
	xous_range_t buf;
	size_t off, valid;

	SAY("\n2. synchronous: block until answered\n-> BlockingScalar ping(41)\n");
	if (check("blocking_scalar", xous_blocking_scalar(cid, OP_PING, 41, 0, 0, 0, &r)))
		return 1;
	SAY("<- Scalar1(%lu)\n", (unsigned long)r.v[0]);
	if (check("map_memory", xous_map_memory(XOUS_PAGE_SIZE, XOUS_MEM_R | XOUS_MEM_W, &buf)))
		return 1;
	strcpy(buf.addr, hello);
	SAY("-> Borrow \"%s\"\n", hello);
	if (check("lend", xous_lend(cid, OP_COUNT, buf, 0, strlen(hello), &off, &valid)))
		return 1;
	SAY("<- returned\n-> MutableBorrow \"%s\"\n", hello);
	if (check("lend_mut", xous_lend_mut(cid, OP_UPPER, buf, 0, strlen(hello), &off, &valid)))
		return 1;
	SAY("<- \"%.*s\"\n", (int)valid, (char *)buf.addr);
	return check("unmap_memory", xous_unmap_memory(buf));
}

static int asynchronous(xous_cid_t cid)
{
	xous_envelope_t env;

	SAY("\n3. asynchronous: the answer comes later, pushed\n");
	if (check("xns_register_name", xns_register_name("demo.callback", 1, &callback_sid)))
		return 1;
	SAY("-> Scalar subscribe(21), then free to do other work\n");
	if (check("send_scalar", xous_send_scalar(cid, OP_SUBSCRIBE, 21, 0, 0, 0)) ||
	    check("receive", xous_receive_message(&callback_sid, &env)))
		return 1;
	SAY("<- notification(%lu) on our own server\n", (unsigned long)env.scalar.arg[0]);
	return check("xns_unregister", xns_unregister(&callback_sid));
}

static void *later_caller(void *arg)
{
	xous_scalar_reply_t r;
	xous_cid_t cid = (xous_cid_t)(uintptr_t)arg;

	SAY("-> [thread] BlockingScalar later(5), blocks\n");
	if (xous_blocking_scalar(cid, OP_LATER, 5, 0, 0, 0, &r) == XOUS_OK)
		SAY("<- [thread] Scalar1(%lu), at last\n", (unsigned long)r.v[0]);
	return NULL;
}

static int deferred(xous_cid_t cid)
{
	xous_scalar_reply_t r;
	xous_tid_t tid;

	SAY("\n4. deferred response: the caller blocks, the server does not\n");
	if (check("create_thread",
	          xous_create_thread(later_caller, (void *)(uintptr_t)cid, &tid)) ||
	    check("tt_sleep_ms", tt_sleep_ms(50)))
		return 1;
	SAY("-> BlockingScalar ping(1) while later(5) is parked\n");
	if (check("blocking_scalar", xous_blocking_scalar(cid, OP_PING, 1, 0, 0, 0, &r)))
		return 1;
	SAY("<- Scalar1(%lu)\n-> Scalar release\n", (unsigned long)r.v[0]);
	return check("send_scalar", xous_send_scalar(cid, OP_RELEASE, 0, 0, 0, 0)) ||
	       check("join_thread", xous_join_thread(tid, NULL));
}

static int fleet_services(void)
{
	uint64_t t0, t1, utc;
	time_t secs;
	char when[64];

	SAY("\nthe well-known servers\n-> ticktimer: sleep 100 ms\n");
	if (check("tt_elapsed_ms", tt_elapsed_ms(&t0)) || check("tt_sleep_ms", tt_sleep_ms(100)) ||
	    check("tt_elapsed_ms", tt_elapsed_ms(&t1)))
		return 1;
	SAY("<- woke after %llu ms (ticktimer uptime %llu ms)\n", (unsigned long long)(t1 - t0),
	    (unsigned long long)t1);
	if (check("xtime_utc_ms", xtime_utc_ms(&utc)))
		return 1;
	secs = (time_t)(utc / 1000);
	strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S", gmtime(&secs));
	SAY("<- time server: %s.%03u UTC\n-> log server: one record\n", when,
	    (unsigned)(utc % 1000));
	return check("xlog", xlog(XLOG_INFO, "demo: four idioms shown, every call answered"));
}

int main(int argc, char **argv)
{
	int stay = 0, disk = 0, net = 0;
	xous_cid_t cid;
	xous_tid_t tid;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--stay"))
			stay = 1;
		else if (!strcmp(argv[i], "--disk"))
			disk = 1;
		else if (!strcmp(argv[i], "--net"))
			net = 1;
		else {
			fprintf(stderr,
			        "xous-demo: unknown argument '%s' (--stay, --disk, --net)\n",
			        argv[i]);
			return 2;
		}
	}
	SAY("demo: pid %u registers \"demo.echo\" with the name server\n",
	    (unsigned)xous_process_id());
	if (check("xns_register_name", xns_register_name("demo.echo", 0, &echo_sid)) ||
	    check("create_thread", xous_create_thread(echo_server, NULL, &tid)) ||
	    check("connect", xns_request_connection_blocking("demo.echo", &cid)))
		return 1;
	SAY("demo: connected to \"demo.echo\" by name: cid %u\n", (unsigned)cid);
	if (non_synchronizing(cid) || synchronous(cid) || asynchronous(cid) || deferred(cid) ||
	    fleet_services() || (disk && demo_disk()) || (net && demo_net()))
		return 1;
	xous_send_scalar(cid, OP_QUIT, 0, 0, 0, 0);
	if (check("join_thread", xous_join_thread(tid, NULL)) ||
	    check("xns_unregister", xns_unregister(&echo_sid)))
		return 1;
	SAY("demo: done\n");
	if (stay) {
		SAY("demo: --stay: the fleet keeps running; Ctrl-C stops it\n");
		for (;;)
			tt_sleep_ms(3600u * 1000u);
	}
	return 0;
}
