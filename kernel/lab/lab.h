/*
 * lab.h - lab scenarios: small, realistic pieces of kernel work that a
 * lab's deliberate bug breaks (lab.c runs them).
 *
 *   static void demo(void) { ... }
 *   LAB_SCENARIO(demo, "alloc-demo", "what it does");
 *
 * `lab=NAME` on the command line (or `lab NAME` in the monitor) runs one.
 * The runner brackets it with the checkers: a leak check with exact
 * accounting (every object the scenario allocated must be freed by its
 * end) and the sanitizers' report counters.  In the corrected kernel every
 * scenario ends clean; labs/<lab>/bugs/<id>.patch makes one of them fail
 * the way a real Linux bug did.
 */
#ifndef CANARY_LAB_H
#define CANARY_LAB_H

#include "lib/types.h"

struct lab_scenario {
	const char *name;
	const char *what;
	void (*fn)(void);
};

#define LAB_SCENARIO(fn, name, what)                                         \
	static const struct lab_scenario fn##_scenario = { name, what, fn }; \
	static const struct lab_scenario *const fn##_scenario_ptr            \
		__attribute__((used, section(".lab_scenarios"))) = &fn##_scenario

/* Run scenario `name`; returns the number of problems the checkers saw
 * (reports + leaks), or -1 if there is no such scenario. */
int lab_run(const char *name);
void lab_list(void);

#endif
