/*
 * xous-shm_test: makes its region with shm ("hello task" at its start),
 * then serves shm_test_dispatch() as "shm_test".
 */
#include <stdio.h>
#include <string.h>
#include <resea/shm.h>
#include <xous/names.h>
#include <xous/serve.h>

#include "shm_testsrv.h"

static xous_answer_t serve(void *st, xous_envelope_t *env)
{
	return shm_test_dispatch(st, env);
}

int main(void)
{
	struct shm_test_state st = {XOUS_OK, 0};
	xous_sid_t sid;
	xous_err_t err;
	void *p = NULL;

	st.err = shm_create(XOUS_PAGE_SIZE, &st.id);
	if (st.err == XOUS_OK)
		st.err = shm_map(st.id, true, &p);
	if (st.err == XOUS_OK)
		memcpy(p, SHM_TEST_TEXT, sizeof(SHM_TEST_TEXT));
	else
		fprintf(stderr, "xous-shm_test: no region: %s\n", xous_strerror(st.err));
	if ((err = xns_register_name(SHM_TEST_SERVER_NAME, 0, &sid))) {
		fprintf(stderr, "xous-shm_test: cannot register: %s\n", xous_strerror(err));
		return 1;
	}
	return xous_serve_program(&sid, 0, serve, &st);
}
