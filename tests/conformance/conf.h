/*
 * conf.h - the conformance programs' few checks. Each program runs on both
 * kernels unchanged (under xous-hostd on Linux, in qemu on kernel-riscv),
 * prints one line per failed check and a last PASS/FAIL line, and exits 0
 * only if every check held.
 */
#ifndef CONF_H
#define CONF_H

#include <stdio.h>

#include <xous.h>

static int conf_failures;

#define CHECK(cond)                                                                                \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			printf("FAIL %s:%d: %s\n", __FILE__, __LINE__, #cond);                     \
			conf_failures++;                                                           \
		}                                                                                  \
	} while (0)

#define CHECK_ERR(expr, want)                                                                      \
	do {                                                                                       \
		unsigned long got_ = (unsigned long)(expr), want_ = (unsigned long)(want);         \
		if (got_ != want_) {                                                               \
			printf("FAIL %s:%d: %s = %lu (%s), want %lu (%s)\n", __FILE__, __LINE__,   \
			       #expr, got_, xous_strerror((xous_err_t)got_), want_,                \
			       xous_strerror((xous_err_t)want_));                                  \
			conf_failures++;                                                           \
		}                                                                                  \
	} while (0)

#define CHECK_OK(expr) CHECK_ERR(expr, XOUS_OK)

/* Test bytes: byte i of a buffer filled with seed is i * 7 + seed (mod 256). */
static inline void conf_fill(void *p, size_t len, unsigned seed)
{
	for (size_t i = 0; i < len; i++)
		((uint8_t *)p)[i] = (uint8_t)(i * 7 + seed);
}

/* 1 if p holds what conf_fill(p, len, seed) wrote. */
static inline int conf_has(const void *p, size_t len, unsigned seed)
{
	for (size_t i = 0; i < len; i++)
		if (((const uint8_t *)p)[i] != (uint8_t)(i * 7 + seed))
			return 0;
	return 1;
}

static inline int conf_end(const char *name)
{
	printf("%s: %s (%d failed checks)\n", name, conf_failures ? "FAIL" : "PASS", conf_failures);
	return conf_failures ? 1 : 0;
}

#endif /* CONF_H */
