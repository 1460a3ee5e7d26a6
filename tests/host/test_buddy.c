/*
 * Host tests for kernel/mm/buddy.c (and the list debugging of lib/list.h
 * it relies on).
 *
 * Each test builds a zone over a static struct page array.  Exactness is
 * checked through the free-block counts per order (what /proc/buddyinfo
 * shows) and buddy_check(), which walks every free list against the
 * invariants in buddy.h.  Bad frees are checked for the report's words and
 * for leaving the zone and every struct page byte-for-byte unchanged.  A
 * random churn runs against a plain bitmap of allocated pages as the model.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel_stubs.h"
#include "lib/list.h"
#include "mm/buddy.h"
#include "suites.h"

#define NPAGES 4096	/* four max-order blocks */

/* For hot loops: Check's ck_assert_* talks to the parent process on every
 * call in fork mode, which makes a 200k-step loop take seconds. */
#define expect(cond, ...) do { if (!(cond)) ck_abort_msg(__VA_ARGS__); } while (0)

static struct page pages[NPAGES];
static struct buddy_zone zone;

/* A zone of n pages from pfn base, all released. */
static void zone_setup(u64 base, u64 n)
{
	stub_log_reset();
	buddy_init(&zone, base, n, pages);
	ck_assert_int_eq(buddy_release(&zone, base, n), BUDDY_OK);
	ck_assert_uint_eq(buddy_check(&zone), 0);
}

/* nr_free must be exactly want[0..BUDDY_MAX_ORDER]. */
static void expect_free_blocks(const u64 want[BUDDY_NR_ORDERS])
{
	for (unsigned o = 0; o < BUDDY_NR_ORDERS; o++)
		ck_assert_msg(zone.nr_free[o] == want[o], "order %u: %llu free blocks, want %llu", o,
			      (unsigned long long)zone.nr_free[o], (unsigned long long)want[o]);
	ck_assert_uint_eq(buddy_check(&zone), 0);
}

static void expect_fully_coalesced(u64 npages)
{
	u64 want[BUDDY_NR_ORDERS] = { 0 };

	want[BUDDY_MAX_ORDER] = npages >> BUDDY_MAX_ORDER;
	expect_free_blocks(want);
	ck_assert_uint_eq(zone.free_pages, npages);
}

START_TEST(init_reserves_everything)
{
	buddy_init(&zone, 0, NPAGES, pages);
	ck_assert_uint_eq(zone.free_pages, 0);
	ck_assert_uint_eq(zone.reserved_pages, NPAGES);
	for (unsigned o = 0; o <= BUDDY_MAX_ORDER; o++)
		ck_assert_int_eq(buddy_alloc(&zone, o), -1);
	ck_assert_uint_eq(pages[17].flags, PG_reserved);
	ck_assert_uint_eq(pages[17].magic, PAGE_MAGIC);
}
END_TEST

START_TEST(release_coalesces_to_max_order)
{
	zone_setup(0, NPAGES);
	expect_fully_coalesced(NPAGES);
	ck_assert_uint_eq(zone.reserved_pages, 0);
}
END_TEST

/* A zone that starts and ends off any block boundary gets the largest
 * aligned blocks that fit, none of which can merge: pfns 3..1002 are
 * 3 | 4-7 | 8-15 | 16-31 | 32-63 | 64-127 | 128-255 | 256-511 | 512-767 |
 * 768-895 | 896-959 | 960-991 | 992-999 | 1000-1001 | 1002. */
START_TEST(release_unaligned_range)
{
	const u64 want[BUDDY_NR_ORDERS] = { 2, 1, 1, 2, 1, 2, 2, 2, 2, 0, 0 };

	zone_setup(3, 1000);
	ck_assert_uint_eq(zone.free_pages, 1000);
	expect_free_blocks(want);
}
END_TEST

START_TEST(release_twice_is_refused)
{
	zone_setup(0, 64);
	ck_assert_int_eq(buddy_release(&zone, 8, 8), BUDDY_ERESERVED);
	ck_assert_int_eq(buddy_release(&zone, 60, 8), BUDDY_EOUTSIDE);
	ck_assert_uint_eq(zone.free_pages, 64);
	ck_assert_ptr_nonnull(strstr(stub_log(), "is not a reserved page"));
}
END_TEST

/* Splitting one order-10 block for an order-0 page leaves exactly one free
 * block of each order 0..9; freeing it merges them all back. */
