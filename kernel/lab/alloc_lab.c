/*
 * alloc_lab.c - the allocator lab's scenarios (labs/01-alloc).  Each is a
 * small model of real kernel code in which Linux once had a memory bug;
 * this file holds the corrected version, and each bug patch in
 * labs/01-alloc/bugs/ puts one bug back.  Ownership is stated on every
 * pointer that crosses a function: that is where the bugs were.
 */
#include "lab/lab.h"
#include "lib/format.h"
#include "lib/printk.h"
#include "lib/string.h"
#include "mm/page.h"
#include "mm/slab.h"
#include "mm/vm.h"

#define EINVAL 22
#define ENODEV 19

/*
 * 1. Queue setup with an error path (nvmet-tcp, CVE-2023-5178).
 *
 * A queue owns its crypto state from tcpq_alloc_crypto() until
 * tcpq_release().  When the initial request is bad, the handler only
 * reports the error: the queue is torn down later, and teardown is the one
 * place that frees what the queue owns.
 */
struct tcpq {
	int id;
	void *crypto;		/* owned by the queue; freed in tcpq_release() */
};

static int tcpq_alloc_crypto(struct tcpq *q)
{
	q->crypto = kzalloc(96, GFP_KERNEL);
	return q->crypto ? 0 : -1;
}

__attribute__((noipa)) static int tcpq_handle_icreq(struct tcpq *q, int pfv)
{
	if (tcpq_alloc_crypto(q))
		return -1;
	if (pfv != 0) {
		/* Bad protocol version: report; teardown frees q->crypto. */
		pr_info("tcpq %d: unsupported protocol version %d\n", q->id, pfv);
		return -EINVAL;
	}
	return 0;
}

__attribute__((noipa)) static void tcpq_release(struct tcpq *q)
{
	kfree(q->crypto);
	q->crypto = NULL;
	kfree(q);
}

static void lab_tcp_queue(void)
{
	struct tcpq *q = kzalloc(sizeof(*q), GFP_KERNEL);

	q->id = 1;
	tcpq_handle_icreq(q, 1);	/* a peer sends a bad version */
	tcpq_release(q);
}
LAB_SCENARIO(lab_tcp_queue, "tcp-queue", "set up a queue, reject a bad request, tear it down");

/*
 * 2. A refcounted filter replaced under a table (cls_u32, CVE-2022-29581).
 *
 * The table holds one reference to each filter; a caller holds one more
 * while it uses a filter.  filter_change() takes and drops only its own
 * reference, on every path.
 */
struct filter {
	int refcount;		/* table's reference + users' references */
	u32 handle;
	u32 classid;
};

static struct filter *filter_table[4];	/* each slot holds one reference */

static struct filter *filter_create(u32 handle, u32 classid)
{
	struct filter *f = kmalloc(sizeof(*f), GFP_KERNEL);

	f->refcount = 1;	/* the table's */
	f->handle = handle;
	f->classid = classid;
	return f;
}

static inline void filter_get(struct filter *f) { f->refcount++; }

__attribute__((noipa)) static void filter_put(struct filter *f)
{
	if (--f->refcount == 0)
		kfree(f);
}

__attribute__((noipa)) static int filter_change(unsigned slot, u32 classid)
{
	struct filter *f = filter_table[slot];

	filter_get(f);		/* ours, for the duration of the change */
	if (classid == 0) {
		filter_put(f);	/* drop ours; the table keeps its own */
		return -EINVAL;
	}
	f->classid = classid;
	filter_put(f);
	return 0;
}

__attribute__((noipa)) static u32 filter_classify(unsigned slot)
{
	return filter_table[slot]->classid;
}

static void lab_cls_filter(void)
{
	filter_table[0] = filter_create(0x800, 10);
	filter_change(0, 0);		/* invalid class: rejected */
	pr_info("filter: packet classified to %u\n", filter_classify(0));
	filter_put(filter_table[0]);	/* the table lets go */
	filter_table[0] = NULL;
}
LAB_SCENARIO(lab_cls_filter, "cls-filter", "change a filter with a bad argument, then classify");

/*
 * 3. Legacy mount options appended into one page (fs_context,
 * CVE-2022-0185).  Each option adds ",key=value" to a zeroed page, which
 * stays NUL-terminated while it is not full.  The bound check must be an
 * addition: "len > PAGE_SIZE - 2 - size" wraps around to a huge number
 * once size reaches PAGE_SIZE - 1, and then lets everything through.
 */
struct fsctx {
	char *legacy_data;	/* owned: one zeroed page */
	size_t data_size;	/* bytes used */
};

