/*
 * fs_syscalls.c - the file system calls of uapi/syscalls.def: read, write,
 * open, close, pipe, dup, dup2, readdir, stat, fstat, lseek, unlink.  The
 * dispatcher (proc/syscall.c) calls them in the calling process's thread.
 *
 * Rules every one follows:
 *   - A user pointer is only ever handed to copy_from_user, copy_to_user
 *     or strncpy_from_user, whose -EFAULT is passed on; never dereferenced.
 *   - Data moves through a kernel buffer of at most FS_CHUNK bytes, one
 *     piece at a time, so a huge n never means a huge kmalloc.  A range
 *     that is not all in user space is -EFAULT before anything moves.
 *   - An fd is looked up once, with a reference held for the whole call
 *     (fdtable_get), so a file cannot vanish under it.  A bad fd (negative,
 *     >= OPEN_MAX, closed, or the wrong access mode) is -EBADF, and so is
 *     every fd in a kernel thread, which has no table.
 *   - A read or write that moved some bytes before an error returns the
 *     count; the error shows on the next call.
 */
#include "fs/file.h"
#include "fs/ramfs.h"
#include "mm/slab.h"
#include "proc/proc.h"
#include "proc/syscall.h"
#include "proc/uaccess.h"

/* The calling process's file at fd, with a reference; NULL: -EBADF. */
static struct file *fs_fd(int fd)
{
	struct fdtable *t = proc_files();

	return t ? fdtable_get(t, fd) : NULL;
}

/* A path from user space: 0, -EFAULT or -ENAMETOOLONG. */
static long fs_copy_path(char kpath[PATH_MAX], const char __user *upath)
{
	long r = strncpy_from_user(kpath, upath, PATH_MAX);

	return r < 0 ? r : 0;
}

/*
 * Can len bytes at ubuf take data?  Read them and write them back, which
 * faults on an unmapped or read-only page without changing a byte.  Used
 * before taking bytes that cannot be read twice (a pipe's, the console's):
 * Linux leaves such bytes in the pipe when the copy faults, and so do we.
 * Nothing can unmap the page in between: only the process's own thread
 * changes its address space, and that thread is here.
 */
static long fs_probe_writable(void __user *ubuf, void *kbuf, size_t len)
{
	long r = copy_from_user(kbuf, ubuf, len);

	return r ? r : copy_to_user(ubuf, kbuf, len);
}

/* What read and write both check first, and their bounce buffer: 1 with
 * *kbuf to go on, or what to return (0 for n == 0, or -errno). */
static long fs_io_prepare(struct file *f, const void __user *buf, size_t n, bool write,
			  void **kbuf)
{
	if (!(write ? file_can_write(f) : file_can_read(f)))
		return -EBADF;
	if (write ? !f->ops->write : !f->ops->read)
		return -EISDIR;
	if (!access_ok((u64)buf, n))
		return -EFAULT;
	if (n == 0)
		return 0;
	*kbuf = kmalloc(MIN(n, (size_t)FS_CHUNK), GFP_KERNEL);
	return *kbuf ? 1 : -ENOMEM;
}

static long fs_read_user(struct file *f, void __user *buf, size_t n)
{
	void *kbuf;
	long r = fs_io_prepare(f, buf, n, false, &kbuf);

	if (r <= 0)
		return r;
	bool seekable = f->ops->seekable;
	size_t done = 0;

	r = 0;

	/* Seekable: the offset is ours for the whole call, so one read()
	 * sees consecutive bytes even if a forked sibling reads too. */
	if (seekable)
		mutex_lock(&f->pos_lock);
	while (done < n) {
		size_t want = MIN(n - done, (size_t)FS_CHUNK);

		if (!seekable) {
			r = fs_probe_writable((char __user *)buf + done, kbuf, want);
			if (r)
				break;
		}
		r = f->ops->read(f, kbuf, want);
		if (r <= 0)
			break;
		if (copy_to_user((char __user *)buf + done, kbuf, (size_t)r)) {
			/* A file's bytes can be read again: move back.  (A pipe's
			 * cannot, but its destination was probed above.) */
			if (seekable)
				f->offset -= (u64)r;
			r = -EFAULT;
			break;
		}
		done += (size_t)r;
		/* A pipe or the console returns what it has; asking again
		 * would block with data already in hand. */
		if ((size_t)r < want || !seekable)
			break;
	}
	if (seekable)
		mutex_unlock(&f->pos_lock);
	kfree(kbuf);
	return done ? (long)done : r;
}

static long fs_write_user(struct file *f, const void __user *buf, size_t n)
{
	void *kbuf;
	long r = fs_io_prepare(f, buf, n, true, &kbuf);

	if (r <= 0)
		return r;
	bool seekable = f->ops->seekable;
	size_t done = 0;

	r = 0;

	if (seekable)
		mutex_lock(&f->pos_lock);
	while (done < n) {
		/* Pieces of FS_CHUNK = PIPE_BUF: each goes into a pipe whole. */
		size_t want = MIN(n - done, (size_t)FS_CHUNK);

		r = copy_from_user(kbuf, (const char __user *)buf + done, want);
		if (r)
			break;
		r = f->ops->write(f, kbuf, want);
		if (r <= 0)
			break;
		done += (size_t)r;
		if ((size_t)r < want)
			break;		/* a limit was reached: report the short count */
	}
	if (seekable)
		mutex_unlock(&f->pos_lock);
	kfree(kbuf);
	return done ? (long)done : r;
}

