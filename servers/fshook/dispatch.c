/*
 * The fshook server's dispatch: one hooked system call per message.
 *
 * Rules:
 * - A path is fshook's if, made absolute (a relative one against a
 *   directory fshook opened), it is /fs or lies under /fs/; "." and ".."
 *   are resolved by name and never leave /fs. Every other path, and every
 *   descriptor fshook did not open, goes to the host.
 * - The file system is served read-only: an open for writing, creating or
 *   truncating answers EROFS, an access() for writing too.
 * - A descriptor fshook opens is a real one of the task (AbiHookFd, which
 *   the host reads as empty), so the host never gives its number to
 *   another file; its close goes on to the host. An mmap of it answers
 *   ENODEV, a copy_file_range, splice or sendfile with it EXDEV (programs
 *   then read and write); other calls fshook does not serve on it (fcntl,
 *   dup...) reach that placeholder.
 * - Each architecture's numbers map onto one list of calls (x86_64, and
 *   the RV32 calls of kernel-riscv's foreign programs).
 * - A frame that is not whole, or that names another task than its
 *   sender, is answered "let the host do it" untouched in any other way.
 */
#include <string.h>

#include "fshook.h"

/* The calls fshook knows, whatever their numbers. */
enum call {
	C_OTHER,
	C_READ,
	C_PREAD,
	C_OPEN,
	C_OPENAT,
	C_CLOSE,
	C_LSEEK,
	C_LLSEEK, /* RV32's _llseek(fd, offset_high, offset_low, loff_t *result, whence) */
	C_FSTAT,
	C_STAT,
	C_LSTAT,
	C_FSTATAT,
	C_STATX,
	C_GETDENTS,
	C_FADVISE,
	C_ACCESS,
	C_FACCESSAT,
	C_IOCTL,
	C_MMAP,
	C_SENDFILE,
	C_XFER, /* copy_file_range, splice */
};

static const struct {
	uint32_t nr;
	uint8_t call;
} x86_64_calls[] =
        {
                {0, C_READ},        {2, C_OPEN},      {3, C_CLOSE},       {4, C_STAT},
                {5, C_FSTAT},       {6, C_LSTAT},     {8, C_LSEEK},       {16, C_IOCTL},
                {17, C_PREAD},      {21, C_ACCESS},   {217, C_GETDENTS},  {221, C_FADVISE},
                {257, C_OPENAT},    {262, C_FSTATAT}, {269, C_FACCESSAT}, {332, C_STATX},
                {439, C_FACCESSAT}, {9, C_MMAP},      {40, C_SENDFILE},   {275, C_XFER},
                {326, C_XFER},
},
  rv32_calls[] = {
          {56, C_OPENAT},    {57, C_CLOSE},  {63, C_READ},  {61, C_GETDENTS}, {67, C_PREAD},
          {48, C_FACCESSAT}, {291, C_STATX}, {29, C_IOCTL}, {62, C_LLSEEK},
};

static enum call call_of(const struct abi_hook_frame *fr)
{
	size_t n = fr->arch == ABI_HOOK_ARCH_X86_64 ? sizeof(x86_64_calls) / sizeof(x86_64_calls[0])
	                                            : sizeof(rv32_calls) / sizeof(rv32_calls[0]);

	for (size_t i = 0; i < n; i++) {
		uint32_t nr =
		        fr->arch == ABI_HOOK_ARCH_X86_64 ? x86_64_calls[i].nr : rv32_calls[i].nr;
		if (nr == fr->nr)
			return fr->arch == ABI_HOOK_ARCH_X86_64 ? x86_64_calls[i].call
			                                        : rv32_calls[i].call;
	}
	return C_OTHER;
}

