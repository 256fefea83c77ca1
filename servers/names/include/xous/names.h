/*
 * <xous/names.h> - the name server's client (CONTRACT section 2).
 *
 * Names are 1..63 bytes of UTF-8 (else XOUS_ERR_INVALID_STRING).
 */
#ifndef XOUS_NAMES_H
#define XOUS_NAMES_H

#include <xous.h>
#include <xous/serve.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Create a server (random id, owned by the calling process) and register it
 * under name; conn_limit is how many connections the name server will ever
 * broker to it (0 = no limit). *sid is the server to receive on.
 * XOUS_ERR_SERVER_EXISTS if the name is taken, XOUS_ERR_OUT_OF_MEMORY if
 * this process has 32 names registered already or the name server's 256
 * are taken (the new server is destroyed). A name lasts as long as its
 * server: once the server is destroyed or its process ends, the name is
 * free again.
 */
xous_err_t xns_register_name(const char *name, uint32_t conn_limit, xous_sid_t *sid);
/* Connect to the server registered as name: XOUS_ERR_SERVER_NOT_FOUND if
 * absent, XOUS_ERR_ACCESS_DENIED once its connection limit is used up. */
xous_err_t xns_request_connection(const char *name, xous_cid_t *cid);
/* As xns_request_connection, but waits (without polling) for the name. */
xous_err_t xns_request_connection_blocking(const char *name, xous_cid_t *cid);
/* Remove the name of a server this process registered (the server itself
 * stays: destroy it with xous_destroy_server). */
xous_err_t xns_unregister(const xous_sid_t *sid);

/* Extensions, as Xous has them. */
/* As xns_request_connection, also giving the name's disconnect token. */
xous_err_t xns_request_connection_with_token(const char *name, xous_cid_t *cid, uint32_t token[4]);
/* Give back one brokered connection of name (frees a slot of its limit). */
xous_err_t xns_disconnect_with_token(const char *name, const uint32_t token[4]);
/* 1 in *done once every name registered with a limit has used it up. */
xous_err_t xns_trusted_init_done(int *done);

/*
 * The last call of a server program known by a registered name: register
 * name (xns_register_name, no connection limit) and serve the new server
 * with xous_serve_program(). Returns the exit status, 1, once there is
 * nothing left to serve or the name cannot be registered (said on stderr).
 */
int xns_serve_program(const char *name, xous_dispatch_t dispatch, void *state);

#ifdef __cplusplus
}
#endif

#endif /* XOUS_NAMES_H */
