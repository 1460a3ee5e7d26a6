/*
 * kasan.c - the Kernel Address Sanitizer's core: which memory has shadow,
 * poisoning, the checks GCC's outline instrumentation calls before every
 * load and store, global redzones, and gathering the facts of a report
 * (kasan_report.c turns them into text).
 *
 * GCC turns `*p = v` (8 bytes) into `__asan_store8_noabort(p); *p = v`.
 * The hook looks up p in the small table of registered shadow regions
 * (kasan_init.c registers the image, the direct map and each stack);
 * outside them nothing is checked, which is what lets early boot, low
 * memory and MMIO run instrumented code.  Inside, one shadow byte decides:
 *
 *     shadow(p) = (p >> 3) + KASAN_SHADOW_OFFSET
 *     0: 8 bytes valid   1..7: that many valid   0xf1..0xff: why not
 *
 * Linux reports only the first bug unless kasan_multi_shot is given; here
 * every bad access is reported (the tests count reports), each with its
 * own "==="-framed block.  In kasan=panic mode the first report panics.
 *
 * State: single CPU.  kasan_in_report is set while a report is printed:
 * printk and the string functions are themselves instrumented, and their
 * accesses must not start a report inside the report.  Never instrumented.
 */
#include "arch/x86_64/stacktrace.h"
#include "arch/x86_64/x86.h"
#include "lib/current.h"
#include "lib/format.h"
#include "lib/ksym.h"
#include "lib/panic.h"
#include "lib/printk.h"
#include "lib/stackdepot.h"
#include "mm/kasan.h"
#include "mm/slab.h"
#include "mm/vm.h"
#include "version.h"

#define KASAN_MAX_REGIONS 64
#define KASAN_MAX_GLOBAL_TABLES 512	/* one per instrumented object file */
#define KASAN_SYM_MAX 96
#define KASAN_FRAME_MAGIC 0x41b58ab3	/* GCC's mark at the base of each frame */
#define KASAN_PAGE_SIZE 4096

typedef u16 __attribute__((may_alias)) kasan_u16;
typedef u64 __attribute__((may_alias, aligned(1))) kasan_u64;	/* any shadow address */

struct kasan_region {
	u64 start, end;		/* [start, end) has mapped, zeroed shadow */
};

static struct kasan_region kasan_regions[KASAN_MAX_REGIONS];
static unsigned kasan_nr_regions;	/* entries are only ever appended */
static unsigned kasan_last_region;	/* index of the last hit: the next access
					 * is usually in the same region */
static enum kasan_mode kasan_mode = KASAN_MODE_REPORT;
static u64 kasan_reports;
static bool kasan_in_report;

/* ------------------------------------------------------------ regions */

static inline bool kasan_in_region(const struct kasan_region *r, u64 addr, u64 size)
{
	return addr - r->start < r->end - r->start && size <= r->end - addr;
}

void kasan_register_shadow(u64 start, u64 end)
{
	unsigned n = kasan_nr_regions;

	if (end <= start)
		return;
	/* RAM ranges often touch: one region keeps the table (and each
	 * check) short.  Growing a region is one 8-byte store. */
	for (unsigned i = 0; i < n; i++) {
		if (kasan_regions[i].end == start) {
			kasan_regions[i].end = end;
			return;
		}
		if (kasan_regions[i].start == end) {
			kasan_regions[i].start = start;
			return;
		}
	}
	if (n == KASAN_MAX_REGIONS) {
		printk(KERN_WARNING "kasan: region table full, %llx..%llx is not checked\n",
		       (unsigned long long)start, (unsigned long long)end);
		return;
	}
	kasan_regions[n] = (struct kasan_region){ start, end };
	/* The entry must be complete before a check can see it. */
	__asm__ __volatile__("" ::: "memory");
	kasan_nr_regions = n + 1;
}

static __attribute__((noinline)) bool kasan_scan_regions(u64 addr, u64 size)
{
	for (unsigned i = 0; i < kasan_nr_regions; i++) {
		if (kasan_in_region(&kasan_regions[i], addr, size)) {
			kasan_last_region = i;
			return true;
		}
	}
	return false;
}

