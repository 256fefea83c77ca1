/*
 * The "shm_test" server's one opcode (registered with the name server as
 * "shm_test"): at start it creates a one-page region with shm, maps it
 * writable and writes SHM_TEST_TEXT at its start.
 *
 *  1 Read  BlockingScalar -> Scalar2(err, id)
 */
#ifndef XOUS_SHM_TEST_API_H
#define XOUS_SHM_TEST_API_H

#define SHM_TEST_SERVER_NAME "shm_test"
#define SHM_TEST_TEXT        "hello task"

enum shm_test_opcode {
	SHM_TEST_OP_READ = 1,
};

#endif
