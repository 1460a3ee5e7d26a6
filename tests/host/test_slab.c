/*
 * Host tests for kernel/mm/slab.c and slab_debug.c, over the fake page
 * source (fake_page_alloc.c), so every page the allocator holds is counted.
 *
 * The host build has no KASAN.  Where the outcome depends on
 * CONFIG_SLAB_DEBUG (per-object tracks), a test checks the behaviour of
 * the build it is compiled in, both ways spelled out:
 *   - double free: with tracks, SLUB's "Object already free" report and
 *     the free refused; without, nothing is detected and the object goes on
 *     the free list twice, so the next two kmallocs return the same
 *     pointer.  That silent corruption is the SAN=0 lesson, and the test
 *     asserts exactly it (and that the leak check then calls the slab's
 *     free list corrupted instead of reporting its free objects as leaks).
 *   - a write after free: "Poison overwritten" at the next allocation with
 *     tracks; silence without.
 * Invalid pointers (not an object start, not kmalloc memory) are refused
 * with a warning in every build, with the allocator's state unchanged.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fake_page_alloc.h"
#include "kernel_stubs.h"
#include "lib/format.h"
#include "lib/kconfig.h"
#include "mm/page.h"
#include "mm/slab.h"
#include "suites.h"

/* For hot loops: Check's ck_assert_* talks to the parent process on every
 * call in fork mode. */
#define expect(cond, ...) do { if (!(cond)) ck_abort_msg(__VA_ARGS__); } while (0)

static const size_t classes[] = { 8, 16, 32, 64, 96, 128, 192, 256, 512, 1024, 2048, 4096 };

/* A fresh allocator with slub_debug= flags (before slab_init, as at boot). */
static void slab_setup_debug(unsigned flags)
{
	fake_pages_reset();
	slab_set_debug(flags);
	slab_init();
	stub_log_reset();
}

static void slab_setup(void)
{
	slab_setup_debug(SLAB_DEBUG_DEFAULT);
}

static bool log_has(const char *s)
{
	return strstr(stub_log(), s) != NULL;
}

#define ck_assert_log(s) ck_assert_msg(log_has(s), "no '%s' in the log:\n%s", (s), stub_log())

static bool all_bytes(const void *p, size_t n, u8 v)
{
	for (size_t i = 0; i < n; i++)
		if (((const u8 *)p)[i] != v)
			return false;
	return true;
}

/* Everything freed and every empty slab given back: no page held. */
static void expect_nothing_held(void)
{
	struct slab_stats st;

	slab_shrink();
	slab_get_stats(&st);
	ck_assert_uint_eq(st.objects_in_use, 0);
	ck_assert_uint_eq(st.pages, 0);
	ck_assert_uint_eq(fake_pages_in_use(), 0);
	ck_assert_uint_eq(fake_pages_bad_frees(), 0);
}

START_TEST(size_class_boundaries)
{
	slab_setup();
	for (size_t i = 0; i < ARRAY_SIZE(classes); i++) {
		size_t lo = i ? classes[i - 1] + 1 : 1, hi = classes[i];
		size_t sizes[] = { lo, (lo + hi) / 2, hi };

		for (size_t k = 0; k < ARRAY_SIZE(sizes); k++) {
			struct kmem_obj_info info;
			char name[24];
			u8 *p = kmalloc(sizes[k], GFP_KERNEL);

			ck_assert_ptr_nonnull(p);
			ck_assert_uint_eq((u64)p % KMALLOC_MIN_ALIGN, 0);
			ck_assert_uint_eq(ksize(p), hi);
			ck_assert(kmem_obj_lookup(p, &info));
			ksnprintf(name, sizeof(name), "kmalloc-%zu", hi);
			ck_assert_str_eq(info.cache_name, name);
			ck_assert_ptr_eq(info.object, p);
			ck_assert(info.allocated);
			p[sizes[k] - 1] = 1;	/* the last byte asked for is usable */
			kfree(p);
		}
	}
	ck_assert_str_eq(stub_log(), "");
	expect_nothing_held();
}
END_TEST