START_TEST(split_and_merge_exactly)
{
	const u64 split[BUDDY_NR_ORDERS] = { 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0 };

	zone_setup(0, 1024);
	ck_assert_int_eq(buddy_alloc(&zone, 0), 0);
	expect_free_blocks(split);
	ck_assert_uint_eq(pages[0].flags, PG_head);
	ck_assert_uint_eq(pages[0].refcount, 1);
	ck_assert_uint_eq(zone.free_pages, 1023);
	ck_assert_int_eq(buddy_free(&zone, 0, 0), BUDDY_OK);
	expect_fully_coalesced(1024);
}
END_TEST

/* Every order: blocks are aligned, disjoint, and there are exactly
 * npages >> order of them; after freeing all, the zone is whole again. */
START_TEST(every_order_fills_and_empties)
{
	static s64 got[NPAGES];

	zone_setup(0, NPAGES);
	for (unsigned o = 0; o <= BUDDY_MAX_ORDER; o++) {
		u64 n = 0;
		s64 pfn;

		while ((pfn = buddy_alloc(&zone, o)) >= 0) {
			expect(((u64)pfn & ((1ULL << o) - 1)) == 0, "pfn %lld misaligned", (long long)pfn);
			expect((u64)pfn < NPAGES && n < NPAGES, "pfn %lld past the zone", (long long)pfn);
			got[n++] = pfn;
		}
		ck_assert_uint_eq(n, NPAGES >> o);
		ck_assert_uint_eq(zone.free_pages, 0);
		for (u64 i = 0; i < n; i++)
			expect(buddy_free(&zone, (u64)got[i], o) == BUDDY_OK, "free refused");
		expect_fully_coalesced(NPAGES);
	}
	ck_assert_int_eq(buddy_alloc(&zone, BUDDY_MAX_ORDER + 1), -1);
}
END_TEST

START_TEST(exhaustion_returns_minus_one_and_recovers)
{
	zone_setup(0, 256);
	for (int i = 0; i < 256; i++)
		ck_assert_int_ge(buddy_alloc(&zone, 0), 0);
	ck_assert_int_eq(buddy_alloc(&zone, 0), -1);
	ck_assert_int_eq(buddy_alloc(&zone, 3), -1);
	ck_assert_uint_eq(zone.failed_allocs, 2);
	ck_assert_int_eq(buddy_free(&zone, 77, 0), BUDDY_OK);
	ck_assert_int_eq(buddy_alloc(&zone, 1), -1);
	ck_assert_int_eq(buddy_alloc(&zone, 0), 77);
	ck_assert_uint_eq(buddy_check(&zone), 0);
}
END_TEST

/* The textbook fragmentation: with every other page allocated, half the
 * memory is free and yet no two-page block exists. */
START_TEST(fragmentation_then_full_coalescing)
{
	zone_setup(0, NPAGES);
	for (u64 i = 0; i < NPAGES; i++)
		expect(buddy_alloc(&zone, 0) >= 0, "allocation %llu failed", (unsigned long long)i);
	for (u64 pfn = 0; pfn < NPAGES; pfn += 2)
		expect(buddy_free(&zone, pfn, 0) == BUDDY_OK, "free refused");
	ck_assert_uint_eq(zone.free_pages, NPAGES / 2);
	ck_assert_uint_eq(zone.nr_free[0], NPAGES / 2);
	for (unsigned o = 1; o <= BUDDY_MAX_ORDER; o++)
		ck_assert_int_eq(buddy_alloc(&zone, o), -1);
	ck_assert_uint_eq(buddy_check(&zone), 0);
	for (u64 pfn = 1; pfn < NPAGES; pfn += 2)
		expect(buddy_free(&zone, pfn, 0) == BUDDY_OK, "free refused");
	expect_fully_coalesced(NPAGES);
}
END_TEST

/*
 * The merge condition must ask for a buddy of the same order.  Here pfn 2
 * is free at order 0 while pfn 3 is allocated; freeing the order-1 block
 * at 0 must not merge with it (else the order-2 block 0..3 would be "free"
 * with page 3 in use, and handed out a second time).
 */
START_TEST(merge_needs_same_order)
{
	zone_setup(0, 4);
	ck_assert_int_eq(buddy_alloc(&zone, 1), 0);
	ck_assert_int_eq(buddy_alloc(&zone, 0), 2);
	ck_assert_int_eq(buddy_alloc(&zone, 0), 3);
	ck_assert_int_eq(buddy_free(&zone, 2, 0), BUDDY_OK);
	ck_assert_int_eq(buddy_free(&zone, 0, 1), BUDDY_OK);
	ck_assert_int_eq(buddy_alloc(&zone, 2), -1);
	ck_assert_uint_eq(buddy_check(&zone), 0);
	ck_assert_int_eq(buddy_free(&zone, 3, 0), BUDDY_OK);
	ck_assert_int_eq(buddy_alloc(&zone, 2), 0);
}
END_TEST

