/*
 * fuzz_input.h - reading a fuzz input as a stream of small fields.
 *
 * Every target decodes its input as a sequence of records. A reader that
 * runs dry returns zeros, so every byte string is a valid input (the fuzzer
 * never wastes time on inputs a target would reject) and a short input
 * simply ends the sequence.
 */
#ifndef FUZZ_INPUT_H
#define FUZZ_INPUT_H

#include <stddef.h>
#include <stdint.h>

/* Checks that must hold; abort() so libFuzzer and the replay driver see a crash. */
#define FZ_CHECK(c)                                                                                \
	do {                                                                                       \
		if (!(c))                                                                          \
			fz_fail(__FILE__, __LINE__, #c);                                           \
	} while (0)

struct fz {
	const uint8_t *p;
	size_t n;
};

void fz_fail(const char *file, int line, const char *what) __attribute__((noreturn));

static inline size_t fz_left(const struct fz *f)
{
	return f->n;
}

static inline uint8_t fz_u8(struct fz *f)
{
	if (f->n == 0)
		return 0;
	f->n--;
	return *f->p++;
}

static inline uint16_t fz_u16(struct fz *f)
{
	uint16_t v = fz_u8(f);

	return (uint16_t)(v | (uint16_t)fz_u8(f) << 8);
}

static inline uint32_t fz_u32(struct fz *f)
{
	uint32_t v = fz_u16(f);

	return v | (uint32_t)fz_u16(f) << 16;
}

static inline uint64_t fz_u64(struct fz *f)
{
	uint64_t v = fz_u32(f);

	return v | (uint64_t)fz_u32(f) << 32;
}

/* Up to n bytes of payload (fewer if the input ends); returns how many. */
static inline size_t fz_bytes(struct fz *f, const uint8_t **out, size_t n)
{
	if (n > f->n)
		n = f->n;
	*out = f->p;
	f->p += n;
	f->n -= n;
	return n;
}

#endif /* FUZZ_INPUT_H */
