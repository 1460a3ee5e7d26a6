/*
 * lab.c - runs lab scenarios under the checkers.
 *
 * Problems counted for a scenario: KASAN, UBSAN, hung-task and lockdep
 * reports, and
 * objects still allocated at its end (slab_leak_report prints each in
 * kmemleak's format with its allocation stack).  The quarantine is drained
 * before the leak check, so an object waiting there is not a leak.
 */
#include "lab/lab.h"
#include "lib/kconfig.h"
#include "lib/checkers.h"
#include "lib/printk.h"
#include "lib/string.h"
#include "mm/slab.h"
#include "sched/sched.h"

extern const struct lab_scenario *const lab_scenarios_start[];
extern const struct lab_scenario *const lab_scenarios_end[];

static const struct lab_scenario *lab_find(const char *name)
{
	for (const struct lab_scenario *const *s = lab_scenarios_start; s < lab_scenarios_end; s++)
		if (!strcmp((*s)->name, name))
			return *s;
	return NULL;
}

int lab_run(const char *name)
{
	const struct lab_scenario *s = lab_find(name);

	if (!s) {
		pr_err("lab: no scenario named '%s'; scenarios are:\n", name);
		lab_list();
		return -1;
	}
	pr_info("lab: running %s: %s\n", s->name, s->what);
	u64 reports = checker_report_count();

	slab_leak_begin();
	s->fn();
	kasan_quarantine_drain();
	unsigned leaks = slab_leak_report();

	reports = checker_report_count() - reports;
	pr_info("lab: %s finished: %llu sanitizer report(s), %u leaked object(s) (sched_seed=%llu)\n",
		s->name, (unsigned long long)reports, leaks, (unsigned long long)sched_seed());
	return (int)(reports + leaks);
}

void lab_list(void)
{
	for (const struct lab_scenario *const *s = lab_scenarios_start; s < lab_scenarios_end; s++)
		printk("  %-22s %s\n", (*s)->name, (*s)->what);
}