/* Linux's numbers fshook answers with (the same on both architectures). */
enum {
	E_NOENT = 2,
	E_BADF = 9,
	E_ACCES = 13,
	E_FAULT = 14,
	E_NOTDIR = 20,
	E_ISDIR = 21,
	E_INVAL = 22,
	E_MFILE = 24,
	E_NOTTY = 25,
	E_ROFS = 30,
	E_NAMETOOLONG = 36,
	E_NODEV = 19,
	E_XDEV = 18,
	E_IO = 5,
};
#define AT_FDCWD_      (-100)
#define AT_EMPTY_PATH_ 0x1000
#define O_ACCMODE_     3
#define O_CREAT_       0100
#define O_TRUNC_       01000
#define O_DIRECTORY_   0200000
#define O_CLOEXEC_     02000000
#define W_OK_          2
#define X_OK_          1
#define FSHOOK_DEV     0x7f5u /* the st_dev of fshook's files */
#define S_IFDIR_       0040000u
#define S_IFREG_       0100000u

void fshook_init(struct fshook *st, const struct fshook_ops *ops)
{
	memset(st, 0, sizeof(*st));
	st->ops = *ops;
}

int fshook_frame(const xous_envelope_t *env, struct abi_hook_frame *fr)
{
	if (env->kind != XOUS_MUTABLE_BORROW || env->memory.id != GLOBAL_ABI_HOOK ||
	    !env->memory.buf.addr || env->memory.buf.len < sizeof(*fr))
		return -1;
	memcpy(fr, env->memory.buf.addr, sizeof(*fr));
	if (fr->magic != ABI_HOOK_MAGIC || fr->task != xous_sender_pid(env->sender) ||
	    (fr->arch != ABI_HOOK_ARCH_X86_64 && fr->arch != ABI_HOOK_ARCH_RISCV32))
		return -1;
	return 0;
}

/* ---- descriptors ---- */

/* A descriptor is an int: the argument's low 32 bits. */
static struct fshook_file *file_of(struct fshook *st, uint32_t task, uint64_t fd)
{
	for (size_t i = 0; i < FSHOOK_MAX_FILES; i++)
		if (st->f[i].used && st->f[i].task == task && (uint32_t)st->f[i].fd == (uint32_t)fd)
			return &st->f[i];
	return NULL;
}

static void file_drop(struct fshook *st, struct fshook_file *f)
{
	if (!f->dir)
		st->ops.close(st->ops.ctx, f->h);
	memset(f, 0, sizeof(*f));
}

/* The files of tasks that are gone are closed when room is needed. */
static void sweep(struct fshook *st)
{
	for (size_t i = 0; i < FSHOOK_MAX_FILES; i++)
		if (st->f[i].used && !st->ops.alive(st->ops.ctx, st->f[i].task)) {
			uint32_t task = st->f[i].task;

			for (size_t j = i; j < FSHOOK_MAX_FILES; j++)
				if (st->f[j].used && st->f[j].task == task)
					file_drop(st, &st->f[j]);
		}
}

static struct fshook_file *file_slot(struct fshook *st, uint32_t task, int64_t *err)
{
	struct fshook_file *free_f = NULL;
	size_t mine = 0;

	for (int pass = 0; pass < 2 && !free_f; pass++) {
		if (pass)
			sweep(st);
		mine = 0;
		for (size_t i = 0; i < FSHOOK_MAX_FILES; i++) {
			if (!st->f[i].used && !free_f)
				free_f = &st->f[i];
			else if (st->f[i].used && st->f[i].task == task)
				mine++;
		}
	}
	if (!free_f || mine >= FSHOOK_MAX_PER_TASK) {
		*err = -E_MFILE;
		return NULL;
	}
	return free_f;
}

/* ---- paths ---- */

/* Append name (len bytes) to the fs path out, resolving "." and "..". */
static int path_push(char *out, const char *name, size_t len)
{
	size_t o = strlen(out);

	if (len == 0 || (len == 1 && name[0] == '.'))
		return 0;
	if (len == 2 && name[0] == '.' && name[1] == '.') {
		while (o > 1 && out[o - 1] != '/')
			o--;
		out[o > 1 ? o - 1 : 1] = 0;
		return 0;
	}
	if (o + (o > 1) + len >= FSHOOK_PATH_MAX)
		return -E_NAMETOOLONG;
	if (o > 1)
		out[o++] = '/';
	memcpy(out + o, name, len);
	out[o + len] = 0;
	return 0;
}