START_TEST(kmalloc_zero_and_null)
{
	slab_setup();
	ck_assert_ptr_eq(kmalloc(0, GFP_KERNEL), ZERO_SIZE_PTR);
	ck_assert_ptr_eq(kzalloc(0, GFP_KERNEL), ZERO_SIZE_PTR);
	ck_assert_ptr_eq(kmalloc_array(0, 8, GFP_KERNEL), ZERO_SIZE_PTR);
	kfree(ZERO_SIZE_PTR);
	kfree(NULL);
	ck_assert_uint_eq(ksize(ZERO_SIZE_PTR), 0);
	ck_assert_uint_eq(ksize(NULL), 0);
	ck_assert_str_eq(stub_log(), "");
	expect_nothing_held();
}
END_TEST

START_TEST(large_and_huge_sizes)
{
	struct kmem_obj_info info;

	slab_setup();
	u8 *p = kmalloc(4097, GFP_KERNEL);

	ck_assert_ptr_nonnull(p);
	ck_assert_uint_eq((u64)p % PAGE_SIZE, 0);
	ck_assert_uint_eq(ksize(p), 8192);
	ck_assert_uint_eq(fake_pages_in_use(), 2);
	ck_assert(virt_to_page(p)->flags & PG_large_kmalloc);
	ck_assert(virt_to_page(p + PAGE_SIZE)->flags & PG_tail);
	ck_assert(kmem_obj_lookup(p + 5000, &info));
	ck_assert_str_eq(info.cache_name, "kmalloc-large");
	ck_assert_ptr_eq(info.object, p);
	ck_assert_uint_eq(info.requested, 4097);
	kfree(p);
	ck_assert_uint_eq(fake_pages_in_use(), 0);

	p = kmalloc(KMALLOC_MAX_SIZE, GFP_KERNEL);
	ck_assert_ptr_nonnull(p);
	ck_assert_uint_eq(fake_pages_in_use(), 1024);
	p[KMALLOC_MAX_SIZE - 1] = 1;
	kfree(p);

	ck_assert_ptr_null(kmalloc(KMALLOC_MAX_SIZE + 1, GFP_KERNEL));
	ck_assert_log("kmalloc: size 4194305 too large (max 4194304) from ");
	ck_assert_ptr_null(kmalloc(SIZE_MAX, GFP_KERNEL));
	ck_assert_ptr_null(kzalloc(SIZE_MAX / 2, GFP_KERNEL));
	expect_nothing_held();
}
END_TEST

START_TEST(kmalloc_array_overflow)
{
	slab_setup();
	ck_assert_ptr_null(kmalloc_array(SIZE_MAX / 2 + 1, 2, GFP_KERNEL));
	ck_assert_log("kmalloc_array: 9223372036854775808 * 2 bytes overflows, from ");
	ck_assert_ptr_null(kcalloc((size_t)1 << 40, (size_t)1 << 40, GFP_KERNEL));
	ck_assert_ptr_null(kcalloc(SIZE_MAX / 4, 8, GFP_KERNEL));
	ck_assert_uint_eq(stub_log_count("overflows"), 3);

	u64 *a = kmalloc_array(10, sizeof(u64), GFP_KERNEL);
	u64 *z = kcalloc(600, sizeof(u64), GFP_KERNEL);	/* 4800: a large one */

	ck_assert_uint_eq(ksize(a), 96);
	ck_assert(all_bytes(a, 80, POISON_INUSE));
	ck_assert(all_bytes(z, 4800, 0));
	kfree(a);
	kfree(z);
	expect_nothing_held();
}
END_TEST

START_TEST(junk_on_alloc_poison_on_free)
{
	slab_setup();
	u8 *p = kmalloc(64, GFP_KERNEL), *z = kzalloc(100, GFP_KERNEL);
	u8 *big = kmalloc(6000, GFP_KERNEL), *bigz = kzalloc(6000, GFP_KERNEL);

	ck_assert(all_bytes(p, 64, POISON_INUSE));
	ck_assert(all_bytes(z, 100, 0));
	ck_assert(all_bytes(big, 6000, POISON_INUSE));
	ck_assert(all_bytes(bigz, 6000, 0));
	memset(p, 'x', 64);
	kfree(p);
	/* The first word is the free pointer; the rest reads 0x6b. */
	ck_assert(all_bytes(p + 8, 56, POISON_FREE));
	u8 *again = kmalloc(64, GFP_KERNEL);

	ck_assert_ptr_eq(again, p);	/* LIFO: the object just freed */
	ck_assert(all_bytes(again, 64, POISON_INUSE));
	kfree(again);
	kfree(z);
	kfree(big);
	kfree(bigz);
	ck_assert_str_eq(stub_log(), "");
	expect_nothing_held();
}
END_TEST

