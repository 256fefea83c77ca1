/* A program that uses the doubler: exits 0 when it answers right. */
#include <doubler_client.h>
#include <stdint.h>
#include <stdio.h>

int main(void)
{
	xous_cid_t cid;
	int64_t out = 0;

	if (doubler_connect(&cid) != XOUS_OK || doubler_twice(cid, 21, &out) != XOUS_OK ||
	    out != 42 || doubler_twice(cid, INT64_MAX, &out) != XOUS_ERR_INVALID_ARGUMENT) {
		printf("doubler-app: FAIL (%lld)\n", (long long)out);
		return 1;
	}
	printf("doubler-app: PASS 21 -> 42\n");
	return 0;
}