long sys_read(int fd, void __user *buf, size_t n)
{
	struct file *f = fs_fd(fd);

	if (!f)
		return -EBADF;
	long r = fs_read_user(f, buf, n);

	file_put(f);
	return r;
}

long sys_write(int fd, const void __user *buf, size_t n)
{
	struct file *f = fs_fd(fd);

	if (!f)
		return -EBADF;
	long r = fs_write_user(f, buf, n);

	file_put(f);
	return r;
}

long sys_open(const char __user *upath, int flags)
{
	struct fdtable *t = proc_files();
	char path[PATH_MAX];
	struct file *f;

	if (!t)
		return -EBADF;
	long r = fs_copy_path(path, upath);

	if (r)
		return r;
	/* -EMFILE before O_CREAT makes a file nobody gets to see. */
	r = fdtable_lowest_free(t);
	if (r < 0)
		return r;
	r = file_open(path, flags, &f);
	if (r)
		return r;
	return fdtable_install(t, f);	/* the slot found above: nobody else changes t */
}

long sys_close(int fd)
{
	struct fdtable *t = proc_files();

	return t ? fdtable_close(t, fd) : -EBADF;
}

long sys_pipe(int __user *fds)
{
	struct fdtable *t = proc_files();
	struct file *rd, *wr;
	int k[2];

	if (!t)
		return -EBADF;
	long r = pipe_create(&rd, &wr);

	if (r)
		return r;
	k[0] = fdtable_install(t, rd);
	k[1] = k[0] < 0 ? -EMFILE : fdtable_install(t, wr);
	if (k[0] < 0 || k[1] < 0) {
		r = -EMFILE;
	} else if (copy_to_user(fds, k, sizeof(k))) {
		r = -EFAULT;
	} else {
		return 0;
	}
	/* Undo: the table gives back what it took, we put the rest. */
	if (k[0] >= 0)
		fdtable_close(t, k[0]);
	else
		file_put(rd);
	if (k[1] >= 0)
		fdtable_close(t, k[1]);
	else
		file_put(wr);
	return r;
}

long sys_dup(int fd)
{
	struct file *f = fs_fd(fd);

	if (!f)
		return -EBADF;
	long r = fdtable_install(proc_files(), f);	/* our reference becomes the new fd's */

	if (r < 0)
		file_put(f);
	return r;
}

long sys_dup2(int fd, int newfd)
{
	struct file *f = fs_fd(fd);

	if (!f)
		return -EBADF;
	if (newfd < 0 || newfd >= OPEN_MAX) {
		file_put(f);
		return -EBADF;
	}
	if (newfd == fd) {
		file_put(f);	/* nothing to do, and closing newfd would close fd */
		return newfd;
	}
	return fdtable_install_at(proc_files(), newfd, f);
}

long sys_readdir(int fd, struct dirent __user *ude)
{
	struct file *f = fs_fd(fd);
	struct dirent de;

	if (!f)
		return -EBADF;
	if (!f->ops->readdir) {
		file_put(f);
		return -ENOTDIR;
	}
	mutex_lock(&f->pos_lock);
	long r = f->ops->readdir(f, &de);

	if (r == 1 && copy_to_user(ude, &de, sizeof(de))) {
		f->offset--;	/* not delivered: the same entry next time */
		r = -EFAULT;
	}
	mutex_unlock(&f->pos_lock);
	file_put(f);
	return r;
}

long sys_stat(const char __user *upath, struct stat __user *ust)
{
	char path[PATH_MAX];
	struct ramfs_node *n;
	struct stat st;
	long r = fs_copy_path(path, upath);

	if (r)
		return r;
	r = ramfs_lookup(path, &n);
	if (r)
		return r;
	ramfs_stat(n, &st);
	ramfs_node_put(n);
	return copy_to_user(ust, &st, sizeof(st));
}

long sys_fstat(int fd, struct stat __user *ust)
{
	struct file *f = fs_fd(fd);
	struct stat st;

	if (!f)
		return -EBADF;
	file_stat(f, &st);
	file_put(f);
	return copy_to_user(ust, &st, sizeof(st));
}

long sys_lseek(int fd, long offset, int whence)
{
	struct file *f = fs_fd(fd);

	if (!f)
		return -EBADF;
	long r = file_lseek(f, offset, whence);

	file_put(f);
	return r;
}

long sys_unlink(const char __user *upath)
{
	char path[PATH_MAX];
	long r = fs_copy_path(path, upath);

	return r ? r : ramfs_unlink(path);
}