/* slub_debug=F: the checks without the fills.  A freed and reallocated
 * object shows its old contents, as in a production kernel; a bad kfree is
 * still refused. */
START_TEST(slub_debug_checks_without_fills)
{
	slab_setup_debug(SLAB_CONSISTENCY_CHECKS);
	u8 *p = kmalloc(64, GFP_KERNEL), *z = kzalloc(64, GFP_KERNEL);

	ck_assert(all_bytes(z, 64, 0));		/* kzalloc still zeroes */
	memset(p, 'x', 64);
	kfree(p);
	ck_assert(all_bytes(p + 8, 56, 'x'));	/* no poison */
	u8 *again = kmalloc(64, GFP_KERNEL);

	ck_assert_ptr_eq(again, p);
	ck_assert(all_bytes(again + 8, 56, 'x'));	/* no junk: stale data */
	kfree(again + 8);
	ck_assert_log("kfree: invalid pointer ");
	kfree(again);
	kfree(z);
	expect_nothing_held();
}
END_TEST

/* slub_debug=P and slub_debug=-: the fills follow P alone, and the
 * allocator works the same without any debugging. */
START_TEST(slub_debug_fills_follow_p)
{
	for (unsigned flags = 0; flags <= SLAB_DEBUG_DEFAULT; flags++) {
		slab_setup_debug(flags);
		bool fills = flags & SLAB_POISON;
		u8 *p = kmalloc(96, GFP_KERNEL), *big = kmalloc(6000, GFP_KERNEL);

		if (fills) {
			ck_assert(all_bytes(p, 96, POISON_INUSE));
			ck_assert(all_bytes(big, 6000, POISON_INUSE));
		}
		memset(p, 'y', 96);
		kfree(p);
		ck_assert(all_bytes(p + 8, 88, fills ? POISON_FREE : 'y'));
		kfree(big);
		ck_assert_str_eq(stub_log(), "");
		expect_nothing_held();
	}
}
END_TEST

/* An invalid free must warn and leave every counter and list as it was. */
static void expect_invalid_free(const void *p, const char *why)
{
	struct slab_stats before, after;
	u64 pages = fake_pages_in_use();
	char want[128];

	slab_get_stats(&before);
	stub_log_reset();
	kfree(p);
	slab_get_stats(&after);
	ksnprintf(want, sizeof(want), "kfree: invalid pointer %016llx (%s), called from ",
		  (unsigned long long)(u64)p, why);
	ck_assert_log(want);
	ck_assert_uint_eq(after.invalid_frees, before.invalid_frees + 1);
	after.invalid_frees--;
	ck_assert_msg(!memcmp(&before, &after, sizeof(before)), "slab statistics changed");
	ck_assert_uint_eq(fake_pages_in_use(), pages);
}

START_TEST(invalid_frees_are_refused)
{
	int on_stack;

	slab_setup();
	u8 *p = kmalloc(64, GFP_KERNEL), *q = kmalloc(64, GFP_KERNEL);
	u8 *big = kmalloc(9000, GFP_KERNEL);

	expect_invalid_free(p + 8, "not the start of an object");
	expect_invalid_free(p + 1, "not the start of an object");
	expect_invalid_free(&on_stack, "not in kernel memory");
	expect_invalid_free(big + 64, "not the start of a kmalloc allocation");
	expect_invalid_free(big + PAGE_SIZE, "not the start of a kmalloc allocation");
	/* A page the allocator never had. */
	expect_invalid_free((u8 *)page_address(virt_to_page(big)) + 100 * PAGE_SIZE,
			    "not the start of a kmalloc allocation");
	/* The objects are still good and still free normally. */
	ck_assert(all_bytes(q, 64, POISON_INUSE));
	stub_log_reset();
	ck_assert_ptr_eq(kmalloc(64, GFP_KERNEL), (void *)(q + (q - p)));
	kfree(q + (q - p));
	kfree(p);
	kfree(q);
	kfree(big);
	ck_assert_uint_eq(stub_log_count("invalid pointer"), 0);
	/* A large double free: its pages are back with the page source. */
	big = kmalloc(9000, GFP_KERNEL);
	kfree(big);
	expect_invalid_free(big, "not the start of a kmalloc allocation");
	expect_nothing_held();
}
END_TEST