/* The fast path of every check.  An unused entry is {0, 0} and matches
 * nothing, so the last-hit index needs no bounds check. */
static inline __attribute__((always_inline)) bool kasan_covered(u64 addr, u64 size)
{
	return kasan_in_region(&kasan_regions[kasan_last_region], addr, size) ||
	       kasan_scan_regions(addr, size);
}

bool kasan_has_shadow(u64 addr, u64 size)
{
	return kasan_covered(addr, size);
}

void kasan_set_mode(enum kasan_mode mode) { kasan_mode = mode; }
enum kasan_mode kasan_get_mode(void) { return kasan_mode; }
u64 kasan_report_count(void) { return kasan_reports; }

/* ---------------------------------------------------------- poisoning */

void kasan_poison(const void *addr, size_t size, u8 value)
{
	u64 a = (u64)addr;

	BUG_ON(a & (KASAN_GRANULE_SIZE - 1));
	size = ALIGN_UP(size, KASAN_GRANULE_SIZE);
	if (!size || !kasan_covered(a, size))
		return;
	u8 *s = kasan_mem_to_shadow(addr);
	size_t n = size / KASAN_GRANULE_SIZE;
	u64 word = value * 0x0101010101010101ULL;

	/* Every kmalloc, kfree and page allocation comes through here: eight
	 * shadow bytes per store (a page's shadow is 64 stores, not 512).
	 * x86 allows unaligned stores, so the last word may overlap the one
	 * before it instead of finishing byte by byte. */
	if (n < 8) {
		for (; n; n--)
			*s++ = value;
		return;
	}
	u8 *last = s + n - 8;

	/* Four words a turn: a page's shadow (every alloc_pages and
	 * free_pages) is 16 turns instead of 64. */
	for (; s + 32 <= last; s += 32) {
		*(kasan_u64 *)s = word;
		*(kasan_u64 *)(s + 8) = word;
		*(kasan_u64 *)(s + 16) = word;
		*(kasan_u64 *)(s + 24) = word;
	}
	for (; s < last; s += 8)
		*(kasan_u64 *)s = word;
	*(kasan_u64 *)last = word;
}

void kasan_unpoison(const void *addr, size_t size)
{
	kasan_poison(addr, size, 0);
	/* A partial last granule records how many of its bytes are valid. */
	if ((size & (KASAN_GRANULE_SIZE - 1)) && kasan_covered((u64)addr, size))
		*kasan_mem_to_shadow((const u8 *)addr + size) = size & (KASAN_GRANULE_SIZE - 1);
}

/* ------------------------------------------------------------- checks */

/* The byte at addr: bad if its granule has fewer valid bytes than its
 * offset + 1 (a negative, 0xf1..0xff, is never enough). */
static inline bool kasan_poisoned_1(u64 addr)
{
	s8 v = *(const s8 *)kasan_mem_to_shadow((const void *)addr);

	return v && (s8)(addr & (KASAN_GRANULE_SIZE - 1)) >= v;
}

static inline bool kasan_poisoned_2_4_8(u64 addr, u64 size)
{
	/* Crossing into the next granule: the first must be all valid. */
	if (((addr + size - 1) & (KASAN_GRANULE_SIZE - 1)) < size - 1)
		return *kasan_mem_to_shadow((const void *)addr) || kasan_poisoned_1(addr + size - 1);
	return kasan_poisoned_1(addr + size - 1);
}

static inline bool kasan_poisoned_16(u64 addr)
{
	const kasan_u16 *s = (const kasan_u16 *)kasan_mem_to_shadow((const void *)addr);

	if (addr & (KASAN_GRANULE_SIZE - 1))
		return *s || kasan_poisoned_1(addr + 15);
	return *s;
}

static bool kasan_poisoned_n(u64 addr, u64 size)
{
	const u8 *s = kasan_mem_to_shadow((const void *)addr);
	const u8 *last = kasan_mem_to_shadow((const void *)(addr + size - 1));

	while (s <= last && !*s)
		s++;
	if (s > last)
		return false;
	/* Only the last granule may be partial and still cover the access. */
	return s != last || kasan_poisoned_1(addr + size - 1);
}

