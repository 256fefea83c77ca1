/* string.c - the few libc routines the kernel (and GCC) need. */
#include "defs.h"

void *memset(void *dst, int c, size_t n)
{
	uint8_t *d = dst;

	if ((((uintptr_t)d | n) & 3) == 0) {
		uint32_t w = (uint8_t)c * 0x01010101u;
		for (uint32_t *p = dst; n; n -= 4)
			*p++ = w;
		return dst;
	}
	while (n--)
		*d++ = (uint8_t)c;
	return dst;
}

void *memcpy(void *dst, const void *src, size_t n)
{
	return memmove(dst, src, n);
}

void *memmove(void *dst, const void *src, size_t n)
{
	uint8_t *d = dst;
	const uint8_t *s = src;

	if (d < s || d >= s + n) {
		if ((((uintptr_t)d | (uintptr_t)s | n) & 3) == 0) {
			uint32_t *dw = dst;
			const uint32_t *sw = src;
			for (; n; n -= 4)
				*dw++ = *sw++;
			return dst;
		}
		while (n--)
			*d++ = *s++;
	} else {
		while (n--)
			d[n] = s[n];
	}
	return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const uint8_t *x = a, *y = b;

	for (; n; n--, x++, y++)
		if (*x != *y)
			return *x - *y;
	return 0;
}

size_t strlen(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	return n;
}

int strcmp(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return (unsigned char)*a - (unsigned char)*b;
}

char *strchr(const char *s, int c)
{
	for (;; s++) {
		if (*s == (char)c)
			return (char *)s;
		if (!*s)
			return NULL;
	}
}

void *memchr(const void *s, int c, size_t n)
{
	const uint8_t *p = s;

	for (; n; n--, p++)
		if (*p == (uint8_t)c)
			return (void *)p;
	return NULL;
}
