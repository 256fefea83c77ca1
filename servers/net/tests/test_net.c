/* servers.net.*: the net server's dispatch and delivery, the device a recording table. */
#include <check.h>
#include <string.h>

#include "net.h"
#include "recorder.h"

#define CLIENT 7

static struct net_srv st;
static uint8_t sent[4][NET_FRAME_MAX];
static size_t sent_len[4], nsent, ndelivered, ndisconnected;
static xous_cid_t delivered_to[8];
static uint32_t delivered_op[8];
static xous_err_t deliver_err; /* what the next deliveries answer */
static xous_err_t tx_err;
static uint32_t gone_sid; /* connect to a server whose w[0] is this fails */

static xous_err_t t_tx(void *ctx, const void *frame, size_t len)
{
	(void)ctx;
	if (tx_err)
		return tx_err;
	memcpy(sent[nsent % 4], frame, len);
	sent_len[nsent++ % 4] = len;
	return XOUS_OK;
}

static xous_err_t t_connect(void *ctx, const xous_sid_t *sid, xous_cid_t *cid)
{
	(void)ctx;
	if (gone_sid && sid->w[0] == gone_sid)
		return XOUS_ERR_SERVER_NOT_FOUND;
	*cid = sid->w[0] + 100;
	return XOUS_OK;
}

static void t_disconnect(void *ctx, xous_cid_t cid)
{
	(void)ctx;
	(void)cid;
	ndisconnected++;
}

static xous_err_t t_deliver(void *ctx, xous_cid_t cid, uint32_t opcode, const void *frame,
                            size_t len)
{
	(void)ctx;
	(void)frame;
	(void)len;
	if (deliver_err)
		return deliver_err;
	delivered_to[ndelivered % 8] = cid;
	delivered_op[ndelivered++ % 8] = opcode;
	return XOUS_OK;
}

static void setup(void)
{
	static const struct net_ops ops = {NULL,      t_tx, t_connect, t_disconnect,
	                                   t_deliver, NULL, NULL};
	static const uint8_t mac[6] = {0x52, 0x54, 0, 0x12, 0x34, 0x56};

	rec_reset();
	net_init(&st, &ops, mac);
	nsent = ndelivered = ndisconnected = 0;
	deliver_err = tx_err = XOUS_OK;
	gone_sid = 0;
}

static xous_err_t listen_as(xous_pid_t pid, uint32_t sid0, uint32_t opcode)
{
	struct net_listen_req req = {{sid0, 2, 3, 4}, opcode};
	xous_envelope_t e = rec_memory(XOUS_BORROW, pid, 1, NET_OP_LISTEN, NULL, &req, sizeof(req));

	rec_dispatched(&e, net_dispatch(&st, &e));
	ck_assert_uint_eq(rec_last()->kind, REC_MEMORY);
	return (xous_err_t)rec_last()->v1;
}

static void tx_frame(enum xous_kind kind, size_t len)
{
	static uint8_t frame[NET_FRAME_MAX + 1];
	xous_envelope_t e;

	memset(frame, 0xab, sizeof(frame));
	e = rec_memory(kind, CLIENT, 2, NET_OP_TX, NULL, frame, len);
	rec_dispatched(&e, net_dispatch(&st, &e));
}

static uintptr_t stats(int word)
{
	xous_envelope_t e = rec_scalar(XOUS_BLOCKING_SCALAR, CLIENT, 3, NET_OP_STATS, 0, 0, 0);
	xous_answer_t a = net_dispatch(&st, &e);

	ck_assert_uint_eq(a.kind, XOUS_ANSWER_SCALAR5);
	return a.v[word];
}

START_TEST(mac_answers_the_address_in_two_words)
{
	xous_envelope_t e = rec_scalar(XOUS_BLOCKING_SCALAR, CLIENT, 1, NET_OP_MAC, 0, 0, 0);

	rec_dispatched(&e, net_dispatch(&st, &e));
	ck_assert_uint_eq(rec_last()->kind, REC_SCALAR2);
	ck_assert_uint_eq(rec_last()->v1, 0x12005452);
	ck_assert_uint_eq(rec_last()->v2, 0x5634);
}
END_TEST

START_TEST(tx_sends_frames_of_ethernet_sizes_only)
{
	tx_frame(XOUS_MOVE, NET_FRAME_MIN);
	tx_frame(XOUS_MOVE, NET_FRAME_MAX);
	ck_assert_uint_eq(nsent, 2);
	ck_assert_uint_eq(sent_len[0], NET_FRAME_MIN);
	ck_assert_uint_eq(sent_len[1], NET_FRAME_MAX);
	ck_assert_uint_eq(sent[1][NET_FRAME_MAX - 1], 0xab);
	tx_frame(XOUS_MOVE, NET_FRAME_MIN - 1);
	tx_frame(XOUS_MOVE, NET_FRAME_MAX + 1);
	tx_frame(XOUS_BORROW, 60); /* a lend is not a frame to keep */
	ck_assert_uint_eq(rec_last()->kind, REC_DONE);
	tx_err = XOUS_ERR_INTERNAL_ERROR;
	tx_frame(XOUS_MOVE, 60);
	ck_assert_uint_eq(nsent, 2);
	ck_assert_uint_eq(stats(1), 2);
	ck_assert_uint_eq(stats(3), 4);
}
END_TEST

