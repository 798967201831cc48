// SPDX-License-Identifier: GPL-2.0-only
/*
 * SandBox Mode benchmark: what a sandboxed call costs next to a direct
 * call of the same parser and a memcpy() of the same buffer, at the level
 * this kernel runs. Built as a module only; loading it runs every row
 * once and prints one line per row, which tools/sbm/sbm bench collects:
 *
 *   sbm_bench: level=strong row=warm size=4096 calls=64 median_ns=...
 *
 * Each row is timed in batches of calls; a row's figures are the median,
 * minimum and maximum over its batches of the time per call, in
 * nanoseconds of ktime_get_ns(). Under QEMU with -icount shift=0 a
 * nanosecond of guest time is one guest instruction, which makes the
 * figures deterministic.
 *
 * The warm rows also count, per call, what isolation costs in expensive
 * operations: page allocations (the vm event counters), TLB-flush and
 * function-call IPIs (how a kernel TLB flush reaches other CPUs) received
 * by any CPU, and with strong isolation the sandbox entries and the
 * INVLPGs they issue (see sbm_events()). The counters are system-wide:
 * run the benchmark on an otherwise idle system.
 *
 * Then the same warm 64-byte call on every online CPU at once, one
 * instance each (row parallel): the median over the CPUs of each one's
 * time per call; the time from the start of all the loops to the end of
 * the last (elapsed_ns), and the same for the same loop on one CPU alone
 * (solo_ns, solo_calls); and the IPIs all of them caused. Under -icount
 * every CPU's instructions advance the one guest clock, so each CPU's own
 * time per call grows with the number of CPUs by construction, while
 * elapsed_ns / calls is what a call costs the whole system, which must
 * not; on other clocks each CPU's own time per call must not grow.
 *
 * Then the real users: the sandboxed LZ4, zlib and zstd decompressors,
 * warm, next to the kernel's own, on the same compressed text (rows
 * lz4_direct, lz4_warm, zlib_direct, zlib_warm, zstd_direct and zstd_warm,
 * 4 KiB to 1 MiB decompressed).
 */

#define pr_fmt(fmt) "sbm_bench: " fmt

#include <linux/completion.h>
#include <linux/cpumask.h>
#include <linux/hardirq.h>
#include <linux/kernel.h>
#include <linux/kthread.h>
#include <linux/ktime.h>
#include <linux/lz4.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/random.h>
#include <linux/sbm.h>
#include <linux/sbm_lz4.h>
#include <linux/sbm_zlib.h>
#include <linux/sbm_zstd.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/vmalloc.h>
#include <linux/vmstat.h>
#include <linux/zlib.h>
#include <linux/zstd.h>

#define BENCH_BATCHES		9
/* Calls per batch: enough bytes for a stable figure, at least one call. */
#define BENCH_BATCH_BYTES	(256 * 1024)
#define BENCH_MAX_CALLS		64

static const size_t bench_sizes[] = { 64, 4096, 65536, 1048576 };
static const size_t bench_user_sizes[] = { 4096, 65536, 1048576 };
/* The decompressor rows need the sandboxed copy and the compressor. */
#define BENCH_LZ4	(IS_REACHABLE(CONFIG_LZ4_DECOMPRESS_SANDBOXED) && \
			 IS_REACHABLE(CONFIG_LZ4_COMPRESS))
#define BENCH_ZLIB	(IS_REACHABLE(CONFIG_ZLIB_INFLATE_SANDBOXED) && \
			 IS_REACHABLE(CONFIG_ZLIB_DEFLATE))
#define BENCH_ZSTD	(IS_REACHABLE(CONFIG_ZSTD_DECOMPRESS_SANDBOXED) && \
			 IS_REACHABLE(CONFIG_ZSTD_COMPRESS))
/* zstd's default level, as squashfs-tools and btrfs use it. */
#define BENCH_ZSTD_LEVEL	3

/* The parser: a checksum of its input, the spec's own kind of call. */
static __sbm_text __no_stack_protector int
bench_parse(const u8 *in, u32 *out, unsigned long len);
SBM_DEFINE_CALL(bench_parse, const u8 *, in, u32 *, out, unsigned long, len)
SBM_DEFINE_THUNK(bench_parse, const u8 *, in, u32 *, out, unsigned long, len)

