/*
 * checkers.h - how many reports every run-time checker has printed since
 * boot (KASAN, UBSAN, the hung-task watchdog, lockdep).  The in-kernel test
 * framework and the lab runner compare this before and after a test or a
 * scenario: a report nobody asked for is a failure.
 */
#ifndef CANARY_LIB_CHECKERS_H
#define CANARY_LIB_CHECKERS_H

#include "lib/types.h"
#include "lib/ubsan.h"
#include "mm/kasan.h"
#include "sched/hung_task.h"
#include "sched/lockdep.h"

static inline u64 checker_report_count(void)
{
	return kasan_report_count() + ubsan_report_count() + hung_task_report_count() +
	       lockdep_report_count();
}

#endif
