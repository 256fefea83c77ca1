/* <doubler_client.h> - the doubler's client calls. */
#ifndef DOUBLER_CLIENT_H
#define DOUBLER_CLIENT_H

#include <stdint.h>
#include <xous.h>

xous_err_t doubler_connect(xous_cid_t *cid);
xous_err_t doubler_twice(xous_cid_t cid, int64_t n, int64_t *out);

#endif