static inline __attribute__((always_inline)) void kasan_check(u64 addr, u64 size, bool write,
							      u64 ip)
{
	bool bad;

	if (kasan_in_report || !kasan_covered(addr, size))
		return;
	switch (size) {
	case 1:
		bad = kasan_poisoned_1(addr);
		break;
	case 2:
	case 4:
	case 8:
		bad = kasan_poisoned_2_4_8(addr, size);
		break;
	case 16:
		bad = kasan_poisoned_16(addr);
		break;
	default:
		bad = size && kasan_poisoned_n(addr, size);
		break;
	}
	if (bad)
		kasan_report(addr, size, write, ip);
}

bool kasan_check_range(const void *addr, size_t size, bool write, u64 ip)
{
	u64 a = (u64)addr;

	if (!size || kasan_in_report)
		return true;
	/* As Linux's check_region_inline(): a wrapping range or a NULL page
	 * pointer is a bug even where there is no shadow to consult. */
	if (a + size < a || a < KASAN_PAGE_SIZE) {
		kasan_report(a, size, write, ip);
		return false;
	}
	if (!kasan_has_shadow(a, size) || !kasan_poisoned_n(a, size))
		return true;
	kasan_report(a, size, write, ip);
	return false;
}

/* ---------------------------------------- the compiler's entry points */

#define KASAN_RET_IP ((u64)__builtin_return_address(0))

#define KASAN_SIZED_HOOKS(n)                                                             \
	void __asan_load##n##_noabort(u64 addr);                                         \
	void __asan_store##n##_noabort(u64 addr);                                        \
	void __asan_report_load##n##_noabort(u64 addr);                                  \
	void __asan_report_store##n##_noabort(u64 addr);                                 \
	void __asan_load##n##_noabort(u64 addr) { kasan_check(addr, n, false, KASAN_RET_IP); } \
	void __asan_store##n##_noabort(u64 addr) { kasan_check(addr, n, true, KASAN_RET_IP); } \
	void __asan_report_load##n##_noabort(u64 addr)                                   \
	{                                                                                \
		if (!kasan_in_report)                                                    \
			kasan_report(addr, n, false, KASAN_RET_IP);                      \
	}                                                                                \
	void __asan_report_store##n##_noabort(u64 addr)                                  \
	{                                                                                \
		if (!kasan_in_report)                                                    \
			kasan_report(addr, n, true, KASAN_RET_IP);                       \
	}

/* Outline mode calls __asan_{load,store}N; inline mode checks the shadow
 * itself and calls only __asan_report_*. */
KASAN_SIZED_HOOKS(1)
KASAN_SIZED_HOOKS(2)
KASAN_SIZED_HOOKS(4)
KASAN_SIZED_HOOKS(8)
KASAN_SIZED_HOOKS(16)

void __asan_loadN_noabort(u64 addr, u64 size);
void __asan_storeN_noabort(u64 addr, u64 size);
void __asan_report_load_n_noabort(u64 addr, u64 size);
void __asan_report_store_n_noabort(u64 addr, u64 size);
void __asan_handle_no_return(void);

void __asan_loadN_noabort(u64 addr, u64 size) { kasan_check(addr, size, false, KASAN_RET_IP); }
void __asan_storeN_noabort(u64 addr, u64 size) { kasan_check(addr, size, true, KASAN_RET_IP); }

void __asan_report_load_n_noabort(u64 addr, u64 size)
{
	if (!kasan_in_report)
		kasan_report(addr, size, false, KASAN_RET_IP);
}

void __asan_report_store_n_noabort(u64 addr, u64 size)
{
	if (!kasan_in_report)
		kasan_report(addr, size, true, KASAN_RET_IP);
}

/* Emitted before calls to noreturn functions.  Linux's generic KASAN does
 * nothing here either: the one place that abandons instrumented frames,
 * resuming after an expected fault, unpoisons them itself (traps.c). */
void __asan_handle_no_return(void) {}

/* ------------------------------------------------------------ globals */

/* GCC's descriptor of one instrumented global (8 words, libsanitizer's
 * __asan_global). */
