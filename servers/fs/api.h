/*
 * The fs server's opcodes ("fs", registered with the name server at
 * start): the methods of service Fs in idl/fs.proto, all memory calls
 * (<xous/rpc.h>); the reply's status is the error.
 *
 *  0 Open      Path -> Handle          NotFound; a directory: InvalidArgument
 *  1 Create    CreateRequest -> Handle AlreadyExists (unless exist_ok)
 *  2 Close     Handle -> Empty
 *  3 Read      ReadRequest -> Data     empty at the end of the file
 *  4 Write     WriteRequest -> Empty   NoSpace (nothing written)
 *  5 StatPath  Path -> Stat            NotFound
 *  6 Mkdir     Path -> Empty           AlreadyExists, NotFound (no parent)
 *  7 List      ListRequest -> ListReply
 *  8 Remove    Path -> Empty           a file open somewhere: ShareViolation;
 *                                      a directory not empty: InvalidArgument
 *  9 Rename    RenameRequest -> Empty  AlreadyExists
 * 10 Truncate  TruncateRequest -> Empty
 * 11 Sync      Empty -> Empty          once the device has it on stable storage
 *
 * A handle that is not the caller's (never opened, closed, another
 * process's): InvalidArgument. Handles: FS_MAX_HANDLES in all,
 * FS_HANDLES_PER_PID per process (past them: OutOfMemory). A volume that
 * did not mount, a device that fails, a broken structure on the disk:
 * StorageError.
 */
#ifndef XOUS_FS_API_H
#define XOUS_FS_API_H

#define FS_SERVER_NAME "fs"

enum fs_opcode {
	FS_OP_OPEN = 0,
	FS_OP_CREATE = 1,
	FS_OP_CLOSE = 2,
	FS_OP_READ = 3,
	FS_OP_WRITE = 4,
	FS_OP_STAT = 5,
	FS_OP_MKDIR = 6,
	FS_OP_LIST = 7,
	FS_OP_REMOVE = 8,
	FS_OP_RENAME = 9,
	FS_OP_TRUNCATE = 10,
	FS_OP_SYNC = 11,
};

#define FS_MAX_HANDLES     256
#define FS_HANDLES_PER_PID 64
#define FS_LIST_MAX        128

#endif
