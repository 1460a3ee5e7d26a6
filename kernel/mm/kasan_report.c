/*
 * kasan_report.c - the text of a KASAN report, line for line as Linux's
 * mm/kasan/report.c prints it, so that a report read here reads the same
 * in a syzbot log:
 *
 *   ==================================================================
 *   BUG: KASAN: slab-out-of-bounds in kmalloc_oob_right+0x6e/0x120
 *   Write of size 1 at addr ffff88800215c07b by task swapper/0/0
 *   (blank, CPU and Hardware name lines, Call Trace, blank)
 *   Allocated by task 0 on cpu 0 at 1.234567s:      (stack)
 *   Freed by task 0 on cpu 0 at 1.234568s:          (stack, if freed)
 *   The buggy address belongs to the object at ffff88800215c000
 *    which belongs to the cache kmalloc-128 of size 128
 *   The buggy address is located 0 bytes to the right of
 *    allocated 123-byte region [ffff88800215c000, ffff88800215c07b)
 *   Memory state around the buggy address:      (5 rows of shadow, > and ^)
 *   ==================================================================
 *
 * Everything here is pure: kasan.c gathers the facts into a struct
 * kasan_report_facts and this file only formats them, one emit() call per
 * line.  That is what lets tests/host/test_kasan_report.c compare whole
 * reports on the host.  Never instrumented (it runs inside a report).
 */
#include "lib/format.h"
#include "lib/string.h"
#include "mm/kasan.h"

#define KASAN_LINE_MAX 160
#define KASAN_PAGE_SIZE 4096ULL
#define KASAN_USER_END 0x00007ffffffff000ULL	/* x86-64 TASK_SIZE_MAX */

/* What the shadow says, as get_shadow_bug_type() in Linux decides it. */
static const char *kasan_shadow_bug_type(const u8 shadow[2])
{
	u8 s = shadow[0];

	/* A partial granule (1..7 bytes valid) only says the access ran off
	 * its end; the next granule says into what. */
	if (s > 0 && s < KASAN_GRANULE_SIZE)
		s = shadow[1];
	if (s < KASAN_GRANULE_SIZE)
		return "out-of-bounds";
	switch (s) {
	case KASAN_PAGE_REDZONE:	/* Linux: large kmalloc redzones too */
	case KASAN_SLAB_REDZONE:
		return "slab-out-of-bounds";
	case KASAN_GLOBAL_REDZONE:
		return "global-out-of-bounds";
	case KASAN_STACK_LEFT:
	case KASAN_STACK_MID:
	case KASAN_STACK_RIGHT:
	case KASAN_STACK_PARTIAL:
		return "stack-out-of-bounds";
	case KASAN_PAGE_FREE:
		return "use-after-free";
	case KASAN_SLAB_FREE:
	case KASAN_SLAB_FREE_META:	/* Linux's KASAN_SLAB_FREETRACK */
		return "slab-use-after-free";
	case KASAN_ALLOCA_LEFT:
	case KASAN_ALLOCA_RIGHT:
		return "alloca-out-of-bounds";
	case KASAN_VMALLOC_INVALID:
		return "vmalloc-out-of-bounds";
	default:
		return "unknown-crash";
	}
}

const char *kasan_bug_type(u64 addr, size_t size, bool has_shadow, const u8 shadow[2])
{
	/* A range that wraps around the address space (a negative size
	 * passed to memcpy) is out of bounds whatever the shadow says. */
	if (addr + size < addr)
		return "out-of-bounds";
	if (has_shadow)
		return kasan_shadow_bug_type(shadow);
	if (addr < KASAN_PAGE_SIZE)
		return "null-ptr-deref";
	if (addr < KASAN_USER_END)
		return "user-memory-access";
	return "wild-memory-access";
}

/* printf into a line buffer, then hand the line out. */
struct kasan_out {
	void (*emit)(void *ctx, const char *line);
	void *ctx;
};

static __printf(2, 3) void kasan_line(const struct kasan_out *o, const char *fmt, ...)
{
	char line[KASAN_LINE_MAX];
	va_list ap;

	va_start(ap, fmt);
	kvsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	o->emit(o->ctx, line);
}

