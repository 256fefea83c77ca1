/*
 * fault_forgery.c - a page fault's shape is no way around "offset <= len".
 *
 * A page fault (CONTRACT section 7) is a MutableBorrow of one page, opcode
 * GLOBAL_PAGE_FAULT, whose offset is the faulting address and so lies past
 * its len. The broker admits that shape only from the process's fault
 * thread (FaultThread, xous/abi.h) to the process's pager. A raw process
 * (the wire format by hand, so that no check of the library stands in the
 * way) sends it to two servers of this process:
 *   - from its thread to a server: INVALID_ARGUMENT;
 *   - the same toward the server it made its pager: INVALID_ARGUMENT;
 *   - its thread named the fault thread (once: ALREADY_EXISTS the second
 *     time), toward the other server: INVALID_ARGUMENT; toward its pager:
 *     delivered with the address; another opcode with an offset past its
 *     len, even there: INVALID_ARGUMENT.
 * Neither server receives any message but that one page fault. And
 * libxous-host's xous_lend_mut refuses the shape itself.
 */
#include <fcntl.h>
#include <pthread.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "itest.h"
#include "raw.h"

#define OP_QUIT    1
#define FAULT_PAGE 0x10000000u
#define FAULT_ADDR (FAULT_PAGE + 0x123u)

/* A server of this process and what it received. */
struct served {
	xous_sid_t sid;
	xous_cid_t cid;
	xous_tid_t tid;
	int faults, others;
	size_t offset, valid; /* of the last page fault */
};

static void *serve(void *arg)
{
	struct served *s = arg;
	xous_envelope_t env;

	while (xous_receive_message(&s->sid, &env) == XOUS_OK) {
		if (env.kind == XOUS_SCALAR && env.scalar.id == OP_QUIT)
			break;
		if (env.kind == XOUS_MUTABLE_BORROW && env.memory.id == XOUS_PAGE_FAULT_ID) {
			s->faults++;
			s->offset = env.memory.offset;
			s->valid = env.memory.valid;
		} else {
			s->others++;
		}
		xous_envelope_done(&env);
	}
	return NULL;
}

static void serve_start(struct served *s)
{
	memset(s, 0, sizeof(*s));
	REQUIRE(xous_create_server(&s->sid) == XOUS_OK && xous_connect(&s->sid, &s->cid) == XOUS_OK,
	        "create a server");
	REQUIRE(xous_create_thread(serve, s, &s->tid) == XOUS_OK, "serve it");
}

static void serve_stop(struct served *s)
{
	xous_send_scalar(s->cid, OP_QUIT, 0, 0, 0, 0);
	xous_join_thread(s->tid, NULL);
	xous_disconnect(s->cid);
	xous_destroy_server(&s->sid);
}

/* The raw process's syscall w (with fd if >= 0): its answer. */
static struct xh_frame raw_call(int s, const uint64_t w[8], int fd)
{
	struct xh_frame r = {0};

	REQUIRE(raw_syscall(s, w, fd, &r) == 1, "the broker answers syscall %llu",
	        (unsigned long long)w[0]);
	return r;
}

/* The raw process sends cid a MutableBorrow of one page of a sealed memfd,
 * opcode id, offset FAULT_ADDR: Ok for the page answered, or the error
 * (INTERNAL_ERROR for another answer). */
static xous_err_t raw_fault(int s, uint64_t cid, uint64_t id)
{
	int fd = memfd_create("fault", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	uint64_t w[8] = {XOUS_SYS_SEND_MESSAGE,
	                 cid,
	                 XOUS_KIND_MUTABLE_BORROW,
	                 id,
	                 FAULT_PAGE,
	                 XOUS_PAGE_SIZE,
	                 FAULT_ADDR,
	                 1};
	struct xh_frame r;

	REQUIRE(fd >= 0 && ftruncate(fd, XOUS_PAGE_SIZE) == 0 &&
	                fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL) == 0,
	        "a sealed memfd of one page");
	r = raw_call(s, w, fd);
	close(fd);
	if (r.w[0] == XOUS_RESULT_ERROR)
		return (xous_err_t)r.w[1];
	return r.w[0] == XOUS_RESULT_MEMORY_RETURNED ? XOUS_OK : XOUS_ERR_INTERNAL_ERROR;
}

