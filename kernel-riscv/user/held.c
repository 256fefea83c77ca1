/*
 * held.c - the received messages this process still has to answer, so that
 * xous_envelope_done answers only what is unanswered (as libxous-host does).
 * Indexed by the token's message slot (its low KC_SENDER_SLOT_BITS bits on
 * RV32): the kernel never has two live messages in one slot, so the table
 * needs no search. A word store is atomic on RV32, and a slot belongs to one
 * message at a time, so no lock is needed either.
 */
#include <stdbool.h>

#include "syscall.h"

#define SLOT_BITS 10 /* KC_SENDER_SLOT_BITS for 32-bit words (kcore.h) */
#define HELD_MAX  (1u << SLOT_BITS)

static volatile xous_sender_t held[HELD_MAX];

void xrt_lock(volatile int *l)
{
	while (__atomic_exchange_n(l, 1, __ATOMIC_ACQUIRE))
		xous_yield();
}

void xrt_unlock(volatile int *l)
{
	__atomic_store_n(l, 0, __ATOMIC_RELEASE);
}

void xrt_held_add(xous_sender_t s)
{
	held[s & (HELD_MAX - 1)] = s;
}

int xrt_held_take(xous_sender_t s)
{
	return __atomic_compare_exchange_n(&held[s & (HELD_MAX - 1)], &s, 0, false,
	                                   __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE);
}
