/* What a name is: shared by the name server and its client stub. */
#include "names.h"

/* The length of the UTF-8 sequence starting at s[0], 0 if malformed. */
static size_t utf8_seq(const uint8_t *s, size_t left)
{
	uint32_t c = s[0], min;
	size_t n;

	if (c < 0x80)
		return 1;
	if ((c & 0xe0) == 0xc0)
		n = 2, c &= 0x1f, min = 0x80;
	else if ((c & 0xf0) == 0xe0)
		n = 3, c &= 0x0f, min = 0x800;
	else if ((c & 0xf8) == 0xf0)
		n = 4, c &= 0x07, min = 0x10000;
	else
		return 0;
	if (n > left)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3f);
	}
	/* overlong forms, surrogates and code points past Unicode are not UTF-8 */
	if (c < min || (c >= 0xd800 && c <= 0xdfff) || c > 0x10ffff)
		return 0;
	return n;
}

int names_valid(const uint8_t *name, size_t len)
{
	size_t i = 0, n;

	if (name == NULL || len == 0 || len > NAMES_MAX_NAME_LEN)
		return 0;
	while (i < len) {
		n = utf8_seq(name + i, len - i);
		if (n == 0)
			return 0;
		i += n;
	}
	return 1;
}
