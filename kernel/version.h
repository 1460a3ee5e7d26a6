/*
 * version.h - the kernel's name and version, printed in the banner and in
 * every oops.
 */
#ifndef CANARY_VERSION_H
#define CANARY_VERSION_H

#define CANARY_NAME    "Canary"
#define CANARY_VERSION "0.1"

#endif
