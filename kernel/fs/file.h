/*
 * file.h - open files and file-descriptor tables (file.c), and the kinds
 * of file behind them: ramfs files and directories (file.c over ramfs.c),
 * pipes (pipe.c), the console and /dev/null (tty.c).  The system calls
 * on top are in fs_syscalls.c; they move user data through copy_*_user
 * and call the kernel-buffer functions below.
 *
 *   struct fdtable (per process)   struct file (shared by dup and fork)
 *   fd[0] ──┐
 *   fd[1] ──┼───────────────────► { refs 3, O_RDWR, tty_ops }      ──► the console
 *   fd[2] ──┘
 *   fd[3] ──────────────────────► { refs 1, O_RDONLY, offset 42 }  ──► ramfs node /etc/motd
 *   fd[4] ──────────────────────► { refs 1, O_WRONLY, pipe ops }   ──► struct pipe
 *
 * Ownership: every non-NULL fd[i] owns one reference to its struct file
 * (the table "takes" it in fdtable_install).  A struct file owns one
 * reference to its ramfs node (if any) and whatever its ops put in
 * private; the last file_put gives them back.  Refcounts are atomic: two
 * processes may share a file after fork.
 *
 * Locks: a struct fdtable has none.  Only its own process's thread reads
 * or changes it (fork copies its own table, exit closes its own), and a
 * process has exactly one thread.  A file's offset is under its pos_lock.
 */
#ifndef CANARY_FS_FILE_H
#define CANARY_FS_FILE_H

#include "lib/types.h"
#include "sched/mutex.h"
#include "uapi/canary.h"

#define FILE_MAGIC 0x46494c45u		/* "FILE" */
#define FILE_DEAD  0x64656164u		/* "dead": written just before kfree */

/* Largest piece a system call moves at once through its kernel buffer,
 * and the pipe's capacity: writes of at most this many bytes to a pipe
 * are atomic (POSIX PIPE_BUF). */
#define FS_CHUNK 4096
#define PIPE_BUF FS_CHUNK

struct file;
struct ramfs_node;

/*
 * What a kind of file does.  Buffers are kernel memory: the system call
 * layer has already copied user data in (or copies it out afterwards).
 * A NULL read/write means the file is a directory (-EISDIR); a NULL
 * readdir means it is not one (-ENOTDIR).
 */
struct file_ops {
	const char *name;	/* "ramfs", "pipe", "console", "null": for messages */
	bool seekable;		/* lseek works; otherwise -ESPIPE, and a read returns
				 * after the first piece of data (it would block for more) */
	/* Bytes moved (0: end of file), or -errno.  Seekable files are
	 * called with f->pos_lock held and use and advance f->offset. */
	long (*read)(struct file *f, void *buf, size_t n);
	long (*write)(struct file *f, const void *buf, size_t n);
	/* The entry at index f->offset (pos_lock held): 1 and de filled, or 0 at the end. */
	int (*readdir)(struct file *f, struct dirent *de);
	void (*stat)(struct file *f, struct stat *st);
	/* The last reference is gone: give back what private holds.  May be NULL. */
	void (*release)(struct file *f);
};

struct file {
	u32 magic;			/* FILE_MAGIC; checked on every use */
	u32 refs;			/* atomic: fds, in-flight system calls, kernel users */
	int flags;			/* open() flags: O_ACCMODE bits, O_APPEND */
	const struct file_ops *ops;	/* borrowed: static tables */
	struct ramfs_node *node;	/* owned reference, or NULL (pipes, devices) */
	void *private;			/* owned by ops (a pipe end's struct pipe) */
	struct mutex pos_lock;		/* serialises offset users: one read/write/lseek
					 * of a seekable file at a time */
	u64 offset;			/* [pos_lock] next byte (directories: next entry index) */
};

/* A file opened by a device node (/dev/console, /dev/null). */
typedef int (*fs_dev_open_t)(int flags, struct file **out);

struct fdtable {
	struct file *fd[OPEN_MAX];	/* owned references; NULL = closed */
};