/* The raw process's connection to sid. */
static uint64_t raw_connect_to(int s, const xous_sid_t *sid)
{
	uint64_t w[8] = {XOUS_SYS_CONNECT, sid->w[0], sid->w[1], sid->w[2], sid->w[3]};
	struct xh_frame r = raw_call(s, w, -1);

	REQUIRE(r.w[0] == XOUS_RESULT_CONNECTION_ID, "the raw process connects");
	return r.w[1];
}

int main(void)
{
	struct served pager, other;
	struct xh_frame r = {0};
	uint64_t key[2], to_pager, to_other, pid;
	xous_range_t page;
	int s;

	serve_start(&pager);
	serve_start(&other);
	REQUIRE(raw_key(key) == 0, "the broker's key");
	s = raw_hello(key, &r);
	REQUIRE(s >= 0 && r.w[0] == XOUS_RESULT_PROCESS_ID, "a raw process attaches");
	pid = r.w[1];
	to_pager = raw_connect_to(s, &pager.sid);
	to_other = raw_connect_to(s, &other.sid);

	CHECK_ERR(raw_fault(s, to_other, XOUS_PAGE_FAULT_ID), XOUS_ERR_INVALID_ARGUMENT,
	          "an ordinary thread's page fault to a server");
	uint64_t set[8] = {XOUS_SYS_SET_PAGER, pid,           pager.sid.w[0], pager.sid.w[1],
	                   pager.sid.w[2],     pager.sid.w[3]};
	r = raw_call(s, set, -1);
	REQUIRE(r.w[0] == XOUS_RESULT_OK, "the raw process names its pager");
	CHECK_ERR(raw_fault(s, to_pager, XOUS_PAGE_FAULT_ID), XOUS_ERR_INVALID_ARGUMENT,
	          "an ordinary thread's page fault to its pager");

	uint64_t name[8] = {XOUS_SYS_FAULT_THREAD};
	r = raw_call(s, name, -1);
	CHECK(r.w[0] == XOUS_RESULT_OK, "its thread becomes the fault thread (tag %llu, %llu)",
	      (unsigned long long)r.w[0], (unsigned long long)r.w[1]);
	r = raw_call(s, name, -1);
	CHECK(r.w[0] == XOUS_RESULT_ERROR && r.w[1] == XOUS_ERR_ALREADY_EXISTS,
	      "once per process: AlreadyExists the second time (tag %llu, %llu)",
	      (unsigned long long)r.w[0], (unsigned long long)r.w[1]);
	CHECK_ERR(raw_fault(s, to_other, XOUS_PAGE_FAULT_ID), XOUS_ERR_INVALID_ARGUMENT,
	          "the fault thread's page fault to a server that is not its pager");
	CHECK_ERR(raw_fault(s, to_pager, XOUS_PAGE_FAULT_ID), XOUS_OK,
	          "the fault thread's page fault to its pager is answered");
	CHECK_ERR(raw_fault(s, to_pager, 7), XOUS_ERR_INVALID_ARGUMENT,
	          "another opcode with an offset past its len, even from it to its pager");
	close(s);

	REQUIRE(xous_map_memory(XOUS_PAGE_SIZE, XOUS_MEM_R | XOUS_MEM_W, &page) == XOUS_OK,
	        "map a page");
	CHECK_ERR(xous_lend_mut(pager.cid, XOUS_PAGE_FAULT_ID, page, FAULT_ADDR, 1, NULL, NULL),
	          XOUS_ERR_INVALID_ARGUMENT, "xous_lend_mut refuses a page fault's shape");
	xous_unmap_memory(page);
	serve_stop(&pager);
	serve_stop(&other);
	CHECK(pager.faults == 1 && pager.offset == FAULT_ADDR && pager.valid == 1,
	      "the pager received that one page fault, with its address (%d, %#zx, %zu)",
	      pager.faults, pager.offset, pager.valid);
	CHECK(pager.others == 0 && other.faults == 0 && other.others == 0,
	      "and nothing else reached either server (%d, %d, %d)", pager.others, other.faults,
	      other.others);
	return itest_done();
}
