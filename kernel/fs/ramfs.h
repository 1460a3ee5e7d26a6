/*
 * ramfs.h - the root file system, kept in RAM (ramfs.c), and the initrd
 * that fills it at boot (initrd.c), as Linux unpacks its initramfs.
 * Everything written here vanishes at power-off.
 *
 * A tree of nodes: directories, regular files (their bytes in one
 * kmalloc'd buffer that grows) and character devices (/dev/console,
 * /dev/null: an open function, no data).
 *
 * Paths: absolute ("/bin/sh"); relative ones get -ENOENT (there is no
 * working directory).  Repeated and trailing slashes are ignored ("//bin/"
 * is "/bin"); "." is the directory itself and ".." its parent ("/.." is
 * "/").  A path has at most PATH_MAX - 1 bytes: -ENAMETOOLONG.  A missing
 * component is -ENOENT, one that is not a directory -ENOTDIR.
 *
 * Limits: a file holds at most RAMFS_FILE_MAX bytes (-EFBIG beyond), all
 * files together RAMFS_TOTAL_MAX (-ENOSPC); a write that crosses a limit
 * writes what fits, as on a full disk.
 *
 * Nodes are reference counted: the tree holds one reference to each
 * linked node, and every ramfs_lookup/ramfs_open hands the caller one
 * more (give it back with ramfs_node_put).  Unlinking drops the tree's,
 * so a file that is still open stays readable and writable until its
 * last close, as in Unix.
 */
#ifndef CANARY_FS_RAMFS_H
#define CANARY_FS_RAMFS_H

#include "fs/file.h"
#include "lib/types.h"
#include "uapi/canary.h"

#define RAMFS_FILE_MAX  (4UL << 20)	/* bytes in one file (= KMALLOC_MAX_SIZE) */
#define RAMFS_TOTAL_MAX (16UL << 20)	/* bytes in all files, open-but-unlinked included */

/* The limits in force: RAMFS_FILE_MAX and RAMFS_TOTAL_MAX, unless a test
 * lowered them (fs_test.c checks the limit logic with small numbers:
 * filling 16 MiB of fresh memory takes minutes under nested KVM). */
struct ramfs_limits {
	u64 file_max, total_max;
};
extern struct ramfs_limits ramfs_limits;

/* The node at path: 0 and a new reference in *out, or -errno. */
int ramfs_lookup(const char *path, struct ramfs_node **out);
/* Lookup, creating a regular file with permission bits mode if O_CREAT is
 * in flags and the name is free (its parent must exist: -ENOENT, and be a
 * directory: -ENOTDIR).  O_TRUNC empties a regular file opened for
 * writing.  A directory opens O_RDONLY only: -EISDIR.  0 and a new
 * reference in *out, or -errno. */
int ramfs_open(const char *path, int flags, u32 mode, struct ramfs_node **out);
/* A new empty directory or device node; -EEXIST if the name is taken. */
int ramfs_mkdir(const char *path, u32 mode);
int ramfs_mknod(const char *path, fs_dev_open_t open, u32 mode);
/* Remove the name.  A directory must be empty (-ENOTEMPTY); "/", "." and
 * ".." cannot be removed (-EINVAL). */
int ramfs_unlink(const char *path);

struct ramfs_node *ramfs_node_get(struct ramfs_node *n);
/* Drop a reference; a node neither linked nor referenced is freed. */
void ramfs_node_put(struct ramfs_node *n);
/* S_IFREG, S_IFDIR or S_IFCHR (uapi/canary.h numbering). */
u32 ramfs_node_type(struct ramfs_node *n);
/* A device node's open function (NULL for other nodes). */
fs_dev_open_t ramfs_node_dev(struct ramfs_node *n);

/* Copy up to len bytes at off into buf: bytes copied, 0 at or past the end. */
long ramfs_read(struct ramfs_node *n, u64 off, void *buf, size_t len);
/* Write len bytes at *off (at the end if append), zero-filling any gap,
 * and advance *off: bytes written (fewer at a limit), or -EFBIG/-ENOSPC
 * if none fit, -ENOMEM. */
long ramfs_write(struct ramfs_node *n, u64 *off, const void *buf, size_t len, bool append);
/* Set a regular file's size (shrink, or grow with zeros). */
int ramfs_truncate(struct ramfs_node *n, u64 size);
/* The index-th entry of directory dir, in name order: 1 and de filled, 0
 * past the last.  ("." and ".." are not listed.) */
int ramfs_readdir(struct ramfs_node *dir, u64 index, struct dirent *de);
void ramfs_stat(struct ramfs_node *n, struct stat *st);

/* What the file system holds now. */
struct ramfs_usage {
	u64 bytes;	/* file data, counted against RAMFS_TOTAL_MAX */
	u64 nodes;	/* nodes allocated, unlinked-but-open ones included */
};
void ramfs_get_usage(struct ramfs_usage *u);

/* Unpack a "newc" cpio archive (fs/cpio.h) into the tree: directories and
 * regular files, creating missing parent directories; other types are
 * skipped with a warning.  Prints one summary line.  A malformed archive
 * or a file that cannot be stored stops the unpacking with one error line
 * naming the entry and its offset; what came before stays.  0 or -errno. */
int initrd_unpack(const void *archive, size_t size);

#endif