static int path_join(char *out, const char *rel)
{
	while (*rel) {
		const char *end = strchr(rel, '/');
		size_t len = end ? (size_t)(end - rel) : strlen(rel);
		int err = path_push(out, rel, len);

		if (err)
			return err;
		rel += len + (end != NULL);
	}
	return 0;
}

/* The NUL-terminated string at addr of the task, in st->buf. */
static int read_string(struct fshook *st, uint32_t task, uint64_t addr)
{
	size_t n = 0;

	if (st->ops.mem_read(st->ops.ctx, task, addr, st->buf, FSHOOK_PATH_MAX, &n) || n == 0)
		return -E_FAULT;
	if (!memchr(st->buf, 0, n))
		return n < FSHOOK_PATH_MAX ? -E_FAULT : -E_NAMETOOLONG;
	return 0;
}

/*
 * The path at addr (relative to dirfd) in the fs server's terms in out: 1
 * if it is fshook's, 0 if it is the host's, or -errno. With empty_ok an
 * empty path names dirfd itself (AT_EMPTY_PATH).
 */
static int resolve(struct fshook *st, uint32_t task, int64_t dirfd, uint64_t addr, bool empty_ok,
                   char out[FSHOOK_PATH_MAX])
{
	const char *p = (const char *)st->buf;
	struct fshook_file *d = NULL;
	int err = read_string(st, task, addr);

	if (err)
		return err;
	if (p[0] != '/') {
		d = dirfd == AT_FDCWD_ ? NULL : file_of(st, task, (uint64_t)dirfd);
		if (!d)
			return 0;
		if (!d->dir && p[0])
			return -E_NOTDIR;
		if (!p[0] && !empty_ok)
			return -E_NOENT;
		memcpy(out, d->path, sizeof(d->path));
		return path_join(out, p) ? -E_NAMETOOLONG : 1;
	}
	if (strncmp(p, "/fs", 3) || (p[3] && p[3] != '/'))
		return 0;
	strcpy(out, "/");
	return path_join(out, p + 3) ? -E_NAMETOOLONG : 1;
}

/* ---- answers into the task ---- */

static int64_t put(struct fshook *st, uint32_t task, uint64_t addr, const void *buf, size_t len)
{
	size_t n = 0;

	if (st->ops.mem_write(st->ops.ctx, task, addr, buf, len, &n) || n != len)
		return -E_FAULT;
	return 0;
}

static int64_t fs_errno(xous_err_t err)
{
	switch (err) {
	case XOUS_ERR_NOT_FOUND:
		return -E_NOENT;
	case XOUS_ERR_INVALID_ARGUMENT:
		return -E_INVAL;
	case XOUS_ERR_OUT_OF_MEMORY:
		return -E_MFILE;
	default:
		return -E_IO;
	}
}

static uint64_t inode_of(const char *path)
{
	uint64_t h = 1469598103934665603ull;

	for (const unsigned char *p = (const unsigned char *)path; *p; p++)
		h = (h ^ *p) * 1099511628211ull;
	return h ? h : 1;
}

/* Linux's struct stat of x86_64. */
struct k_stat {
	uint64_t dev, ino, nlink;
	uint32_t mode, uid, gid, pad0;
	uint64_t rdev;
	int64_t size, blksize, blocks;
	uint64_t times[6];
	int64_t unused[3];
};
_Static_assert(sizeof(struct k_stat) == 144, "x86_64's struct stat");

/* Linux's struct statx. */
struct k_statx {
	uint32_t mask, blksize;
	uint64_t attributes;
	uint32_t nlink, uid, gid;
	uint16_t mode, spare0;
	uint64_t ino, size, blocks, attributes_mask;
	struct {
		int64_t sec;
		uint32_t nsec;
		int32_t pad;
	} atime, btime, ctime, mtime;
	uint32_t rdev_major, rdev_minor, dev_major, dev_minor;
	uint64_t spare[14];
};
_Static_assert(sizeof(struct k_statx) == 256, "struct statx");

