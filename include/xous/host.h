/*
 * host.h - what only the Linux library (libxous-host) adds to <xous.h>.
 */
#ifndef XOUS_HOST_H
#define XOUS_HOST_H

/*
 * Why this process has no connection to xous-hostd: a sentence for a
 * person (XOUS_HOSTD not set, no socket at its path, connection refused, a
 * missing or malformed key, a key the broker refused, the broker gone), or
 * NULL while nothing failed. The calls themselves keep answering
 * XOUS_ERR_INTERNAL_ERROR (or ACCESS_DENIED for a refused key); the
 * library says the same sentence once on stderr when it first happens.
 */
const char *xous_host_error(void);

#endif /* XOUS_HOST_H */
