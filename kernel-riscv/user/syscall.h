/* syscall.h - one ecall: 8 words in (a0 = number), 8 words out (a0 = tag). */
#ifndef XOUS_RV32_SYSCALL_H
#define XOUS_RV32_SYSCALL_H

#include <stdint.h>

#include <xous.h>

typedef struct {
	uintptr_t a[8];
} xrt_regs;

static inline void xrt_ecall(xrt_regs *r)
{
	register uintptr_t a0 asm("a0") = r->a[0];
	register uintptr_t a1 asm("a1") = r->a[1];
	register uintptr_t a2 asm("a2") = r->a[2];
	register uintptr_t a3 asm("a3") = r->a[3];
	register uintptr_t a4 asm("a4") = r->a[4];
	register uintptr_t a5 asm("a5") = r->a[5];
	register uintptr_t a6 asm("a6") = r->a[6];
	register uintptr_t a7 asm("a7") = r->a[7];

	asm volatile("ecall"
	             : "+r"(a0), "+r"(a1), "+r"(a2), "+r"(a3), "+r"(a4), "+r"(a5), "+r"(a6),
	               "+r"(a7)
	             :
	             : "memory");
	r->a[0] = a0;
	r->a[1] = a1;
	r->a[2] = a2;
	r->a[3] = a3;
	r->a[4] = a4;
	r->a[5] = a5;
	r->a[6] = a6;
	r->a[7] = a7;
}

/* The error of a result: its code if the tag is Error, else 0. */
static inline xous_err_t xrt_err(const xrt_regs *r)
{
	return r->a[0] == XOUS_RESULT_ERROR
	               ? (xous_err_t)(r->a[1] ? r->a[1] : XOUS_ERR_INTERNAL_ERROR)
	               : XOUS_OK;
}

/* Make syscall n with up to 7 arguments; returns its error. */
xous_err_t xrt_call(xrt_regs *r, uintptr_t n, uintptr_t a1, uintptr_t a2, uintptr_t a3,
                    uintptr_t a4, uintptr_t a5, uintptr_t a6, uintptr_t a7);

/* thread.c: a lock that yields while another thread holds it */
void xrt_lock(volatile int *l);
void xrt_unlock(volatile int *l);

#endif
