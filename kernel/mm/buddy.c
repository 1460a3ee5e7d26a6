/*
 * buddy.c - the binary buddy allocator (see buddy.h for the picture).
 *
 * Allocation takes the smallest free block that is large enough and splits
 * it in halves, putting each upper half back on the free list one order
 * down, until the block has the order asked for.  Freeing walks the other
 * way, merging with the buddy while the buddy is free.  Both are
 * O(BUDDY_MAX_ORDER).
 *
 * A bad free (a double free, a wrong order, a pfn nobody allocated) would
 * corrupt the free lists and hand the same page out twice later, far from
 * the bug; so every free is checked first and a bad one is reported in the
 * words of Linux's bad_page() and refused.
 *
 * Lock: none here; the caller (page_alloc.c) holds the zone lock.
 */
#include "lib/current.h"
#include "lib/format.h"
#include "lib/panic.h"
#include "lib/printk.h"
#include "mm/buddy.h"

struct page *buddy_pfn_to_page(const struct buddy_zone *z, u64 pfn)
{
	if (pfn < z->base_pfn || pfn - z->base_pfn >= z->npages)
		return NULL;
	return &z->pages[pfn - z->base_pfn];
}

u64 buddy_page_to_pfn(const struct buddy_zone *z, const struct page *pg)
{
	return z->base_pfn + (u64)(pg - z->pages);
}

void buddy_init(struct buddy_zone *z, u64 base_pfn, u64 npages, struct page *pages)
{
	z->name = "Normal";
	z->base_pfn = base_pfn;
	z->npages = npages;
	z->pages = pages;
	for (unsigned o = 0; o < BUDDY_NR_ORDERS; o++) {
		INIT_LIST_HEAD(&z->free_list[o]);
		z->nr_free[o] = 0;
	}
	z->free_pages = 0;
	z->reserved_pages = npages;
	z->allocs = z->frees = z->failed_allocs = z->bad_frees = 0;
	for (u64 i = 0; i < npages; i++)
		page_init(&pages[i]);
}

/* Put the free block at pfn on its free list (no merging). */
static void buddy_list_add(struct buddy_zone *z, struct page *pg, unsigned order)
{
	pg->flags = PG_buddy;
	pg->order = order;
	list_add(&pg->lru, &z->free_list[order]);
	z->nr_free[order]++;
}

static void buddy_list_del(struct buddy_zone *z, struct page *pg, unsigned order)
{
	list_del(&pg->lru);
	pg->flags = 0;
	pg->order = PAGE_ORDER_NONE;
	z->nr_free[order]--;
}

/*
 * Insert the free block [pfn, pfn + 2^order) and merge it upwards.  The
 * block's pages carry no flags on entry.
 */
static void buddy_merge_and_add(struct buddy_zone *z, u64 pfn, unsigned order)
{
	while (order < BUDDY_MAX_ORDER) {
		u64 buddy_pfn = pfn ^ (1ULL << order);
		struct page *buddy = buddy_pfn_to_page(z, buddy_pfn);

		if (!buddy)
			break;	/* the zone ends: no buddy on that side */
		/*
		 * Merge only with a buddy that is the head of a free block of
		 * exactly this order.  The order alone is not enough: the
		 * head of an allocated block carries its order too.  PG_buddy
		 * alone is not enough either: a buddy that is free at a
		 * smaller order (its first pages free, the
		 * rest still allocated) would otherwise be swallowed, and the
		 * allocated pages handed out a second time.
		 */
		if (!((buddy->flags & PG_buddy) && buddy->order == order))
			break;
		buddy_list_del(z, buddy, order);
		pfn &= ~(1ULL << order);	/* the merged block starts at the lower one */
		order++;
	}
	buddy_list_add(z, buddy_pfn_to_page(z, pfn), order);
}

int buddy_release(struct buddy_zone *z, u64 pfn, u64 n)
{
	if (n == 0)
		return BUDDY_OK;
	if (!buddy_pfn_to_page(z, pfn) || !buddy_pfn_to_page(z, pfn + n - 1) || pfn + n < pfn) {
		pr_warn("buddy: release of pfns 0x%llx-0x%llx outside zone %s\n",
			(unsigned long long)pfn, (unsigned long long)(pfn + n - 1), z->name);
		return BUDDY_EOUTSIDE;
	}
	for (u64 p = pfn; p < pfn + n; p++) {
		struct page *pg = buddy_pfn_to_page(z, p);

		if (pg->magic != PAGE_MAGIC || pg->flags != PG_reserved) {
			pr_warn("buddy: release of pfns 0x%llx-0x%llx: pfn 0x%llx is not a reserved page (flags %#x)\n",
				(unsigned long long)pfn, (unsigned long long)(pfn + n - 1),
				(unsigned long long)p, pg->flags);
			return BUDDY_ERESERVED;
		}
	}
	for (u64 p = pfn; p < pfn + n; p++)
		buddy_pfn_to_page(z, p)->flags = 0;
	z->reserved_pages -= n;
	z->free_pages += n;

	/* The largest aligned blocks that fit; merging joins them to
	 * neighbours released earlier. */
	while (n) {
		unsigned o = BUDDY_MAX_ORDER;

		while (o > 0 && ((pfn & ((1ULL << o) - 1)) || (1ULL << o) > n))
			o--;
		buddy_merge_and_add(z, pfn, o);
		pfn += 1ULL << o;
		n -= 1ULL << o;
	}
	return BUDDY_OK;
}

