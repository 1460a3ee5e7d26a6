/*
 * fs_test.c - the file layer on the running kernel (suite "fs"): ramfs
 * (create, read, write, truncate, append, unlink while open, readdir,
 * stat, path forms, error cases, size limits), initrd unpacking of good,
 * truncated and corrupt archives built here in memory, fd tables, and
 * the system calls' behaviour in a kernel thread (no fd table, no user
 * memory).  Pipes and the console are in pipe_test.c.
 *
 * Tests run in kernel threads, which have no fd table, so most go through
 * the kernel-buffer API of fs/file.h; each works under /kt (made and
 * removed by the test) and leaves ramfs as it found it.
 */
#include "fs/cpio.h"
#include "fs/file.h"
#include "fs/ramfs.h"
#include "ktest/ktest.h"
#include "lib/format.h"
#include "lib/printk.h"
#include "lib/string.h"
#include "mm/kasan.h"
#include "mm/slab.h"
#include "proc/syscall.h"
#include "sched/sched.h"
#include "sched/thread.h"

/* ------------------------------------------------------------ helpers */

/* Remove path and everything under it (readdir restarts after each unlink). */
static void kt_rmtree(const char *path)
{
	struct file *d;
	struct dirent de;
	char child[PATH_MAX];

	if (file_open(path, O_RDONLY, &d) == 0) {
		while (file_readdir(d, &de) == 1) {
			ksnprintf(child, sizeof(child), "%s/%s", path, de.name);
			kt_rmtree(child);
			file_lseek(d, 0, SEEK_SET);
		}
		file_put(d);
	}
	ramfs_unlink(path);
}

static void kt_setup(void)
{
	fs_init();
	kt_rmtree("/kt");
	ramfs_mkdir("/kt", 0755);
}

/* Write s to path (created or emptied); bytes written or -errno. */
static long kt_put(const char *path, const char *s)
{
	struct file *f;
	long r = file_open(path, O_CREAT | O_TRUNC | O_WRONLY, &f);

	if (r)
		return r;
	r = file_write(f, s, strlen(s));
	file_put(f);
	return r;
}

/* Read path into buf (NUL-terminated); bytes read or -errno. */
static long kt_get(const char *path, char *buf, size_t size)
{
	struct file *f;
	long r = file_open(path, O_RDONLY, &f);

	if (r)
		return r;
	r = file_read(f, buf, size - 1);
	buf[r > 0 ? r : 0] = '\0';
	file_put(f);
	return r;
}

static long kt_type(const char *path)
{
	struct ramfs_node *n;
	long r = ramfs_lookup(path, &n);

	if (r)
		return r;
	r = ramfs_node_type(n);
	ramfs_node_put(n);
	return r;
}

/* ------------------------------------------------------------ ramfs */

static void ramfs_create_write_read(struct ktest *t)
{
	char buf[64];
	struct file *f;
	struct stat st;

	kt_setup();
	KTEST_EXPECT_EQ(t, file_open("/kt/f", O_CREAT | O_RDWR, &f), 0);
	KTEST_EXPECT_EQ(t, file_write(f, "hello world", 11), 11);
	KTEST_EXPECT_EQ(t, file_read(f, buf, sizeof(buf)), 0);	/* offset at the end */
	KTEST_EXPECT_EQ(t, file_lseek(f, 6, SEEK_SET), 6);
	KTEST_EXPECT_EQ(t, file_read(f, buf, 5), 5);
	KTEST_EXPECT(t, !memcmp(buf, "world", 5));
	/* Writing past the end leaves a hole of zeros. */
	KTEST_EXPECT_EQ(t, file_lseek(f, 4, SEEK_END), 15);
	KTEST_EXPECT_EQ(t, file_write(f, "!", 1), 1);
	file_stat(f, &st);
	KTEST_EXPECT_EQ(t, st.type, S_IFREG);
	KTEST_EXPECT_EQ(t, st.mode, 0644);
	KTEST_EXPECT_EQ(t, st.size, 16);
	KTEST_EXPECT_EQ(t, file_lseek(f, 11, SEEK_SET), 11);
	KTEST_EXPECT_EQ(t, file_read(f, buf, sizeof(buf)), 5);
	KTEST_EXPECT(t, !memcmp(buf, "\0\0\0\0!", 5));
	KTEST_EXPECT_EQ(t, file_lseek(f, -1, SEEK_SET), -EINVAL);
	KTEST_EXPECT_EQ(t, file_lseek(f, -2, SEEK_CUR), 14);
	KTEST_EXPECT_EQ(t, file_lseek(f, 0, 7), -EINVAL);
	file_put(f);
	/* A read-only file refuses writes, a write-only one reads. */
	KTEST_EXPECT_EQ(t, file_open("/kt/f", O_RDONLY, &f), 0);
	KTEST_EXPECT_EQ(t, file_write(f, "x", 1), -EBADF);
	file_put(f);
	KTEST_EXPECT_EQ(t, file_open("/kt/f", O_WRONLY, &f), 0);
	KTEST_EXPECT_EQ(t, file_read(f, buf, 1), -EBADF);
	file_put(f);
	KTEST_EXPECT_EQ(t, file_open("/kt/f", O_ACCMODE, &f), -EINVAL);
	kt_rmtree("/kt");
}