START_TEST(kmem_cache_free_to_the_wrong_cache)
{
	slab_setup();
	struct kmem_cache *c = kmem_cache_create("widget", 40, 8, NULL);
	void *p = kmalloc(40, GFP_KERNEL);
	struct slab_stats before, after;

	slab_get_stats(&before);
	kmem_cache_free(c, p);
	slab_get_stats(&after);
	ck_assert_log("cache_from_obj: Wrong slab cache. widget but object is from kmalloc-64\n");
	ck_assert_uint_eq(after.frees, before.frees);
	ck_assert_uint_eq(after.invalid_frees, before.invalid_frees + 1);
	kfree(p);
	kmem_cache_destroy(c);
	expect_nothing_held();
}
END_TEST

START_TEST(double_free)
{
	struct slab_stats before, after;

	slab_setup();
	u8 *keep = kmalloc(64, GFP_KERNEL), *p = kmalloc(64, GFP_KERNEL);

	kfree(p);
	slab_get_stats(&before);
	kfree(p);
	slab_get_stats(&after);
	void *a = kmalloc(64, GFP_KERNEL), *b = kmalloc(64, GFP_KERNEL);

	if (CONFIG_SLAB_DEBUG) {
		char want[96];

		ck_assert_log("=============================================================================\n"
			      "BUG kmalloc-64 (Not tainted): Object already free\n");
		ksnprintf(want, sizeof(want), "FIX kmalloc-64: Object at 0x%016llx not freed\n",
			  (unsigned long long)(u64)p);
		ck_assert_log(want);
		ck_assert_log("Allocated in ");
		ck_assert_log("Freed in ");
		ck_assert_uint_eq(after.frees, before.frees);
		ck_assert_uint_eq(after.invalid_frees, before.invalid_frees + 1);
		ck_assert_ptr_ne(a, b);	/* the free list is intact */
		kfree(a);
		kfree(b);
		kfree(keep);
		expect_nothing_held();
	} else {
		/* Undetected: p is on the free list twice, so two live
		 * allocations share one object.  (A third kmalloc would follow
		 * the junk 0xcccc... left in p as a free pointer and crash.) */
		ck_assert_str_eq(stub_log(), "");
		ck_assert_ptr_eq(a, p);
		ck_assert_ptr_eq(b, p);
		/* What does notice: the leak check, which walks free lists. */
		ck_assert_uint_eq(slab_leak_report(), 0);
		ck_assert_log("kmemleak: free list of slab ");
		ck_assert_log(" in kmalloc-64 is corrupted (double free? write after free?)");
	}
}
END_TEST

START_TEST(write_after_free)
{
	slab_setup();
	u8 *p = kmalloc(64, GFP_KERNEL);

	kfree(p);
	p[20] = 0x42;	/* the bug */
	p[23] = 0x43;
	u8 *q = kmalloc(64, GFP_KERNEL);

	ck_assert_ptr_eq(q, p);
	if (CONFIG_SLAB_DEBUG) {
		char want[160];

		ck_assert_log("BUG kmalloc-64 (Not tainted): Poison overwritten\n");
		ksnprintf(want, sizeof(want), "0x%016llx-0x%016llx @offset=20. First byte 0x42 instead of 0x6b\n",
			  (unsigned long long)(u64)(p + 20), (unsigned long long)(u64)(p + 23));
		ck_assert_log(want);
		ck_assert_log("FIX kmalloc-64: Restoring Poison ");
	} else {
		ck_assert_str_eq(stub_log(), "");
	}
	ck_assert(all_bytes(q, 64, POISON_INUSE));
	kfree(q);
	expect_nothing_held();
}
END_TEST

START_TEST(corrupted_free_pointer)
{
	slab_setup();
	void **a = kmalloc(64, GFP_KERNEL), **b = kmalloc(64, GFP_KERNEL);

	if (!CONFIG_SLAB_DEBUG) {	/* would hand out the garbage pointer */
		kfree(a);
		kfree(b);
		expect_nothing_held();
		return;
	}
	kfree(a);
	kfree(b);
	*b = (void *)0x4141414141414141ULL;	/* a write after free over the free pointer */
	ck_assert_ptr_eq(kmalloc(64, GFP_KERNEL), b);
	ck_assert_log("BUG kmalloc-64 (Not tainted): Freepointer corrupt\n");
	ck_assert_log("FIX kmalloc-64: Isolate corrupted freechain\n");
	void *c = kmalloc(64, GFP_KERNEL);	/* from a fresh slab, not 0x4141... */

	ck_assert(virt_to_page(c) != NULL);
	kfree(c);
	kfree(b);
}
END_TEST