s64 buddy_alloc(struct buddy_zone *z, unsigned order)
{
	unsigned o = order;

	if (order > BUDDY_MAX_ORDER) {
		z->failed_allocs++;
		return -1;
	}
	while (o <= BUDDY_MAX_ORDER && list_empty(&z->free_list[o]))
		o++;
	if (o > BUDDY_MAX_ORDER) {
		z->failed_allocs++;
		return -1;
	}

	struct page *pg = list_first_entry(&z->free_list[o], struct page, lru);

	/* A page on a free list that is not a free block head of that order
	 * means the struct page array was overwritten: stop before handing
	 * out memory that may be in use. */
	BUG_ON(pg->magic != PAGE_MAGIC || pg->flags != PG_buddy || pg->order != o);
	u64 pfn = buddy_page_to_pfn(z, pg);

	buddy_list_del(z, pg, o);
	while (o > order) {	/* split: keep the lower half, free the upper */
		o--;
		buddy_list_add(z, buddy_pfn_to_page(z, pfn + (1ULL << o)), o);
	}
	pg->flags = PG_head;
	pg->order = order;
	pg->refcount = 1;
	z->free_pages -= 1ULL << order;
	z->allocs++;
	return (s64)pfn;
}

/* Names of the flags set in f, as Linux prints them after "flags:". */
static void buddy_flag_names(u32 f, char *buf, size_t size)
{
	static const struct { u32 bit; const char *name; } names[] = {
		{ PG_reserved, "reserved" }, { PG_buddy, "buddy" }, { PG_head, "head" },
		{ PG_tail, "tail" }, { PG_slab, "slab" }, { PG_large_kmalloc, "large_kmalloc" },
	};
	size_t len = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < ARRAY_SIZE(names); i++)
		if ((f & names[i].bit) && len < size)
			len += (size_t)ksnprintf(buf + len, size - len, "%s%s",
						 len ? "|" : "", names[i].name);
}

/* What is wrong with freeing (pfn, order), or BUDDY_OK.  pg: pfn's page. */
static int buddy_free_error(u64 pfn, unsigned order, const struct page *pg)
{
	if (!pg)
		return BUDDY_EOUTSIDE;
	if (order > BUDDY_MAX_ORDER)
		return BUDDY_EORDER;
	if (pfn & ((1ULL << order) - 1))
		return BUDDY_EALIGN;
	if (pg->magic != PAGE_MAGIC)
		return BUDDY_EMAGIC;
	if (pg->flags & PG_reserved)
		return BUDDY_ERESERVED;
	if (!(pg->flags & PG_head))	/* free (PG_buddy), or not a block's start */
		return BUDDY_EFREE;
	if (pg->flags & (PG_slab | PG_large_kmalloc | PG_tail))
		return BUDDY_EBUSY;
	if (pg->order != order)
		return BUDDY_EORDER;
	return BUDDY_OK;
}

/* Linux's bad_page(): the header, the page dump, the reason. */
static __attribute__((noinline, cold)) int
buddy_bad_free(struct buddy_zone *z, u64 pfn, unsigned order, const struct page *pg, int err)
{
	char why[96];

	switch (err) {
	case BUDDY_EOUTSIDE:
		ksnprintf(why, sizeof(why), "pfn outside zone %s (pfns 0x%llx-0x%llx)", z->name,
			  (unsigned long long)z->base_pfn,
			  (unsigned long long)(z->base_pfn + z->npages - 1));
		break;
	case BUDDY_EALIGN:
		ksnprintf(why, sizeof(why), "pfn not aligned to order %u", order);
		break;
	case BUDDY_EORDER:
		if (order > BUDDY_MAX_ORDER)
			ksnprintf(why, sizeof(why), "free of order %u (maximum %u)", order,
				  BUDDY_MAX_ORDER);
		else
			ksnprintf(why, sizeof(why), "freed with order %u, allocated with order %u",
				  order, pg->order);
		break;
	case BUDDY_EMAGIC:
		ksnprintf(why, sizeof(why), "struct page magic overwritten");
		break;
	case BUDDY_ERESERVED:
		ksnprintf(why, sizeof(why), "freeing a reserved page");
		break;
	case BUDDY_EFREE:
		ksnprintf(why, sizeof(why), "%s", (pg->flags & PG_buddy)
			  ? "freeing a free page (double free)"
			  : "not the first page of an allocated block (double free?)");
		break;
	default:	/* BUDDY_EBUSY: Linux's words for flags that must be clear */
		ksnprintf(why, sizeof(why), "PAGE_FLAGS_CHECK_AT_FREE flag(s) set");
		break;
	}
	z->bad_frees++;
	printk(KERN_ALERT "BUG: Bad page state in process %s  pfn:%05llx\n", current_comm(),
	       (unsigned long long)pfn);
	if (pg) {
		char flags[80];

		buddy_flag_names(pg->flags, flags, sizeof(flags));
		printk(KERN_ALERT "page:%016llx refcount:%u mapcount:0 mapping:0000000000000000 index:0x0 pfn:%#llx\n",
		       (unsigned long long)(u64)pg, pg->refcount, (unsigned long long)pfn);
		printk(KERN_ALERT "flags: %#x(%s)\n", pg->flags, flags);
	}
	printk(KERN_ALERT "page dumped because: %s\n", why);
	return err;
}