static void ramfs_truncate_and_append(struct ktest *t)
{
	char buf[64];
	struct file *f;

	kt_setup();
	KTEST_EXPECT_EQ(t, kt_put("/kt/f", "0123456789"), 10);
	/* O_TRUNC with O_RDONLY does nothing (POSIX leaves it undefined). */
	KTEST_EXPECT_EQ(t, file_open("/kt/f", O_RDONLY | O_TRUNC, &f), 0);
	file_put(f);
	KTEST_EXPECT_EQ(t, kt_get("/kt/f", buf, sizeof(buf)), 10);
	KTEST_EXPECT_EQ(t, file_open("/kt/f", O_WRONLY | O_TRUNC, &f), 0);
	file_put(f);
	KTEST_EXPECT_EQ(t, kt_get("/kt/f", buf, sizeof(buf)), 0);
	/* O_APPEND: every write lands at the end, wherever the offset was. */
	KTEST_EXPECT_EQ(t, kt_put("/kt/f", "abc"), 3);
	KTEST_EXPECT_EQ(t, file_open("/kt/f", O_WRONLY | O_APPEND, &f), 0);
	KTEST_EXPECT_EQ(t, file_lseek(f, 0, SEEK_SET), 0);
	KTEST_EXPECT_EQ(t, file_write(f, "de", 2), 2);
	KTEST_EXPECT_EQ(t, file_lseek(f, 0, SEEK_SET), 0);
	KTEST_EXPECT_EQ(t, file_write(f, "f", 1), 1);
	file_put(f);
	KTEST_EXPECT_EQ(t, kt_get("/kt/f", buf, sizeof(buf)), 6);
	KTEST_EXPECT(t, !strcmp(buf, "abcdef"));
	/* ramfs_truncate shrinks and grows (with zeros). */
	struct ramfs_node *n;

	KTEST_EXPECT_EQ(t, ramfs_lookup("/kt/f", &n), 0);
	KTEST_EXPECT_EQ(t, ramfs_truncate(n, 2), 0);
	KTEST_EXPECT_EQ(t, ramfs_truncate(n, 4), 0);
	KTEST_EXPECT_EQ(t, ramfs_read(n, 0, buf, sizeof(buf)), 4);
	KTEST_EXPECT(t, !memcmp(buf, "ab\0\0", 4));
	ramfs_node_put(n);
	kt_rmtree("/kt");
}

static void ramfs_unlink_while_open(struct ktest *t)
{
	struct ramfs_usage before, open, after;
	char buf[32];
	struct file *f;

	kt_setup();
	ramfs_get_usage(&before);
	KTEST_EXPECT_EQ(t, kt_put("/kt/gone", "still here"), 10);
	KTEST_EXPECT_EQ(t, file_open("/kt/gone", O_RDWR, &f), 0);
	KTEST_EXPECT_EQ(t, ramfs_unlink("/kt/gone"), 0);
	KTEST_EXPECT_EQ(t, kt_type("/kt/gone"), -ENOENT);
	KTEST_EXPECT_EQ(t, ramfs_unlink("/kt/gone"), -ENOENT);
	/* The open file still reads and writes; its bytes still count. */
	KTEST_EXPECT_EQ(t, file_read(f, buf, sizeof(buf)), 10);
	KTEST_EXPECT(t, !memcmp(buf, "still here", 10));
	KTEST_EXPECT_EQ(t, file_write(f, "!", 1), 1);
	ramfs_get_usage(&open);
	KTEST_EXPECT_EQ(t, open.bytes, before.bytes + 11);
	KTEST_EXPECT_EQ(t, open.nodes, before.nodes + 1);
	/* A new file of the same name is a different file. */
	KTEST_EXPECT_EQ(t, kt_put("/kt/gone", "new"), 3);
	KTEST_EXPECT_EQ(t, kt_get("/kt/gone", buf, sizeof(buf)), 3);
	KTEST_EXPECT_EQ(t, ramfs_unlink("/kt/gone"), 0);
	file_put(f);		/* the last reference: now it is freed */
	ramfs_get_usage(&after);
	KTEST_EXPECT_EQ(t, after.bytes, before.bytes);
	KTEST_EXPECT_EQ(t, after.nodes, before.nodes);
	/* An open directory may be removed too (when empty). */
	KTEST_EXPECT_EQ(t, ramfs_mkdir("/kt/d", 0755), 0);
	KTEST_EXPECT_EQ(t, file_open("/kt/d", O_RDONLY, &f), 0);
	KTEST_EXPECT_EQ(t, ramfs_unlink("/kt/d"), 0);
	struct dirent de;

	KTEST_EXPECT_EQ(t, file_readdir(f, &de), 0);
	file_put(f);
	kt_rmtree("/kt");
}

