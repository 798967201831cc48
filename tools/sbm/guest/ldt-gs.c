// SPDX-License-Identifier: GPL-2.0-only
/*
 * Runs in the guest: a task whose GS holds an LDT selector has the kernel
 * run a sandboxed parser for it (/dev/sbm-cpio parses on read), then checks
 * that its GS selector and the base it stands for survived. Usage: ldt-gs ARCHIVE. Prints the listing,
 * then "gs ok" or what went wrong; exits non-zero on failure.
 */
#include <asm/ldt.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

/* LDT entry 0, requested privilege level 3. */
#define LDT_SELECTOR	((0 << 3) | 4 | 3)

/* What GS points at through the LDT entry: read back as %gs:0. */
static unsigned int gs_target = 0x5a5a1234;

static unsigned int read_through_gs(void)
{
	unsigned int v;

	asm volatile("movl %%gs:0, %0" : "=r" (v));
	return v;
}

static unsigned short read_gs(void)
{
	unsigned short gs;

	asm volatile("mov %%gs, %0" : "=r" (gs));
	return gs;
}

int main(int argc, char **argv)
{
	struct user_desc desc = {
		.entry_number = 0,
		.base_addr = (unsigned long)&gs_target,
		.limit = 0xfffff,
		.seg_32bit = 1,
		.limit_in_pages = 1,
		.useable = 1,
	};
	unsigned short sel = LDT_SELECTOR;
	char buf[4096];
	ssize_t len, n;
	int in, dev;

	if ((unsigned long)&gs_target > 0xffffffffUL) {
		fprintf(stderr, "ldt-gs: build with -no-pie (32-bit LDT base)\n");
		return 2;
	}
	if (argc != 2) {
		fprintf(stderr, "usage: ldt-gs ARCHIVE\n");
		return 2;
	}
	in = open(argv[1], O_RDONLY);
	dev = open("/dev/sbm-cpio", O_RDWR);
	if (in < 0 || dev < 0) {
		perror("open");
		return 1;
	}
	len = read(in, buf, sizeof(buf));
	if (len <= 0 || write(dev, buf, len) != len) {
		perror("archive");
		return 1;
	}
	if (syscall(SYS_modify_ldt, 1, &desc, sizeof(desc))) {
		perror("modify_ldt");
		return 1;
	}
	asm volatile("mov %0, %%gs" : : "r" (sel));
	/* The sandbox runs in this read(), with the LDT selector in GS. */
	n = read(dev, buf, sizeof(buf) - 1);
	if (n < 0) {
		perror("read");
		return 1;
	}
	if (n > 0 && buf[n - 1] == '\n')
		n--;
	buf[n] = '\0';
	if (read_gs() != sel) {
		printf("%s gs lost: %#x\n", buf, read_gs());
		return 1;
	}
	if (read_through_gs() != gs_target) {
		printf("%s gs base lost: %%gs:0 reads %#x\n", buf,
		       read_through_gs());
		return 1;
	}
	printf("%s gs ok\n", buf);
	return 0;
}