/* ---- files (file.c) ---- */

/* Was f opened for reading / for writing (its O_ACCMODE bits)? */
static inline bool file_can_read(const struct file *f)
{
	return (f->flags & O_ACCMODE) != O_WRONLY;
}

static inline bool file_can_write(const struct file *f)
{
	return (f->flags & O_ACCMODE) != O_RDONLY;
}

/* A new file with one reference (the caller's); NULL if out of memory. */
struct file *file_alloc(const struct file_ops *ops, int flags, void *private);
/* Another reference to f; returns f.  Reports "addition on 0" as Linux's refcount_t does. */
struct file *file_get(struct file *f);
/* Drop a reference; the last one releases the file.  May sleep. */
void file_put(struct file *f);
/* Open path (absolute; ramfs.h says how paths are read) with open()
 * flags: O_CREAT, O_TRUNC, O_APPEND, O_ACCMODE.  0 and *out (the
 * caller's reference), or -errno. */
int file_open(const char *path, int flags, struct file **out);
/* read/write with kernel buffers: one call of the file's op, under
 * pos_lock if seekable.  -EBADF if f was not opened for it. */
long file_read(struct file *f, void *buf, size_t n);
long file_write(struct file *f, const void *buf, size_t n);
/* New offset, -ESPIPE (pipes, console) or -EINVAL (bad whence, negative result). */
long file_lseek(struct file *f, long offset, int whence);
/* 1 and the next entry in de, 0 at the end, -ENOTDIR. */
int file_readdir(struct file *f, struct dirent *de);
void file_stat(struct file *f, struct stat *st);

/* A kmalloc'd copy of the whole regular file at path (for exec); the
 * caller kfrees *data.  0, -ENOENT, -ENOTDIR, -EISDIR (not a regular
 * file), -ENOMEM. */
long fs_read_file(const char *path, void **data, size_t *size);

/* /dev/console, /dev/null and the console's receive hook, once; later
 * calls do nothing.  initrd_unpack and fdtable_open_console call it, so
 * the boot path needs no call of its own (it may make one, after
 * sched_init). */
void fs_init(void);

/* ---- fd tables (file.c) ---- */

void fdtable_init(struct fdtable *t);
/* dst (initialised, empty) shares every open file of src, as after fork. */
int fdtable_fork(struct fdtable *dst, const struct fdtable *src);
/* Close every fd (process exit). */
void fdtable_close_all(struct fdtable *t);
/* fds 0, 1, 2 on /dev/console (for init); t must have them closed: -EINVAL otherwise. */
int fdtable_open_console(struct fdtable *t);
/* The lowest closed fd, or -EMFILE. */
int fdtable_lowest_free(const struct fdtable *t);
/* Put f in the lowest closed fd and return it; the table takes the
 * caller's reference.  -EMFILE if full (the caller keeps it then). */
int fdtable_install(struct fdtable *t, struct file *f);
/* Put f at fd (0 <= fd < OPEN_MAX), closing what was there; takes the
 * caller's reference.  Returns fd, or -EBADF. */
int fdtable_install_at(struct fdtable *t, int fd, struct file *f);
/* A new reference to the file at fd, or NULL (bad or closed fd). */
struct file *fdtable_get(const struct fdtable *t, int fd);
/* 0, or -EBADF. */
int fdtable_close(struct fdtable *t, int fd);

/* ---- kinds of file ---- */

/* A pipe: *rd (O_RDONLY) and *wr (O_WRONLY), one reference each (pipe.c). */
int pipe_create(struct file **rd, struct file **wr);
/* The console, line-disciplined (tty.c), and /dev/null. */
int tty_open(int flags, struct file **out);
int null_open(int flags, struct file **out);
/* Register for the UART's receive interrupt (fs_init calls it). */
void tty_init(void);
/* Queue bytes as if typed on the serial line (tests): a reader takes
 * them before the UART's, through the same line discipline and echo. */
void tty_input(const char *s, size_t n);

#endif
