/*
 * <xous/time.h> - the time server's client (CONTRACT section 2).
 * Opcodes and their answers: servers/time/api.h.
 */
#ifndef XOUS_TIME_H
#define XOUS_TIME_H

#include <xous.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Milliseconds since 1970-01-01 UTC. */
xous_err_t xtime_utc_ms(uint64_t *ms);

/* Extensions, as Xous has them. */
xous_err_t xtime_local_ms(uint64_t *ms); /* UTC + the time zone offset */
/* Signed, within +-2 days, else XOUS_ERR_INVALID_ARGUMENT. */
xous_err_t xtime_set_tz_offset_ms(int64_t offset_ms);
xous_err_t xtime_set_utc_ms(uint64_t ms);
xous_err_t xtime_wall_clock_init(int *init);

#ifdef __cplusplus
}
#endif

#endif /* XOUS_TIME_H */
