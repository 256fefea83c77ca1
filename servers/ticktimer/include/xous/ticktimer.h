/*
 * <xous/ticktimer.h> - the ticktimer's client (CONTRACT section 2).
 * Opcodes and their answers: servers/ticktimer/api.h.
 */
#ifndef XOUS_TICKTIMER_H
#define XOUS_TICKTIMER_H

#include <xous.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Milliseconds since the ticktimer started (a monotonic clock). */
xous_err_t tt_elapsed_ms(uint64_t *ms);
/* Block the calling thread for at least ms milliseconds. */
xous_err_t tt_sleep_ms(uint32_t ms);

/* Extensions, as Xous has them. Ids are private to the calling process. */
xous_err_t tt_get_version(char *buf, size_t len); /* NUL-terminated, truncated to len */
xous_err_t tt_lock_mutex(uintptr_t id);           /* blocks until held */
xous_err_t tt_unlock_mutex(uintptr_t id);
xous_err_t tt_free_mutex(uintptr_t id);
/* Wait for a notification on id: *timed_out 0 notified, 1 timed out.
 * timeout_ms 0 waits forever. */
xous_err_t tt_wait_condition(uintptr_t id, uint32_t timeout_ms, int *timed_out);
/* Wake up to count waiters (0 = all); *woken (may be NULL) how many. */
xous_err_t tt_notify_condition(uintptr_t id, uint32_t count, uint32_t *woken);
xous_err_t tt_free_condition(uintptr_t id);

/* NOTIFY_TIMER (<resea/global.h>) to the caller's notify server in ms
 * milliseconds (CONTRACT section 7); one timer per task, a later call
 * replaces it. Returns once it is armed. */
xous_err_t tt_notify_after_ms(uint32_t ms);

#ifdef __cplusplus
}
#endif

#endif /* XOUS_TICKTIMER_H */
