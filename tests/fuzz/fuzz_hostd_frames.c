/*
 * fuzz_hostd_frames.c - fuzz target `hostd_frames`: the broker's frame
 * handling (its library hostd_core and kcore, in-process) driven by fake
 * peers on socketpairs.
 *
 * Records (op % 8):
 *   0  a new process: a connection on the attach path, XH_HELLO with the
 *      right key (or a wrong one)
 *   1  a raw frame on a peer: any magic, type, flags, aux and words, maybe
 *      with an fd (a memfd, a socket, /dev/null)
 *   2  a datagram of the wrong size
 *   3  a peer dies (its socket closes), mid-sequence
 *   4  a new thread connection (XH_ATTACH_THREAD or CreateThread)
 *   5  the peers read their results (and close the fds that came with them)
 *   6  a well-formed syscall: servers, connects, sends with sealed memfds
 *      (or Scalars sent ahead), receives (and ReceiveMany), answers with
 *      tokens seen in envelopes
 *   7  a peer shuts down its writing side
 * An input of odd length runs the broker with --strict-lend (every lend
 * copied). After each record the broker's loop runs until idle. At the end every peer
 * dies; kcore must be back at its baseline, every hello connection gone and
 * the broker's fds back to their count before the input. A broken
 * invariant inside the broker (hostd_fatal) exits, which the fuzzer reports.
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include <event2/event.h>

#include "fuzz_input.h"
#include "hostd.h"
#include "hostframe_io.h"

#define MAX_PEERS 12
#define KEY0      0x0123456789abcdefull
#define KEY1      0xfedcba9876543210ull

static int peers[MAX_PEERS]; /* our end, or -1 */
static kc_word tokens[8];
static unsigned ntokens;
static int base_fds;

static int count_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	int n = 0;

	FZ_CHECK(d != NULL);
	while ((e = readdir(d)) != NULL)
		n += e->d_name[0] != '.';
	closedir(d);
	return n;
}

static void broker_init(void)
{
	memset(&hostd, 0, sizeof(hostd));
	hostd.listen_fd = -1;
	hostd.base = event_base_new();
	FZ_CHECK(hostd.base != NULL);
	hostd_route_init();
	hostd.key[0] = KEY0;
	hostd.key[1] = KEY1;
	hostd.trace = getenv("XOUS_HOSTD_TRACE") != NULL; /* to read what an input does */
}

/* Let the broker handle everything that is ready. */
static void broker_run(void)
{
	int i;

	for (i = 0; i < 8; i++)
		event_base_loop(hostd.base, EVLOOP_NONBLOCK);
}

static int free_slot(void)
{
	int i;

	for (i = 0; i < MAX_PEERS; i++)
		if (peers[i] < 0)
			return i;
	return -1;
}

static int pick_peer(struct fz *f)
{
	uint8_t sel = fz_u8(f);
	int i, n = 0, live[MAX_PEERS];

	for (i = 0; i < MAX_PEERS; i++)
		if (peers[i] >= 0)
			live[n++] = i;
	return n ? live[sel % n] : -1;
}

/* A frame, its fd (if >= 0) and plen bytes after it (a copied lend). */
static void send_frame_bytes(int sock, const struct xh_frame *fr, int fd, size_t plen)
{
	static const uint8_t bytes[XH_INLINE_MAX + XOUS_PAGE_SIZE];

	/* a full or closed socket: dropped */
	xh_frame_send(sock, fr, sizeof(*fr), bytes, plen, fd, MSG_DONTWAIT);
	if (fd >= 0)
		close(fd); /* the broker has its own copy now */
}

static void send_frame(int sock, const struct xh_frame *fr, int fd)
{
	send_frame_bytes(sock, fr, fd, 0);
}

