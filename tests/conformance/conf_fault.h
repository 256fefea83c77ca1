/*
 * conf_fault.h - for a conformance helper that dies of a fault on purpose:
 * under AddressSanitizer the fault must end it by its signal (and reach its
 * pager), not by the sanitizer's report, which its sandbox would cut short
 * with SIGSYS. Include it in exactly one file of the program.
 */
#ifndef CONF_FAULT_H
#define CONF_FAULT_H

#ifdef __SANITIZE_ADDRESS__
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
	return "handle_segv=0";
}
#endif

#endif /* CONF_FAULT_H */
