/*
 * roles: the default fleet's well-known ids are its servers' roles
 * (promise 8), the same on both kernels. The program (PROGRAM under
 * xous-hostd, the main program of a FLEET image) may not create any of
 * them, nor call ConnectForProcess (the fleet's name server's alone); any
 * other 16-byte name stays anyone's.
 */
#include "conf.h"

int main(void)
{
	static const char *const fleet[] = {XOUS_NAME_NAMES, XOUS_NAME_TICKTIMER, XOUS_NAME_LOG,
	                                    XOUS_NAME_TIME};
	xous_sid_t sid, mine = xous_sid_from_name("conformance-role");
	xous_cid_t cid;

	for (unsigned i = 0; i < sizeof(fleet) / sizeof(fleet[0]); i++) {
		sid = xous_sid_from_name(fleet[i]);
		CHECK_ERR(xous_create_server_with_address(&sid), XOUS_ERR_ACCESS_DENIED);
		CHECK_OK(xous_connect(&sid, &cid)); /* its fleet server makes it */
		CHECK_ERR(xous_create_server_with_address(&sid), XOUS_ERR_ACCESS_DENIED);
	}
	CHECK_OK(xous_create_server_with_address(&mine));
	CHECK_ERR(xous_connect_for_process(xous_process_id(), &mine, &cid), XOUS_ERR_ACCESS_DENIED);
	CHECK_OK(xous_destroy_server(&mine));
	return conf_end("roles");
}
