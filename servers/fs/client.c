/* The fs server's client stubs (<resea/fs.h>), in both runtimes. */
#include <resea/fs.h>
#include <string.h>
#include <xous/names.h>
#include <xous/rpc.h>

#include "api.h"
#include "conn_cache.h"
#include "export.h"
#include "fs.pb-c.h"

/* Room in a read's region beyond its data: the request's frame before the
 * data and the reply's after it (dispatch.c reads in place). */
#define FS_READ_ROOM 512u
/* A listed entry's packed size at most: its name and two numbers. */
#define FS_ENTRY_PACKED (FS_NAME_MAX + 32u)

static struct servers_conn_cache fs_conn;

/* Through the name server: "fs" is not a 16-byte well-known name. */
static xous_err_t fs_cid(xous_cid_t *cid)
{
	return servers_conn_by(&fs_conn, xns_request_connection_blocking, FS_SERVER_NAME, cid);
}

/* One call with a reply of up to reply_max bytes (reply_desc NULL: none). */
static xous_err_t fs_call(uint32_t op, const ProtobufCMessage *req,
                          const ProtobufCMessageDescriptor *reply_desc, ProtobufCMessage **reply,
                          size_t reply_max)
{
	xous_cid_t cid;
	xous_err_t err = fs_cid(&cid);

	if (err)
		return err;
	return xous_rpc_call_sized(cid, op, req, reply_desc, reply, reply_max);
}

static xous_err_t fs_handle_call(uint32_t op, const ProtobufCMessage *req, fs_handle_t *h)
{
	ProtobufCMessage *reply = NULL;
	xous_err_t err;

	if (h == NULL)
		return XOUS_ERR_INVALID_ARGUMENT;
	err = fs_call(op, req, &fs_pb__handle__descriptor, &reply, 16);
	if (err == XOUS_OK) {
		*h = ((FsPb__Handle *)reply)->handle;
		protobuf_c_message_free_unpacked(reply, NULL);
	}
	return err;
}

static xous_err_t fs_path_call(uint32_t op, const char *path)
{
	FsPb__Path req = FS_PB__PATH__INIT;

	if (path == NULL)
		return XOUS_ERR_INVALID_ARGUMENT;
	req.path = (char *)path;
	return fs_call(op, &req.base, NULL, NULL, 0);
}

XOUS_EXPORT xous_err_t fs_open(const char *path, fs_handle_t *h)
{
	FsPb__Path req = FS_PB__PATH__INIT;

	if (path == NULL)
		return XOUS_ERR_INVALID_ARGUMENT;
	req.path = (char *)path;
	return fs_handle_call(FS_OP_OPEN, &req.base, h);
}

XOUS_EXPORT xous_err_t fs_create(const char *path, bool exist_ok, fs_handle_t *h)
{
	FsPb__CreateRequest req = FS_PB__CREATE_REQUEST__INIT;

	if (path == NULL)
		return XOUS_ERR_INVALID_ARGUMENT;
	req.path = (char *)path;
	req.exist_ok = exist_ok;
	return fs_handle_call(FS_OP_CREATE, &req.base, h);
}

XOUS_EXPORT xous_err_t fs_close(fs_handle_t h)
{
	FsPb__Handle req = FS_PB__HANDLE__INIT;

	req.handle = h;
	return fs_call(FS_OP_CLOSE, &req.base, NULL, NULL, 0);
}

XOUS_EXPORT xous_err_t fs_read(fs_handle_t h, uint64_t offset, size_t len, void *buf, size_t *got)
{
	FsPb__ReadRequest req = FS_PB__READ_REQUEST__INIT;
	ProtobufCMessage *reply = NULL;
	FsPb__Data *rep;
	xous_err_t err;

	if (got == NULL || (buf == NULL && len > 0))
		return XOUS_ERR_INVALID_ARGUMENT;
	*got = 0;
	if (len > XOUS_OOL_MAX)
		return XOUS_ERR_INVALID_ARGUMENT;
	req.handle = h;
	req.offset = offset;
	req.len = len;
	err = fs_call(FS_OP_READ, &req.base, &fs_pb__data__descriptor, &reply, len + FS_READ_ROOM);
	if (err)
		return err;
	rep = (FsPb__Data *)reply;
	if (rep->data.len <= len) {
		if (rep->data.len)
			memcpy(buf, rep->data.data, rep->data.len);
		*got = rep->data.len;
	} else {
		err = XOUS_ERR_SERIALIZATION_ERROR; /* more than was asked for */
	}
	protobuf_c_message_free_unpacked(reply, NULL);
	return err;
}

XOUS_EXPORT xous_err_t fs_write(fs_handle_t h, uint64_t offset, const void *data, size_t len)
{
	FsPb__WriteRequest req = FS_PB__WRITE_REQUEST__INIT;

	if ((data == NULL && len > 0) || len > XOUS_OOL_MAX)
		return XOUS_ERR_INVALID_ARGUMENT;
	req.handle = h;
	req.offset = offset;
	req.data.data = (uint8_t *)data;
	req.data.len = len;
	return fs_call(FS_OP_WRITE, &req.base, NULL, NULL, 0);
}

