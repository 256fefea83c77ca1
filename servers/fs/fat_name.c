/*
 * The FAT core's names: UTF-8 <-> UTF-16, comparison without case, short
 * (8.3) names, their generated basis and ~N tails, and the checksum that
 * ties a long name to its short entry.
 *
 * Rules:
 * - A long name is 1 to 255 UTF-16 units, no control character nor any of
 *   " * / : < > ? \ |, not "." nor "..", and does not end in a dot or a
 *   space (Windows would strip them).
 * - A name is stored as a short entry alone when it is a valid 8.3 name
 *   whose base and extension are each all upper or all lower case (the
 *   lower-case flags of byte 12 keep the case); else as a long name with a
 *   generated short name BASIS~N, N the smallest unused in the directory.
 * - Short names we make are ASCII: any other character becomes '_'.
 */
#include <string.h>

#include "fat.h"

static bool lfn_char_ok(uint32_t c)
{
	return c >= 0x20 && !strchr("\"*/:<>?\\|", (int)c);
}

xous_err_t fat_name_from_utf8(const char *s, size_t len, uint16_t *u, size_t *n)
{
	const uint8_t *p = (const uint8_t *)s;
	size_t k = 0;

	for (size_t i = 0; i < len;) {
		uint32_t c = p[i], need = c < 0x80 ? 0 : c >= 0xf0 ? 3 : c >= 0xe0 ? 2 : 1;

		if (c >= 0xf8 || (c >= 0x80 && c < 0xc0) || i + need >= len)
			return XOUS_ERR_INVALID_ARGUMENT;
		c &= need ? 0x3fu >> need : 0x7fu;
		for (uint32_t j = 1; j <= need; j++) {
			if ((p[i + j] & 0xc0) != 0x80)
				return XOUS_ERR_INVALID_ARGUMENT;
			c = c << 6 | (p[i + j] & 0x3f);
		}
		i += need + 1;
		if ((c >= 0xd800 && c < 0xe000) || c > 0x10ffff || !lfn_char_ok(c))
			return XOUS_ERR_INVALID_ARGUMENT;
		if (k + (c > 0xffff) + 1 > FAT_NAME_UNITS)
			return XOUS_ERR_INVALID_ARGUMENT;
		if (c > 0xffff) {
			c -= 0x10000;
			u[k++] = (uint16_t)(0xd800 | c >> 10);
			u[k++] = (uint16_t)(0xdc00 | (c & 0x3ff));
		} else {
			u[k++] = (uint16_t)c;
		}
	}
	if (k == 0 || u[k - 1] == '.' || u[k - 1] == ' ' || (k == 1 && u[0] == '.'))
		return XOUS_ERR_INVALID_ARGUMENT;
	*n = k;
	return XOUS_OK;
}

/* Unpaired surrogates come out as U+FFFD. */
size_t fat_name_to_utf8(const uint16_t *u, size_t n, char *out, size_t cap)
{
	size_t k = 0;

	for (size_t i = 0; i < n; i++) {
		uint32_t c = u[i];
		uint8_t b[4];
		size_t m;

		if (c >= 0xd800 && c < 0xdc00 && i + 1 < n && u[i + 1] >= 0xdc00 &&
		    u[i + 1] < 0xe000)
			c = 0x10000 + ((c - 0xd800) << 10) + (u[++i] - 0xdc00u);
		else if (c >= 0xd800 && c < 0xe000)
			c = 0xfffd;
		if (c == 0)
			c = 0xfffd;
		if (c < 0x80) {
			b[0] = (uint8_t)c;
			m = 1;
		} else if (c < 0x800) {
			b[0] = (uint8_t)(0xc0 | c >> 6);
			b[1] = (uint8_t)(0x80 | (c & 0x3f));
			m = 2;
		} else if (c < 0x10000) {
			b[0] = (uint8_t)(0xe0 | c >> 12);
			b[1] = (uint8_t)(0x80 | (c >> 6 & 0x3f));
			b[2] = (uint8_t)(0x80 | (c & 0x3f));
			m = 3;
		} else {
			b[0] = (uint8_t)(0xf0 | c >> 18);
			b[1] = (uint8_t)(0x80 | (c >> 12 & 0x3f));
			b[2] = (uint8_t)(0x80 | (c >> 6 & 0x3f));
			b[3] = (uint8_t)(0x80 | (c & 0x3f));
			m = 4;
		}
		if (k + m >= cap)
			break;
		memcpy(out + k, b, m);
		k += m;
	}
	out[k] = '\0';
	return k;
}

static uint16_t fold(uint16_t c)
{
	if ((c >= 'a' && c <= 'z') || (c >= 0xe0 && c <= 0xfe && c != 0xf7))
		return (uint16_t)(c - 0x20);
	return c;
}

bool fat_name_eq(const uint16_t *a, size_t an, const uint16_t *b, size_t bn)
{
	if (an != bn)
		return false;
	for (size_t i = 0; i < an; i++)
		if (fold(a[i]) != fold(b[i]))
			return false;
	return true;
}

/* A character a short name may hold as it is (after upper-casing). */
static bool sfn_char_ok(uint16_t c)
{
	return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       (c < 0x80 && c > 0x20 && strchr("!#$%&'()-@^_`{}~", c));
}

