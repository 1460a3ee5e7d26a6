/*
 * tiny.c - the smallest real static executable, linked by the Makefile
 * (gcc -static -nostdlib -no-pie, text at 0x400000) into
 * $(BUILD)/host/tiny.elf.  tests/host/test_elf.c checks that elf_parse()
 * accepts what ld really produces, and tests/fuzz/run_fuzz.sh seeds the
 * ELF fuzzer with it.  It is never run.
 *
 * Each kind of data is here so that ld emits its usual four segments:
 * headers (R), .text (RX), .rodata/.eh_frame (R), .data + .bss (RW), each
 * starting on a page of its own.
 */
static const char tiny_message[] = "tiny: read-only data\n"; /* .rodata */
int tiny_counter = 42;                                      /* .data */
int tiny_zeroes[256];                                       /* .bss: memsz > filesz */

void _start(void)
{
	/* Indexes the compiler cannot fold, so every section stays. */
	tiny_counter += tiny_message[tiny_counter & 15] + tiny_zeroes[tiny_counter & 255];
	for (;;)
		__asm__ volatile("pause");
}