static void kasan_blank(const struct kasan_out *o)
{
	o->emit(o->ctx, "");
}

#define ULL(x) ((unsigned long long)(x))

/* dump_stack_lvl(): who we are, then the frames. */
static void kasan_format_dump_stack(const struct kasan_out *o, const struct kasan_report_facts *f)
{
	kasan_line(o, "CPU: 0 PID: %d Comm: %s Not tainted %s #1", f->pid, f->comm, f->release);
	kasan_line(o, "Hardware name: QEMU Standard PC (i440FX + PIIX, 1996)");
	kasan_line(o, "Call Trace:");
	kasan_line(o, " <TASK>");
	for (unsigned i = 0; i < f->trace_depth; i++)
		kasan_line(o, " %s", f->trace[i]);
	kasan_line(o, " </TASK>");
}

/* print_track(): Linux with CONFIG_KASAN_EXTRA_INFO, which adds the cpu
 * and the time to "Allocated by task N:". */
static void kasan_format_track(const struct kasan_out *o, const struct kasan_track_text *t,
			       const char *what)
{
	kasan_line(o, "%s by task %d on cpu %d at %llu.%06llus:", what, t->pid, t->cpu,
		   ULL(t->time_ns / 1000000000), ULL(t->time_ns / 1000 % 1000000));
	if (!t->depth)
		kasan_line(o, "(stack is not available)");
	for (unsigned i = 0; i < t->depth; i++)
		kasan_line(o, " %s", t->frames[i]);
	kasan_blank(o);
}

/* describe_object_addr(): where the address is relative to the region the
 * caller asked for.  "allocated"/"freed" only where the bug type says so. */
static void kasan_format_object(const struct kasan_out *o, const struct kasan_report_facts *f)
{
	u64 start = f->object, end = f->object + f->region_size;
	const char *rel, *state = "";
	u64 bytes;

	kasan_line(o, "The buggy address belongs to the object at %016llx", ULL(f->object));
	kasan_line(o, " which belongs to the cache %s of size %zu", f->cache_name, f->object_size);
	if (f->addr < start) {
		rel = "to the left";
		bytes = start - f->addr;
	} else if (f->addr >= end) {
		rel = "to the right";
		bytes = f->addr - end;
	} else {
		rel = "inside";
		bytes = f->addr - start;
	}
	if (!strcmp(f->bug_type, "slab-out-of-bounds"))
		state = "allocated ";
	else if (!strcmp(f->bug_type, "slab-use-after-free"))
		state = "freed ";
	kasan_line(o, "The buggy address is located %llu bytes %s of", ULL(bytes), rel);
	kasan_line(o, " %s%zu-byte region [%016llx, %016llx)", state, f->region_size, ULL(start),
		   ULL(end));
	kasan_blank(o);
}

/* Next space-separated token of GCC's frame description; false at the end. */
static bool kasan_frame_token(const char **p, char *tok, size_t size)
{
	const char *s = *p;
	size_t n = 0;

	while (*s == ' ')
		s++;
	if (!*s)
		return false;
	while (s[n] && s[n] != ' ')
		n++;
	if (tok) {
		size_t k = n < size - 1 ? n : size - 1;

		memcpy(tok, s, k);
		tok[k] = '\0';
	}
	*p = s + n;
	return true;
}

static bool kasan_frame_number(const char **p, u64 *v)
{
	char tok[24];

	if (!kasan_frame_token(p, tok, sizeof(tok)) || !tok[0])
		return false;
	*v = 0;
	for (const char *c = tok; *c; c++) {
		if (*c < '0' || *c > '9')
			return false;
		*v = *v * 10 + (u64)(*c - '0');
	}
	return true;
}

/*
 * GCC describes each instrumented frame as "n off size len name:line ..."
 * (n variables; for each: offset from the frame base, size, length of the
 * name, name:line).  Linux prints the variables without the line number.
 */
