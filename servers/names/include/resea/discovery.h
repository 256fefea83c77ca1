/*
 * <resea/discovery.h> - Resea's service discovery (CONTRACT section 5),
 * served by the name server's process as "discovery", on the name server's
 * own table: a name served here is found by xns_request_connection(), and
 * a name registered with xns_register_name() is found by discovery_lookup().
 *
 * Names are 1..63 bytes of UTF-8 (else XOUS_ERR_INVALID_STRING). The rest of
 * the rules are the name server's (<xous/names.h>): a process serves at most
 * 32 names, and a name is free again once its server is destroyed or its
 * process ends. docs/resea-discovery-clock.md has the errors and an example.
 */
#ifndef RESEA_DISCOVERY_H
#define RESEA_DISCOVERY_H

#include <stdint.h>
#include <xous.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef uint32_t task_t; /* a process id */

/*
 * Create a server (random id, owned by the calling process) and serve it
 * under name; *sid is the server to receive on. XOUS_ERR_SERVER_EXISTS if
 * the name is served already, XOUS_ERR_OUT_OF_MEMORY if this process serves
 * 32 names already or the table is full (the new server is destroyed and
 * *sid is left as it was).
 */
xous_err_t discovery_serve(const char *name, xous_sid_t *sid);

/*
 * Wait (without polling) until name is served, then give the process that
 * serves it in *task and a connection to its server in *cid.
 */
xous_err_t discovery_lookup(const char *name, task_t *task, xous_cid_t *cid);

#ifdef __cplusplus
}
#endif

#endif /* RESEA_DISCOVERY_H */
