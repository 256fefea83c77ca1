/*
 * runtime.h - private to the two user runtimes (see runtime.c).
 */
#ifndef XOUS_RUNTIME_H
#define XOUS_RUNTIME_H

#include <stddef.h>

/* The NUL-padded name in a ProcessName result's words (nbytes of them) into
 * buf: at most len - 1 bytes and a NUL (len > 0). */
void xous_rt_name_from_words(char *buf, size_t len, const void *words, size_t nbytes);

#endif /* XOUS_RUNTIME_H */
