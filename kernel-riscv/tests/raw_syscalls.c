/*
 * raw_syscalls.c - ecalls no <xous.h> call would make: unknown numbers,
 * kernel addresses, garbage tokens and kinds. Each gets an error reply and
 * the process (and the kernel) keeps running. (Bad pointers end the process:
 * bad_pointer.c.) Built with PHYS_DRIVER it is a program its image names
 * phys=devices: device registers map, the rest of physical memory does not.
 */
#include <stdio.h>

#include <xous.h>

static int failures;

static uintptr_t sys(uintptr_t n, uintptr_t a1, uintptr_t a2, uintptr_t a3, uintptr_t a4,
                     uintptr_t a5, uintptr_t a6, uintptr_t a7, uintptr_t *code)
{
	register uintptr_t r0 asm("a0") = n, r1 asm("a1") = a1, r2 asm("a2") = a2,
	                      r3 asm("a3") = a3, r4 asm("a4") = a4, r5 asm("a5") = a5,
	                      r6 asm("a6") = a6, r7 asm("a7") = a7;

	asm volatile("ecall"
	             : "+r"(r0), "+r"(r1), "+r"(r2), "+r"(r3), "+r"(r4), "+r"(r5), "+r"(r6),
	               "+r"(r7)
	             :
	             : "memory");
	*code = r1;
	return r0;
}

static void expect_err(int line, uintptr_t n, uintptr_t a1, uintptr_t a2, uintptr_t a3,
                       uintptr_t a4, uintptr_t a5, uintptr_t a6, uintptr_t a7, uintptr_t want)
{
	uintptr_t code, tag = sys(n, a1, a2, a3, a4, a5, a6, a7, &code);

	if (tag != XOUS_RESULT_ERROR || code != want) {
		printf("FAIL raw_syscalls.c:%d: syscall %lu gave tag %lu code %lu, want error "
		       "%lu\n",
		       line, (unsigned long)n, (unsigned long)tag, (unsigned long)code,
		       (unsigned long)want);
		failures++;
	}
}

#define EXPECT_ERR(n, a1, a2, a3, a4, a5, a6, a7, want)                                            \
	expect_err(__LINE__, n, a1, a2, a3, a4, a5, a6, a7, want)

#ifdef PHYS_DRIVER
/* The UART's registers map and read (LSR says the transmitter is empty);
 * the kernel's RAM, the pool without a right and addresses no device
 * backs do not. */
static void driver(void)
{
	uintptr_t va, tag = sys(XOUS_SYS_MAP_MEMORY, 0x10000000u, 0, 4096, 6, 0, 0, 0, &va);

	if (tag != XOUS_RESULT_MEMORY_RANGE || !(((volatile uint8_t *)va)[5] & 0x20)) {
		printf("FAIL raw_syscalls.c: the UART's registers (tag %lu)\n", (unsigned long)tag);
		failures++;
	} else if (sys(XOUS_SYS_UNMAP_MEMORY, va, 4096, 0, 0, 0, 0, 0, &va) != XOUS_RESULT_OK) {
		printf("FAIL raw_syscalls.c: unmapping the UART's registers\n");
		failures++;
	}
	EXPECT_ERR(XOUS_SYS_MAP_MEMORY, 0x80000000u, 0, 4096, 2, 0, 0, 0, XOUS_ERR_ACCESS_DENIED);
	EXPECT_ERR(XOUS_SYS_MAP_MEMORY, 0x87000000u, 0, 4096, 2, 0, 0, 0, XOUS_ERR_ACCESS_DENIED);
	EXPECT_ERR(XOUS_SYS_MAP_MEMORY, 0x50000000u, 0, 4096, 2, 0, 0, 0, XOUS_ERR_BAD_ADDRESS);
	EXPECT_ERR(XOUS_SYS_MAP_MEMORY, 0x10000000u, 0, 0x100000, 2, 0, 0, 0, XOUS_ERR_BAD_ADDRESS);
}
#endif