static void ramfs_readdir_and_stat(struct ktest *t)
{
	struct dirent de;
	struct stat st;
	struct file *d;
	struct ramfs_node *n;

	kt_setup();
	/* Created out of order; listed in name order. */
	KTEST_EXPECT_EQ(t, kt_put("/kt/cherry", "ccc"), 3);
	KTEST_EXPECT_EQ(t, kt_put("/kt/apple", "a"), 1);
	KTEST_EXPECT_EQ(t, ramfs_mkdir("/kt/banana", 0700), 0);
	KTEST_EXPECT_EQ(t, file_open("/kt", O_RDONLY, &d), 0);
	KTEST_EXPECT_EQ(t, file_readdir(d, &de), 1);
	KTEST_EXPECT(t, !strcmp(de.name, "apple") && de.type == S_IFREG && de.size == 1);
	KTEST_EXPECT_EQ(t, file_readdir(d, &de), 1);
	KTEST_EXPECT(t, !strcmp(de.name, "banana") && de.type == S_IFDIR && de.size == 0);
	KTEST_EXPECT_EQ(t, file_readdir(d, &de), 1);
	KTEST_EXPECT(t, !strcmp(de.name, "cherry") && de.type == S_IFREG && de.size == 3);
	KTEST_EXPECT_EQ(t, file_readdir(d, &de), 0);
	KTEST_EXPECT_EQ(t, file_readdir(d, &de), 0);
	/* lseek rewinds a directory. */
	KTEST_EXPECT_EQ(t, file_lseek(d, 0, SEEK_SET), 0);
	KTEST_EXPECT_EQ(t, file_readdir(d, &de), 1);
	KTEST_EXPECT(t, !strcmp(de.name, "apple"));
	file_stat(d, &st);
	KTEST_EXPECT_EQ(t, st.type, S_IFDIR);
	KTEST_EXPECT_EQ(t, st.mode, 0755);
	file_put(d);
	KTEST_EXPECT_EQ(t, ramfs_lookup("/kt/banana", &n), 0);
	ramfs_stat(n, &st);
	KTEST_EXPECT_EQ(t, st.mode, 0700);
	ramfs_node_put(n);
	/* The devices fs_init made. */
	KTEST_EXPECT_EQ(t, kt_type("/dev/console"), S_IFCHR);
	KTEST_EXPECT_EQ(t, kt_type("/dev/null"), S_IFCHR);
	kt_rmtree("/kt");
}

static void ramfs_path_forms(struct ktest *t)
{
	char buf[PATH_MAX + 8];

	kt_setup();
	KTEST_EXPECT_EQ(t, ramfs_mkdir("/kt/d", 0755), 0);
	KTEST_EXPECT_EQ(t, kt_put("/kt/d/f", "x"), 1);
	KTEST_EXPECT_EQ(t, kt_type("//kt///d//f"), S_IFREG);
	KTEST_EXPECT_EQ(t, kt_type("/kt/d/"), S_IFDIR);
	KTEST_EXPECT_EQ(t, kt_type("/kt/./d/../d/f"), S_IFREG);
	KTEST_EXPECT_EQ(t, kt_type("/../../kt/d/f"), S_IFREG);	/* "/.." is "/" */
	KTEST_EXPECT_EQ(t, kt_type("/"), S_IFDIR);
	KTEST_EXPECT_EQ(t, kt_type("kt/d/f"), -ENOENT);		/* relative */
	KTEST_EXPECT_EQ(t, kt_type(""), -ENOENT);
	/* PATH_MAX - 1 bytes is the longest path. */
	memset(buf, 'a', sizeof(buf));
	buf[0] = '/';
	buf[PATH_MAX - 1] = '\0';
	KTEST_EXPECT_EQ(t, kt_type(buf), -ENOENT);
	buf[PATH_MAX - 1] = 'a';
	buf[PATH_MAX] = '\0';
	KTEST_EXPECT_EQ(t, kt_type(buf), -ENAMETOOLONG);
	KTEST_EXPECT_EQ(t, ramfs_mkdir(buf, 0755), -ENAMETOOLONG);
	/* Names that cannot be removed or made. */
	KTEST_EXPECT_EQ(t, ramfs_unlink("/"), -EINVAL);
	KTEST_EXPECT_EQ(t, ramfs_unlink("/kt/d/."), -EINVAL);
	KTEST_EXPECT_EQ(t, ramfs_unlink("/kt/d/.."), -EINVAL);
	KTEST_EXPECT_EQ(t, ramfs_mkdir("/", 0755), -EEXIST);
	KTEST_EXPECT_EQ(t, ramfs_mkdir("/kt/d/.", 0755), -EEXIST);
	kt_rmtree("/kt");
}

