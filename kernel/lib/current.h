/*
 * current.h - who is running: the name and id reports print after
 * "by task".  There are no threads yet: everything is the boot context,
 * which Linux calls swapper/0, pid 0.  The scheduler will replace these.
 */
#ifndef CANARY_LIB_CURRENT_H
#define CANARY_LIB_CURRENT_H

#include "lib/types.h"

static inline const char *current_comm(void) { return "swapper/0"; }
static inline int current_pid(void) { return 0; }

#endif
