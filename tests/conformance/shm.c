/*
 * shm: the "shm" and "shm_test" servers of the default fleet
 * (<resea/shm.h>, <resea/shm_test.h>): a region mapped writable and
 * read-only shows the same bytes; unknown and closed ids are NotFound; a
 * region made and written by another task (shm_test) reads "hello task"
 * (Resea's own test application's checks).
 */
#include <string.h>
#include <resea/shm.h>
#include <resea/shm_test.h>

#include "conf.h"

int main(void)
{
	int32_t id = 0, other = 0;
	void *w = NULL, *r = NULL, *t = NULL;

	CHECK_OK(shm_create(5000, &id));
	CHECK(id > 0);
	CHECK_OK(shm_map(id, true, &w));
	CHECK_OK(shm_map(id, false, &r));
	if (w && r) {
		CHECK(w != r);
		CHECK(((char *)r)[0] == 0 && ((char *)r)[8191] == 0);
		conf_fill(w, 8192, 5); /* two whole pages */
		CHECK(conf_has(r, 8192, 5));
	}
	CHECK_OK(shm_create(1, &other));
	CHECK(other != id);

	/* unknown and closed ids */
	CHECK_ERR(shm_map(123456, true, &t), XOUS_ERR_NOT_FOUND);
	CHECK_ERR(shm_map(-1, false, &t), XOUS_ERR_NOT_FOUND);
	CHECK_ERR(shm_close(123456), XOUS_ERR_NOT_FOUND);
	CHECK_OK(shm_close(id));
	CHECK_ERR(shm_map(id, true, &t), XOUS_ERR_NOT_FOUND);
	CHECK_ERR(shm_close(id), XOUS_ERR_NOT_FOUND);
	if (w && r) /* our mappings outlive the id */
		CHECK(conf_has(r, 8192, 5));
	CHECK_ERR(shm_create(0, &other), XOUS_ERR_INVALID_ARGUMENT);
	CHECK_ERR(shm_map(other, true, NULL), XOUS_ERR_INVALID_ARGUMENT);

	/* a cross-task read */
	CHECK_OK(shm_test_read(&id));
	CHECK_OK(shm_map(id, false, &t));
	if (t)
		CHECK(strcmp(t, "hello task") == 0);
	CHECK_ERR(shm_close(id), XOUS_ERR_ACCESS_DENIED); /* not ours to close */
	return conf_end("shm");
}