static void ramfs_error_cases(struct ktest *t)
{
	struct file *f;
	char buf[8];

	kt_setup();
	KTEST_EXPECT_EQ(t, kt_put("/kt/file", "x"), 1);
	KTEST_EXPECT_EQ(t, ramfs_mkdir("/kt/dir", 0755), 0);
	/* ENOTDIR: a file used as a directory. */
	KTEST_EXPECT_EQ(t, file_open("/kt/file/x", O_CREAT | O_RDWR, &f), -ENOTDIR);
	KTEST_EXPECT_EQ(t, file_open("/kt/file/x", O_RDONLY, &f), -ENOTDIR);
	KTEST_EXPECT_EQ(t, ramfs_mkdir("/kt/file/x", 0755), -ENOTDIR);
	KTEST_EXPECT_EQ(t, ramfs_unlink("/kt/file/x"), -ENOTDIR);
	/* ENOENT: a missing file, or a missing parent even with O_CREAT. */
	KTEST_EXPECT_EQ(t, file_open("/kt/none", O_RDONLY, &f), -ENOENT);
	KTEST_EXPECT_EQ(t, file_open("/kt/none/x", O_CREAT | O_RDWR, &f), -ENOENT);
	KTEST_EXPECT_EQ(t, kt_type("/kt/none"), -ENOENT);
	/* EISDIR: writing a directory, or reading it as a file. */
	KTEST_EXPECT_EQ(t, file_open("/kt/dir", O_WRONLY, &f), -EISDIR);
	KTEST_EXPECT_EQ(t, file_open("/kt/dir", O_RDWR | O_CREAT, &f), -EISDIR);
	KTEST_EXPECT_EQ(t, file_open("/kt/dir", O_RDONLY | O_TRUNC, &f), -EISDIR);
	KTEST_EXPECT_EQ(t, file_open("/kt/dir", O_RDONLY, &f), 0);
	KTEST_EXPECT_EQ(t, file_read(f, buf, sizeof(buf)), -EISDIR);
	file_put(f);
	/* ENOTDIR: readdir of a file. */
	struct dirent de;

	KTEST_EXPECT_EQ(t, file_open("/kt/file", O_RDONLY, &f), 0);
	KTEST_EXPECT_EQ(t, file_readdir(f, &de), -ENOTDIR);
	file_put(f);
	/* EEXIST, ENOTEMPTY. */
	KTEST_EXPECT_EQ(t, ramfs_mkdir("/kt/dir", 0755), -EEXIST);
	KTEST_EXPECT_EQ(t, ramfs_mkdir("/kt/file", 0755), -EEXIST);
	KTEST_EXPECT_EQ(t, kt_put("/kt/dir/inside", "y"), 1);
	KTEST_EXPECT_EQ(t, ramfs_unlink("/kt/dir"), -ENOTEMPTY);
	KTEST_EXPECT_EQ(t, ramfs_unlink("/kt/dir/inside"), 0);
	KTEST_EXPECT_EQ(t, ramfs_unlink("/kt/dir"), 0);
	kt_rmtree("/kt");
}