START_TEST(received_frames_reach_every_listener_with_its_opcode)
{
	uint8_t frame[60] = {0};

	net_deliver(&st, frame, sizeof(frame));
	ck_assert_uint_eq(stats(2), 1); /* nobody listened */
	ck_assert_int_eq(listen_as(CLIENT, 10, 5), XOUS_OK);
	ck_assert_int_eq(listen_as(CLIENT + 1, 20, 6), XOUS_OK);
	net_deliver(&st, frame, sizeof(frame));
	ck_assert_uint_eq(ndelivered, 2);
	ck_assert_uint_eq(delivered_to[0], 110);
	ck_assert_uint_eq(delivered_op[0], 5);
	ck_assert_uint_eq(delivered_to[1], 120);
	ck_assert_uint_eq(delivered_op[1], 6);
	ck_assert_int_eq(listen_as(CLIENT, 10, 9), XOUS_OK); /* again: a new opcode */
	net_deliver(&st, frame, sizeof(frame));
	ck_assert_uint_eq(delivered_op[2], 9);
	ck_assert_uint_eq(stats(0), 3);
	ck_assert_uint_eq(stats(4), 2);
}
END_TEST

START_TEST(a_listener_whose_server_is_gone_is_dropped)
{
	uint8_t frame[60] = {0};

	ck_assert_int_eq(listen_as(CLIENT, 10, 5), XOUS_OK);
	deliver_err = XOUS_ERR_SERVER_QUEUE_FULL; /* full: kept */
	net_deliver(&st, frame, sizeof(frame));
	ck_assert_uint_eq(stats(4), 1);
	deliver_err = XOUS_ERR_SERVER_NOT_FOUND;
	net_deliver(&st, frame, sizeof(frame));
	ck_assert_uint_eq(stats(4), 0);
	ck_assert_uint_eq(ndisconnected, 1);
	ck_assert_uint_eq(stats(2), 2);
	gone_sid = 30;
	ck_assert_int_eq(listen_as(CLIENT, 30, 5), XOUS_ERR_SERVER_NOT_FOUND);
}
END_TEST

START_TEST(listeners_are_limited_per_client_and_in_all)
{
	uint32_t sid = 1;

	for (int i = 0; i < NET_MAX_PER_CLIENT; i++)
		ck_assert_int_eq(listen_as(CLIENT, sid++, 1), XOUS_OK);
	ck_assert_int_eq(listen_as(CLIENT, sid++, 1), XOUS_ERR_OUT_OF_MEMORY);
	for (xous_pid_t p = 20; stats(4) < NET_MAX_LISTENERS; p++)
		ck_assert_int_eq(listen_as(p, sid++, 1), XOUS_OK);
	ck_assert_int_eq(listen_as(99, sid++, 1), XOUS_ERR_OUT_OF_MEMORY);
}
END_TEST

START_TEST(malformed_requests_are_refused)
{
	xous_envelope_t e = rec_memory(XOUS_BORROW, CLIENT, 1, NET_OP_LISTEN, NULL, "abc", 3);
	xous_envelope_t s = rec_scalar(XOUS_SCALAR, CLIENT, 2, NET_OP_LISTEN, 1, 2, 3);
	xous_envelope_t u = rec_scalar(XOUS_BLOCKING_SCALAR, CLIENT, 3, 77, 0, 0, 0);

	rec_dispatched(&e, net_dispatch(&st, &e));
	ck_assert_uint_eq(rec_last()->kind, REC_MEMORY);
	ck_assert_uint_eq(rec_last()->v1, XOUS_ERR_INVALID_ARGUMENT);
	rec_dispatched(&s, net_dispatch(&st, &s));
	rec_dispatched(&u, net_dispatch(&st, &u));
	ck_assert_uint_eq(rec_last()->kind, REC_DONE); /* the caller fails, UNAVAILABLE */
	ck_assert_uint_eq(stats(4), 0);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("servers.net");

	ADD(s, mac_answers_the_address_in_two_words);
	ADD(s, tx_sends_frames_of_ethernet_sizes_only);
	ADD(s, received_frames_reach_every_listener_with_its_opcode);
	ADD(s, a_listener_whose_server_is_gone_is_dropped);
	ADD(s, listeners_are_limited_per_client_and_in_all);
	ADD(s, malformed_requests_are_refused);
	return rec_run(s);
}