struct kasan_global {
	const void *beg;		/* the variable */
	size_t size;			/* its size */
	size_t size_with_redzone;	/* its size + the redzone GCC put after it */
	const char *name;
	const char *module_name;	/* the source file */
	unsigned long has_dynamic_init;	/* C++ only */
	const void *location;		/* {file, line, column} */
	const char *odr_indicator;
};

/* Every file's descriptor array, kept to name the variable in reports. */
static struct {
	const struct kasan_global *globals;	/* borrowed: static data in the image */
	size_t n;
} kasan_global_tables[KASAN_MAX_GLOBAL_TABLES];
static unsigned kasan_nr_global_tables;

void __asan_register_globals(struct kasan_global *globals, size_t n);
void __asan_unregister_globals(struct kasan_global *globals, size_t n);

/* Called once per object file from its constructor (.init_array, run by
 * kmain): the bytes after each variable become its redzone. */
void __asan_register_globals(struct kasan_global *globals, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const struct kasan_global *g = &globals[i];
		size_t valid = ALIGN_UP(g->size, KASAN_GRANULE_SIZE);

		kasan_unpoison(g->beg, g->size);
		kasan_poison((const u8 *)g->beg + valid, g->size_with_redzone - valid,
			     KASAN_GLOBAL_REDZONE);
	}
	if (kasan_nr_global_tables < KASAN_MAX_GLOBAL_TABLES) {
		kasan_global_tables[kasan_nr_global_tables].globals = globals;
		kasan_global_tables[kasan_nr_global_tables].n = n;
		kasan_nr_global_tables++;
	}
}

/* The kernel image is never unloaded. */
void __asan_unregister_globals(struct kasan_global *globals, size_t n)
{
	(void)globals, (void)n;
}

static const struct kasan_global *kasan_find_global(u64 addr)
{
	for (unsigned t = 0; t < kasan_nr_global_tables; t++) {
		for (size_t i = 0; i < kasan_global_tables[t].n; i++) {
			const struct kasan_global *g = &kasan_global_tables[t].globals[i];

			if (addr - (u64)g->beg < g->size_with_redzone)
				return g;
		}
	}
	return NULL;
}

/* ------------------------------------------------- gathering a report */

/* Text for the report being printed; kasan_in_report guards it. */
static struct {
	char ip[KASAN_SYM_MAX];
	char trace[KASAN_REPORT_TRACE_MAX][KASAN_SYM_MAX];
	char alloc[STACKDEPOT_MAX_FRAMES][KASAN_SYM_MAX];
	char free[STACKDEPOT_MAX_FRAMES][KASAN_SYM_MAX];
	const char *trace_lines[KASAN_REPORT_TRACE_MAX];
	const char *alloc_lines[STACKDEPOT_MAX_FRAMES];
	const char *free_lines[STACKDEPOT_MAX_FRAMES];
	char variable[2 * KASAN_SYM_MAX];
	char frame_func[KASAN_SYM_MAX];
} kasan_text;

static unsigned kasan_symbolize(const u64 *addrs, unsigned n, char (*text)[KASAN_SYM_MAX],
				const char **lines)
{
	for (unsigned i = 0; i < n; i++) {
		ksym_snprint_return(text[i], KASAN_SYM_MAX, addrs[i]);
		lines[i] = text[i];
	}
	return n;
}

static void kasan_fill_track(struct kasan_track_text *t, depot_stack_handle_t stack, int pid,
			     u64 time_ns, char (*text)[KASAN_SYM_MAX], const char **lines)
{
	const u64 *entries;
	unsigned n = stack_depot_fetch(stack, &entries);

	t->valid = true;
	t->pid = pid;
	t->cpu = 0;
	t->time_ns = time_ns;
	t->frames = lines;
	t->depth = kasan_symbolize(entries, n, text, lines);
}

/* How many bytes the caller asked for, read back from the shadow (as
 * Linux's kasan_get_alloc_size()); 0 if the object is not allocated. */