static void ramfs_size_limits(struct ktest *t)
{
	struct ramfs_usage before, after;
	struct ramfs_node *n[5];
	struct file *f;
	char buf[20] = "0123456789abcdefghi";

	struct ramfs_limits saved = ramfs_limits;

	kt_setup();
	ramfs_get_usage(&before);
	/* The same rules with small limits: the real ones would make this
	 * test write 16 MiB. */
	ramfs_limits.file_max = 64 * 1024;
	ramfs_limits.total_max = before.bytes + 3 * 64 * 1024 + 1000;
	/* One file: at most ramfs_limits.file_max bytes; a write across the limit
	 * writes what fits, the next one gets -EFBIG. */
	KTEST_EXPECT_EQ(t, file_open("/kt/big", O_CREAT | O_RDWR, &f), 0);
	KTEST_EXPECT_EQ(t, file_lseek(f, ramfs_limits.file_max - 10, SEEK_SET), ramfs_limits.file_max - 10);
	KTEST_EXPECT_EQ(t, file_write(f, buf, 20), 10);
	KTEST_EXPECT_EQ(t, file_write(f, buf, 20), -EFBIG);
	file_put(f);
	KTEST_EXPECT_EQ(t, ramfs_unlink("/kt/big"), 0);
	/* All files: ramfs_limits.total_max, counted with the bytes already used. */
	u64 room = ramfs_limits.total_max - before.bytes;
	size_t full = (size_t)(room / ramfs_limits.file_max);
	long r = 0;

	KTEST_EXPECT(t, full >= 1 && full < ARRAY_SIZE(n));
	for (size_t i = 0; i <= full && i < ARRAY_SIZE(n); i++) {
		char path[16];

		ksnprintf(path, sizeof(path), "/kt/n%zu", i);
		KTEST_EXPECT_EQ(t, ramfs_open(path, O_CREAT | O_RDWR, 0644, &n[i]), 0);
		r = ramfs_truncate(n[i], i < full ? ramfs_limits.file_max : room % ramfs_limits.file_max + 1);
		if (i < full)
			KTEST_EXPECT_EQ(t, r, 0);
	}
	KTEST_EXPECT_EQ(t, r, -ENOSPC);
	ramfs_get_usage(&after);
	KTEST_EXPECT_EQ(t, after.bytes, before.bytes + full * ramfs_limits.file_max);
	for (size_t i = 0; i <= full && i < ARRAY_SIZE(n); i++)
		ramfs_node_put(n[i]);
	kt_rmtree("/kt");
	ramfs_limits = saved;
	ramfs_get_usage(&after);
	KTEST_EXPECT_EQ(t, after.bytes, before.bytes);
}

static void read_file_for_exec(struct ktest *t)
{
	void *data = NULL;
	size_t size = 0;

	kt_setup();
	KTEST_EXPECT_EQ(t, kt_put("/kt/prog", "\177ELF..."), 7);
	KTEST_EXPECT_EQ(t, fs_read_file("/kt/prog", &data, &size), 0);
	KTEST_EXPECT_EQ(t, size, 7);
	KTEST_EXPECT(t, data && !memcmp(data, "\177ELF...", 7));
	kfree(data);
	KTEST_EXPECT_EQ(t, kt_put("/kt/empty", ""), 0);
	KTEST_EXPECT_EQ(t, fs_read_file("/kt/empty", &data, &size), 0);
	KTEST_EXPECT_EQ(t, size, 0);
	kfree(data);
	KTEST_EXPECT_EQ(t, fs_read_file("/kt", &data, &size), -EISDIR);
	KTEST_EXPECT_EQ(t, fs_read_file("/kt/none", &data, &size), -ENOENT);
	KTEST_EXPECT_EQ(t, fs_read_file("/kt/prog/x", &data, &size), -ENOTDIR);
	KTEST_EXPECT_EQ(t, fs_read_file("/dev/null", &data, &size), -EISDIR);
	kt_rmtree("/kt");
}

/* ------------------------------------------------------------ initrd */

/* A newc archive built in memory (the format of fs/cpio.h). */
struct kt_cpio {
	u8 buf[2048];
	size_t len;
};

static void kt_cpio_bytes(struct kt_cpio *a, const void *p, size_t n)
{
	memcpy(a->buf + a->len, p, n);
	a->len += n;
	while (a->len % 4)
		a->buf[a->len++] = 0;
}

/* Append an entry; returns its offset. */
static size_t kt_cpio_add(struct kt_cpio *a, const char *name, u32 mode, const char *data)
{
	size_t at = a->len, size = data ? strlen(data) : 0;
	char hdr[112];

	ksnprintf(hdr, sizeof(hdr),
		  "070701%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x",
		  (unsigned)at, (unsigned)mode, 0u, 0u, 1u, 0u, (unsigned)size, 0u, 0u, 0u, 0u,
		  (unsigned)strlen(name) + 1, 0u);
	memcpy(a->buf + a->len, hdr, 110);
	a->len += 110;
	kt_cpio_bytes(a, name, strlen(name) + 1);
	if (size)
		kt_cpio_bytes(a, data, size);
	return at;
}

static struct kt_cpio kt_archive;	/* too big for a kernel stack frame */
static char kt_log[2048];		/* captured printk output */
static size_t kt_off_b;			/* offset of the entry "ktinit/sub/b.txt" */

static void kt_build_archive(void)
{
	struct kt_cpio *a = &kt_archive;

	a->len = 0;
	kt_cpio_add(a, ".", CPIO_S_IFDIR | 0755, NULL);
	kt_cpio_add(a, "ktinit", CPIO_S_IFDIR | 0750, NULL);
	kt_cpio_add(a, "ktinit/a.txt", CPIO_S_IFREG | 0640, "hello\n");
	kt_off_b = kt_cpio_add(a, "./ktinit/sub/b.txt", CPIO_S_IFREG | 0600, "0123456789");
	kt_cpio_add(a, "ktinit/link", CPIO_S_IFLNK | 0777, "a.txt");
	kt_cpio_add(a, "ktinit/empty", CPIO_S_IFREG | 0644, NULL);
	kt_cpio_add(a, "TRAILER!!!", 0, NULL);
}