struct widget {
	u32 magic;
	u32 uses;
	char name[24];
};

static unsigned widget_ctor_calls;

static void widget_ctor(void *obj)
{
	struct widget *w = obj;

	w->magic = 0x57494447;
	w->uses = 0;
	widget_ctor_calls++;
}

START_TEST(typed_cache_with_ctor)
{
	struct widget *w[100];
	struct kmem_obj_info info;

	slab_setup();
	widget_ctor_calls = 0;
	struct kmem_cache *c = kmem_cache_create("widget", sizeof(struct widget), 8, widget_ctor);

	ck_assert_ptr_nonnull(c);
	ck_assert_str_eq(kmem_cache_name(c), "widget");
	ck_assert_uint_eq(kmem_cache_size(c), sizeof(struct widget));
	for (int i = 0; i < 100; i++) {
		w[i] = kmem_cache_alloc(c, GFP_KERNEL);
		ck_assert_uint_eq(w[i]->magic, 0x57494447);
		ck_assert_uint_eq(w[i]->uses, 0);
		w[i]->uses = 7;
	}
	/* Constructed once per object, when its slab was made. */
	ck_assert_uint_ge(widget_ctor_calls, 100);
	unsigned calls = widget_ctor_calls;

	ck_assert(kmem_obj_lookup(w[3], &info));
	ck_assert_str_eq(info.cache_name, "widget");
	/* The last object came from the active slab, so the next allocation
	 * takes it back (last in, first out). */
	kmem_cache_free(c, w[99]);
	/* Freed objects of a ctor cache stay constructed: no poison. */
	ck_assert_uint_eq(w[99]->magic, 0x57494447);
	ck_assert_ptr_eq(kmem_cache_alloc(c, GFP_KERNEL), w[99]);
	ck_assert_uint_eq(w[99]->uses, 7);
	ck_assert_uint_eq(widget_ctor_calls, calls);

	kmem_cache_destroy(c);	/* still in use: refused */
	ck_assert_log("kmem_cache_destroy widget: Slab cache still has objects when called from ");
	for (int i = 0; i < 100; i++)
		kmem_cache_free(c, w[i]);
	kmem_cache_destroy(c);
	expect_nothing_held();
}
END_TEST

START_TEST(typed_cache_alignment_and_limits)
{
	slab_setup();
	struct kmem_cache *c = kmem_cache_create("aligned", 100, 64, NULL);

	for (int i = 0; i < 50; i++) {
		void *p = kmem_cache_alloc(c, GFP_KERNEL);

		ck_assert_uint_eq((u64)p % 64, 0);
		ck_assert(all_bytes(p, 100, POISON_INUSE));
	}
	ck_assert_ptr_null(kmem_cache_create("odd", 100, 48, NULL));
	ck_assert_ptr_null(kmem_cache_create("huge", 1 << 20, 8, NULL));
	ck_assert_ptr_null(kmem_cache_create("empty", 0, 8, NULL));
	ck_assert_uint_eq(stub_log_count("not possible"), 3);
	kmem_cache_destroy(kmalloc(8, GFP_KERNEL));	/* not a cache */
	ck_assert_log("kmem_cache_destroy: ");
}
END_TEST

START_TEST(empty_slabs_go_back)
{
	static void *p[4096];
	unsigned n = 0;

	slab_setup();
	/* Fill three slabs of kmalloc-256 and start a fourth. */
	while (fake_pages_in_use() < 4)
		p[n++] = kmalloc(256, GFP_KERNEL);
	ck_assert_uint_eq(fake_pages_allocs(), 4);
	for (unsigned i = 0; i < n; i++)
		kfree(p[i]);
	/* The active (fourth) slab stays, and one more empty slab is kept on
	 * the partial list; the other two went back. */
	ck_assert_uint_eq(fake_pages_in_use(), 2);
	ck_assert_uint_eq(fake_pages_frees(), 2);
	void *again = kmalloc(256, GFP_KERNEL);

	ck_assert_ptr_eq(again, p[n - 1]);	/* the last freed, from the active slab */
	ck_assert_uint_eq(fake_pages_allocs(), 4);
	kfree(again);
	expect_nothing_held();
}
END_TEST

