/* The shm_test server as a pure dispatch function over the region it made. */
#ifndef XOUS_SHM_TEST_SERVER_H
#define XOUS_SHM_TEST_SERVER_H

#include <stdint.h>
#include <xous/serve.h>

#include "api.h"

struct shm_test_state {
	xous_err_t err; /* why the region could not be made, or XOUS_OK */
	int32_t id;
};

xous_answer_t shm_test_dispatch(struct shm_test_state *st, xous_envelope_t *env);

#endif