/* A bad free must be reported and change nothing at all. */
static void expect_bad_free(u64 pfn, unsigned order, int err, const char *because)
{
	static struct page before[NPAGES];
	struct buddy_zone zbefore = zone;
	char want[160];

	memcpy(before, pages, sizeof(pages));
	stub_log_reset();
	ck_assert_int_eq(buddy_free(&zone, pfn, order), err);
	ksnprintf(want, sizeof(want), "BUG: Bad page state in process swapper/0  pfn:%05llx\n",
		  (unsigned long long)pfn);
	ck_assert_msg(strstr(stub_log(), want), "no '%s' in:\n%s", want, stub_log());
	ksnprintf(want, sizeof(want), "page dumped because: %s\n", because);
	ck_assert_msg(strstr(stub_log(), want), "no '%s' in:\n%s", want, stub_log());
	ck_assert_uint_eq(zone.bad_frees, zbefore.bad_frees + 1);
	zbefore.bad_frees++;
	ck_assert_msg(!memcmp(&zone, &zbefore, sizeof(zone)), "the zone changed");
	ck_assert_msg(!memcmp(pages, before, sizeof(pages)), "a struct page changed");
}

START_TEST(bad_frees_are_reported_and_refused)
{
	zone_setup(0, NPAGES);
	buddy_init(&zone, 0, NPAGES, pages);
	ck_assert_int_eq(buddy_release(&zone, 0, NPAGES - 16), BUDDY_OK);	/* 16 reserved */
	s64 one = buddy_alloc(&zone, 1), zero = buddy_alloc(&zone, 0), four = buddy_alloc(&zone, 2);
	s64 freed = buddy_alloc(&zone, 0);

	ck_assert_int_eq(buddy_free(&zone, (u64)freed, 0), BUDDY_OK);
	expect_bad_free(NPAGES + 5, 0, BUDDY_EOUTSIDE, "pfn outside zone Normal (pfns 0x0-0xfff)");
	u64 big = buddy_page_to_pfn(&zone, list_first_entry(&zone.free_list[BUDDY_MAX_ORDER],
							    struct page, lru));

	expect_bad_free((u64)one + 1, 1, BUDDY_EALIGN, "pfn not aligned to order 1");
	expect_bad_free((u64)one, BUDDY_MAX_ORDER + 1, BUDDY_EORDER, "free of order 11 (maximum 10)");
	expect_bad_free((u64)one, 0, BUDDY_EORDER, "freed with order 0, allocated with order 1");
	expect_bad_free((u64)zero, 1, zero & 1 ? BUDDY_EALIGN : BUDDY_EORDER,
			zero & 1 ? "pfn not aligned to order 1" : "freed with order 1, allocated with order 0");
	expect_bad_free((u64)four + 1, 0, BUDDY_EFREE,
			"not the first page of an allocated block (double free?)");
	expect_bad_free(NPAGES - 3, 0, BUDDY_ERESERVED, "freeing a reserved page");
	/* The freed page merged into a bigger free block: a double free sees
	 * either that block's head or a page inside it. */
	expect_bad_free((u64)freed, 0, BUDDY_EFREE,
			pages[freed].flags & PG_buddy ? "freeing a free page (double free)"
						      : "not the first page of an allocated block (double free?)");
	expect_bad_free(big, 0, BUDDY_EFREE, "freeing a free page (double free)");
	expect_bad_free(big + 5, 0, BUDDY_EFREE, "not the first page of an allocated block (double free?)");
	pages[zero].flags |= PG_slab;
	expect_bad_free((u64)zero, 0, BUDDY_EBUSY, "PAGE_FLAGS_CHECK_AT_FREE flag(s) set");
	ck_assert_ptr_nonnull(strstr(stub_log(), "flags: 0x14(head|slab)\n"));
	pages[zero].flags &= ~PG_slab;
	pages[zero].magic = 0x12345678;
	expect_bad_free((u64)zero, 0, BUDDY_EMAGIC, "struct page magic overwritten");
	pages[zero].magic = PAGE_MAGIC;
	ck_assert_int_eq(buddy_free(&zone, (u64)zero, 0), BUDDY_OK);
	ck_assert_int_eq(buddy_free(&zone, (u64)one, 1), BUDDY_OK);
	ck_assert_int_eq(buddy_free(&zone, (u64)four, 2), BUDDY_OK);
	ck_assert_uint_eq(zone.free_pages, NPAGES - 16);
	ck_assert_uint_eq(buddy_check(&zone), 0);
}
END_TEST

