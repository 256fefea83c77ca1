/*
 * thread.c - xous_create_thread / xous_join_thread. The runtime maps each
 * thread's stack with MapMemory and puts the thread's TLS block (picolibc
 * keeps errno there) at its top. The kernel starts the thread at
 * thread_start with a0 = the start block and ra = the kernel's thread-exit
 * address, so returning from thread_start ends the thread with its value.
 */
#include <string.h>

#include "syscall.h"

#define THREAD_STACK (256 * 1024)
#define THREADS_MAX  128 /* KC_MAX_THREADS_PER_PROC */

struct start {
	void *(*entry)(void *);
	void *arg;
	void *tls;
};

struct stack {
	xous_tid_t tid;
	xous_range_t mem;
};

extern char __tls_base[], __tls_size[], __tdata_size[];
static struct stack stacks[THREADS_MAX];
static volatile int stacks_lock;

void xrt_lock(volatile int *l)
{
	while (__atomic_exchange_n(l, 1, __ATOMIC_ACQUIRE))
		xous_yield();
}

void xrt_unlock(volatile int *l)
{
	__atomic_store_n(l, 0, __ATOMIC_RELEASE);
}

static void *thread_start(struct start *s)
{
	asm volatile("mv tp, %0" : : "r"(s->tls));
	return s->entry(s->arg);
}

static void stack_remember(xous_tid_t tid, xous_range_t mem)
{
	xrt_lock(&stacks_lock);
	for (int i = 0; i < THREADS_MAX; i++)
		if (stacks[i].tid == 0) {
			stacks[i] = (struct stack){tid, mem};
			break;
		}
	xrt_unlock(&stacks_lock);
}

static void stack_release(xous_tid_t tid)
{
	xous_range_t mem = {0, 0};

	xrt_lock(&stacks_lock);
	for (int i = 0; i < THREADS_MAX; i++)
		if (stacks[i].tid == tid) {
			mem = stacks[i].mem;
			stacks[i].tid = 0;
			break;
		}
	xrt_unlock(&stacks_lock);
	if (mem.len)
		xous_unmap_memory(mem);
}

xous_err_t xous_create_thread(void *(*entry)(void *), void *arg, xous_tid_t *tid)
{
	size_t tls_size = ((uintptr_t)__tls_size + 15) & ~(size_t)15;
	xous_range_t mem;
	xrt_regs r;

	if (!entry)
		return XOUS_ERR_INVALID_ARGUMENT;
	xous_err_t err = xous_map_memory(THREAD_STACK + tls_size, XOUS_MEM_R | XOUS_MEM_W, &mem);
	if (err)
		return err;
	uintptr_t top = (uintptr_t)mem.addr + mem.len - tls_size;
	memcpy((void *)top, __tls_base, (uintptr_t)__tdata_size);
	struct start *s = (struct start *)(top - 16);
	*s = (struct start){entry, arg, (void *)top};
	err = xrt_call(&r, XOUS_SYS_CREATE_THREAD, (uintptr_t)thread_start, (uintptr_t)s,
	               (uintptr_t)s, 0, 0, 0, 0);
	if (err) {
		xous_unmap_memory(mem);
		return err;
	}
	stack_remember((xous_tid_t)r.a[1], mem);
	if (tid)
		*tid = (xous_tid_t)r.a[1];
	return XOUS_OK;
}

xous_err_t xous_join_thread(xous_tid_t tid, void **result)
{
	xrt_regs r;
	xous_err_t err = xrt_call(&r, XOUS_SYS_JOIN_THREAD, tid, 0, 0, 0, 0, 0, 0);

	if (err)
		return err;
	stack_release(tid);
	if (result)
		*result = (void *)r.a[1];
	return XOUS_OK;
}
