#!/bin/sh
# deps.sh: check (and on Debian, install) every host tool Canary needs.
#
# Run by .ci/run before `make test`, and by hand when tools/kboot or make
# reports a missing tool.  Idempotent: when everything is present it prints
# one line and exits 0 without touching apt.  Each needed tool is mapped to
# the Debian package that ships it (the table in check_all below).
#   tools/deps.sh          check; install what is missing if root on Debian
#   tools/deps.sh --check  check and report only, never install
# Exit status: 0 all present, 1 something is (still) missing, 2 usage error.
# POSIX sh; safe with CI=true and no stdin.

set -u

MISSING_TOOLS=""   # what is missing, for the report
MISSING_PKGS=""    # the Debian packages that provide it, without repeats

# need KIND WHAT PACKAGE: record WHAT as missing unless it is present.
# KIND is cmd (a command on PATH), file, dir, or pc (a pkg-config module).
need() {
	case $1 in
	cmd) command -v "$2" >/dev/null 2>&1 && return 0 ;;
	file) [ -f "$2" ] && return 0 ;;
	dir) [ -d "$2" ] && return 0 ;;
	glob) for f in $2; do [ -f "$f" ] && return 0; done ;;
	pc) command -v pkg-config >/dev/null 2>&1 &&
		pkg-config --exists "$2" 2>/dev/null && return 0 ;;
	esac
	MISSING_TOOLS="$MISSING_TOOLS $2:$3"
	case " $MISSING_PKGS " in
	*" $3 "*) ;;
	*) MISSING_PKGS="${MISSING_PKGS:+$MISSING_PKGS }$3" ;;
	esac
	return 1
}

# check_all: the table of tools and their packages; fills the MISSING_ lists.
check_all() {
	MISSING_TOOLS=""
	MISSING_PKGS=""
	need cmd qemu-system-x86_64        qemu-system-x86
	need file /usr/share/qemu/qboot.rom qemu-system-data   # dpkg -S: qemu-system-data
	need cmd grub-mkrescue             grub-common
	need dir /usr/lib/grub/i386-pc     grub-pc-bin         # BIOS GRUB for the ISO
	need cmd xorriso                   xorriso             # used by grub-mkrescue
	need cmd mformat                   mtools              # used by grub-mkrescue
	need cmd gdb                       gdb
	need cmd pkg-config                pkg-config
	need pc check                      check               # unit tests in tests/host
	need cmd gcc                       gcc
	need cmd make                      make
	need cmd patch                     patch               # applies labs/*/bugs/*.patch
	need cmd valgrind                  valgrind            # make bench: instruction counts
	need cmd clang                     clang               # tests/fuzz: the parsers under libFuzzer
	need glob '/usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a' \
	                                   libclang-rt-14-dev  # libFuzzer itself (only recommended by clang)
	for tool in ld objcopy nm addr2line; do
		need cmd "$tool"               binutils
	done
	need cmd python3                   python3
	[ -z "$MISSING_TOOLS" ]
}

# report: one line per missing tool and the package that provides it.
report() {
	for item in $MISSING_TOOLS; do
		echo "deps: missing ${item%%:*} (Debian package ${item##*:})"
	done
}

case "${1:-}" in
--check) install=no ;;
"") install=yes ;;
-h | --help)
	sed -n '2,11s/^# \{0,1\}//p' "$0"
	exit 0 ;;
*)
	echo "usage: tools/deps.sh [--check]" >&2
	exit 2 ;;
esac

if check_all; then
	echo "deps: all tools present"
	exit 0
fi
report

if ! command -v apt-get >/dev/null 2>&1; then
	echo "deps: not a Debian-based system; install the tools above with your package manager"
	exit 1
fi
if [ "$install" = no ]; then
	echo "deps: to install: sudo apt-get install -y $MISSING_PKGS"
	exit 1
fi
if [ "$(id -u)" -ne 0 ]; then
	echo "deps: not root; run: sudo apt-get install -y $MISSING_PKGS"
	exit 1
fi

echo "deps: installing $MISSING_PKGS"
export DEBIAN_FRONTEND=noninteractive
# The package list is split into words on purpose.
# shellcheck disable=SC2086
if ! apt-get update </dev/null ||
	! apt-get install -y --no-install-recommends $MISSING_PKGS </dev/null; then
	echo "deps: apt-get failed" >&2
	exit 1
fi

if check_all; then
	echo "deps: all tools present"
	exit 0
fi
report
echo "deps: still missing after apt-get install: $MISSING_PKGS" >&2
exit 1
