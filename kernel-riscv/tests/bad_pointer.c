/*
 * bad_pointer.c - a process that hands the kernel memory that is not its
 * own, for the isolation test. Built three times: -DBAD_LEND (an unmapped
 * page) and -DBAD_MUT_RODATA (a MutableBorrow of read-only pages) are
 * answered BAD_ADDRESS (CONTRACT section 7, invalid) and end the program;
 * -DBAD_CONSOLE (a console write of kernel memory) makes the kernel end it
 * as Linux would (SIGSEGV). Each first creates a server, so others can see
 * it go.
 */
#include <xous.h>
#include <xous/rv32.h>

#if defined(BAD_MUT_RODATA)
static const unsigned char rodata[8192] __attribute__((aligned(4096))) = {1};
#endif

#if !defined(BAD_LEND) && !defined(BAD_MUT_RODATA)
static void console_write_kernel_memory(void)
{
	register uintptr_t a0 asm("a0") = XK_SYS_CONSOLE_WRITE;
	register uintptr_t a1 asm("a1") = 0x80000000u;
	register uintptr_t a2 asm("a2") = 16;

	asm volatile("ecall"
	             : "+r"(a0), "+r"(a1), "+r"(a2)
	             :
	             : "a3", "a4", "a5", "a6", "a7", "memory");
}
#endif

int main(void)
{
#if defined(BAD_LEND)
	xous_sid_t sid = xous_sid_from_name("rv-bad-lend-srv!");
#elif defined(BAD_MUT_RODATA)
	xous_sid_t sid = xous_sid_from_name("rv-bad-rodata!!!");
#else
	xous_sid_t sid = xous_sid_from_name("rv-bad-console!!");
#endif
	xous_cid_t cid;
	size_t off, valid;

	if (xous_create_server_with_address(&sid) || xous_connect(&sid, &cid))
		return 1;
#if defined(BAD_LEND)
	xous_range_t r = {(void *)0x55550000u, 4096};
	return xous_lend(cid, 1, r, 0, 0, &off, &valid) == XOUS_ERR_BAD_ADDRESS ? 0 : 2;
#elif defined(BAD_MUT_RODATA)
	xous_range_t r = {(void *)rodata, sizeof(rodata)};
	return xous_lend_mut(cid, 1, r, 0, 0, &off, &valid) == XOUS_ERR_BAD_ADDRESS ? 0 : 2;
#else
	(void)off;
	(void)valid;
	console_write_kernel_memory();
	return 2; /* not reached: the kernel ended this process */
#endif
}
