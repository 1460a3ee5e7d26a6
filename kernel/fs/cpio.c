/*
 * cpio_next: the newc cpio reader (see fs/cpio.h for the contract and the
 * header layout).
 *
 * One entry per call, in the order the archive holds them; no state beyond
 * the caller's *pos, so a caller may stop and resume anywhere.  Every size
 * from the archive is at most 0xffffffff, but the checks are still written
 * as "n <= size - at", never "at + n <= size", so no sum can wrap, even
 * with a 32-bit size_t.  Each check runs before the bytes it guards are
 * read: the header's 110 bytes, then the name, then the data.
 */
#include "fs/cpio.h"
#include "lib/format.h"
#include "lib/string.h"
#include "uapi/canary.h"

#define CPIO_MAGIC "070701"
#define CPIO_MAGIC_LEN 6
#define CPIO_FIELD_LEN 8      /* hex digits per field */
#define CPIO_HEADER_SIZE 110  /* magic + 13 fields */
#define CPIO_TRAILER "TRAILER!!!"

/* The header's fields, in file order. */
enum cpio_field {
	CPIO_INO,
	CPIO_MODE,
	CPIO_UID,
	CPIO_GID,
	CPIO_NLINK,
	CPIO_MTIME,
	CPIO_FILESIZE,
	CPIO_DEVMAJOR,
	CPIO_DEVMINOR,
	CPIO_RDEVMAJOR,
	CPIO_RDEVMINOR,
	CPIO_NAMESIZE, /* bytes of name, its NUL included */
	CPIO_CHECK,
	CPIO_NFIELDS,
};

_Static_assert(CPIO_MAGIC_LEN + CPIO_NFIELDS * CPIO_FIELD_LEN == CPIO_HEADER_SIZE,
	       "newc header is 110 bytes");

static const char *const cpio_field_name[CPIO_NFIELDS] = {
	"ino", "mode", "uid", "gid", "nlink", "mtime", "filesize",
	"devmajor", "devminor", "rdevmajor", "rdevminor", "namesize", "check",
};

/* Writes the reason and returns -EINVAL, so each check is one statement. */
#define cpio_fail(why, whylen, ...) kfail(-EINVAL, why, whylen, __VA_ARGS__)

/* Parses exactly 8 hex digits (either case, as GNU cpio and Linux's
 * gen_init_cpio differ); false on anything else, including a sign or space. */
static bool cpio_hex8(const u8 *p, u32 *out)
{
	u32 v = 0;

	for (int i = 0; i < CPIO_FIELD_LEN; i++) {
		u8 c = p[i];
		u32 d;

		if (c >= '0' && c <= '9')
			d = c - '0';
		else if (c >= 'a' && c <= 'f')
			d = c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			d = c - 'A' + 10;
		else
			return false;
		v = v << 4 | d;
	}
	*out = v;
	return true;
}

/* Bytes of NUL padding after offset `end`, up to the next 4-byte boundary. */
static size_t cpio_pad(size_t end)
{
	return (4 - end % 4) % 4;
}

/* Where the padding after [.., end) stops, or size if the archive ends
 * first (end <= size); the next call then reports the missing trailer. */
static size_t cpio_skip_pad(size_t end, size_t size)
{
	return cpio_pad(end) > size - end ? size : end + cpio_pad(end);
}

/* Drops leading "./" and "/" so names are relative to the root, and turns
 * the root's own name "." into "".  The result still ends at the NUL. */
static void cpio_strip_name(struct cpio_entry *e)
{
	const char *p = e->name;
	size_t n = e->namelen;

	for (;;) {
		if (n >= 2 && p[0] == '.' && p[1] == '/') {
			p += 2;
			n -= 2;
		} else if (n >= 1 && p[0] == '/') {
			p++;
			n--;
		} else {
			break;
		}
	}
	if (n == 1 && p[0] == '.') {
		p++;
		n = 0;
	}
	e->name = p;
	e->namelen = n;
}

int cpio_next(const void *archive, size_t size, size_t *pos, struct cpio_entry *e, char *why,
	      size_t whylen)
{
	const u8 *a = archive;
	size_t at = *pos, name_at, name_end, data_at, nsize, fsize;
	u32 f[CPIO_NFIELDS];

	if (whylen > 0)
		why[0] = '\0';
	if (at >= size)
		return cpio_fail(why, whylen, "truncated: no TRAILER!!!");
	if (size - at < CPIO_HEADER_SIZE)
		return cpio_fail(why, whylen,
				 "truncated: %zu bytes at offset %zu, a header needs %d (no TRAILER!!!)",
				 size - at, at, CPIO_HEADER_SIZE);
	if (memcmp(a + at, CPIO_MAGIC, CPIO_MAGIC_LEN) != 0) {
		/* The one mistake worth naming: cpio's default format is odc. */
		if (memcmp(a + at, "070707", CPIO_MAGIC_LEN) == 0)
			return cpio_fail(why, whylen,
					 "offset %zu: old portable (070707) cpio format: create with -H newc",
					 at);
		return cpio_fail(why, whylen, "offset %zu: bad magic (expected newc \"070701\")", at);
	}
	for (int i = 0; i < CPIO_NFIELDS; i++)
		if (!cpio_hex8(a + at + CPIO_MAGIC_LEN + i * CPIO_FIELD_LEN, &f[i]))
			return cpio_fail(why, whylen, "offset %zu: field %s is not 8 hex digits", at,
					 cpio_field_name[i]);

	name_at = at + CPIO_HEADER_SIZE;
	nsize = f[CPIO_NAMESIZE];
	if (nsize == 0)
		return cpio_fail(why, whylen, "offset %zu: namesize 0 (a name needs its NUL)", at);
	if (nsize > size - name_at)
		return cpio_fail(why, whylen,
				 "offset %zu: name of %zu bytes runs past the end of the archive (%zu bytes)",
				 at, nsize, size);
	e->name = (const char *)a + name_at;
	e->namelen = nsize - 1;
	/* Exactly one NUL, at the end: a NUL inside would make the name read
	 * as a C string differ from the namelen bytes the caller compares. */
	if (strnlen(e->name, nsize) != nsize - 1)
		return cpio_fail(why, whylen, "offset %zu: name not NUL-terminated (or NUL inside)",
				 at);
	name_end = name_at + nsize;
	e->mode = f[CPIO_MODE];

	/* The trailer's padding may be missing at the very end: nothing follows. */
	if (nsize == sizeof(CPIO_TRAILER) && memcmp(e->name, CPIO_TRAILER, nsize) == 0) {
		e->data = a + name_end;
		e->size = 0;
		*pos = cpio_skip_pad(name_end, size);
		return 0;
	}

	if (cpio_pad(name_end) > size - name_end)
		return cpio_fail(why, whylen, "offset %zu: name padding runs past the end of the archive",
				 at);
	data_at = name_end + cpio_pad(name_end);
	fsize = f[CPIO_FILESIZE];
	if (fsize > size - data_at)
		return cpio_fail(why, whylen,
				 "offset %zu: data of %zu bytes runs past the end of the archive (%zu bytes)",
				 at, fsize, size);
	e->data = a + data_at;
	e->size = fsize;
	*pos = cpio_skip_pad(data_at + fsize, size);
	cpio_strip_name(e);
	return 1;
}
