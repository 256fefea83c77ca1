/* The answer table of a real server: straight to the kernel. */
#include <xous/serve.h>

#include "export.h"

XOUS_EXPORT const struct xous_server_io xous_server_io_kernel = {
        .return_scalar = xous_return_scalar,
        .return_scalar2 = xous_return_scalar2,
        .return_memory = xous_return_memory,
        .envelope_done = xous_envelope_done,
        .connect_for_process = xous_connect_for_process,
        .disconnect = xous_disconnect,
        .process_id = xous_process_id,
        .return_scalar5 = xous_return_scalar5,
        .server_owner = xous_server_owner,
};
