/*
 * meminfo - the kernel's memory use, from meminfo(): all and free pages
 * (and in MiB), and the live kmalloc (slab) objects.
 */
#include <err.h>
#include <stdio.h>
#include <unistd.h>

static void print_pages(const char *what, uint64_t pages, uint64_t page_size)
{
	printf("%-6s %8lu pages %6lu MiB\n", what, (unsigned long)pages,
	       (unsigned long)(pages * page_size >> 20));
}

int main(int argc, char **argv)
{
	struct meminfo mi;
	long r;

	(void)argv;
	if (argc > 1)
		err_usage("meminfo");
	r = meminfo(&mi);
	if (r < 0)
		return err_report("meminfo", "meminfo", r);
	if (!mi.page_size)
		mi.page_size = 4096;
	print_pages("total", mi.total_pages, mi.page_size);
	print_pages("free", mi.free_pages, mi.page_size);
	printf("slab   %8lu objects %lu bytes\n", (unsigned long)mi.slab_objects,
	       (unsigned long)mi.slab_bytes);
	return 0;
}