static noinline int bench_parse(const u8 *in, u32 *out, unsigned long len)
{
	unsigned long i;
	u32 sum = 0;

	for (i = 0; i < len; i++)
		sum = (sum << 1 | sum >> 31) + in[i];
	*out = sum;
	return 0;
}

struct bench_ctx {
	const u8 *in;
	u8 *copy;
	size_t size;
	struct sbm sbm;
	u32 out;
	int err;
	/* The decompressor rows: @in compressed, and inflate's workspace. */
	int packed_len;
	void *workspace;
};

typedef void (*bench_fn)(struct bench_ctx *ctx);

static void bench_direct(struct bench_ctx *ctx)
{
	bench_parse(ctx->in, &ctx->out, ctx->size);
}

static void bench_memcpy(struct bench_ctx *ctx)
{
	memcpy(ctx->copy, ctx->in, ctx->size);
	barrier();
}

static int bench_call(struct sbm *sbm, struct bench_ctx *ctx)
{
	return sbm_call(sbm, bench_parse,
			SBM_COPY_IN(sbm, ctx->in, ctx->size),
			SBM_COPY_OUT(sbm, &ctx->out, sizeof(ctx->out)),
			(unsigned long)ctx->size);
}

static void bench_warm(struct bench_ctx *ctx)
{
	if (bench_call(&ctx->sbm, ctx) && !ctx->err)
		ctx->err = sbm_error(&ctx->sbm) ?: -EIO;
}

static void bench_cold(struct bench_ctx *ctx)
{
	struct sbm sbm;
	int err;

	err = sbm_init(&sbm);
	if (!err)
		err = bench_call(&sbm, ctx);
	sbm_destroy(&sbm);
	if (err && !ctx->err)
		ctx->err = err;
}

/* A decompressor row's result: all of @size bytes, or an error. */
static void bench_check(struct bench_ctx *ctx, int ret)
{
	if ((ret < 0 || ret != (int)ctx->size) && !ctx->err)
		ctx->err = ret < 0 ? ret : -EIO;
}

static void bench_lz4_direct(struct bench_ctx *ctx)
{
	bench_check(ctx, LZ4_decompress_safe(ctx->in, ctx->copy,
					     ctx->packed_len, ctx->size));
}

static void bench_lz4_warm(struct bench_ctx *ctx)
{
	bench_check(ctx, sbm_lz4_decompress_safe(&ctx->sbm, ctx->in,
						 ctx->copy, ctx->packed_len,
						 ctx->size));
}

static void bench_zlib_direct(struct bench_ctx *ctx)
{
	z_stream s = { .workspace = ctx->workspace };

	if (zlib_inflateInit2(&s, MAX_WBITS) != Z_OK) {
		bench_check(ctx, -EINVAL);
		return;
	}
	s.next_in = ctx->in;
	s.avail_in = ctx->packed_len;
	s.next_out = ctx->copy;
	s.avail_out = ctx->size;
	bench_check(ctx, zlib_inflate(&s, Z_FINISH) == Z_STREAM_END ?
			 (int)s.total_out : -EBADMSG);
}

static void bench_zlib_warm(struct bench_ctx *ctx)
{
	bench_check(ctx, sbm_zlib_inflate(&ctx->sbm, ctx->workspace, ctx->in,
					  ctx->packed_len, ctx->copy,
					  ctx->size, MAX_WBITS));
}

static void bench_zstd_direct(struct bench_ctx *ctx)
{
	zstd_dctx *dctx = zstd_init_dctx(ctx->workspace,
					 zstd_dctx_workspace_bound());
	size_t ret;

	if (!dctx) {
		bench_check(ctx, -EINVAL);
		return;
	}
	ret = zstd_decompress_dctx(dctx, ctx->copy, ctx->size, ctx->in,
				   ctx->packed_len);
	bench_check(ctx, zstd_is_error(ret) ? -EBADMSG : (int)ret);
}

static void bench_zstd_warm(struct bench_ctx *ctx)
{
	bench_check(ctx, sbm_zstd_decompress(&ctx->sbm, ctx->workspace,
					     ctx->in, ctx->packed_len,
					     ctx->copy, ctx->size));
}