static size_t kasan_alloc_size(u64 object, size_t object_size)
{
	size_t size = 0;

	if (!kasan_has_shadow(object, object_size))
		return 0;
	for (const u8 *s = kasan_mem_to_shadow((const void *)object); size < object_size; s++) {
		if (*s >= KASAN_GRANULE_SIZE)
			return size;
		if (*s)
			return size + *s;
		size += KASAN_GRANULE_SIZE;
	}
	return object_size;
}

static void kasan_describe_object(struct kasan_report_facts *f)
{
	struct kmem_obj_info info;

	if (!kmem_obj_lookup((const void *)f->addr, &info) || !info.object)
		return;
	f->has_object = true;
	f->cache_name = info.cache_name;
	f->object = (u64)info.object;
	f->object_size = info.object_size;
	f->region_size = kasan_alloc_size(f->object, info.object_size);
	if (!f->region_size)
		f->region_size = info.object_size;
	if (info.alloc_stack)
		kasan_fill_track(&f->alloc, info.alloc_stack, info.alloc_pid, info.alloc_time_ns,
				 kasan_text.alloc, kasan_text.alloc_lines);
	/* A live object's old free track would only mislead. */
	if (!info.allocated && info.free_stack)
		kasan_fill_track(&f->free, info.free_stack, info.free_pid, info.free_time_ns,
				 kasan_text.free, kasan_text.free_lines);
}

static bool kasan_stack_bounds(u64 addr, u64 *lo, u64 *hi)
{
	extern char boot_stack_bottom[], boot_stack_top[];

	if (vm_stack_bounds(addr, lo, hi))
		return true;
	*lo = (u64)boot_stack_bottom;
	*hi = (u64)boot_stack_top;
	return addr >= *lo && addr < *hi;
}

/*
 * GCC starts every instrumented frame with a 32-byte left redzone (shadow
 * 0xf1) and stores three words in it: a magic number, the frame's
 * description ("n off size len name:line ...") and the function's address.
 * Walk the shadow down from the address to the first granule of that
 * redzone to find them (Linux's get_address_stack_frame_info()).
 */
static void kasan_describe_stack(struct kasan_report_facts *f)
{
	extern char text_start[], kernel_end[];
	u64 lo, hi, mem = f->addr & ~(u64)(KASAN_GRANULE_SIZE - 1);

	if (!kasan_stack_bounds(f->addr, &lo, &hi))
		return;
	f->on_stack = true;
	if (!kasan_has_shadow(lo, mem - lo + 1))
		return;
	const u8 *s = kasan_mem_to_shadow((const void *)mem);
	const u8 *bottom = kasan_mem_to_shadow((const void *)lo);

	while (s >= bottom && *s != KASAN_STACK_LEFT)
		s--, mem -= KASAN_GRANULE_SIZE;
	while (s >= bottom && *s == KASAN_STACK_LEFT)
		s--, mem -= KASAN_GRANULE_SIZE;
	if (s < bottom)
		return;
	const u64 *frame = (const u64 *)(mem + KASAN_GRANULE_SIZE);

	if (frame[0] != KASAN_FRAME_MAGIC)
		return;
	ksym_snprint(kasan_text.frame_func, sizeof(kasan_text.frame_func), frame[2]);
	f->frame_func = kasan_text.frame_func;
	f->frame_offset = f->addr - (u64)frame;
	if (frame[1] >= (u64)text_start && frame[1] < (u64)kernel_end)
		f->frame_descr = (const char *)frame[1];
}

static void kasan_fetch_shadow(struct kasan_report_facts *f)
{
	const u64 row_bytes = KASAN_META_ROW_BYTES * KASAN_GRANULE_SIZE;

	f->meta_start = (f->first_bad & ~(row_bytes - 1)) - (KASAN_META_ROWS / 2) * row_bytes;
	for (unsigned r = 0; r < KASAN_META_ROWS; r++) {
		u64 row = f->meta_start + r * row_bytes;
		const u8 *s = kasan_mem_to_shadow((const void *)row);

		f->meta_valid[r] = kasan_has_shadow(row, row_bytes);
		for (unsigned i = 0; f->meta_valid[r] && i < KASAN_META_ROW_BYTES; i++)
			f->meta[r][i] = s[i];
	}
}