START_TEST(out_of_pages)
{
	slab_setup();
	fake_pages_fail_after(0);
	ck_assert_ptr_null(kmalloc(64, GFP_KERNEL));
	ck_assert_log("swapper/0: page allocation failure: order:0, cache kmalloc-64\n");
	ck_assert_ptr_null(kmalloc(9000, GFP_KERNEL));
	ck_assert_log("swapper/0: page allocation failure: order:2, kmalloc(9000)\n");
	fake_pages_fail_after(-1);
	void *p = kmalloc(64, GFP_KERNEL);

	ck_assert_ptr_nonnull(p);
	kfree(p);
	expect_nothing_held();
}
END_TEST

START_TEST(object_lookup)
{
	struct kmem_obj_info info;
	int on_stack;

	slab_setup();
	u8 *p = kmalloc(50, GFP_KERNEL);

	ck_assert(kmem_obj_lookup(p + 60, &info));	/* past the 50, in the slot */
	ck_assert_ptr_eq(info.object, p);
	ck_assert_str_eq(info.cache_name, "kmalloc-64");
	ck_assert_uint_eq(info.object_size, 64);
	ck_assert(info.allocated);
	ck_assert_uint_eq(info.requested, CONFIG_SLAB_DEBUG ? 50 : 0);
	ck_assert_uint_eq(info.alloc_stack != 0, CONFIG_SLAB_DEBUG);
	kfree(p);
	ck_assert(kmem_obj_lookup(p, &info));
	ck_assert(!info.allocated);
	ck_assert_uint_eq(info.free_stack != 0, CONFIG_SLAB_DEBUG);
	ck_assert(!kmem_obj_lookup(&on_stack, &info));
	ck_assert(!kmem_obj_lookup(NULL, &info));
	ck_assert(!kmem_obj_lookup((void *)-1, &info));
	/* A page of the source that no cache owns. */
	ck_assert(!kmem_obj_lookup((u8 *)page_address(virt_to_page(p)) + 64 * PAGE_SIZE, &info));
}
END_TEST

START_TEST(leak_report_lists_exactly_the_leaks)
{
	char want[128];

	slab_setup();
	void *before_kept = kmalloc(64, GFP_KERNEL), *before_freed = kmalloc(64, GFP_KERNEL);

	slab_leak_begin();
	void *leak1 = kmalloc(40, GFP_KERNEL), *gone = kmalloc(72, GFP_KERNEL);
	void *leak2 = kzalloc(24, GFP_KERNEL), *leak3 = kmalloc(5000, GFP_KERNEL);

	kfree(before_freed);
	void *leak4 = kmalloc(64, GFP_KERNEL);	/* reuses before_freed: new */

	ck_assert_ptr_eq(leak4, before_freed);
	kfree(gone);
	stub_log_reset();
	ck_assert_uint_eq(slab_leak_report(), 4);
	ck_assert_uint_eq(stub_log_count("unreferenced object 0x"), 4);
	const void *leaks[] = { leak1, leak2, leak4 };
	const unsigned sizes[] = { 64, 32, 64 };

	for (int i = 0; i < 3; i++) {
		ksnprintf(want, sizeof(want), "unreferenced object 0x%016llx (size %u):\n",
			  (unsigned long long)(u64)leaks[i], sizes[i]);
		ck_assert_log(want);
	}
	ksnprintf(want, sizeof(want), "unreferenced object 0x%016llx (size 5000):\n",
		  (unsigned long long)(u64)leak3);
	ck_assert_log(want);
	ck_assert_log("  comm \"swapper/0\", pid 0, jiffies 0\n  hex dump (first 32 bytes):\n");
	ck_assert_log("    00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00  ................\n");
	ck_assert_log("    cc cc cc cc cc cc cc cc cc cc cc cc cc cc cc cc  ................\n");
	ck_assert_log("kmemleak: 4 new suspected memory leaks\n");
	if (CONFIG_SLAB_DEBUG) {
		ck_assert_uint_eq(stub_log_count("  backtrace (crc "), 4);
		ck_assert_uint_ge(stub_log_count("    [<"), 4);
	} else {
		ck_assert_uint_eq(stub_log_count("  backtrace: (no allocation tracking in this build)\n"), 4);
	}
	ck_assert(!log_has("(size 72)"));
	kfree(leak1);
	kfree(leak2);
	kfree(leak3);
	kfree(leak4);
	stub_log_reset();
	ck_assert_uint_eq(slab_leak_report(), 0);
	ck_assert_str_eq(stub_log(), "");
	slab_leak_end();
	kfree(before_kept);
	expect_nothing_held();
}
END_TEST