static void kasan_format_frame_descr(const struct kasan_out *o, const char *descr)
{
	u64 n, off, size, len;
	char name[64];

	if (!kasan_frame_number(&descr, &n))
		return;
	kasan_blank(o);
	kasan_line(o, "This frame has %llu %s:", ULL(n), n == 1 ? "object" : "objects");
	while (n--) {
		if (!kasan_frame_number(&descr, &off) || !kasan_frame_number(&descr, &size) ||
		    !kasan_frame_number(&descr, &len) ||
		    !kasan_frame_token(&descr, name, sizeof(name)))
			return;
		char *colon = strchr(name, ':');

		if (colon)
			*colon = '\0';
		kasan_line(o, " [%llu, %llu) '%s'", ULL(off), ULL(off + size), name);
	}
}

static void kasan_format_stack_variable(const struct kasan_out *o,
					const struct kasan_report_facts *f)
{
	kasan_line(o, "The buggy address belongs to stack of task %s/%d", f->comm, f->pid);
	if (f->frame_func) {
		kasan_line(o, " and is located at offset %llu in frame:", ULL(f->frame_offset));
		kasan_line(o, " %s", f->frame_func);
		if (f->frame_descr)
			kasan_format_frame_descr(o, f->frame_descr);
	}
	kasan_blank(o);
}

/*
 * print_memory_metadata(): 16 shadow bytes a row, each row labelled with
 * the first memory address it covers; the row holding the first bad byte
 * starts with '>' and is followed by a '^' under that byte's shadow.
 * ">ffff888000000000: " is 19 characters, each byte 3 more.
 */
static void kasan_format_memory_state(const struct kasan_out *o,
				      const struct kasan_report_facts *f)
{
	const u64 row_bytes = KASAN_META_ROW_BYTES * KASAN_GRANULE_SIZE;

	kasan_line(o, "Memory state around the buggy address:");
	for (unsigned r = 0; r < KASAN_META_ROWS; r++) {
		u64 row = f->meta_start + r * row_bytes;
		bool guilty = f->first_bad >= row && f->first_bad < row + row_bytes;
		char line[KASAN_LINE_MAX];
		int n;

		if (!f->meta_valid[r])
			continue;
		n = ksnprintf(line, sizeof(line), "%c%016llx:", guilty ? '>' : ' ', ULL(row));
		for (unsigned i = 0; i < KASAN_META_ROW_BYTES; i++)
			n += ksnprintf(line + n, sizeof(line) - (size_t)n, " %02x", f->meta[r][i]);
		o->emit(o->ctx, line);
		if (guilty) {
			int col = 3 + 16 + (int)((f->first_bad - row) / KASAN_GRANULE_SIZE) * 3 + 1;

			kasan_line(o, "%*c", col, '^');
		}
	}
}

void kasan_format_report(const struct kasan_report_facts *f,
			 void (*emit)(void *ctx, const char *line), void *ctx)
{
	const struct kasan_out o = { emit, ctx };

	kasan_line(&o, "==================================================================");
	kasan_line(&o, "BUG: KASAN: %s in %s", f->bug_type, f->ip);
	if (f->type != KASAN_REPORT_ACCESS)
		kasan_line(&o, "Free of addr %016llx by task %s/%d", ULL(f->addr), f->comm, f->pid);
	else if (f->size)
		kasan_line(&o, "%s of size %zu at addr %016llx by task %s/%d",
			   f->write ? "Write" : "Read", f->size, ULL(f->addr), f->comm, f->pid);
	else
		kasan_line(&o, "%s at addr %016llx by task %s/%d", f->write ? "Write" : "Read",
			   ULL(f->addr), f->comm, f->pid);
	kasan_blank(&o);

	kasan_format_dump_stack(&o, f);
	/* Without shadow there is nothing more to say about the address. */
	if (f->has_shadow) {
		kasan_blank(&o);
		if (f->has_object) {
			if (f->alloc.valid)
				kasan_format_track(&o, &f->alloc, "Allocated");
			if (f->free.valid)
				kasan_format_track(&o, &f->free, "Freed");
			kasan_format_object(&o, f);
		}
		if (f->variable) {
			kasan_line(&o, "The buggy address belongs to the variable:");
			kasan_line(&o, " %s", f->variable);
			kasan_blank(&o);
		}
		if (f->on_stack)
			kasan_format_stack_variable(&o, f);
		kasan_format_memory_state(&o, f);
	}
	kasan_line(&o, "==================================================================");
}