int buddy_free(struct buddy_zone *z, u64 pfn, unsigned order)
{
	struct page *pg = buddy_pfn_to_page(z, pfn);
	int err = buddy_free_error(pfn, order, pg);

	if (err)
		return buddy_bad_free(z, pfn, order, pg, err);
	pg->flags = 0;
	pg->order = PAGE_ORDER_NONE;
	pg->refcount = 0;
	z->free_pages += 1ULL << order;
	z->frees++;
	buddy_merge_and_add(z, pfn, order);
	return BUDDY_OK;
}

static unsigned buddy_check_block(const struct buddy_zone *z, const struct page *pg,
				  unsigned order)
{
	u64 pfn = buddy_page_to_pfn(z, pg);
	unsigned bad = 0;

	if (pg < z->pages || pg >= z->pages + z->npages) {
		pr_err("buddy check: free_list[%u] holds %016llx, not a page of zone %s\n",
		       order, (unsigned long long)(u64)pg, z->name);
		return 1;	/* nothing more about it can be trusted */
	}
	if (pg->magic != PAGE_MAGIC || pg->flags != PG_buddy || pg->order != order) {
		pr_err("buddy check: pfn %#llx on free_list[%u] has magic %#x flags %#x order %u\n",
		       (unsigned long long)pfn, order, pg->magic, pg->flags, pg->order);
		bad++;
	}
	if ((pfn & ((1ULL << order) - 1)) || !buddy_pfn_to_page(z, pfn + (1ULL << order) - 1)) {
		pr_err("buddy check: free block pfn %#llx order %u misaligned or past the zone\n",
		       (unsigned long long)pfn, order);
		return bad + 1;
	}
	for (u64 i = 1; i < (1ULL << order); i++)
		if (pg[i].flags) {
			pr_err("buddy check: pfn %#llx inside free block %#llx has flags %#x\n",
			       (unsigned long long)(pfn + i), (unsigned long long)pfn, pg[i].flags);
			bad++;
		}
	const struct page *buddy = buddy_pfn_to_page(z, pfn ^ (1ULL << order));

	if (order < BUDDY_MAX_ORDER && buddy && buddy->flags == PG_buddy && buddy->order == order) {
		pr_err("buddy check: free buddies %#llx and %#llx (order %u) not merged\n",
		       (unsigned long long)pfn, (unsigned long long)(pfn ^ (1ULL << order)), order);
		bad++;
	}
	return bad;
}

unsigned buddy_check(const struct buddy_zone *z)
{
	unsigned bad = 0;
	u64 free_pages = 0;

	for (unsigned o = 0; o < BUDDY_NR_ORDERS; o++) {
		const struct page *pg;
		u64 n = 0;

		list_for_each_entry(pg, &z->free_list[o], lru) {
			bad += buddy_check_block(z, pg, o);
			if (++n > z->npages) {
				pr_err("buddy check: free_list[%u] loops\n", o);
				return bad + 1;
			}
		}
		if (n != z->nr_free[o]) {
			pr_err("buddy check: free_list[%u] has %llu blocks, nr_free says %llu\n", o,
			       (unsigned long long)n, (unsigned long long)z->nr_free[o]);
			bad++;
		}
		free_pages += n << o;
	}
	if (free_pages != z->free_pages) {
		pr_err("buddy check: free lists hold %llu pages, free_pages says %llu\n",
		       (unsigned long long)free_pages, (unsigned long long)z->free_pages);
		bad++;
	}
	return bad;
}

void buddy_print_stats(const struct buddy_zone *z)
{
	/* /proc/buddyinfo: free blocks of each order, smallest first. */
	pr_info("Node 0, zone %8s ", z->name);
	for (unsigned o = 0; o < BUDDY_NR_ORDERS; o++)
		pr_cont("%6llu ", (unsigned long long)z->nr_free[o]);
	pr_cont("\n");
	pr_info("buddy: %llu pages (%llu KiB), %llu free, %llu reserved, %llu allocated\n",
	       (unsigned long long)z->npages, (unsigned long long)(z->npages * PAGE_SIZE / 1024),
	       (unsigned long long)z->free_pages, (unsigned long long)z->reserved_pages,
	       (unsigned long long)(z->npages - z->free_pages - z->reserved_pages));
	pr_info("buddy: %llu allocs, %llu frees, %llu failed allocs, %llu bad frees\n",
	       (unsigned long long)z->allocs, (unsigned long long)z->frees,
	       (unsigned long long)z->failed_allocs, (unsigned long long)z->bad_frees);
}