/* 100k random allocations and frees of random sizes, up to 256 live, each
 * object stamped and checked before its free: at the end nothing is held. */
START_TEST(random_churn_leaves_nothing)
{
	static struct { u8 *p; size_t size; } live[256];
	u64 rng = 0x9e3779b97f4a7c15ULL;
	struct slab_stats st;

	slab_setup();
	memset(live, 0, sizeof(live));
	for (u32 i = 0; i < 100000; i++) {
		rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
		unsigned slot = (unsigned)(rng % ARRAY_SIZE(live));
		size_t size = (rng >> 8) % 32 ? 1 + (rng >> 16) % 1024 : 1 + (rng >> 16) % 20000;

		if (live[slot].p) {
			expect(live[slot].p[0] == (u8)slot, "round %u: object %p overwritten", i,
			       (void *)live[slot].p);
			expect(live[slot].size == 1 || live[slot].p[live[slot].size - 1] == (u8)~slot,
			       "round %u: end of object %p overwritten", i, (void *)live[slot].p);
			kfree(live[slot].p);
			live[slot].p = NULL;
			if ((rng >> 40) & 1)
				continue;
		}
		live[slot].p = (rng >> 41) & 1 ? kzalloc(size, GFP_KERNEL) : kmalloc(size, GFP_KERNEL);
		expect(live[slot].p != NULL, "round %u: kmalloc(%zu) failed", i, size);
		expect(ksize(live[slot].p) >= size, "round %u: ksize below %zu", i, size);
		live[slot].size = size;
		live[slot].p[0] = (u8)slot;
		if (size > 1)
			live[slot].p[size - 1] = (u8)~slot;
	}
	for (unsigned s = 0; s < ARRAY_SIZE(live); s++)
		kfree(live[s].p);
	slab_get_stats(&st);
	ck_assert_uint_eq(st.allocs, st.frees);
	ck_assert_uint_eq(st.invalid_frees, 0);
	ck_assert_str_eq(stub_log(), "");
	expect_nothing_held();
}
END_TEST

START_TEST(statistics_and_slabinfo)
{
	struct slab_stats st;

	slab_setup();
	void *a = kmalloc(64, GFP_KERNEL), *b = kmalloc(100, GFP_KERNEL), *c = kmalloc(5000, GFP_KERNEL);

	slab_get_stats(&st);
	ck_assert_uint_eq(st.objects_in_use, 3);
	ck_assert_uint_eq(st.bytes_in_use, 64 + 128 + 8192);
	ck_assert_uint_eq(st.allocs, 3);
	ck_assert_uint_eq(st.pages, fake_pages_in_use());
	slab_print_caches();
	ck_assert_log("# name            <active_objs> <num_objs> <objsize> <objperslab> <pagesperslab>\n");
	ck_assert_log("kmalloc-64                    1 ");
	ck_assert_log("kmalloc-large: 1 in use, 2 pages\n");
	kfree(a);
	kfree(b);
	kfree(c);
	expect_nothing_held();
}
END_TEST

Suite *slab_suite(void)
{
	Suite *s = suite_create("slab");

	host_add_test(s, size_class_boundaries);
	host_add_test(s, kmalloc_zero_and_null);
	host_add_test(s, large_and_huge_sizes);
	host_add_test(s, kmalloc_array_overflow);
	host_add_test(s, junk_on_alloc_poison_on_free);
	host_add_test(s, invalid_frees_are_refused);
	host_add_test(s, slub_debug_checks_without_fills);
	host_add_test(s, slub_debug_fills_follow_p);
	host_add_test(s, kmem_cache_free_to_the_wrong_cache);
	host_add_test(s, double_free);
	host_add_test(s, write_after_free);
	host_add_test(s, corrupted_free_pointer);
	host_add_test(s, typed_cache_with_ctor);
	host_add_test(s, typed_cache_alignment_and_limits);
	host_add_test(s, empty_slabs_go_back);
	host_add_test(s, out_of_pages);
	host_add_test(s, object_lookup);
	host_add_test(s, leak_report_lists_exactly_the_leaks);
	host_add_test(s, random_churn_leaves_nothing);
	host_add_test(s, statistics_and_slabinfo);
	return s;
}
