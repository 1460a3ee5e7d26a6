#!/bin/sh
# run_fuzz.sh: build the libFuzzer harnesses of the kernel's pure parsers
# and run each for a while; used by `make fuzz` and by `make test` (suite
# "fuzz", 10 seconds each).
#
#   tests/fuzz/run_fuzz.sh BUILD [SECONDS]     (SECONDS: default $FUZZ_SECONDS, else 60)
#
# For each harness NAME (elf, cpio) it compiles tests/fuzz/fuzz_NAME.c with
# the parser under clang -fsanitize=fuzzer,address,undefined into
# BUILD/fuzz/fuzz_NAME, seeds BUILD/fuzz/corpus-NAME/ with a valid input the
# Makefile built (BUILD/host/tiny.elf, BUILD/host/initrd-test.cpio), runs
# it, and prints one line:
#
#   PASS: fuzz/NAME
#   FAIL: fuzz/NAME: <reason>           (the crashing input is kept in BUILD/fuzz/)
#   SKIP: fuzz/NAME: clang with libFuzzer not found
#
# preceded by a line of statistics (runs, executions per second).  The
# corpus is kept between runs, so each run starts where the last stopped.
# Exit status 1 if any harness failed to build or crashed, else 0.
# Environment: FUZZ_CC (default clang), WERROR=0 to not stop on warnings.
# POSIX sh.

set -u

if [ $# -lt 1 ] || [ $# -gt 2 ]; then
	echo "usage: tests/fuzz/run_fuzz.sh BUILD [SECONDS]" >&2
	exit 2
fi
SECS=${2:-${FUZZ_SECONDS:-60}}
CC=${FUZZ_CC:-clang}
NAMES="elf cpio"

# Work from the top of the tree, so sources are named by short relative
# paths; BUILD is made absolute first (it was relative to the caller).
mkdir -p "$1/fuzz" || exit 1
BUILD=$(cd "$1" && pwd)
OUT=$BUILD/fuzz
cd "$(dirname "$0")/../.." || exit 1

# Flag and source lists are expanded unquoted on purpose, to split them.
SANITIZE="-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all"
CFLAGS="-std=c11 -g -O1 -Wall -Wextra -Ikernel -I. $SANITIZE"
[ "${WERROR:-1}" = 1 ] && CFLAGS="$CFLAGS -Werror"

# fuzz_srcs NAME: the harness and the kernel sources it links.
fuzz_srcs() {
	case $1 in
	elf)  echo "tests/fuzz/fuzz_elf.c kernel/proc/elf.c kernel/lib/format.c" ;;
	cpio) echo "tests/fuzz/fuzz_cpio.c kernel/fs/cpio.c kernel/lib/format.c" ;;
	esac
}

# fuzz_seed NAME: the valid input the corpus starts from.
fuzz_seed() {
	case $1 in
	elf)  echo "$BUILD/host/tiny.elf" ;;
	cpio) echo "$BUILD/host/initrd-test.cpio" ;;
	esac
}

# clang may be there without libFuzzer's runtime (a separate package on
# some distributions): try linking an empty harness before blaming ours.
printf 'int LLVMFuzzerTestOneInput(const unsigned char *d, unsigned long n)\n{ (void)d; (void)n; return 0; }\n' \
	> "$OUT/probe.c"
# shellcheck disable=SC2086
if ! command -v "$CC" > /dev/null 2>&1 ||
   ! "$CC" $SANITIZE -o "$OUT/probe" "$OUT/probe.c" > /dev/null 2>&1; then
	for name in $NAMES; do
		echo "SKIP: fuzz/$name: clang with libFuzzer not found"
	done
	exit 0
fi

status=0
for name in $NAMES; do
	bin=$OUT/fuzz_$name
	corpus=$OUT/corpus-$name
	log=$OUT/$name.log
	seed=$(fuzz_seed "$name")

	# shellcheck disable=SC2046,SC2086
	if ! "$CC" $CFLAGS -o "$bin" $(fuzz_srcs "$name") > "$OUT/$name-build.log" 2>&1; then
		echo "FAIL: fuzz/$name: build failed: $(grep -m1 -E 'error|warning' "$OUT/$name-build.log")"
		status=1
		continue
	fi
	mkdir -p "$corpus"
	if [ -f "$seed" ]; then
		cp "$seed" "$corpus/seed-$(basename "$seed")"
	else
		echo "fuzz/$name: no seed $seed (make host builds it); starting from nothing"
	fi

	# -timeout: one input taking 10 s is a hang, reported like a crash.
	"$bin" -max_total_time="$SECS" -timeout=10 -print_final_stats=1 \
		-artifact_prefix="$OUT/$name-" "$corpus" > "$log" 2>&1
	rc=$?
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
	rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
	if [ $rc -eq 0 ]; then
		echo "fuzz/$name: ${runs:-?} runs in ${SECS} s, ${rate:-?} exec/s," \
			"corpus $(find "$corpus" -type f | wc -l) inputs"
		echo "PASS: fuzz/$name"
	else
		# The most telling line: the harness's own check, UBSan's message,
		# ASan's summary (it names file and line), else any error.
		reason=$(grep -m1 '^broken promise:' "$log" || grep -m1 'runtime error:' "$log" ||
			grep -m1 '^SUMMARY:' "$log" || grep -m1 'ERROR' "$log")
		input=$(sed -n 's/.*Test unit written to //p' "$log" | head -n 1)
		echo "FAIL: fuzz/$name: ${reason:-exit status $rc} (input ${input:-none saved}; log $log)"
		status=1
	fi
done
exit $status
