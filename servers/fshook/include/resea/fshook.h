/*
 * <resea/fshook.h> - the fshook server's client (docs/resea-abi-hook.md):
 * run a foreign Linux binary whose file calls on paths under /fs/ are
 * served by the fs server.
 */
#ifndef RESEA_FSHOOK_H
#define RESEA_FSHOOK_H

#include <stdint.h>
#include <xous.h>

#ifdef __cplusplus
extern "C" {
#endif

/* task_launch("abi-hook=fshook " cmdline): cmdline starts with the
 * binary's absolute path. */
xous_err_t fshook_launch(const char *cmdline, uint32_t *task);

#ifdef __cplusplus
}
#endif

#endif /* RESEA_FSHOOK_H */