static int64_t stat_path(struct fshook *st, const char *path, bool *dir, uint64_t *size)
{
	struct fshook_entry *e = &st->ent[0];
	xous_err_t err;

	if (!strcmp(path, "/")) {
		*dir = true;
		*size = 0;
		return 0;
	}
	err = st->ops.info(st->ops.ctx, path, e);
	if (err)
		return fs_errno(err);
	*dir = e->is_dir;
	*size = e->size;
	return 0;
}

/* A stat (statx: a struct statx) of path into the task at addr. */
static int64_t put_stat(struct fshook *st, uint32_t task, const char *path, uint64_t addr,
                        bool statx)
{
	bool dir;
	uint64_t size;
	int64_t err = stat_path(st, path, &dir, &size);
	uint32_t mode = dir ? S_IFDIR_ | 0555 : S_IFREG_ | 0444;

	if (err)
		return err;
	if (statx) {
		struct k_statx x = {.mask = 0x7ff, /* STATX_BASIC_STATS */
		                    .blksize = 4096,
		                    .nlink = dir ? 2 : 1,
		                    .mode = (uint16_t)mode,
		                    .ino = inode_of(path),
		                    .size = size,
		                    .blocks = (size + 511) / 512,
		                    .dev_minor = FSHOOK_DEV};
		return put(st, task, addr, &x, sizeof(x));
	}
	struct k_stat s = {.dev = FSHOOK_DEV,
	                   .ino = inode_of(path),
	                   .nlink = dir ? 2 : 1,
	                   .mode = mode,
	                   .size = (int64_t)size,
	                   .blksize = 4096,
	                   .blocks = (int64_t)(size + 511) / 512};
	return put(st, task, addr, &s, sizeof(s));
}

/* ---- the calls ---- */

static int64_t do_open(struct fshook *st, const struct abi_hook_frame *fr, const char *path,
                       uint64_t flags, bool *host)
{
	struct fshook_file *f;
	bool dir;
	uint64_t size;
	int64_t err = stat_path(st, path, &dir, &size);

	if ((flags & O_ACCMODE_) || (flags & (O_CREAT_ | O_TRUNC_)))
		return -E_ROFS;
	if (err)
		return err;
	if (!dir && (flags & O_DIRECTORY_))
		return -E_NOTDIR;
	if (!(f = file_slot(st, fr->task, &err)))
		return err;
	if (!dir) {
		xous_err_t e = st->ops.open(st->ops.ctx, path, &f->h);

		if (e)
			return fs_errno(e);
	}
	if (st->ops.new_fd(st->ops.ctx, fr->task, flags & O_CLOEXEC_ ? XOUS_ABI_HOOK_FD_CLOEXEC : 0,
	                   &f->fd) != XOUS_OK) {
		if (!dir)
			st->ops.close(st->ops.ctx, f->h);
		return -E_MFILE;
	}
	f->used = true;
	f->dir = dir;
	f->task = fr->task;
	f->size = size;
	f->pos = 0;
	memcpy(f->path, path, strlen(path) + 1);
	*host = false;
	return f->fd;
}

static int64_t do_read(struct fshook *st, struct fshook_file *f, uint64_t addr, uint64_t count,
                       uint64_t off, bool at)
{
	uint64_t pos = at ? off : f->pos, done = 0;

	if (f->dir)
		return -E_ISDIR;
	if (count > FSHOOK_IO_MAX)
		count = FSHOOK_IO_MAX;
	while (done < count) {
		size_t want = count - done < FSHOOK_CHUNK ? (size_t)(count - done) : FSHOOK_CHUNK,
		       got = 0;
		xous_err_t err = st->ops.read(st->ops.ctx, f->h, pos + done, want, st->buf, &got);

		if (err && done == 0)
			return fs_errno(err);
		if (err || got == 0)
			break;
		if (got > want || put(st, f->task, addr + done, st->buf, got))
			return done ? (int64_t)done : -E_FAULT;
		done += got;
		if (got < want)
			break;
	}
	if (!at)
		f->pos += done;
	return (int64_t)done;
}