/* Linux's kasan_find_first_bad_addr(): the granule the shadow dump points at. */
static u64 kasan_first_bad(u64 addr, size_t size)
{
	u64 p = addr;

	while (p < addr + size && !*kasan_mem_to_shadow((const void *)p))
		p += KASAN_GRANULE_SIZE;
	return p;
}

static void kasan_emit_line(void *ctx, const char *line)
{
	(void)ctx;
	printk(KERN_ERR "%s\n", line);
}

/*
 * Everything a report says, then the text.  noinline: the call trace is
 * walked from this frame, so it begins with kasan_report() (or the free
 * check) and then the hook and the guilty function, as Linux's begins
 * with dump_stack_lvl, print_report, kasan_report.
 */
static __attribute__((noinline, noclone)) void kasan_print_report(struct kasan_report_facts *f,
								  u64 ip)
{
	u64 trace[KASAN_REPORT_TRACE_MAX];
	u8 shadow[2] = { 0, 0 };

	if (kasan_in_report)
		return;
	kasan_in_report = true;
	u64 flags = irq_save();

	kasan_reports++;
	ksym_snprint(kasan_text.ip, sizeof(kasan_text.ip), ip);
	f->ip = kasan_text.ip;
	f->comm = current_comm();
	f->pid = current_pid();
	f->release = CANARY_VERSION;
	f->trace = kasan_text.trace_lines;
	f->trace_depth = kasan_symbolize(trace, (unsigned)stack_walk(read_rbp(), trace,
								       KASAN_REPORT_TRACE_MAX),
					 kasan_text.trace, kasan_text.trace_lines);
	f->has_shadow = kasan_has_shadow(f->addr, 1);
	f->first_bad = f->addr;
	if (f->has_shadow && f->type == KASAN_REPORT_ACCESS)
		f->first_bad = kasan_first_bad(f->addr, f->size);
	if (kasan_has_shadow(f->first_bad, 1))
		shadow[0] = *kasan_mem_to_shadow((const void *)f->first_bad);
	if (kasan_has_shadow(f->first_bad + KASAN_GRANULE_SIZE, 1))
		shadow[1] = *kasan_mem_to_shadow((const void *)(f->first_bad + KASAN_GRANULE_SIZE));
	if (f->type == KASAN_REPORT_ACCESS)
		f->bug_type = kasan_bug_type(f->addr, f->size, f->has_shadow, shadow);
	if (f->has_shadow) {
		const struct kasan_global *g = kasan_find_global(f->addr);

		kasan_describe_object(f);
		if (g) {
			ksnprintf(kasan_text.variable, sizeof(kasan_text.variable), "%s+0x%llx/0x%llx",
				  g->name, (unsigned long long)(f->addr - (u64)g->beg),
				  (unsigned long long)g->size_with_redzone);
			f->variable = kasan_text.variable;
		}
		kasan_describe_stack(f);
		kasan_fetch_shadow(f);
	}
	kasan_format_report(f, kasan_emit_line, NULL);

	irq_restore(flags);
	kasan_in_report = false;
	if (kasan_mode == KASAN_MODE_PANIC)
		panic("kasan.fault=panic set ...");
}

__attribute__((noinline)) void kasan_report(u64 addr, size_t size, bool write, u64 ip)
{
	struct kasan_report_facts f = {
		.type = KASAN_REPORT_ACCESS, .addr = addr, .size = size, .write = write,
	};

	kasan_print_report(&f, ip);
}

__attribute__((noinline)) void kasan_report_invalid_free(const void *ptr, u64 ip)
{
	struct kasan_report_facts f = {
		.type = KASAN_REPORT_INVALID_FREE, .bug_type = "invalid-free", .addr = (u64)ptr,
	};

	kasan_print_report(&f, ip);
}

__attribute__((noinline)) void kasan_report_double_free(const void *ptr, u64 ip)
{
	struct kasan_report_facts f = {
		.type = KASAN_REPORT_DOUBLE_FREE, .bug_type = "double-free", .addr = (u64)ptr,
	};

	kasan_print_report(&f, ip);
}
