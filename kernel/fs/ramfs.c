/*
 * ramfs.c - the root file system in RAM: a tree of nodes (ramfs.h says
 * what paths mean and what the limits are).  Called by the file layer
 * (file.c), by initrd.c at boot and by fs_init for /dev.
 *
 *   ramfs_root "/" ──children──► "bin" ──children──► "sh" (data, size)
 *                               "dev" ──children──► "console" (dev_open)
 *                                                   "null"
 *
 * Lock: ramfs_lock, one mutex for the whole tree, guards every node field
 * but magic and type (both fixed at creation), the child lists, the
 * reference counts, the file data and the usage counters.  A mutex, not
 * a spinlock: it is held while file data is copied and buffers are
 * kmalloc'd.  Nothing else is locked while it is held, and it is taken
 * inside a file's pos_lock (file.c), never the other way round.
 */
#include "arch/x86_64/stacktrace.h"
#include "fs/ramfs.h"
#include "lib/list.h"
#include "lib/panic.h"
#include "lib/printk.h"
#include "lib/string.h"
#include "mm/slab.h"
#include "sched/mutex.h"

#define RAMFS_NODE_MAGIC 0x52414d4eu	/* "RAMN" */
#define RAMFS_NODE_DEAD  0x72616d64u	/* "ramd": written just before kfree */
#define RAMFS_MIN_CAP    64		/* first buffer of a file, in bytes */

struct ramfs_node {
	u32 magic;			/* RAMFS_NODE_MAGIC; checked on every use */
	u32 type;			/* S_IFREG, S_IFDIR, S_IFCHR; fixed at creation */
	/* Everything below: [ramfs_lock] */
	u32 mode;			/* permission bits, shown by stat (never enforced) */
	u32 refs;			/* 1 for the tree while linked, + 1 per holder */
	struct ramfs_node *parent;	/* borrowed; NULL for the root and once unlinked */
	struct list_head sibling;	/* on parent->children, in strcmp order */
	struct list_head children;	/* directories: nodes linked by sibling */
	u8 *data;			/* regular files: owned, cap bytes (NULL if cap 0) */
	size_t size;			/* regular files: bytes in use, <= cap */
	size_t cap;
	fs_dev_open_t dev_open;		/* devices: makes the struct file */
	char name[PATH_MAX];		/* within the parent; "" for the root */
};

static DEFINE_MUTEX(ramfs_lock);

/* The root is static: it exists before anything is allocated, and its
 * permanent reference (the "tree's") is never dropped. */
static struct ramfs_node ramfs_root = {
	.magic = RAMFS_NODE_MAGIC,
	.type = S_IFDIR,
	.mode = 0755,
	.refs = 1,
	.sibling = LIST_HEAD_INIT(ramfs_root.sibling),
	.children = LIST_HEAD_INIT(ramfs_root.children),
};

static u64 ramfs_bytes;		/* [ramfs_lock] sum of every node's size */
struct ramfs_limits ramfs_limits = { RAMFS_FILE_MAX, RAMFS_TOTAL_MAX };
static u64 ramfs_nodes;		/* [ramfs_lock] allocated nodes (not the root) */

/* A node pointer that does not carry the magic is freed or overwritten
 * memory: stop at once rather than corrupt the tree. */
static void ramfs_check(const struct ramfs_node *n)
{
	if (n->magic != RAMFS_NODE_MAGIC)
		panic("ramfs: node %p has magic %#x, not RAMFS_NODE_MAGIC (%s)", (const void *)n,
		      n->magic, n->magic == RAMFS_NODE_DEAD ? "used after free" : "overwritten");
}

/* ------------------------------------------------------------ paths */

/* Split off the next component of *p (skipping slashes): false at the end. */
static bool ramfs_next_name(const char **p, const char **name, size_t *len)
{
	const char *s = *p;

	while (*s == '/')
		s++;
	if (!*s) {
		*p = s;
		return false;
	}
	const char *e = s;

	while (*e && *e != '/')
		e++;
	*name = s;
	*len = (size_t)(e - s);
	*p = e;
	return true;
}

static bool ramfs_is_dot(const char *name, size_t len)
{
	return (len == 1 && name[0] == '.') || (len == 2 && name[0] == '.' && name[1] == '.');
}

static int ramfs_check_path(const char *path)
{
	if (strnlen(path, PATH_MAX) >= PATH_MAX)
		return -ENAMETOOLONG;
	return path[0] == '/' ? 0 : -ENOENT;
}

