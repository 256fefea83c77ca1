/*
 * The "shm" server's opcodes (registered with the name server as "shm"),
 * all BlockingScalars. A region is a run of vm's pages: shm holds the
 * right to map it (vm_grant_pages) until it is closed; shm_map asks shm for
 * the run, then vm for the caller's own right, and maps it.
 *
 *  1 Create(size)  -> Scalar2(err, id)
 *  2 Map(id)       -> Scalar5(err, paddr, pages, 0, 0)
 *  3 Close(id)     -> Scalar1(err)
 *
 * A region whose creator is gone is closed at the next call.
 */
#ifndef XOUS_SHM_API_H
#define XOUS_SHM_API_H

#define SHM_SERVER_NAME "shm"

enum shm_opcode {
	SHM_OP_CREATE = 1,
	SHM_OP_MAP = 2,
	SHM_OP_CLOSE = 3,
};

#define SHM_MAX_SIZE        (16u * 1024 * 1024)
#define SHM_MAX_REGIONS     64
#define SHM_REGIONS_PER_PID 16

#endif