static int kt_unpack(const void *archive, size_t size)
{
	printk_capture_start(kt_log, sizeof(kt_log));
	int r = initrd_unpack(archive, size);

	printk_capture_stop();
	return r;
}

static void initrd_unpacks_a_good_archive(struct ktest *t)
{
	struct ramfs_node *n;
	struct stat st;
	char buf[32];

	kt_rmtree("/ktinit");
	kt_build_archive();
	KTEST_EXPECT_EQ(t, kt_unpack(kt_archive.buf, kt_archive.len), 0);
	KTEST_EXPECT_CONTAINS(t, kt_log, "initrd: 3 files, 1 directories, 16 bytes unpacked");
	KTEST_EXPECT_CONTAINS(t, kt_log, "initrd: skipping /ktinit/link (mode 120777)");
	KTEST_EXPECT_EQ(t, kt_get("/ktinit/a.txt", buf, sizeof(buf)), 6);
	KTEST_EXPECT(t, !strcmp(buf, "hello\n"));
	KTEST_EXPECT_EQ(t, kt_get("/ktinit/sub/b.txt", buf, sizeof(buf)), 10);
	KTEST_EXPECT_EQ(t, kt_get("/ktinit/empty", buf, sizeof(buf)), 0);
	KTEST_EXPECT_EQ(t, kt_type("/ktinit/link"), -ENOENT);
	KTEST_EXPECT_EQ(t, ramfs_lookup("/ktinit/a.txt", &n), 0);
	ramfs_stat(n, &st);
	ramfs_node_put(n);
	KTEST_EXPECT_EQ(t, st.mode, 0640);
	KTEST_EXPECT_EQ(t, ramfs_lookup("/ktinit", &n), 0);
	ramfs_stat(n, &st);
	ramfs_node_put(n);
	KTEST_EXPECT_EQ(t, st.mode, 0750);
	KTEST_EXPECT_EQ(t, kt_type("/ktinit/sub"), S_IFDIR);	/* made on the way */
	/* Unpacking again replaces files and keeps directories. */
	KTEST_EXPECT_EQ(t, kt_put("/ktinit/a.txt", "changed"), 7);
	KTEST_EXPECT_EQ(t, kt_unpack(kt_archive.buf, kt_archive.len), 0);
	KTEST_EXPECT_EQ(t, kt_get("/ktinit/a.txt", buf, sizeof(buf)), 6);
	kt_rmtree("/ktinit");
}

static void initrd_truncated_keeps_what_came_before(struct ktest *t)
{
	char want[96];

	kt_rmtree("/ktinit");
	kt_build_archive();
	/* Cut inside b.txt's data: a.txt stays, b.txt and its directory never come. */
	size_t cut = kt_off_b + 110 + 20 + 4;
	int r = kt_unpack(kt_archive.buf, cut);

	KTEST_EXPECT_EQ(t, r, -EINVAL);
	ksnprintf(want, sizeof(want), "initrd: bad archive entry at offset %zu (after \"ktinit/a.txt\")",
		  kt_off_b);
	KTEST_EXPECT_CONTAINS(t, kt_log, want);
	KTEST_EXPECT_CONTAINS(t, kt_log, "initrd: 1 files, 1 directories, 6 bytes unpacked");
	KTEST_EXPECT_EQ(t, kt_type("/ktinit/a.txt"), S_IFREG);
	KTEST_EXPECT_EQ(t, kt_type("/ktinit/sub"), -ENOENT);
	/* Cut before the trailer: everything is there, but no trailer is an error. */
	kt_rmtree("/ktinit");
	r = kt_unpack(kt_archive.buf, kt_archive.len - 124);
	KTEST_EXPECT_EQ(t, r, -EINVAL);
	KTEST_EXPECT_EQ(t, kt_type("/ktinit/empty"), S_IFREG);
	/* Nothing at all. */
	KTEST_EXPECT_EQ(t, kt_unpack(kt_archive.buf, 0), -EINVAL);
	KTEST_EXPECT_CONTAINS(t, kt_log, "initrd: bad archive entry at offset 0 (after \"(none)\")");
	kt_rmtree("/ktinit");
}

