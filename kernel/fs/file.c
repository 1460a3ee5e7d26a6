/*
 * file.c - open files (struct file), what a ramfs file or directory does
 * when opened, and per-process fd tables.  file.h has the picture and the
 * ownership rules; fs_syscalls.c is the system-call face of all this.
 *
 * A struct file's reference count is atomic, since processes share files
 * after fork; its offset is under its pos_lock, taken before ramfs_lock
 * (never after).  Freed files are marked FILE_DEAD before kfree poisons
 * them, so a stale pointer panics at the next file_check.
 */
#include "arch/x86_64/stacktrace.h"
#include "fs/file.h"
#include "fs/ramfs.h"
#include "lib/panic.h"
#include "lib/printk.h"
#include "lib/string.h"
#include "mm/slab.h"

static void file_check(const struct file *f)
{
	if (f->magic != FILE_MAGIC)
		panic("file: %p has magic %#x, not FILE_MAGIC (%s)", (const void *)f, f->magic,
		      f->magic == FILE_DEAD ? "used after its last file_put" : "overwritten");
}

/* Linux's refcount_t wording, so the report reads like the real one. */
static void file_refcount_warn(const char *problem, const struct file *f)
{
	pr_warn("------------[ cut here ]------------\n");
	pr_warn("refcount_t: %s; use-after-free.\n", problem);
	pr_warn("WARNING: struct file %p (%s)\n", (const void *)f, f->ops->name);
	dump_stack();
	pr_warn("---[ end trace 0000000000000000 ]---\n");
}

/* ------------------------------------------------------------ struct file */

struct file *file_alloc(const struct file_ops *ops, int flags, void *private)
{
	struct file *f = kzalloc(sizeof(*f), GFP_KERNEL);

	if (!f)
		return NULL;
	f->magic = FILE_MAGIC;
	f->refs = 1;
	f->flags = flags;
	f->ops = ops;
	f->private = private;
	mutex_init(&f->pos_lock);
	return f;
}

struct file *file_get(struct file *f)
{
	file_check(f);
	if (__atomic_fetch_add(&f->refs, 1, __ATOMIC_RELAXED) == 0)
		file_refcount_warn("addition on 0", f);
	return f;
}

void file_put(struct file *f)
{
	file_check(f);
	u32 old = __atomic_load_n(&f->refs, __ATOMIC_RELAXED);

	/* Decrement unless already 0 (then report and leave it: refcount_t
	 * saturates instead of wrapping). */
	do {
		if (old == 0) {
			file_refcount_warn("underflow", f);
			return;
		}
	} while (!__atomic_compare_exchange_n(&f->refs, &old, old - 1, false, __ATOMIC_ACQ_REL,
					      __ATOMIC_RELAXED));
	if (old != 1)
		return;
	if (f->ops->release)
		f->ops->release(f);
	if (f->node)
		ramfs_node_put(f->node);
	f->magic = FILE_DEAD;
	kfree(f);
}

/* ------------------------------------------------------------ ramfs files */

/* Seekable: called with f->pos_lock held (file.h). */
static long ramfs_file_read(struct file *f, void *buf, size_t n)
{
	long r = ramfs_read(f->node, f->offset, buf, n);

	if (r > 0)
		f->offset += (u64)r;
	return r;
}

static long ramfs_file_write(struct file *f, const void *buf, size_t n)
{
	return ramfs_write(f->node, &f->offset, buf, n, f->flags & O_APPEND);
}

/* A directory's offset is the index of the next entry. */
static int ramfs_dir_readdir(struct file *f, struct dirent *de)
{
	int r = ramfs_readdir(f->node, f->offset, de);

	if (r > 0)
		f->offset++;
	return r;
}

static void ramfs_file_stat(struct file *f, struct stat *st)
{
	ramfs_stat(f->node, st);
}

static const struct file_ops ramfs_file_ops = {
	.name = "ramfs", .seekable = true,
	.read = ramfs_file_read, .write = ramfs_file_write, .stat = ramfs_file_stat,
};

static const struct file_ops ramfs_dir_ops = {
	.name = "ramfs", .seekable = true,
	.readdir = ramfs_dir_readdir, .stat = ramfs_file_stat,
};

int file_open(const char *path, int flags, struct file **out)
{
	struct ramfs_node *n;
	struct file *f;

	if ((flags & O_ACCMODE) == O_ACCMODE)
		return -EINVAL;
	int err = ramfs_open(path, flags, 0644, &n);

	if (err)
		return err;
	switch (ramfs_node_type(n)) {
	case S_IFCHR:
		/* The device makes its own struct file; the node is not needed. */
		err = ramfs_node_dev(n)(flags, out);
		ramfs_node_put(n);
		return err;
	case S_IFDIR:
		f = file_alloc(&ramfs_dir_ops, flags, NULL);
		break;
	default:
		f = file_alloc(&ramfs_file_ops, flags, NULL);
		break;
	}
	if (!f) {
		ramfs_node_put(n);
		return -ENOMEM;
	}
	f->node = n;		/* the reference ramfs_open gave us */
	*out = f;
	return 0;
}

long file_read(struct file *f, void *buf, size_t n)
{
	file_check(f);
	if (!file_can_read(f))
		return -EBADF;
	if (!f->ops->read)
		return -EISDIR;
	if (!f->ops->seekable)
		return f->ops->read(f, buf, n);
	mutex_lock(&f->pos_lock);
	long r = f->ops->read(f, buf, n);

	mutex_unlock(&f->pos_lock);
	return r;
}