int main(void)
{
	xous_sid_t sid;
	xous_cid_t cid;

	EXPECT_ERR(999, 0, 0, 0, 0, 0, 0, 0, XOUS_ERR_INVALID_SYSCALL);
	EXPECT_ERR(0xffffffffu, 1, 2, 3, 4, 5, 6, 7, XOUS_ERR_INVALID_SYSCALL);
	EXPECT_ERR(XOUS_SYS_WAIT_EVENT, 0, 0, 0, 0, 0, 0, 0, XOUS_ERR_UNHANDLED_SYSCALL);
	/* memory the kernel will not hand out */
#ifdef PHYS_DRIVER
	driver();
#else
	EXPECT_ERR(XOUS_SYS_MAP_MEMORY, 0x10000000u, 0, 4096, 6, 0, 0, 0, XOUS_ERR_ACCESS_DENIED);
	/* physical memory: device registers, the kernel's RAM, the pool (0x87000000 ..
	 * 0x88000000 on qemu virt: no run handed out to this process), nothing */
	EXPECT_ERR(XOUS_SYS_MAP_MEMORY, 0x10000000u, 0, 4096, 2, 0, 0, 0, XOUS_ERR_ACCESS_DENIED);
	EXPECT_ERR(XOUS_SYS_MAP_MEMORY, 0x80000000u, 0, 4096, 2, 0, 0, 0, XOUS_ERR_ACCESS_DENIED);
	EXPECT_ERR(XOUS_SYS_MAP_MEMORY, 0x87000000u, 0, 4096, 2, 0, 0, 0, XOUS_ERR_ACCESS_DENIED);
	EXPECT_ERR(XOUS_SYS_MAP_MEMORY, 0x87ff0000u, 0, 0x20000, 6, 0, 0, 0,
	           XOUS_ERR_ACCESS_DENIED);
	EXPECT_ERR(XOUS_SYS_MAP_MEMORY, 0x40000000u, 0, 4096, 2, 0, 0, 0, XOUS_ERR_ACCESS_DENIED);
#endif
	EXPECT_ERR(XOUS_SYS_MAP_MEMORY, 0x87000010u, 0, 4096, 2, 0, 0, 0, XOUS_ERR_BAD_ALIGNMENT);
	EXPECT_ERR(XOUS_SYS_MAP_MEMORY, 0x87000000u, 0, 0, 2, 0, 0, 0, XOUS_ERR_INVALID_ARGUMENT);
	/* only the pool's manager (the vm server) grants; nothing to release */
	EXPECT_ERR(XOUS_SYS_PHYS_GRANT, 0, 0, 4096, 6, 0, 0, 0, XOUS_ERR_ACCESS_DENIED);
	EXPECT_ERR(XOUS_SYS_PHYS_RELEASE, 0x87000000u, 0, 0, 0, 0, 0, 0, XOUS_ERR_BAD_ADDRESS);
	EXPECT_ERR(XOUS_SYS_MAP_MEMORY, 0, 0x80000000u, 4096, 6, 0, 0, 0, XOUS_ERR_BAD_ADDRESS);
	EXPECT_ERR(XOUS_SYS_MAP_MEMORY, 0, 0x40000010u, 4096, 6, 0, 0, 0, XOUS_ERR_BAD_ALIGNMENT);
	EXPECT_ERR(XOUS_SYS_MAP_MEMORY, 0, 0, 0xfffff000u, 6, 0, 0, 0, XOUS_ERR_OUT_OF_MEMORY);
	EXPECT_ERR(XOUS_SYS_UNMAP_MEMORY, 0x80000000u, 4096, 0, 0, 0, 0, 0, XOUS_ERR_BAD_ADDRESS);
	EXPECT_ERR(XOUS_SYS_UNMAP_MEMORY, 0x55550000u, 4096, 0, 0, 0, 0, 0, XOUS_ERR_BAD_ADDRESS);
	/* names are the name server's to tell; the hook's calls need a hooked task */
	EXPECT_ERR(XOUS_SYS_SERVER_LABEL, 1, 2, 3, 4, 6, 0x400000u, 0, XOUS_ERR_ACCESS_DENIED);
	EXPECT_ERR(XOUS_SYS_ABI_HOOK_READ, 1, 0x400000u, 4, 0x400000u, 0, 0, 0,
	           XOUS_ERR_PROCESS_NOT_FOUND);
	EXPECT_ERR(XOUS_SYS_ABI_HOOK_WRITE, 99, 0x400000u, 4, 0x400000u, 0, 0, 0,
	           XOUS_ERR_PROCESS_NOT_FOUND);
	EXPECT_ERR(XOUS_SYS_ABI_HOOK_FD, 0xffffffffu, 0, 0, 0, 0, 0, 0, XOUS_ERR_PROCESS_NOT_FOUND);
	/* a message of no kind */
	if (xous_create_server(&sid) || xous_connect(&sid, &cid)) {
		printf("FAIL: no server\n");
		return 1;
	}
	EXPECT_ERR(XOUS_SYS_SEND_MESSAGE, cid, 77, 1, 0, 0, 0, 0, XOUS_ERR_INVALID_ARGUMENT);
	/* answers and joins of things that are not there */
	EXPECT_ERR(XOUS_SYS_RETURN_MEMORY, 0xffffffffu, 0, 0, 0, 0, 0, 0,
	           XOUS_ERR_INVALID_ARGUMENT);
	EXPECT_ERR(XOUS_SYS_JOIN_THREAD, 1, 0, 0, 0, 0, 0, 0, XOUS_ERR_INVALID_THREAD);
	EXPECT_ERR(XOUS_SYS_JOIN_THREAD, 0x7fffffffu, 0, 0, 0, 0, 0, 0, XOUS_ERR_INVALID_THREAD);
	/* still alive and answering */
	xous_scalar_reply_t r;
	if (xous_try_send_scalar(cid, 1, 0, 0, 0, 0) != XOUS_OK)
		failures++;
	(void)r;
	printf("raw_syscalls: %s\n", failures ? "FAIL" : "PASS");
	return failures != 0;
}
