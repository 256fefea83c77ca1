/*
 * The blk server's opcodes ("blk", registered with the name server at
 * start): the methods of service Blk in idl/blk.proto, all memory calls
 * (<xous/rpc.h>).
 *
 *  0 Read         ReadRequest{sector, num_sectors} -> Data{num_sectors * 512 bytes}
 *  1 Write        WriteRequest{sector, data}       -> Empty, once the device has it
 *  2 Flush        Empty -> Empty, once what was written is on stable storage
 *  3 GetCapacity  Empty -> Capacity{num_sectors, sector_size = 512}
 *
 * A range that is not inside the device, a transfer of no sectors or of
 * more than XOUS_OOL_MAX bytes, data that is not whole sectors:
 * InvalidArgument. A device that fails: StorageError.
 */
#ifndef XOUS_BLK_API_H
#define XOUS_BLK_API_H

#define BLK_SERVER_NAME "blk"

enum blk_opcode {
	BLK_OP_READ = 0,
	BLK_OP_WRITE = 1,
	BLK_OP_FLUSH = 2,
	BLK_OP_GET_CAPACITY = 3,
};

#endif
