/* The name server's platform code on Linux: the kernel's random source, a
 * mutex, and the names it registers told to the broker (xousctl shows them). */
#include <pthread.h>
#include <sys/random.h>

#include "names.h"

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

void names_platform_random(uint32_t *words, size_t n)
{
	size_t got = 0;

	while (got < n * sizeof(*words)) {
		ssize_t r = getrandom((char *)words + got, n * sizeof(*words) - got, 0);

		if (r > 0)
			got += (size_t)r;
	}
}

void names_platform_lock(void)
{
	pthread_mutex_lock(&lock);
}

void names_platform_unlock(void)
{
	pthread_mutex_unlock(&lock);
}

xous_err_t xous_server_label(const xous_sid_t *sid, const void *name, size_t len);

void names_platform_label(const xous_sid_t *sid, const uint8_t *name, size_t len)
{
	xous_server_label(sid, name, len); /* only for listings: an error changes nothing */
}
