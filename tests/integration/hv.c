/*
 * hv: hv_launch under the default fleet and the disk (hv.sh runs it).
 *   hv errors IMAGE  the errors a caller can get, then a launch of IMAGE:
 *                    Unavailable where /dev/kvm is absent, else a guest
 *   hv run IMAGE     a launch of IMAGE into 4 MiB, then its task's end,
 *                    which must be exit status 0; exit 77 (skipped) if the
 *                    launch answers Unavailable because /dev/kvm is absent
 */
#include <resea/hv.h>
#include <resea/task.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "itest.h"

#define MEM    (4u << 20)
#define EXITED 7
#define SKIP   77

static int kvm_here(void)
{
	return access("/dev/kvm", R_OK | W_OK) == 0;
}

static int errors(const char *image)
{
	task_t t = 0;
	xous_err_t err;

	CHECK_ERR(hv_launch(NULL, MEM, &t), XOUS_ERR_INVALID_ARGUMENT, "no image");
	CHECK_ERR(hv_launch(image, MEM, NULL), XOUS_ERR_INVALID_ARGUMENT, "nowhere for the task");
	CHECK_ERR(hv_launch(image, (1u << 21) - 1, &t), XOUS_ERR_INVALID_ARGUMENT,
	          "less than 2 MiB of memory");
	CHECK_ERR(hv_launch(image, (256u << 20) + 1, &t), XOUS_ERR_INVALID_ARGUMENT,
	          "more than 256 MiB of memory");
	CHECK_ERR(hv_launch("/nonexistent/guest.bin", MEM, &t), XOUS_ERR_NOT_FOUND, "no such file");
	CHECK_ERR(hv_launch("/dev/null", MEM, &t), XOUS_ERR_INVALID_ARGUMENT, "an empty image");
	err = hv_launch(image, MEM, &t);
	if (kvm_here())
		CHECK_ERR(err, XOUS_OK, "/dev/kvm is here: the guest starts (task %u)", t);
	else
		CHECK_ERR(err, XOUS_ERR_UNAVAILABLE, "/dev/kvm is absent: Unavailable");
	CHECK_ERR(hv_launch(image, MEM, &t), err, "and again, the same");
	return itest_done();
}

static int run(const char *image)
{
	xous_envelope_t env;
	xous_sid_t sid;
	task_t t = 0;
	xous_err_t err;

	REQUIRE(xous_create_server(&sid) == XOUS_OK, "a server for the exit notice");
	err = hv_launch(image, MEM, &t);
	if (err == XOUS_ERR_UNAVAILABLE && !kvm_here()) {
		printf("SKIP: /dev/kvm is absent: hv_launch answers Unavailable and no guest "
		       "runs\n");
		return SKIP;
	}
	REQUIRE(err == XOUS_OK, "hv_launch %s: %s", image, xous_strerror(err));
	CHECK_ERR(task_watch(t, &sid, EXITED), XOUS_OK, "watch the guest's task %u", t);
	CHECK_ERR(xous_receive_message(&sid, &env), XOUS_OK, "its end");
	CHECK(env.kind == XOUS_SCALAR && env.scalar.id == EXITED && env.scalar.arg[0] == t,
	      "the exit notice of task %u", t);
	CHECK(env.scalar.arg[1] == 0, "the guest ended well (status %u)",
	      (unsigned)env.scalar.arg[1]);
	return itest_done();
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "errors"))
		return errors(argv[2]);
	if (argc == 3 && !strcmp(argv[1], "run"))
		return run(argv[2]);
	fprintf(stderr, "usage: %s errors|run IMAGE\n", argv[0]);
	return 2;
}