static int bench_cmp(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

static unsigned long bench_pgalloc(void)
{
	unsigned long *ev, sum = 0;
	int zone;

	ev = kcalloc(NR_VM_EVENT_ITEMS, sizeof(*ev), GFP_KERNEL);
	if (!ev)
		return 0;
	all_vm_events(ev);
	for (zone = 0; zone < MAX_NR_ZONES; zone++)
		sum += ev[PGALLOC_NORMAL - ZONE_NORMAL + zone];
	kfree(ev);
	return sum;
}

static unsigned long bench_ipis(void)
{
	unsigned long sum = 0;
#if defined(CONFIG_X86) && defined(CONFIG_SMP)
	int cpu;

	/* A kernel TLB flush goes out as a function call, a user one not. */
	for_each_possible_cpu(cpu)
		sum += per_cpu(irq_stat, cpu).counts[IRQ_COUNT_TLB] +
		       per_cpu(irq_stat, cpu).counts[IRQ_COUNT_CALL_FUNCTION];
#endif
	return sum;
}

/* Time @fn on @ctx; print the row. Returns the calls per batch. */
static unsigned int bench_row(const char *row, bench_fn fn,
			      struct bench_ctx *ctx)
{
	unsigned int calls = clamp_t(size_t, BENCH_BATCH_BYTES / ctx->size, 1,
				     BENCH_MAX_CALLS);
	u64 per_call[BENCH_BATCHES];
	unsigned int b, i;

	ctx->err = 0;
	fn(ctx);	/* Warm caches, and a warm instance's page tables. */
	for (b = 0; b < BENCH_BATCHES; b++) {
		u64 start = ktime_get_ns();

		for (i = 0; i < calls; i++)
			fn(ctx);
		per_call[b] = div_u64(ktime_get_ns() - start, calls);
		cond_resched();
	}
	sort(per_call, BENCH_BATCHES, sizeof(u64), bench_cmp, NULL);
	pr_info("level=%s row=%s size=%zu calls=%u median_ns=%llu min_ns=%llu max_ns=%llu%s\n",
		sbm_level_name(sbm_level()), row, ctx->size,
		calls * BENCH_BATCHES, per_call[BENCH_BATCHES / 2],
		per_call[0], per_call[BENCH_BATCHES - 1],
		ctx->err ? " error" : "");
	return calls;
}

/* What @calls more warm calls cost in expensive operations. */
static void bench_count(struct bench_ctx *ctx, unsigned int calls)
{
	struct sbm_events ev0 = {}, ev1 = {};
	unsigned long pages, ipis;
	unsigned int i;

	/*
	 * The vmalloc areas earlier rows freed are unmapped lazily, with a
	 * kernel TLB flush on every CPU: do it now, so that the IPIs counted
	 * below are the calls' own.
	 */
	vm_unmap_aliases();
	pages = bench_pgalloc();
	ipis = bench_ipis();
	sbm_events(&ev0);
	for (i = 0; i < calls; i++)
		bench_warm(ctx);
	sbm_events(&ev1);
	pages = bench_pgalloc() - pages;
	ipis = bench_ipis() - ipis;
	pr_info("level=%s row=counts size=%zu calls=%u pages_per_call=%lu.%02lu ipis_per_call=%lu.%02lu entries_per_call=%lu.%02lu invlpg_per_call=%lu.%02lu\n",
		sbm_level_name(sbm_level()), ctx->size, calls,
		pages / calls, pages * 100 / calls % 100,
		ipis / calls, ipis * 100 / calls % 100,
		(ev1.entries - ev0.entries) / calls,
		(ev1.entries - ev0.entries) * 100 / calls % 100,
		(ev1.invlpg - ev0.invlpg) / calls,
		(ev1.invlpg - ev0.invlpg) * 100 / calls % 100);
	/* The writes of the entries and exits, on a line of their own. */
	pr_info("level=%s row=writes size=%zu calls=%u cr3_per_call=%lu.%02lu lidt_per_call=%lu.%02lu msr_per_call=%lu.%02lu cr0_cr4_per_call=%lu.%02lu wrpkru_per_call=%lu.%02lu\n",
		sbm_level_name(sbm_level()), ctx->size, calls,
		(ev1.cr3_writes - ev0.cr3_writes) / calls,
		(ev1.cr3_writes - ev0.cr3_writes) * 100 / calls % 100,
		(ev1.idt_loads - ev0.idt_loads) / calls,
		(ev1.idt_loads - ev0.idt_loads) * 100 / calls % 100,
		(ev1.msr_writes - ev0.msr_writes) / calls,
		(ev1.msr_writes - ev0.msr_writes) * 100 / calls % 100,
		(ev1.cr_writes - ev0.cr_writes) / calls,
		(ev1.cr_writes - ev0.cr_writes) * 100 / calls % 100,
		(ev1.pkru_writes - ev0.pkru_writes) / calls,
		(ev1.pkru_writes - ev0.pkru_writes) * 100 / calls % 100);
}

static int bench_size(size_t size)
{
	struct bench_ctx ctx = { .size = size };
	u8 *in;
	int err;

	in = kvmalloc(size, GFP_KERNEL);
	ctx.copy = kvmalloc(size, GFP_KERNEL);
	if (!in || !ctx.copy) {
		err = -ENOMEM;
		goto out;
	}
	get_random_bytes(in, size);
	ctx.in = in;

	bench_row("direct", bench_direct, &ctx);
	bench_row("memcpy", bench_memcpy, &ctx);
	err = sbm_init(&ctx.sbm);
	if (!err) {
		bench_count(&ctx, bench_row("warm", bench_warm, &ctx));
		err = ctx.err;
	}
	sbm_destroy(&ctx.sbm);
	bench_row("cold", bench_cold, &ctx);
	err = err ?: ctx.err;
out:
	kvfree(ctx.copy);
	kvfree(in);
	return err;
}

#define BENCH_PARALLEL_CALLS	256

/* What the CPUs of the parallel row share. */
struct bench_race {
	struct completion go, looped, release;
	atomic_t looping;
};

/* One CPU's part of the parallel row. */
struct bench_cpu {
	struct bench_race *race;
	struct completion ready, done;
	u64 per_call;
	int err;
};

static int bench_cpu_thread(void *arg)
{
	struct bench_cpu *bc = arg;
	struct bench_race *race = bc->race;
	u8 in[64] = { 1, 2, 3 };
	struct bench_ctx ctx = { .in = in, .size = sizeof(in) };
	unsigned int i;
	u64 start;

	bc->err = sbm_init(&ctx.sbm);
	if (!bc->err)
		bench_warm(&ctx);	/* The instance's copies, once. */
	complete(&bc->ready);
	wait_for_completion(&race->go);
	start = ktime_get_ns();
	for (i = 0; !bc->err && i < BENCH_PARALLEL_CALLS; i++)
		bench_warm(&ctx);
	bc->per_call = div_u64(ktime_get_ns() - start, BENCH_PARALLEL_CALLS);
	/* The last loop to end stops the clock; tearing down is not timed. */
	if (atomic_dec_and_test(&race->looping))
		complete(&race->looped);
	wait_for_completion(&race->release);
	bc->err = bc->err ?: ctx.err;
	sbm_destroy(&ctx.sbm);
	complete(&bc->done);
	return 0;
}

/*
 * Warm 64-byte calls on @nr online CPUs at once, each on its own: each
 * one's time per call in @per_call (sorted), the time all the loops took
 * and the IPIs they caused.
 */
static int bench_race(unsigned int nr, u64 *per_call, u64 *elapsed,
		      unsigned long *ipis)
{
	struct bench_race race;
	struct bench_cpu *bc;
	unsigned int cpu, n = 0, i;
	int err = 0;

	bc = kcalloc(nr, sizeof(*bc), GFP_KERNEL);
	if (!bc)
		return -ENOMEM;
	init_completion(&race.go);
	init_completion(&race.looped);
	init_completion(&race.release);
	cpus_read_lock();
	for_each_online_cpu(cpu) {
		struct task_struct *t;

		if (n == nr)
			break;
		init_completion(&bc[n].ready);
		init_completion(&bc[n].done);
		bc[n].race = &race;
		t = kthread_create_on_cpu(bench_cpu_thread, &bc[n], cpu,
					  "sbm_bench/%u");
		if (IS_ERR(t)) {
			err = PTR_ERR(t);
			break;
		}
		wake_up_process(t);
		n++;
	}
	cpus_read_unlock();
	atomic_set(&race.looping, n);
	for (i = 0; i < n; i++)
		wait_for_completion(&bc[i].ready);
	*ipis = bench_ipis();
	*elapsed = ktime_get_ns();
	complete_all(&race.go);
	if (n)
		wait_for_completion(&race.looped);
	*elapsed = ktime_get_ns() - *elapsed;
	*ipis = bench_ipis() - *ipis;
	complete_all(&race.release);
	for (i = 0; i < n; i++) {
		wait_for_completion(&bc[i].done);
		per_call[i] = bc[i].per_call;
		err = err ?: bc[i].err;
	}
	if (!err && n < nr)
		err = -ENODEV;
	sort(per_call, n, sizeof(u64), bench_cmp, NULL);
	kfree(bc);
	return err;
}

/* The parallel row: every online CPU at once, after one CPU alone. */
static int bench_parallel(void)
{
	unsigned int nr = num_online_cpus();
	u64 *per_call, elapsed, solo;
	unsigned long ipis;
	int err;

	per_call = kcalloc(nr, sizeof(*per_call), GFP_KERNEL);
	if (!per_call)
		return -ENOMEM;
	err = bench_race(1, per_call, &solo, &ipis);
	if (!err)
		err = bench_race(nr, per_call, &elapsed, &ipis);
	if (!err)
		pr_info("level=%s row=parallel size=64 cpus=%u calls=%u median_ns=%llu min_ns=%llu max_ns=%llu elapsed_ns=%llu solo_ns=%llu solo_calls=%u ipis_per_call=%lu.%02lu\n",
			sbm_level_name(sbm_level()), nr,
			nr * BENCH_PARALLEL_CALLS, per_call[nr / 2], per_call[0],
			per_call[nr - 1], elapsed, solo, BENCH_PARALLEL_CALLS,
			ipis / (nr * BENCH_PARALLEL_CALLS),
			ipis * 100 / (nr * BENCH_PARALLEL_CALLS) % 100);
	kfree(per_call);
	return err;
}

/* Text, as file systems hold: words, with some randomness. */
static void bench_fill_text(u8 *buf, size_t size)
{
	static const char words[] = "sandboxed parsers of untrusted data ";
	u32 r = 0;
	size_t i;

	for (i = 0; i < size; i++) {
		if (i % 64 == 0)
			r = get_random_u32();
		buf[i] = words[(i + (r >> (i % 32) & 1)) % (sizeof(words) - 1)];
	}
}

static int bench_lz4(struct bench_ctx *ctx, u8 *plain, u8 *packed)
{
	void *wrkmem = kvmalloc(LZ4_MEM_COMPRESS, GFP_KERNEL);
	int err;

	if (!wrkmem)
		return -ENOMEM;
	ctx->packed_len = LZ4_compress_default(plain, packed, ctx->size,
					       LZ4_COMPRESSBOUND(ctx->size),
					       wrkmem);
	kvfree(wrkmem);
	if (ctx->packed_len <= 0)
		return -EIO;
	bench_row("lz4_direct", bench_lz4_direct, ctx);
	err = sbm_init(&ctx->sbm);
	if (!err)
		bench_row("lz4_warm", bench_lz4_warm, ctx);
	sbm_destroy(&ctx->sbm);
	return err ?: ctx->err;
}

static int bench_zlib(struct bench_ctx *ctx, u8 *plain, u8 *packed)
{
	z_stream s = {};
	int err;

	s.workspace = kvmalloc(zlib_deflate_workspacesize(MAX_WBITS,
							  DEF_MEM_LEVEL),
			       GFP_KERNEL);
	if (!s.workspace)
		return -ENOMEM;
	err = zlib_deflateInit2(&s, Z_DEFAULT_COMPRESSION, Z_DEFLATED,
				MAX_WBITS, DEF_MEM_LEVEL, Z_DEFAULT_STRATEGY);
	if (err == Z_OK) {
		s.next_in = plain;
		s.avail_in = ctx->size;
		s.next_out = packed;
		s.avail_out = deflateBound(ctx->size);
		err = zlib_deflate(&s, Z_FINISH) == Z_STREAM_END ? 0 : -EIO;
		zlib_deflateEnd(&s);
	} else {
		err = -EINVAL;
	}
	kvfree(s.workspace);
	if (err)
		return err;
	ctx->packed_len = s.total_out;
	ctx->workspace = kvmalloc(zlib_inflate_workspacesize(), GFP_KERNEL);
	if (!ctx->workspace)
		return -ENOMEM;
	bench_row("zlib_direct", bench_zlib_direct, ctx);
	err = sbm_init(&ctx->sbm);
	if (!err)
		bench_row("zlib_warm", bench_zlib_warm, ctx);
	sbm_destroy(&ctx->sbm);
	kvfree(ctx->workspace);
	return err ?: ctx->err;
}

static int bench_zstd(struct bench_ctx *ctx, u8 *plain, u8 *packed)
{
	zstd_parameters params = zstd_get_params(BENCH_ZSTD_LEVEL, ctx->size);
	size_t size = zstd_cctx_workspace_bound(&params.cParams), ret;
	void *work = kvmalloc(size, GFP_KERNEL);
	zstd_cctx *cctx = work ? zstd_init_cctx(work, size) : NULL;
	int err;

	ret = cctx ? zstd_compress_cctx(cctx, packed,
					zstd_compress_bound(ctx->size), plain,
					ctx->size, &params) : 0;
	kvfree(work);
	if (!work)
		return -ENOMEM;
	if (!cctx || zstd_is_error(ret))
		return -EIO;
	ctx->packed_len = ret;
	/* Both decoders' workspaces are the same size: the same source. */
	ctx->workspace = kvmalloc(max(zstd_dctx_workspace_bound(),
				      sbm_zstd_workspace_size()), GFP_KERNEL);
	if (!ctx->workspace)
		return -ENOMEM;
	bench_row("zstd_direct", bench_zstd_direct, ctx);
	err = sbm_init(&ctx->sbm);
	if (!err)
		bench_row("zstd_warm", bench_zstd_warm, ctx);
	sbm_destroy(&ctx->sbm);
	kvfree(ctx->workspace);
	return err ?: ctx->err;
}

/* The decompressors of @size bytes: each compresses the same text. */
static int bench_users(size_t size)
{
	size_t bound = max_t(size_t, LZ4_COMPRESSBOUND(size),
			     deflateBound(size));
	struct bench_ctx ctx = { .size = size };
	u8 *plain, *packed;
	int err = -ENOMEM;

	if (BENCH_ZSTD)
		bound = max(bound, zstd_compress_bound(size));
	plain = kvmalloc(size, GFP_KERNEL);
	packed = kvmalloc(bound, GFP_KERNEL);
	ctx.copy = kvmalloc(size, GFP_KERNEL);
	if (!plain || !packed || !ctx.copy)
		goto out;
	bench_fill_text(plain, size);
	ctx.in = packed;
	err = BENCH_LZ4 ? bench_lz4(&ctx, plain, packed) : 0;
	if (!err && BENCH_ZLIB)
		err = bench_zlib(&ctx, plain, packed);
	if (!err && BENCH_ZSTD)
		err = bench_zstd(&ctx, plain, packed);
out:
	kvfree(ctx.copy);
	kvfree(packed);
	kvfree(plain);
	return err;
}

static int __init sbm_bench_init(void)
{
	unsigned int i;
	int err;

	for (i = 0; i < ARRAY_SIZE(bench_sizes); i++) {
		err = bench_size(bench_sizes[i]);
		if (err) {
			pr_err("size %zu: error %d\n", bench_sizes[i], err);
			return err;
		}
	}
	err = bench_parallel();
	if (err) {
		pr_err("parallel: error %d\n", err);
		return err;
	}
	for (i = 0; i < ARRAY_SIZE(bench_user_sizes); i++) {
		if (!BENCH_LZ4 && !BENCH_ZLIB && !BENCH_ZSTD)
			break;
		err = bench_users(bench_user_sizes[i]);
		if (err) {
			pr_err("decompressors, size %zu: error %d\n",
			       bench_user_sizes[i], err);
			return err;
		}
	}
	pr_info("level=%s done\n", sbm_level_name(sbm_level()));
	return 0;
}
module_init(sbm_bench_init);

static void __exit sbm_bench_exit(void)
{
}
module_exit(sbm_bench_exit);

MODULE_DESCRIPTION("SandBox Mode benchmark");
MODULE_LICENSE("GPL");