static int64_t do_lseek(struct fshook_file *f, int64_t off, uint64_t whence)
{
	int64_t base;

	switch (whence) {
	case 0:
		base = 0;
		break;
	case 1:
		base = (int64_t)f->pos;
		break;
	case 2:
		base = (int64_t)f->size;
		break;
	default:
		return -E_INVAL;
	}
	if ((off > 0 && base > INT64_MAX - off) || base + off < 0)
		return -E_INVAL;
	f->pos = (uint64_t)(base + off);
	return (int64_t)f->pos;
}

/* One linux_dirent64 of name at out; its length, or 0 if it needs more than room. */
static size_t dirent(unsigned char *out, size_t room, const char *dirpath, const char *name,
                     bool dir, int64_t next)
{
	size_t nl = strlen(name), reclen = (19 + nl + 1 + 7) & ~(size_t)7;
	uint64_t ino = inode_of(dirpath) ^ inode_of(name);
	uint16_t rl = (uint16_t)reclen;

	if (reclen > room)
		return 0;
	memset(out, 0, reclen);
	memcpy(out, &ino, 8);
	memcpy(out + 8, &next, 8);
	memcpy(out + 16, &rl, 2);
	out[18] = dir ? 4 : 8; /* DT_DIR, DT_REG */
	memcpy(out + 19, name, nl);
	return reclen;
}

/* Entries "." and ".." then the fs server's listing, as many as fit. */
static int64_t do_getdents(struct fshook *st, struct fshook_file *f, uint64_t addr, uint64_t count)
{
	size_t used = 0, cap = count < FSHOOK_CHUNK ? (size_t)count : FSHOOK_CHUNK;
	unsigned char *out = st->buf;

	if (!f->dir)
		return -E_NOTDIR;
	for (;;) {
		size_t n = 0, len;
		struct fshook_entry *e = NULL;

		if (f->pos >= 2) {
			xous_err_t err = st->ops.list(st->ops.ctx, f->path, (uint32_t)(f->pos - 2),
			                              st->ent, 1, &n);
			if (err)
				return used ? (int64_t)used : fs_errno(err);
			if (n == 0)
				break;
			e = &st->ent[0];
			e->name[FSHOOK_NAME_MAX] = 0;
		}
		len = dirent(out + used, cap - used, f->path,
		             e        ? e->name
		             : f->pos ? ".."
		                      : ".",
		             e ? e->is_dir : true, (int64_t)f->pos + 1);
		if (len == 0) {
			if (used == 0)
				return -E_INVAL;
			break;
		}
		used += len;
		f->pos++;
	}
	return used && put(st, f->task, addr, out, used) ? -E_FAULT : (int64_t)used;
}

static int64_t do_access(struct fshook *st, const char *path, uint64_t mode)
{
	bool dir;
	uint64_t size;
	int64_t err = stat_path(st, path, &dir, &size);

	if (err)
		return err;
	if (mode & W_OK_)
		return -E_ROFS;
	return (mode & X_OK_) && !dir ? -E_ACCES : 0;
}

/* The calls on a path: *host stays true where the path is the host's. */
static int64_t path_call(struct fshook *st, const struct abi_hook_frame *fr, enum call c,
                         bool *host)
{
	const uint64_t *a = fr->args;
	char path[FSHOOK_PATH_MAX];
	bool at = c == C_OPENAT || c == C_FSTATAT || c == C_STATX || c == C_FACCESSAT;
	int64_t dirfd = at ? (int64_t)(int32_t)a[0] : AT_FDCWD_;
	uint64_t addr = at ? a[1] : a[0], flags = at ? a[2] : a[1];
	bool empty_ok = (c == C_FSTATAT && (a[3] & AT_EMPTY_PATH_)) ||
	                (c == C_STATX && (a[2] & AT_EMPTY_PATH_));
	int r = resolve(st, fr->task, dirfd, addr, empty_ok, path);

	if (r <= 0) {
		*host = r == 0;
		return r;
	}
	*host = false;
	switch (c) {
	case C_OPEN:
	case C_OPENAT:
		return do_open(st, fr, path, flags, host);
	case C_STAT:
	case C_LSTAT:
		return put_stat(st, fr->task, path, a[1], false);
	case C_FSTATAT:
		return put_stat(st, fr->task, path, a[2], false);
	case C_STATX:
		return put_stat(st, fr->task, path, a[4], true);
	default: /* access, faccessat */
		return do_access(st, path, at ? a[2] : a[1]);
	}
}