START_TEST(bad_page_report_format)
{
	zone_setup(0, 64);
	s64 pfn = buddy_alloc(&zone, 0);

	ck_assert_int_eq(buddy_free(&zone, (u64)pfn, 0), BUDDY_OK);
	stub_log_reset();
	buddy_free(&zone, 0, 0);
	char want[512];

	ksnprintf(want, sizeof(want),
		  "BUG: Bad page state in process swapper/0  pfn:00000\n"
		  "page:%016llx refcount:0 mapcount:0 mapping:0000000000000000 index:0x0 pfn:0\n"
		  "flags: 0x2(buddy)\n"
		  "page dumped because: freeing a free page (double free)\n",
		  (unsigned long long)(u64)&pages[0]);
	ck_assert_str_eq(stub_log(), want);
}
END_TEST

START_TEST(reserved_ranges_never_handed_out)
{
	u64 n = 0;
	s64 pfn;

	buddy_init(&zone, 0, 2048, pages);
	ck_assert_int_eq(buddy_release(&zone, 0, 100), BUDDY_OK);
	ck_assert_int_eq(buddy_release(&zone, 300, 2048 - 300), BUDDY_OK);
	ck_assert_uint_eq(zone.reserved_pages, 200);
	while ((pfn = buddy_alloc(&zone, 0)) >= 0) {
		ck_assert_msg(pfn < 100 || pfn >= 300, "reserved pfn %lld handed out", (long long)pfn);
		n++;
	}
	ck_assert_uint_eq(n, 2048 - 200);
	for (u64 p = 100; p < 300; p++)
		ck_assert_uint_eq(pages[p].flags, PG_reserved);
}
END_TEST

/* Random allocations and frees of orders 0..5 against a bitmap of the
 * allocated pages: no overlap, alignment, in the zone, counts agree. */
START_TEST(random_churn_matches_model)
{
	static bool model[NPAGES];
	static struct { s64 pfn; unsigned order; } live[512];
	unsigned nlive = 0;
	u64 used = 0, rng = 0x2545f4914f6cdd1dULL;

	zone_setup(0, NPAGES);
	memset(model, 0, sizeof(model));
	for (int step = 0; step < 200000; step++) {
		rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
		bool do_alloc = nlive == 0 || (nlive < ARRAY_SIZE(live) && (rng & 3) != 0 && (rng >> 2) % 2);

		if (do_alloc) {
			unsigned order = (unsigned)((rng >> 8) % 6);
			s64 pfn = buddy_alloc(&zone, order);

			if (pfn < 0) {
				for (unsigned o = order; o <= BUDDY_MAX_ORDER; o++)
					expect(zone.nr_free[o] == 0, "order %u refused with a free order-%u block",
					       order, o);
				continue;
			}
			expect(((u64)pfn & ((1ULL << order) - 1)) == 0, "pfn %lld misaligned", (long long)pfn);
			expect((u64)pfn + (1ULL << order) <= NPAGES, "pfn %lld past the zone", (long long)pfn);
			for (u64 k = 0; k < (1ULL << order); k++) {
				expect(!model[pfn + k], "pfn %lld handed out twice", (long long)(pfn + k));
				model[pfn + k] = true;
			}
			used += 1ULL << order;
			live[nlive].pfn = pfn;
			live[nlive++].order = order;
		} else {
			unsigned i = (unsigned)((rng >> 16) % nlive);

			expect(buddy_free(&zone, (u64)live[i].pfn, live[i].order) == BUDDY_OK,
			       "free of pfn %lld refused", (long long)live[i].pfn);
			for (u64 k = 0; k < (1ULL << live[i].order); k++)
				model[live[i].pfn + k] = false;
			used -= 1ULL << live[i].order;
			live[i] = live[--nlive];
		}
		expect(zone.free_pages == NPAGES - used, "free_pages %llu, model %llu",
		       (unsigned long long)zone.free_pages, (unsigned long long)(NPAGES - used));
		if (step % 4096 == 0)
			expect(buddy_check(&zone) == 0, "buddy_check failed at step %d:\n%s", step, stub_log());
	}
	while (nlive) {
		nlive--;
		ck_assert_int_eq(buddy_free(&zone, (u64)live[nlive].pfn, live[nlive].order), BUDDY_OK);
	}
	expect_fully_coalesced(NPAGES);
}
END_TEST