/* A new connection pair; the broker's end is returned through *theirs. */
static int new_peer(int *theirs)
{
	int sv[2], slot = free_slot();

	if (slot < 0 || socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
		return -1;
	peers[slot] = sv[1];
	*theirs = sv[0];
	return slot;
}

static void op_process(struct fz *f)
{
	struct xh_frame fr = {.magic = XH_MAGIC, .type = XH_HELLO};
	int theirs, slot = new_peer(&theirs);

	if (slot < 0)
		return;
	hostd_conn_new(theirs, HOSTD_CONN_HELLO, NULL, KC_NO_THREAD);
	fr.w[0] = KEY0;
	fr.w[1] = fz_u8(f) == 0xff ? 0 : KEY1; /* now and then a wrong key */
	send_frame(peers[slot], &fr, -1);
}

/* An fd to travel with a frame: a memfd of some pages (sealed as the broker
 * wants it, or not quite), a socket, or junk. */
static int make_fd(struct fz *f, uint8_t how)
{
	int fd, sv[2];

	switch (how % 4) {
	case 0: {
		size_t pages = 1 + fz_u8(f) % 4;

		fd = memfd_create("fuzz", MFD_CLOEXEC | MFD_ALLOW_SEALING);
		if (fd < 0 || ftruncate(fd, (off_t)(pages * XOUS_PAGE_SIZE)) < 0)
			return fd;
		if (!(how & 4)) /* how & 8: a memfd that could still take seals (refused) */
			fcntl(fd, F_ADD_SEALS,
			      F_SEAL_SHRINK | F_SEAL_GROW | ((how & 8) ? 0 : F_SEAL_SEAL));
		return fd;
	}
	case 1:
		if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
			return -1;
		close(sv[1]); /* a thread that is already gone */
		return sv[0];
	case 2:
		return open("/dev/null", O_RDWR | O_CLOEXEC);
	default:
		return -1;
	}
}

static uint64_t pick_word(struct fz *f)
{
	uint8_t b = fz_u8(f);

	if (b < 0x80)
		return b % 48;
	if (b < 0xc0 && ntokens)
		return tokens[b % (ntokens < 8 ? ntokens : 8)];
	if (b < 0xf0)
		return (uint64_t)(b - 0xc0) * XOUS_PAGE_SIZE;
	return fz_u64(f);
}

static void op_raw(struct fz *f)
{
	struct xh_frame fr;
	int p = pick_peer(f), i;
	uint8_t how = fz_u8(f);

	memset(&fr, 0, sizeof(fr));
	fr.magic = how & 0x80 ? fz_u32(f) : XH_MAGIC;
	fr.type = how & 0x40 ? fz_u16(f) : 1 + how % 4;
	fr.flags = how & 0x20 ? fz_u16(f) : 0;
	fr.aux = pick_word(f);
	for (i = 0; i < 8; i++)
		fr.w[i] = pick_word(f);
	if (p >= 0) {
		int fd = how & 0x10 ? make_fd(f, fz_u8(f)) : -1;

		if (fd >= 0 && !(how & 0x08))
			fr.flags |= XH_F_FD;
		send_frame(peers[p], &fr, fd);
	}
}

static void op_bad_size(struct fz *f)
{
	uint8_t buf[200] = {0};
	int p = pick_peer(f);
	size_t n = fz_u8(f) % sizeof(buf);

	memcpy(buf, &(uint32_t){XH_MAGIC}, 4);
	if (p >= 0 && n != sizeof(struct xh_frame))
		send(peers[p], buf, n, MSG_DONTWAIT | MSG_NOSIGNAL);
}

static void op_die(struct fz *f)
{
	int p = pick_peer(f);

	if (p >= 0) {
		close(peers[p]);
		peers[p] = -1;
	}
}

static void op_thread(struct fz *f)
{
	struct xh_frame fr = {.magic = XH_MAGIC};
	int p = pick_peer(f), theirs, slot;
	uint8_t how = fz_u8(f);

	if (p < 0 || (slot = new_peer(&theirs)) < 0)
		return;
	fr.flags = XH_F_FD;
	if (how & 1) {
		fr.type = XH_ATTACH_THREAD;
	} else {
		fr.type = XH_SYSCALL;
		fr.w[0] = XOUS_SYS_CREATE_THREAD;
	}
	send_frame(peers[p], &fr, theirs);
}

/* What the broker sends: one frame, or a ReceiveMany's packet of envelopes
 * (never with an fd), or one result with a copied MutableBorrow's bytes
 * after it (whole pages, at most XH_INLINE_MAX). */
static void read_results(int p)
{
	static uint8_t rest[XH_INLINE_MAX];
	struct xh_frame frs[KC_RECEIVE_MANY];

	for (;;) {
		struct xh_frame_fd in;
		ssize_t n = xh_frame_recv(peers[p], frs, sizeof(frs), rest, sizeof(rest),
		                          MSG_DONTWAIT, &in);
		size_t k = n > 0 ? (size_t)n / sizeof(frs[0]) : 0;

		if (in.fd >= 0)
			close(in.fd);
		if (n <= 0)
			return;
		FZ_CHECK(!in.lost && (size_t)n <= sizeof(frs) + sizeof(rest));
		if (frs[0].flags & XH_F_INLINE) {
			size_t plen = (size_t)n - sizeof(frs[0]);
			FZ_CHECK(frs[0].type == XH_RESULT && plen > 0 && plen <= XH_INLINE_MAX &&
			         plen % XOUS_PAGE_SIZE == 0);
			FZ_CHECK(frs[0].w[0] == XOUS_RESULT_MEMORY_RETURNED ||
			         frs[0].w[0] == XOUS_RESULT_ERROR);
			k = 1;
			n = sizeof(frs[0]);
		}
		FZ_CHECK(k >= 1 && (size_t)n == k * sizeof(frs[0]));
		FZ_CHECK(k == 1 || in.fd < 0);
		for (size_t i = 0; i < k; i++) {
			const struct xh_frame *fr = &frs[i];

			FZ_CHECK(fr->magic == XH_MAGIC &&
			         (fr->type == XH_RESULT || (k == 1 && fr->type == XH_WITHDRAW)));
			FZ_CHECK(k == 1 || fr->w[0] == XOUS_RESULT_MESSAGE_ENVELOPE);
			if (fr->type == XH_WITHDRAW)
				continue; /* w[0] is a cid */
			if (fr->w[0] == XOUS_RESULT_MESSAGE_ENVELOPE)
				tokens[ntokens++ % 8] = fr->w[1];
			if (fr->w[0] == XOUS_RESULT_ERROR)
				FZ_CHECK(fr->w[1] > 0 && fr->w[1] <= XOUS_ERR_MAX);
		}
	}
}

static void op_read(void)
{
	int i;

	for (i = 0; i < MAX_PEERS; i++)
		if (peers[i] >= 0)
			read_results(i);
}

static const uint16_t calls[] = {
        XOUS_SYS_CREATE_SERVER_WITH_ADDRESS,
        XOUS_SYS_CREATE_SERVER,
        XOUS_SYS_CONNECT,
        XOUS_SYS_TRY_CONNECT,
        XOUS_SYS_SEND_MESSAGE,
        XOUS_SYS_TRY_SEND_MESSAGE,
        XOUS_SYS_RECEIVE_MESSAGE,
        XOUS_SYS_RETURN_MEMORY,
        XOUS_SYS_RETURN_SCALAR1,
        XOUS_SYS_REPLY_AND_RECEIVE_NEXT,
        XOUS_SYS_DESTROY_SERVER,
        XOUS_SYS_DISCONNECT,
        XOUS_SYS_JOIN_THREAD,
        XOUS_SYS_TERMINATE_PROCESS,
        XOUS_SYS_RECEIVE_MANY,
};

static void op_syscall(struct fz *f)
{
	struct xh_frame fr = {.magic = XH_MAGIC, .type = XH_SYSCALL};
	int p = pick_peer(f), fd = -1, i;
	uint8_t sel = fz_u8(f);
	size_t plen = 0;

	fr.w[0] = calls[sel % (sizeof(calls) / sizeof(calls[0]))];
	for (i = 1; i < 8; i++)
		fr.w[i] = fz_u8(f) % 4; /* sids 0..3 words: a few servers that collide */
	if (fr.w[0] == XOUS_SYS_SEND_MESSAGE || fr.w[0] == XOUS_SYS_TRY_SEND_MESSAGE) {
		fr.w[1] = 1 + fz_u8(f) % 3;
		fr.w[2] = 1 + fz_u8(f) % 5;
		if (fr.w[2] <= XOUS_KIND_MOVE) {
			fr.w[4] = 0x10000000;
			fr.w[5] = XOUS_PAGE_SIZE * (1 + fz_u8(f) % 2);
			fr.w[6] = 0;
			fr.w[7] = fz_u8(f);
			uint8_t how = fz_u8(f);
			if (how & 1) { /* copied: the bytes, or a wrong number of them */
				fr.flags = XH_F_INLINE;
				plen = how & 2 ? fr.w[5]
				               : (size_t)fz_u16(f) %
				                         (XH_INLINE_MAX + XOUS_PAGE_SIZE);
			} else {
				fd = make_fd(f, 0);
				if (fd >= 0)
					fr.flags = XH_F_FD;
			}
		} else if (fr.w[2] == XOUS_KIND_SCALAR && (fz_u8(f) & 1)) {
			fr.flags = XH_F_AHEAD; /* on a slot, or a quiet try without one */
		}
	} else if (fr.w[0] == XOUS_SYS_RETURN_MEMORY || fr.w[0] == XOUS_SYS_RETURN_SCALAR1) {
		fr.w[1] = ntokens ? tokens[fz_u8(f) % (ntokens < 8 ? ntokens : 8)] : 0;
	} else if (fr.w[0] == XOUS_SYS_REPLY_AND_RECEIVE_NEXT) {
		fr.w[5] = ntokens ? tokens[fz_u8(f) % (ntokens < 8 ? ntokens : 8)] : 0;
	}
	if (p >= 0)
		send_frame_bytes(peers[p], &fr, fd, plen);
	else if (fd >= 0)
		close(fd);
}

static void op_shutdown(struct fz *f)
{
	int p = pick_peer(f);

	if (p >= 0)
		shutdown(peers[p], SHUT_WR);
}

/* Every peer dies; the broker must be back where it started. */
static void check_baseline(void)
{
	struct kc_counts c;
	int i;

	for (i = 0; i < MAX_PEERS; i++) {
		if (peers[i] >= 0)
			close(peers[i]);
		peers[i] = -1;
	}
	broker_run();
	hostd_run_pending();
	hostd_gc();
	kc_counts(hostd.kc, &c);
	FZ_CHECK(c.procs == 1 && c.threads == 0 && c.servers == 0 && c.msgs == 0);
	FZ_CHECK(c.lent_bytes == 0);
	FZ_CHECK(LIST_EMPTY(&hostd.hellos) && SLIST_EMPTY(&hostd.pending_conns) &&
	         SLIST_EMPTY(&hostd.pending_procs));
	FZ_CHECK(count_fds() == base_fds);   /* no fd kept by the broker */
	FZ_CHECK(hostd_inline_count() == 0); /* every copied lend's record is free */
	for (i = 1; i <= KC_MAX_PROCS; i++)
		FZ_CHECK(hostd.procs[i].pool == NULL); /* and every pool gone with its process */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int ready;
	struct fz f = {data, size};
	unsigned records = 0;
	int i;

	if (!ready) {
		broker_init();
		ready = 1;
	}
	base_fds = count_fds();       /* every input ends with the broker back at this */
	hostd.strict_lend = size % 2; /* both lending modes (--strict-lend), no byte taken */
	for (i = 0; i < MAX_PEERS; i++)
		peers[i] = -1;
	ntokens = 0;
	while (fz_left(&f) && records++ < 256) {
		switch (fz_u8(&f) % 8) {
		case 0:
			op_process(&f);
			break;
		case 1:
			op_raw(&f);
			break;
		case 2:
			op_bad_size(&f);
			break;
		case 3:
			op_die(&f);
			break;
		case 4:
			op_thread(&f);
			break;
		case 5:
			op_read();
			break;
		case 6:
			op_syscall(&f);
			break;
		default:
			op_shutdown(&f);
			break;
		}
		broker_run();
	}
	check_baseline();
	return 0;
}
