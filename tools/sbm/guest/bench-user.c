// SPDX-License-Identifier: GPL-2.0-only
/*
 * The user-space rows of `sbm bench`, run in the guest: a getppid()
 * round trip, and a round trip through two pipes to a helper process that
 * runs the same checksum as the kernel's benchmark parser on the same
 * number of bytes (what a user-mode helper would cost instead of a
 * sandbox). Prints lines in the format of the kernel module's:
 *
 *   sbm_bench: level=user row=pipe size=4096 calls=... median_ns=...
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define BATCHES		9
#define BATCH_BYTES	(256 * 1024)
#define MAX_CALLS	64
#define SYSCALLS	1000

static const size_t sizes[] = { 64, 4096, 65536, 1048576 };

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + ts.tv_nsec;
}

static int cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static void report(const char *row, size_t size, unsigned int calls,
		   uint64_t *per_call)
{
	qsort(per_call, BATCHES, sizeof(*per_call), cmp);
	printf("sbm_bench: level=user row=%s size=%zu calls=%u median_ns=%llu min_ns=%llu max_ns=%llu\n",
	       row, size, calls * BATCHES,
	       (unsigned long long)per_call[BATCHES / 2],
	       (unsigned long long)per_call[0],
	       (unsigned long long)per_call[BATCHES - 1]);
}

static uint32_t parse(const unsigned char *in, size_t len)
{
	uint32_t sum = 0;
	size_t i;

	for (i = 0; i < len; i++)
		sum = (sum << 1 | sum >> 31) + in[i];
	return sum;
}

static int full(ssize_t (*op)(int, void *, size_t), int fd, void *buf,
		size_t len)
{
	size_t done = 0;

	while (done < len) {
		ssize_t n = op(fd, (char *)buf + done, len - done);

		if (n <= 0)
			return -1;
		done += n;
	}
	return 0;
}

static ssize_t do_write(int fd, void *buf, size_t len)
{
	return write(fd, buf, len);
}

/* The helper: reads a length and that many bytes, answers the checksum. */
static void helper(int in, int out, unsigned char *buf)
{
	uint64_t len;
	uint32_t sum;

	while (!full(read, in, &len, sizeof(len)) &&
	       !full(read, in, buf, len)) {
		sum = parse(buf, len);
		if (full(do_write, out, &sum, sizeof(sum)))
			break;
	}
	exit(0);
}

static void bench_getppid(void)
{
	uint64_t per_call[BATCHES];
	unsigned int b, i;

	for (b = 0; b < BATCHES; b++) {
		uint64_t start = now_ns();

		for (i = 0; i < SYSCALLS; i++)
			syscall(SYS_getppid);
		per_call[b] = (now_ns() - start) / SYSCALLS;
	}
	report("getppid", 0, SYSCALLS, per_call);
}

static int bench_pipe(unsigned char *buf, unsigned char *helper_buf)
{
	int to[2], from[2];
	unsigned int s, b, i;
	pid_t pid;

	if (pipe(to) || pipe(from))
		return -1;
	pid = fork();
	if (pid < 0)
		return -1;
	if (!pid) {
		close(to[1]);
		close(from[0]);
		helper(to[0], from[1], helper_buf);
	}
	close(to[0]);
	close(from[1]);
	for (s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
		uint64_t len = sizes[s], per_call[BATCHES];
		unsigned int calls = BATCH_BYTES / len;
		uint32_t sum;

		calls = calls < 1 ? 1 : calls > MAX_CALLS ? MAX_CALLS : calls;
		for (b = 0; b < BATCHES; b++) {
			uint64_t start = now_ns();

			for (i = 0; i < calls; i++)
				if (full(do_write, to[1], &len, sizeof(len)) ||
				    full(do_write, to[1], buf, len) ||
				    full(read, from[0], &sum, sizeof(sum)) ||
				    sum != parse(buf, len))
					return -1;
			per_call[b] = (now_ns() - start) / calls;
		}
		report("pipe", len, calls, per_call);
	}
	close(to[1]);
	close(from[0]);
	waitpid(pid, NULL, 0);
	return 0;
}

int main(void)
{
	size_t max = sizes[sizeof(sizes) / sizeof(sizes[0]) - 1];
	unsigned char *buf = malloc(max), *helper_buf = malloc(max);
	size_t i;

	if (!buf || !helper_buf)
		return 1;
	for (i = 0; i < max; i++)
		buf[i] = (unsigned char)(i * 2654435761u >> 24);
	setvbuf(stdout, NULL, _IOLBF, 0);
	bench_getppid();
	if (bench_pipe(buf, helper_buf)) {
		perror("sbm_bench: pipe row");
		return 1;
	}
	return 0;
}