static struct ramfs_node *ramfs_child_locked(struct ramfs_node *dir, const char *name,
					     size_t len)
{
	struct ramfs_node *c;

	list_for_each_entry(c, &dir->children, sibling)
		if (!strncmp(c->name, name, len) && c->name[len] == '\0')
			return c;
	return NULL;
}

/* Move *cur one component down (or up, for ".."). */
static int ramfs_step_locked(struct ramfs_node **cur, const char *name, size_t len)
{
	struct ramfs_node *dir = *cur;

	ramfs_check(dir);
	if (dir->type != S_IFDIR)
		return -ENOTDIR;
	if (ramfs_is_dot(name, len)) {
		if (len == 2 && dir->parent)
			*cur = dir->parent;
		return 0;
	}
	struct ramfs_node *c = ramfs_child_locked(dir, name, len);

	if (!c)
		return -ENOENT;
	*cur = c;
	return 0;
}

/* The node at path; no reference is taken (the caller holds ramfs_lock). */
static int ramfs_walk_locked(const char *path, struct ramfs_node **out)
{
	struct ramfs_node *cur = &ramfs_root;
	const char *p = path, *name;
	size_t len;
	int err = ramfs_check_path(path);

	while (!err && ramfs_next_name(&p, &name, &len))
		err = ramfs_step_locked(&cur, name, len);
	if (!err)
		*out = cur;
	return err;
}

/* The directory that holds path's last component, and that component.
 * -EINVAL for "/" and for a last component "." or "..": names that
 * cannot be created or removed. */
static int ramfs_walk_parent_locked(const char *path, struct ramfs_node **dir,
				    const char **last, size_t *lastlen)
{
	struct ramfs_node *cur = &ramfs_root;
	const char *p = path, *name, *prev = NULL;
	size_t len, prevlen = 0;
	int err = ramfs_check_path(path);

	while (!err && ramfs_next_name(&p, &name, &len)) {
		if (prev)
			err = ramfs_step_locked(&cur, prev, prevlen);
		prev = name;
		prevlen = len;
	}
	if (err)
		return err;
	if (!prev || ramfs_is_dot(prev, prevlen))
		return -EINVAL;
	if (cur->type != S_IFDIR)
		return -ENOTDIR;
	*dir = cur;
	*last = prev;
	*lastlen = prevlen;
	return 0;
}

/* ------------------------------------------------------------ nodes */

/* A new node linked under dir, holding only the tree's reference. */
static struct ramfs_node *ramfs_new_locked(struct ramfs_node *dir, const char *name, size_t len,
					   u32 type, u32 mode)
{
	struct ramfs_node *n = kzalloc(sizeof(*n), GFP_KERNEL);
	struct ramfs_node *c;

	if (!n)
		return NULL;
	n->magic = RAMFS_NODE_MAGIC;
	n->type = type;
	n->mode = mode & 07777;
	n->refs = 1;
	n->parent = dir;
	INIT_LIST_HEAD(&n->children);
	memcpy(n->name, name, len);	/* len < PATH_MAX: the path it came from fits */
	n->name[len] = '\0';
	/* Keep children sorted, so readdir (and ls) lists them in name order:
	 * insert before the first larger name, or at the end. */
	list_for_each_entry(c, &dir->children, sibling)
		if (strcmp(c->name, n->name) > 0)
			break;
	list_add_tail(&n->sibling, &c->sibling);
	ramfs_nodes++;
	return n;
}

static void ramfs_refcount_warn(const char *problem, const struct ramfs_node *n)
{
	pr_warn("------------[ cut here ]------------\n");
	pr_warn("refcount_t: %s; use-after-free.\n", problem);
	pr_warn("WARNING: ramfs node %p \"%s\"\n", (const void *)n, n->name);
	dump_stack();
	pr_warn("---[ end trace 0000000000000000 ]---\n");
}

static void ramfs_put_locked(struct ramfs_node *n)
{
	ramfs_check(n);
	if (n->refs == 0 || (n == &ramfs_root && n->refs == 1)) {
		ramfs_refcount_warn("underflow", n);
		return;		/* saturate, as refcount_t does */
	}
	if (--n->refs)
		return;
	/* No holder left and the tree let go (unlink): nobody can reach it. */
	ramfs_bytes -= n->size;
	ramfs_nodes--;
	kfree(n->data);
	n->magic = RAMFS_NODE_DEAD;
	kfree(n);
}

struct ramfs_node *ramfs_node_get(struct ramfs_node *n)
{
	mutex_lock(&ramfs_lock);
	ramfs_check(n);
	if (n->refs == 0)
		ramfs_refcount_warn("addition on 0", n);
	n->refs++;
	mutex_unlock(&ramfs_lock);
	return n;
}