/* 1 all upper (or no letter), 2 all lower, 0 mixed or not short. */
static int part_case(const uint16_t *u, size_t n)
{
	int upper = 0, lower = 0;

	for (size_t i = 0; i < n; i++) {
		if (u[i] >= 'a' && u[i] <= 'z')
			lower = 1;
		else if (u[i] >= 'A' && u[i] <= 'Z')
			upper = 1;
		else if (!sfn_char_ok(u[i]))
			return 0;
	}
	return lower && upper ? 0 : lower ? 2 : 1;
}

bool fat_name_short_exact(const uint16_t *u, size_t n, uint8_t sfn[11], uint8_t *ntres)
{
	size_t dot = n, bl, el;
	int bc, ec;

	for (size_t i = 0; i < n; i++)
		if (u[i] == '.') {
			if (dot != n)
				return false;
			dot = i;
		}
	bl = dot;
	el = dot == n ? 0 : n - dot - 1;
	if (bl == 0 || bl > 8 || el > 3 || (dot != n && el == 0))
		return false;
	bc = part_case(u, bl);
	ec = el ? part_case(u + dot + 1, el) : 1;
	if (!bc || !ec)
		return false;
	memset(sfn, ' ', 11);
	for (size_t i = 0; i < bl; i++)
		sfn[i] = (uint8_t)fold(u[i]);
	for (size_t i = 0; i < el; i++)
		sfn[8 + i] = (uint8_t)fold(u[dot + 1 + i]);
	if (sfn[0] == 0xe5)
		sfn[0] = 0x05;
	*ntres = (uint8_t)((bc == 2 ? 0x08 : 0) | (ec == 2 ? 0x10 : 0));
	return true;
}

/* c as a short-name character: upper case, else '_'; 0 for one dropped. */
static uint8_t basis_char(uint16_t c)
{
	if (c == ' ' || c == '.')
		return 0;
	c = c < 0x80 ? fold(c) : '_';
	return sfn_char_ok(c) ? (uint8_t)c : '_';
}

void fat_name_basis(const uint16_t *u, size_t n, uint8_t sfn[11])
{
	size_t start = 0, dot = n, k = 0;

	memset(sfn, ' ', 11);
	while (start < n && (u[start] == '.' || u[start] == ' '))
		start++;
	for (size_t i = n; i > start; i--)
		if (u[i - 1] == '.') {
			dot = i - 1;
			break;
		}
	for (size_t i = start; i < dot && k < 8; i++) {
		uint8_t c = basis_char(u[i]);
		if (c)
			sfn[k++] = c;
	}
	if (k == 0)
		sfn[k++] = '_';
	k = 0;
	for (size_t i = dot + 1; i < n && k < 3; i++) {
		uint8_t c = basis_char(u[i]);
		if (c)
			sfn[8 + k++] = c;
	}
}

static size_t base_len(const uint8_t sfn[11])
{
	size_t n = 8;

	while (n > 0 && sfn[n - 1] == ' ')
		n--;
	return n;
}

void fat_name_tail(const uint8_t basis[11], uint32_t num, uint8_t sfn[11])
{
	char digits[12];
	size_t nd = 0, keep = base_len(basis);

	do {
		digits[nd++] = (char)('0' + num % 10);
		num /= 10;
	} while (num);
	if (keep > 8 - 1 - nd)
		keep = 8 - 1 - nd;
	memcpy(sfn, basis, 11);
	memset(sfn + keep, ' ', 8 - keep);
	sfn[keep] = '~';
	for (size_t i = 0; i < nd; i++)
		sfn[keep + 1 + i] = (uint8_t)digits[nd - 1 - i];
}

uint32_t fat_name_tail_of(const uint8_t basis[11], const uint8_t sfn[11])
{
	uint8_t want[11];
	size_t len = base_len(sfn), tilde = len;
	uint32_t num = 0;

	if (memcmp(basis + 8, sfn + 8, 3) != 0)
		return 0;
	while (tilde > 0 && sfn[tilde - 1] != '~')
		tilde--;
	if (tilde == 0 || tilde == len || len - tilde > 6)
		return 0;
	for (size_t i = tilde; i < len; i++) {
		if (sfn[i] < '0' || sfn[i] > '9')
			return 0;
		num = num * 10 + (uint32_t)(sfn[i] - '0');
	}
	if (num == 0)
		return 0;
	fat_name_tail(basis, num, want);
	return memcmp(want, sfn, 11) == 0 ? num : 0;
}

uint8_t fat_name_checksum(const uint8_t sfn[11])
{
	uint8_t sum = 0;

	for (size_t i = 0; i < 11; i++)
		sum = (uint8_t)(((sum & 1) << 7) + (sum >> 1) + sfn[i]);
	return sum;
}

size_t fat_name_of_short(const uint8_t sfn[11], uint8_t ntres, uint16_t *u)
{
	size_t n = 0, bl = base_len(sfn), el = 3;

	while (el > 0 && sfn[8 + el - 1] == ' ')
		el--;
	for (size_t i = 0; i < bl; i++) {
		uint16_t c = i == 0 && sfn[0] == 0x05 ? 0xe5 : sfn[i];
		u[n++] = (ntres & 0x08) && c >= 'A' && c <= 'Z' ? (uint16_t)(c + 0x20) : c;
	}
	if (el)
		u[n++] = '.';
	for (size_t i = 0; i < el; i++) {
		uint16_t c = sfn[8 + i];
		u[n++] = (ntres & 0x10) && c >= 'A' && c <= 'Z' ? (uint16_t)(c + 0x20) : c;
	}
	return n;
}
