/*
 * xous-blk: blk_dispatch() served by xous_serve() as "blk" (registered with
 * the name server), on the platform's device.
 */
#include <stdio.h>
#include <xous/names.h>

#include "blk.h"

static xous_answer_t serve(void *st, xous_envelope_t *env)
{
	return blk_dispatch(st, env);
}

int main(void)
{
	static struct blk_device dev;
	static struct blk_state state;

	if (blk_platform_open(&dev) != XOUS_OK)
		return 1;
	blk_init(&state, &dev);
	return xns_serve_program(BLK_SERVER_NAME, serve, &state);
}