long file_write(struct file *f, const void *buf, size_t n)
{
	file_check(f);
	if (!file_can_write(f))
		return -EBADF;
	if (!f->ops->write)
		return -EISDIR;
	if (!f->ops->seekable)
		return f->ops->write(f, buf, n);
	mutex_lock(&f->pos_lock);
	long r = f->ops->write(f, buf, n);

	mutex_unlock(&f->pos_lock);
	return r;
}

long file_lseek(struct file *f, long offset, int whence)
{
	struct stat st;
	long base, pos;

	file_check(f);
	if (!f->ops->seekable)
		return -ESPIPE;
	mutex_lock(&f->pos_lock);
	switch (whence) {
	case SEEK_SET:
		base = 0;
		break;
	case SEEK_CUR:
		base = (long)f->offset;
		break;
	case SEEK_END:
		file_stat(f, &st);
		base = (long)st.size;
		break;
	default:
		mutex_unlock(&f->pos_lock);
		return -EINVAL;
	}
	/* Past the end is fine (a later write fills the gap with zeros);
	 * before the start, or beyond what a long holds, is not. */
	if (__builtin_add_overflow(base, offset, &pos) || pos < 0)
		pos = -EINVAL;
	else
		f->offset = (u64)pos;
	mutex_unlock(&f->pos_lock);
	return pos;
}

int file_readdir(struct file *f, struct dirent *de)
{
	file_check(f);
	if (!f->ops->readdir)
		return -ENOTDIR;
	mutex_lock(&f->pos_lock);
	int r = f->ops->readdir(f, de);

	mutex_unlock(&f->pos_lock);
	return r;
}

void file_stat(struct file *f, struct stat *st)
{
	file_check(f);
	memset(st, 0, sizeof(*st));
	f->ops->stat(f, st);
}

long fs_read_file(const char *path, void **data, size_t *size)
{
	struct ramfs_node *n;
	struct stat st;
	int err = ramfs_lookup(path, &n);

	if (err)
		return err;
	if (ramfs_node_type(n) != S_IFREG) {
		ramfs_node_put(n);
		return -EISDIR;		/* a directory or a device: no contents to load */
	}
	ramfs_stat(n, &st);
	void *buf = kmalloc(st.size, GFP_KERNEL);	/* 0 bytes: ZERO_SIZE_PTR, kfree-able */

	if (!buf) {
		ramfs_node_put(n);
		return -ENOMEM;
	}
	/* A snapshot: if a writer shrank the file meanwhile, fewer bytes. */
	long r = ramfs_read(n, 0, buf, st.size);

	ramfs_node_put(n);
	if (r < 0) {
		kfree(buf);
		return r;
	}
	*data = buf;
	*size = (size_t)r;
	return 0;
}

void fs_init(void)
{
	static bool done;	/* set by the first caller, atomically */

	if (__atomic_exchange_n(&done, true, __ATOMIC_ACQ_REL))
		return;
	int err = ramfs_mkdir("/dev", 0755);

	if (!err || err == -EEXIST)
		err = ramfs_mknod("/dev/console", tty_open, 0620);
	if (!err || err == -EEXIST)
		err = ramfs_mknod("/dev/null", null_open, 0666);
	if (err && err != -EEXIST)
		pr_err("fs: cannot create /dev/console and /dev/null: error %d\n", err);
	tty_init();
}

/* ------------------------------------------------------------ fd tables */

static bool fd_valid(int fd)
{
	return fd >= 0 && fd < OPEN_MAX;
}

void fdtable_init(struct fdtable *t)
{
	memset(t, 0, sizeof(*t));
}

int fdtable_fork(struct fdtable *dst, const struct fdtable *src)
{
	for (int i = 0; i < OPEN_MAX; i++)
		if (dst->fd[i])
			return -EINVAL;	/* would leak what is there */
	for (int i = 0; i < OPEN_MAX; i++)
		dst->fd[i] = src->fd[i] ? file_get(src->fd[i]) : NULL;
	return 0;
}

void fdtable_close_all(struct fdtable *t)
{
	for (int i = 0; i < OPEN_MAX; i++)
		fdtable_close(t, i);
}

int fdtable_open_console(struct fdtable *t)
{
	struct file *f;

	if (t->fd[0] || t->fd[1] || t->fd[2])
		return -EINVAL;
	fs_init();		/* the first process: the console must be set up */
	int err = tty_open(O_RDWR, &f);

	if (err)
		return err;
	/* One open file behind all three, as a shell's terminal is. */
	t->fd[0] = f;
	t->fd[1] = file_get(f);
	t->fd[2] = file_get(f);
	return 0;
}

int fdtable_lowest_free(const struct fdtable *t)
{
	for (int i = 0; i < OPEN_MAX; i++)
		if (!t->fd[i])
			return i;
	return -EMFILE;
}

int fdtable_install(struct fdtable *t, struct file *f)
{
	int fd = fdtable_lowest_free(t);

	file_check(f);
	if (fd >= 0)
		t->fd[fd] = f;
	return fd;
}

int fdtable_install_at(struct fdtable *t, int fd, struct file *f)
{
	file_check(f);
	if (!fd_valid(fd))
		return -EBADF;
	struct file *old = t->fd[fd];

	t->fd[fd] = f;
	if (old)
		file_put(old);	/* after the swap: the slot never points at a freed file */
	return fd;
}

struct file *fdtable_get(const struct fdtable *t, int fd)
{
	if (!fd_valid(fd) || !t->fd[fd])
		return NULL;
	return file_get(t->fd[fd]);
}

int fdtable_close(struct fdtable *t, int fd)
{
	if (!fd_valid(fd) || !t->fd[fd])
		return -EBADF;
	struct file *f = t->fd[fd];

	t->fd[fd] = NULL;
	file_put(f);
	return 0;
}