/* The calls on a descriptor: *host stays true where it is not fshook's. */
static int64_t fd_call(struct fshook *st, const struct abi_hook_frame *fr, enum call c, bool *host)
{
	const uint64_t *a = fr->args;
	struct fshook_file *f = file_of(st, fr->task, a[0]);

	if (!f)
		return 0;
	*host = false;
	switch (c) {
	case C_READ:
		return do_read(st, f, a[1], a[2], 0, false);
	case C_PREAD:
		return do_read(st, f, a[1], a[2], a[3], true);
	case C_CLOSE:
		file_drop(st, f);
		*host = true; /* the placeholder closes too */
		return 0;
	case C_LSEEK:
		return do_lseek(f, (int64_t)a[1], a[2]);
	case C_LLSEEK: {
		int64_t pos = do_lseek(
		        f, (int64_t)((uint64_t)(uint32_t)a[1] << 32 | (uint32_t)a[2]), a[4]);

		return pos < 0 ? pos : put(st, fr->task, a[3], &pos, sizeof(pos));
	}
	case C_FSTAT:
		return put_stat(st, fr->task, f->path, a[1], false);
	case C_GETDENTS:
		return do_getdents(st, f, a[1], a[2]);
	case C_IOCTL:
		return -E_NOTTY;
	default: /* fadvise */
		return 0;
	}
}

/* Calls that only need to know whether a descriptor is fshook's. */
static int64_t refused(struct fshook *st, const struct abi_hook_frame *fr, enum call c, bool *host)
{
	const uint64_t *a = fr->args;
	bool mine = c == C_MMAP
	                    ? !(a[3] & 0x20) && file_of(st, fr->task, a[4]) /* not MAP_ANONYMOUS */
	            : c == C_SENDFILE ? file_of(st, fr->task, a[0]) || file_of(st, fr->task, a[1])
	                              : file_of(st, fr->task, a[0]) || file_of(st, fr->task, a[2]);

	*host = !mine;
	return mine ? (c == C_MMAP ? -E_NODEV : -E_XDEV) : 0;
}

static int64_t call(struct fshook *st, const struct abi_hook_frame *fr, bool *host)
{
	enum call c = call_of(fr);

	*host = true;
	switch (c) {
	case C_OTHER:
		return 0;
	case C_MMAP:
	case C_SENDFILE:
	case C_XFER:
		return refused(st, fr, c, host);
	case C_OPEN:
	case C_OPENAT:
	case C_STAT:
	case C_LSTAT:
	case C_STATX:
	case C_ACCESS:
	case C_FACCESSAT:
	case C_FSTATAT: /* also fstat's form: newfstatat(fd, "", buf, AT_EMPTY_PATH) */
		return path_call(st, fr, c, host);
	default:
		return fd_call(st, fr, c, host);
	}
}

xous_answer_t fshook_dispatch(struct fshook *st, xous_envelope_t *env)
{
	struct abi_hook_frame fr;
	bool host;
	int64_t r;

	if (fshook_frame(env, &fr) < 0)
		return xous_answer_none();
	r = call(st, &fr, &host);
	fr.action = host ? ABI_HOOK_HOST : ABI_HOOK_RESULT;
	fr.result = host ? 0 : r;
	memcpy(env->memory.buf.addr, &fr, sizeof(fr));
	return xous_answer_memory(0, sizeof(fr));
}