__attribute__((noipa)) static int legacy_parse_param(struct fsctx *ctx, const char *key,
							const char *value)
{
	size_t size = ctx->data_size, klen = strlen(key), vlen = strlen(value);
	size_t len = klen + vlen;

	if (size + len + 2 > PAGE_SIZE)
		return -EINVAL;
	ctx->legacy_data[size++] = ',';
	memcpy(ctx->legacy_data + size, key, klen);
	size += klen;
	ctx->legacy_data[size++] = '=';
	memcpy(ctx->legacy_data + size, value, vlen);
	size += vlen;
	ctx->data_size = size;
	return 0;
}

static void lab_fs_params(void)
{
	struct fsctx ctx = { kzalloc(PAGE_SIZE, GFP_KERNEL), 0 };
	char value[64];
	int rejected = 0;

	memset(value, 'v', sizeof(value) - 1);
	value[sizeof(value) - 1] = '\0';
	/* 60 options of 68 bytes, one of 16: exactly one page. */
	for (int i = 0; i < 60; i++)
		rejected += legacy_parse_param(&ctx, "opt", value) < 0;
	rejected += legacy_parse_param(&ctx, "k", "1234567890123") < 0;
	/* The page is full: this one must be refused. */
	rejected += legacy_parse_param(&ctx, "x", "y") < 0;
	pr_info("fs: %zu bytes of options kept, %d refused\n", ctx.data_size, rejected);
	kfree(ctx.legacy_data);
}
LAB_SCENARIO(lab_fs_params, "fs-params", "append mount options into a one-page buffer until full");

/*
 * 4. Registering a bus that finds no device (mdio, CVE-2021-47416).
 *
 * Once bus_init() has run, the bus is a reference-counted object whose
 * release frees everything it owns (its name); every path after that must
 * drop the bus with bus_put(), never with a bare kfree().
 */
struct mdio_bus {
	char *name;		/* owned; freed by bus_release() */
	int refcount;
	int nphys;
};

__attribute__((noipa)) static char *dev_set_name(const char *fmt, int id)
{
	char *name = kmalloc(32, GFP_KERNEL);

	ksnprintf(name, 32, fmt, id);
	return name;
}

static void bus_release(struct mdio_bus *bus)
{
	kfree(bus->name);
	kfree(bus);
}

static void bus_put(struct mdio_bus *bus)
{
	if (--bus->refcount == 0)
		bus_release(bus);
}

__attribute__((noipa)) static int mdiobus_register(int id, int nphys)
{
	struct mdio_bus *bus = kzalloc(sizeof(*bus), GFP_KERNEL);

	bus->refcount = 1;
	bus->name = dev_set_name("mdio-%d", id);
	bus->nphys = nphys;
	if (nphys == 0) {
		pr_info("%s: no PHY found\n", bus->name);
		bus_put(bus);		/* frees the name too */
		return -ENODEV;
	}
	bus_put(bus);
	return 0;
}

static void lab_mdio_register(void)
{
	mdiobus_register(0, 0);
}
LAB_SCENARIO(lab_mdio_register, "mdio-register", "register a bus that finds no PHY");

/*
 * 5. Two neighbouring pages with different owners (the buddy allocator's
 * merge rule, mm/buddy.c).  Freeing one page may merge it only with a
 * buddy that is free; the other owner keeps using its page.
 */
__attribute__((noipa)) static void pagepair_release(void *page)
{
	free_pages(page, 0);
}

static void lab_page_pair(void)
{
	void *pages[64];
	void *a = NULL, *b = NULL;
	int n = 0;

	/* Find two buddies: order-0 pages whose frame numbers differ in
	 * bit 0 only. */
	for (; n < 64 && !b; n++) {
		pages[n] = alloc_pages(0);
		for (int i = 0; i < n; i++)
			if ((virt_to_phys(pages[i]) ^ virt_to_phys(pages[n])) == PAGE_SIZE) {
				a = pages[i];
				b = pages[n];
			}
	}
	for (int i = 0; i < n; i++)
		if (pages[i] != a && pages[i] != b)
			free_pages(pages[i], 0);
	if (!b) {
		pr_err("pagepair: no buddy pair found\n");
		return;
	}
	memset(a, 0xa1, PAGE_SIZE);	/* owner A's data */
	pagepair_release(b);		/* owner B is done */
	void *c = alloc_pages(1);	/* someone needs two pages */

	memset(c, 0xc3, 2 * PAGE_SIZE);
	pr_info("pagepair: owner A still reads %#x\n", *(volatile u8 *)a);
	pagepair_release(a);
	free_pages(c, 1);
}
LAB_SCENARIO(lab_page_pair, "page-pair", "free one of two buddy pages, allocate a pair");