void ramfs_node_put(struct ramfs_node *n)
{
	mutex_lock(&ramfs_lock);
	ramfs_put_locked(n);
	mutex_unlock(&ramfs_lock);
}

u32 ramfs_node_type(struct ramfs_node *n)
{
	ramfs_check(n);
	return n->type;		/* fixed at creation: no lock needed */
}

fs_dev_open_t ramfs_node_dev(struct ramfs_node *n)
{
	ramfs_check(n);
	return n->type == S_IFCHR ? n->dev_open : NULL;
}

/* ------------------------------------------------------------ names */

int ramfs_lookup(const char *path, struct ramfs_node **out)
{
	struct ramfs_node *n;

	mutex_lock(&ramfs_lock);
	int err = ramfs_walk_locked(path, &n);

	if (!err) {
		n->refs++;
		*out = n;
	}
	mutex_unlock(&ramfs_lock);
	return err;
}

static int ramfs_resize_locked(struct ramfs_node *n, u64 size);

int ramfs_open(const char *path, int flags, u32 mode, struct ramfs_node **out)
{
	struct ramfs_node *n = NULL, *dir;
	const char *name;
	size_t len;
	bool writing = (flags & O_ACCMODE) != O_RDONLY;

	mutex_lock(&ramfs_lock);
	int err = ramfs_walk_locked(path, &n);

	if (err == -ENOENT && (flags & O_CREAT)) {
		/* Looking up and creating under one hold of the lock: two
		 * creators of one name get the same file. */
		err = ramfs_walk_parent_locked(path, &dir, &name, &len);
		if (!err) {
			n = ramfs_new_locked(dir, name, len, S_IFREG, mode);
			err = n ? 0 : -ENOMEM;
		}
	}
	if (!err && n->type == S_IFDIR && (writing || (flags & O_TRUNC)))
		err = -EISDIR;
	/* O_TRUNC with O_RDONLY is undefined in POSIX; here it does nothing. */
	if (!err && n->type == S_IFREG && (flags & O_TRUNC) && writing)
		err = ramfs_resize_locked(n, 0);
	if (!err) {
		n->refs++;
		*out = n;
	}
	mutex_unlock(&ramfs_lock);
	return err;
}

static int ramfs_make(const char *path, u32 type, u32 mode, fs_dev_open_t dev_open)
{
	struct ramfs_node *n, *dir;
	const char *name;
	size_t len;

	mutex_lock(&ramfs_lock);
	int err = ramfs_walk_locked(path, &n);

	if (!err) {
		err = -EEXIST;
	} else if (err == -ENOENT) {
		err = ramfs_walk_parent_locked(path, &dir, &name, &len);
		if (!err) {
			n = ramfs_new_locked(dir, name, len, type, mode);
			if (n)
				n->dev_open = dev_open;
			err = n ? 0 : -ENOMEM;
		}
	}
	mutex_unlock(&ramfs_lock);
	return err;
}

int ramfs_mkdir(const char *path, u32 mode)
{
	return ramfs_make(path, S_IFDIR, mode, NULL);
}

int ramfs_mknod(const char *path, fs_dev_open_t dev_open, u32 mode)
{
	return ramfs_make(path, S_IFCHR, mode, dev_open);
}

int ramfs_unlink(const char *path)
{
	struct ramfs_node *dir, *n = NULL;
	const char *name;
	size_t len;

	mutex_lock(&ramfs_lock);
	int err = ramfs_walk_parent_locked(path, &dir, &name, &len);

	if (!err) {
		n = ramfs_child_locked(dir, name, len);
		if (!n)
			err = -ENOENT;
	}
	/* An open (empty) directory may go: it just has nothing to list. */
	if (!err && n->type == S_IFDIR && !list_empty(&n->children))
		err = -ENOTEMPTY;
	if (!err) {
		list_del_init(&n->sibling);
		n->parent = NULL;
		ramfs_put_locked(n);	/* the tree's reference; holders keep theirs */
	}
	mutex_unlock(&ramfs_lock);
	return err;
}

/* ------------------------------------------------------------ data */