static void initrd_corrupt_keeps_what_came_before(struct ktest *t)
{
	char want[96];

	kt_rmtree("/ktinit");
	kt_build_archive();
	kt_archive.buf[kt_off_b + 5] = 'X';	/* the magic "070701" of b.txt's header */
	KTEST_EXPECT_EQ(t, kt_unpack(kt_archive.buf, kt_archive.len), -EINVAL);
	ksnprintf(want, sizeof(want), "initrd: bad archive entry at offset %zu", kt_off_b);
	KTEST_EXPECT_CONTAINS(t, kt_log, want);
	KTEST_EXPECT_EQ(t, kt_type("/ktinit/a.txt"), S_IFREG);
	KTEST_EXPECT_EQ(t, kt_type("/ktinit/sub"), -ENOENT);
	kt_rmtree("/ktinit");

	/* Well formed, but a file where a directory must be. */
	struct kt_cpio *a = &kt_archive;

	a->len = 0;
	kt_cpio_add(a, "ktinit", CPIO_S_IFDIR | 0755, NULL);
	kt_cpio_add(a, "ktinit/x", CPIO_S_IFREG | 0644, "x");
	size_t bad = kt_cpio_add(a, "ktinit/x/y", CPIO_S_IFREG | 0644, "y");

	kt_cpio_add(a, "TRAILER!!!", 0, NULL);
	KTEST_EXPECT_EQ(t, kt_unpack(a->buf, a->len), -ENOTDIR);
	ksnprintf(want, sizeof(want), "initrd: cannot unpack \"ktinit/x/y\" (entry at offset %zu): ENOTDIR",
		  bad);
	KTEST_EXPECT_CONTAINS(t, kt_log, want);
	KTEST_EXPECT_EQ(t, kt_type("/ktinit/x"), S_IFREG);
	kt_rmtree("/ktinit");
}

/* ------------------------------------------------------------ fd tables */

static void fdtable_install_dup_fork_close(struct ktest *t)
{
	struct fdtable a, b;
	struct file *f, *g;
	char buf[8];

	kt_setup();
	KTEST_EXPECT_EQ(t, kt_put("/kt/f", "abcdef"), 6);
	fdtable_init(&a);
	fdtable_init(&b);
	KTEST_EXPECT_EQ(t, file_open("/kt/f", O_RDONLY, &f), 0);
	KTEST_EXPECT_EQ(t, fdtable_install(&a, f), 0);
	KTEST_EXPECT_EQ(t, fdtable_install(&a, file_get(f)), 1);	/* dup */
	KTEST_EXPECT_EQ(t, f->refs, 2);
	/* Fill the table: the next install is -EMFILE. */
	for (int i = 2; i < OPEN_MAX; i++)
		KTEST_EXPECT_EQ(t, fdtable_install(&a, file_get(f)), i);
	KTEST_EXPECT_EQ(t, fdtable_lowest_free(&a), -EMFILE);
	KTEST_EXPECT_EQ(t, fdtable_install(&a, f), -EMFILE);
	for (int i = 2; i < OPEN_MAX; i++)
		KTEST_EXPECT_EQ(t, fdtable_close(&a, i), 0);
	KTEST_EXPECT_EQ(t, fdtable_close(&a, 2), -EBADF);
	KTEST_EXPECT_EQ(t, fdtable_close(&a, -1), -EBADF);
	KTEST_EXPECT_EQ(t, fdtable_close(&a, OPEN_MAX), -EBADF);
	KTEST_EXPECT(t, fdtable_get(&a, OPEN_MAX) == NULL && fdtable_get(&a, 5) == NULL);
	/* Fork shares the open file, offset included. */
	KTEST_EXPECT_EQ(t, fdtable_fork(&b, &a), 0);
	KTEST_EXPECT_EQ(t, f->refs, 4);
	KTEST_EXPECT_EQ(t, fdtable_fork(&b, &a), -EINVAL);	/* b is not empty */
	g = fdtable_get(&b, 1);
	KTEST_EXPECT(t, g == f);
	KTEST_EXPECT_EQ(t, file_read(g, buf, 3), 3);
	file_put(g);
	g = fdtable_get(&a, 0);
	KTEST_EXPECT_EQ(t, file_read(g, buf, 3), 3);
	KTEST_EXPECT(t, !memcmp(buf, "def", 3));
	/* install_at closes what was there. */
	struct file *h;

	KTEST_EXPECT_EQ(t, file_open("/kt/f", O_RDONLY, &h), 0);
	KTEST_EXPECT_EQ(t, fdtable_install_at(&b, 1, h), 1);
	KTEST_EXPECT_EQ(t, f->refs, 4);		/* a: 2, b: 1, g: 1 */
	KTEST_EXPECT_EQ(t, fdtable_install_at(&b, OPEN_MAX, h), -EBADF);
	file_put(g);
	fdtable_close_all(&a);
	KTEST_EXPECT_EQ(t, f->refs, 1);		/* b's fd 0 */
	fdtable_close_all(&b);
	for (int i = 0; i < OPEN_MAX; i++)
		KTEST_EXPECT(t, !a.fd[i] && !b.fd[i]);
	kt_rmtree("/kt");
}