START_TEST(buddyinfo_line)
{
	zone_setup(0, 1024);
	buddy_alloc(&zone, 0);
	stub_log_reset();
	buddy_print_stats(&zone);
	ck_assert_ptr_nonnull(strstr(stub_log(),
		"Node 0, zone   Normal      1      1      1      1      1      1      1      1      1      1      0 \n"));
	ck_assert_ptr_nonnull(strstr(stub_log(), "buddy: 1024 pages (4096 KiB), 1023 free, 0 reserved, 1 allocated\n"));
}
END_TEST

/* A struct page on a free list overwritten (a use-after-free of the page
 * array, say): the list code notices before it follows the bad link. */
START_TEST(free_list_corruption_is_caught)
{
	struct list_head elsewhere = LIST_HEAD_INIT(elsewhere);
	char want[160];

	zone_setup(0, 1024);
	ck_assert_int_eq(buddy_alloc(&zone, 0), 0);	/* pfn 1 alone on free_list[0] */
	pages[1].lru.next = &elsewhere;
	buddy_alloc(&zone, 0);
	ck_assert_uint_eq(stub_list_corruptions(), 1);
	ksnprintf(want, sizeof(want),
		  "list_del corruption. next->prev should be %016llx, but was %016llx. (next=%016llx)",
		  (unsigned long long)(u64)&pages[1].lru, (unsigned long long)(u64)&elsewhere,
		  (unsigned long long)(u64)&elsewhere);
	ck_assert_str_eq(stub_list_last(), want);
}
END_TEST

START_TEST(list_debug_catches_double_del_and_double_add)
{
	LIST_HEAD(head);
	struct list_head a, b;
	char want[160];

	stub_log_reset();
	list_add(&a, &head);
	list_add_tail(&b, &head);
	ck_assert_ptr_eq(head.next, &a);
	ck_assert_ptr_eq(head.prev, &b);
	list_del(&a);
	ck_assert_ptr_eq(a.next, LIST_POISON1);
	ck_assert_ptr_eq(a.prev, LIST_POISON2);
	ck_assert_uint_eq(stub_list_corruptions(), 0);
	list_del(&a);
	ck_assert_uint_eq(stub_list_corruptions(), 1);
	ksnprintf(want, sizeof(want), "list_del corruption, %016llx->next is LIST_POISON1 (dead000000000100)",
		  (unsigned long long)(u64)&a);
	ck_assert_str_eq(stub_list_last(), want);
	list_add(&b, &head);	/* b is already head.next */
	ck_assert_uint_eq(stub_list_corruptions(), 2);
	ksnprintf(want, sizeof(want), "list_add double add: new=%016llx, prev=%016llx, next=%016llx.",
		  (unsigned long long)(u64)&b, (unsigned long long)(u64)&head, (unsigned long long)(u64)&b);
	ck_assert_str_eq(stub_list_last(), want);
	b.prev = &a;	/* a stray write into b */
	list_add(&a, &head);
	ck_assert_uint_eq(stub_list_corruptions(), 3);
	ck_assert_ptr_nonnull(strstr(stub_list_last(), "list_add corruption. next->prev should be prev ("));
	ck_assert_ptr_eq(head.next, &b);	/* the add was skipped */
}
END_TEST

Suite *buddy_suite(void)
{
	Suite *s = suite_create("buddy");

	host_add_test(s, init_reserves_everything);
	host_add_test(s, release_coalesces_to_max_order);
	host_add_test(s, release_unaligned_range);
	host_add_test(s, release_twice_is_refused);
	host_add_test(s, split_and_merge_exactly);
	host_add_test(s, every_order_fills_and_empties);
	host_add_test(s, exhaustion_returns_minus_one_and_recovers);
	host_add_test(s, fragmentation_then_full_coalescing);
	host_add_test(s, merge_needs_same_order);
	host_add_test(s, bad_frees_are_reported_and_refused);
	host_add_test(s, bad_page_report_format);
	host_add_test(s, reserved_ranges_never_handed_out);
	host_add_test(s, random_churn_matches_model);
	host_add_test(s, buddyinfo_line);
	host_add_test(s, free_list_corruption_is_caught);
	host_add_test(s, list_debug_catches_double_del_and_double_add);
	return s;
}