/* Make a regular file size bytes long: new bytes are zero. */
static int ramfs_resize_locked(struct ramfs_node *n, u64 size)
{
	if (size > ramfs_limits.file_max)
		return -EFBIG;
	if (size > n->size && size - n->size > ramfs_limits.total_max - ramfs_bytes)
		return -ENOSPC;
	if (size == 0) {
		kfree(n->data);		/* an emptied file gives its memory back */
		n->data = NULL;
		n->cap = 0;
	} else if (size > n->cap) {
		/* Double, so that n appends cost O(n) copying in all. */
		size_t cap = MIN(MAX(MAX(n->cap * 2, (size_t)RAMFS_MIN_CAP), (size_t)size),
				 (size_t)ramfs_limits.file_max);
		u8 *d = kmalloc(cap, GFP_KERNEL);

		if (!d && cap > size) {	/* a big block may be scarce: try the exact size */
			cap = size;
			d = kmalloc(cap, GFP_KERNEL);
		}
		if (!d)
			return -ENOMEM;
		if (n->size)
			memcpy(d, n->data, n->size);
		kfree(n->data);
		n->data = d;
		n->cap = cap;
	}
	if (size > n->size)
		memset(n->data + n->size, 0, size - n->size);
	ramfs_bytes = ramfs_bytes - n->size + size;
	n->size = size;
	return 0;
}

static int ramfs_check_regular(const struct ramfs_node *n)
{
	ramfs_check(n);
	if (n->type == S_IFDIR)
		return -EISDIR;
	return n->type == S_IFREG ? 0 : -EINVAL;
}

long ramfs_read(struct ramfs_node *n, u64 off, void *buf, size_t len)
{
	mutex_lock(&ramfs_lock);
	long r = ramfs_check_regular(n);

	if (!r && off < n->size) {
		size_t k = MIN(len, n->size - off);

		memcpy(buf, n->data + off, k);
		r = (long)k;
	}
	mutex_unlock(&ramfs_lock);
	return r;
}

long ramfs_write(struct ramfs_node *n, u64 *off, const void *buf, size_t len, bool append)
{
	mutex_lock(&ramfs_lock);
	long r = ramfs_check_regular(n);

	if (r || len == 0)
		goto out;
	u64 at = append ? n->size : *off;	/* O_APPEND: the end, read under the lock */

	if (at >= ramfs_limits.file_max) {
		r = -EFBIG;
		goto out;
	}
	size_t k = MIN(len, ramfs_limits.file_max - at);

	if (at + k > n->size) {
		/* Write what fits in the space left; a gap before `at` counts. */
		u64 room = ramfs_limits.total_max - ramfs_bytes;

		if (at + k - n->size > room) {
			if (at >= n->size + room) {
				r = -ENOSPC;
				goto out;
			}
			k = n->size + room - at;
		}
		r = ramfs_resize_locked(n, at + k);
		if (r)
			goto out;
	}
	memcpy(n->data + at, buf, k);
	*off = at + k;
	r = (long)k;
out:
	mutex_unlock(&ramfs_lock);
	return r;
}

int ramfs_truncate(struct ramfs_node *n, u64 size)
{
	mutex_lock(&ramfs_lock);
	int err = ramfs_check_regular(n);

	if (!err)
		err = ramfs_resize_locked(n, size);
	mutex_unlock(&ramfs_lock);
	return err;
}

/* ------------------------------------------------------------ metadata */

int ramfs_readdir(struct ramfs_node *dir, u64 index, struct dirent *de)
{
	struct ramfs_node *c;
	int r = 0;
	u64 i = 0;

	mutex_lock(&ramfs_lock);
	ramfs_check(dir);
	if (dir->type != S_IFDIR) {
		r = -ENOTDIR;
		goto out;
	}
	/* By index, so a directory changed between two calls may show an
	 * entry twice or skip one, but never a freed one. */
	list_for_each_entry(c, &dir->children, sibling) {
		if (i++ != index)
			continue;
		/* All of de is written: it is copied to user space whole, and
		 * stale stack bytes after the name must not leak. */
		memset(de, 0, sizeof(*de));
		de->type = c->type;
		de->size = c->type == S_IFREG ? c->size : 0;
		strncpy_safe(de->name, c->name, sizeof(de->name));
		r = 1;
		break;
	}
out:
	mutex_unlock(&ramfs_lock);
	return r;
}

void ramfs_stat(struct ramfs_node *n, struct stat *st)
{
	mutex_lock(&ramfs_lock);
	ramfs_check(n);
	memset(st, 0, sizeof(*st));
	st->type = n->type;
	st->mode = n->mode;
	st->size = n->type == S_IFREG ? n->size : 0;
	mutex_unlock(&ramfs_lock);
}

void ramfs_get_usage(struct ramfs_usage *u)
{
	mutex_lock(&ramfs_lock);
	u->bytes = ramfs_bytes;
	u->nodes = ramfs_nodes;
	mutex_unlock(&ramfs_lock);
}