static void fdtable_console_is_fds_0_1_2(struct ktest *t)
{
	struct fdtable a;
	struct stat st;

	fdtable_init(&a);
	KTEST_EXPECT_EQ(t, fdtable_open_console(&a), 0);
	KTEST_EXPECT(t, a.fd[0] && a.fd[0] == a.fd[1] && a.fd[1] == a.fd[2]);
	KTEST_EXPECT_EQ(t, a.fd[0]->refs, 3);
	KTEST_EXPECT_EQ(t, fdtable_lowest_free(&a), 3);
	KTEST_EXPECT_EQ(t, fdtable_open_console(&a), -EINVAL);
	file_stat(a.fd[1], &st);
	KTEST_EXPECT_EQ(t, st.type, S_IFCHR);
	KTEST_EXPECT_EQ(t, file_lseek(a.fd[0], 0, SEEK_SET), -ESPIPE);
	KTEST_EXPECT_EQ(t, file_write(a.fd[1], "fs_test: console write\n", 23), 23);
	fdtable_close_all(&a);
}

/* ------------------------------------------------------------ system calls */

static void syscalls_in_a_kernel_thread(struct ktest *t)
{
	struct stat st;
	char buf[4];

	/* No process, so no fd table: every fd is bad. */
	KTEST_EXPECT_EQ(t, sys_read(0, buf, sizeof(buf)), -EBADF);
	KTEST_EXPECT_EQ(t, sys_write(1, buf, sizeof(buf)), -EBADF);
	KTEST_EXPECT_EQ(t, sys_close(0), -EBADF);
	KTEST_EXPECT_EQ(t, sys_dup(0), -EBADF);
	KTEST_EXPECT_EQ(t, sys_dup2(0, 1), -EBADF);
	KTEST_EXPECT_EQ(t, sys_lseek(0, 0, SEEK_SET), -EBADF);
	KTEST_EXPECT_EQ(t, sys_fstat(0, &st), -EBADF);
	KTEST_EXPECT_EQ(t, sys_readdir(0, NULL), -EBADF);
	KTEST_EXPECT_EQ(t, sys_open("/dev/null", O_RDONLY), -EBADF);
	KTEST_EXPECT_EQ(t, sys_pipe(NULL), -EBADF);
	/* A kernel address passed as a user pointer is refused, never read. */
	KTEST_EXPECT_EQ(t, sys_stat("/dev/null", &st), -EFAULT);
	KTEST_EXPECT_EQ(t, sys_unlink("/dev/null"), -EFAULT);
	KTEST_EXPECT_EQ(t, kt_type("/dev/null"), S_IFCHR);
}

/* Everything a file-system round trip allocates is freed again. */
static void fs_frees_what_it_allocates(struct ktest *t)
{
	struct file *f, *rd, *wr;
	char buf[16];

	kt_setup();
	kasan_quarantine_drain();
	slab_leak_begin();
	for (int i = 0; i < 20; i++) {
		KTEST_EXPECT_EQ(t, kt_put("/kt/tmp", "some data"), 9);
		KTEST_EXPECT_EQ(t, file_open("/kt/tmp", O_RDWR | O_APPEND, &f), 0);
		KTEST_EXPECT_EQ(t, ramfs_unlink("/kt/tmp"), 0);
		KTEST_EXPECT_EQ(t, file_write(f, "more", 4), 4);
		file_put(f);
		KTEST_EXPECT_EQ(t, pipe_create(&rd, &wr), 0);
		KTEST_EXPECT_EQ(t, file_write(wr, "p", 1), 1);
		file_put(wr);
		KTEST_EXPECT_EQ(t, file_read(rd, buf, sizeof(buf)), 1);
		file_put(rd);
	}
	KTEST_EXPECT_EQ(t, slab_leak_report(), 0);
	slab_leak_end();
	kt_rmtree("/kt");
}

KTEST_SUITE(fs, "fs",
	    KTEST_CASE(ramfs_create_write_read),
	    KTEST_CASE(ramfs_truncate_and_append),
	    KTEST_CASE(ramfs_unlink_while_open),
	    KTEST_CASE(ramfs_readdir_and_stat),
	    KTEST_CASE(ramfs_path_forms),
	    KTEST_CASE(ramfs_error_cases),
	    KTEST_CASE(ramfs_size_limits),
	    KTEST_CASE(read_file_for_exec),
	    KTEST_CASE(initrd_unpacks_a_good_archive),
	    KTEST_CASE(initrd_truncated_keeps_what_came_before),
	    KTEST_CASE(initrd_corrupt_keeps_what_came_before),
	    KTEST_CASE(fdtable_install_dup_fork_close),
	    KTEST_CASE(fdtable_console_is_fds_0_1_2),
	    KTEST_CASE(syscalls_in_a_kernel_thread),
	    KTEST_CASE(fs_frees_what_it_allocates));