static xous_err_t fs_stat_call(const char *path, FsPb__Stat **st)
{
	FsPb__Path req = FS_PB__PATH__INIT;
	ProtobufCMessage *reply = NULL;
	xous_err_t err;

	if (path == NULL)
		return XOUS_ERR_INVALID_ARGUMENT;
	req.path = (char *)path;
	err = fs_call(FS_OP_STAT, &req.base, &fs_pb__stat__descriptor, &reply, FS_ENTRY_PACKED);
	*st = (FsPb__Stat *)reply;
	return err;
}

XOUS_EXPORT xous_err_t fs_stat(const char *path, uint64_t *size)
{
	FsPb__Stat *st = NULL;
	xous_err_t err;

	if (size == NULL)
		return XOUS_ERR_INVALID_ARGUMENT;
	err = fs_stat_call(path, &st);
	if (err == XOUS_OK) {
		*size = st->size;
		protobuf_c_message_free_unpacked(&st->base, NULL);
	}
	return err;
}

static void dirent_fill(struct fs_dirent *out, const char *name, uint64_t size, bool is_dir)
{
	size_t n = name ? strlen(name) : 0;

	n = n < FS_NAME_MAX ? n : FS_NAME_MAX;
	memcpy(out->name, name ? name : "", n);
	out->name[n] = '\0';
	out->size = size;
	out->is_dir = is_dir;
}

XOUS_EXPORT xous_err_t fs_info(const char *path, struct fs_dirent *out)
{
	FsPb__Stat *st = NULL;
	xous_err_t err;

	if (out == NULL)
		return XOUS_ERR_INVALID_ARGUMENT;
	err = fs_stat_call(path, &st);
	if (err == XOUS_OK) {
		dirent_fill(out, st->name, st->size, st->is_dir);
		protobuf_c_message_free_unpacked(&st->base, NULL);
	}
	return err;
}

XOUS_EXPORT xous_err_t fs_mkdir(const char *path)
{
	return fs_path_call(FS_OP_MKDIR, path);
}

/* One List call: up to FS_LIST_MAX entries from index on. */
static xous_err_t list_some(const char *path, uint32_t index, struct fs_dirent *out, size_t max,
                            size_t *count)
{
	FsPb__ListRequest req = FS_PB__LIST_REQUEST__INIT;
	ProtobufCMessage *reply = NULL;
	FsPb__ListReply *rep;
	xous_err_t err;

	req.path = (char *)path;
	req.index = index;
	req.max = max < FS_LIST_MAX ? (uint32_t)max : FS_LIST_MAX;
	err = fs_call(FS_OP_LIST, &req.base, &fs_pb__list_reply__descriptor, &reply,
	              req.max * FS_ENTRY_PACKED + 16);
	if (err)
		return err;
	rep = (FsPb__ListReply *)reply;
	*count = rep->n_entries < req.max ? rep->n_entries : req.max;
	for (size_t i = 0; i < *count; i++)
		dirent_fill(&out[i], rep->entries[i]->name, rep->entries[i]->size,
		            rep->entries[i]->is_dir);
	protobuf_c_message_free_unpacked(reply, NULL);
	return XOUS_OK;
}

XOUS_EXPORT xous_err_t fs_list(const char *path, uint32_t index, struct fs_dirent *out, size_t max,
                               size_t *count)
{
	xous_err_t err = XOUS_OK;
	size_t got = FS_LIST_MAX;

	if (path == NULL || count == NULL || (out == NULL && max > 0))
		return XOUS_ERR_INVALID_ARGUMENT;
	*count = 0;
	while (err == XOUS_OK && *count < max && got == FS_LIST_MAX) {
		err = list_some(path, index + (uint32_t)*count, out + *count, max - *count, &got);
		*count += err ? 0 : got;
	}
	return err;
}

XOUS_EXPORT xous_err_t fs_remove(const char *path)
{
	return fs_path_call(FS_OP_REMOVE, path);
}

XOUS_EXPORT xous_err_t fs_rename(const char *from, const char *to)
{
	FsPb__RenameRequest req = FS_PB__RENAME_REQUEST__INIT;

	if (from == NULL || to == NULL)
		return XOUS_ERR_INVALID_ARGUMENT;
	req.from = (char *)from;
	req.to = (char *)to;
	return fs_call(FS_OP_RENAME, &req.base, NULL, NULL, 0);
}

XOUS_EXPORT xous_err_t fs_truncate(fs_handle_t h, uint64_t size)
{
	FsPb__TruncateRequest req = FS_PB__TRUNCATE_REQUEST__INIT;

	req.handle = h;
	req.size = size;
	return fs_call(FS_OP_TRUNCATE, &req.base, NULL, NULL, 0);
}

XOUS_EXPORT xous_err_t fs_sync(void)
{
	FsPb__Empty req = FS_PB__EMPTY__INIT;

	return fs_call(FS_OP_SYNC, &req.base, NULL, NULL, 0);
}
