/*
 * initrd.c - unpack the initrd, a "newc" cpio archive the loader put in
 * memory (a multiboot2 module), into ramfs at boot, as Linux unpacks its
 * initramfs.  cpio_next (cpio.c) parses one entry at a time; this file
 * turns each into a directory or a regular file.
 *
 * Entries are taken in archive order and missing parent directories are
 * made on the way ("bin/sh" before "bin" is fine).  A later entry with the
 * same name replaces an earlier file.  Symbolic links, devices and other
 * types are skipped with a warning.
 *
 * Errors stop the unpacking at the bad entry, and only there: everything
 * before it stays in ramfs, the kernel goes on, and one line says which
 * entry, at which byte offset of the archive, and why.  A file that could
 * not be stored whole (no space) is removed rather than left truncated.
 */
#include "fs/cpio.h"
#include "fs/ramfs.h"
#include "lib/printk.h"
#include "lib/string.h"
#include "proc/syscall.h"

struct initrd_counts {
	unsigned files, dirs;
	u64 bytes;
};

/* Make every directory on the way to path's last component. */
static int initrd_make_parents(char *path)
{
	struct ramfs_node *n;

	for (char *s = strchr(path + 1, '/'); s; s = strchr(s + 1, '/')) {
		*s = '\0';
		int err = ramfs_mkdir(path, 0755);

		if (err == -EEXIST) {
			/* Fine if it is a directory; "a" a file and then "a/b" is not. */
			err = ramfs_lookup(path, &n);
			if (!err) {
				if (ramfs_node_type(n) != S_IFDIR)
					err = -ENOTDIR;
				ramfs_node_put(n);
			}
		}
		*s = '/';
		if (err)
			return err;
	}
	return 0;
}

static int initrd_dir(char *path, u32 mode)
{
	struct ramfs_node *n;
	int err = initrd_make_parents(path);

	if (!err)
		err = ramfs_mkdir(path, mode);
	if (err == -EEXIST && !ramfs_lookup(path, &n)) {
		err = ramfs_node_type(n) == S_IFDIR ? 0 : -EEXIST;	/* e.g. /dev */
		ramfs_node_put(n);
	}
	return err;
}

static int initrd_file(char *path, const struct cpio_entry *e)
{
	struct ramfs_node *n;
	u64 off = 0;
	int err = initrd_make_parents(path);

	if (!err)
		err = ramfs_open(path, O_CREAT | O_TRUNC | O_WRONLY, e->mode & 07777, &n);
	if (err)
		return err;
	long r = e->size ? ramfs_write(n, &off, e->data, e->size, false) : 0;

	ramfs_node_put(n);
	if (r >= 0 && (size_t)r == e->size)
		return 0;
	ramfs_unlink(path);	/* not left half written */
	return r < 0 ? (int)r : -ENOSPC;
}

/* One entry; 0 if stored or skipped. */
static int initrd_entry(const struct cpio_entry *e, struct initrd_counts *c)
{
	char path[PATH_MAX];
	u32 type = e->mode & CPIO_S_IFMT;

	if (e->namelen == 0)
		return 0;		/* the root "." itself */
	if (e->namelen + 2 > sizeof(path))
		return -ENAMETOOLONG;
	path[0] = '/';
	memcpy(path + 1, e->name, e->namelen);
	path[e->namelen + 1] = '\0';

	if (type == CPIO_S_IFDIR) {
		int err = initrd_dir(path, e->mode & 07777);

		if (!err)
			c->dirs++;
		return err;
	}
	if (type == CPIO_S_IFREG) {
		int err = initrd_file(path, e);

		if (!err) {
			c->files++;
			c->bytes += e->size;
		}
		return err;
	}
	pr_warn("initrd: skipping %s (mode %06o): only directories and regular files are unpacked\n",
		path, e->mode);
	return 0;
}

int initrd_unpack(const void *archive, size_t size)
{
	struct initrd_counts c = { 0, 0, 0 };
	struct cpio_entry e;
	char why[128], last[PATH_MAX] = "(none)";
	size_t pos = 0;
	int r;

	fs_init();		/* /dev first: the archive may add to it */
	for (;;) {
		size_t at = pos;

		r = cpio_next(archive, size, &pos, &e, why, sizeof(why));
		if (r == 0)
			break;		/* the trailer */
		if (r < 0) {
			pr_err("initrd: bad archive entry at offset %zu (after \"%s\"): %s\n", at,
			       last, why);
			break;
		}
		r = initrd_entry(&e, &c);
		if (r < 0) {
			pr_err("initrd: cannot unpack \"%s\" (entry at offset %zu): %s\n", e.name,
			       at, errno_text(r));
			break;
		}
		strncpy_safe(last, e.namelen ? e.name : ".", sizeof(last));
	}
	pr_info("initrd: %u files, %u directories, %llu bytes unpacked\n", c.files, c.dirs,
		(unsigned long long)c.bytes);
	return r < 0 ? r : 0;
}
