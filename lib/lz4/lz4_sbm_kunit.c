// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of LZ4 decompression in a sandbox (suite sbm_user_lz4).
 *
 * On a corpus of blocks made by the kernel's LZ4 compressor, the
 * sandboxed decompressor must give exactly what LZ4_decompress_safe()
 * gives; blocks that are truncated, corrupted or that expand beyond the
 * output (bombs) must end in a clean error, with nothing written beyond
 * the output buffer, at every isolation level.
 */

#include <kunit/static_stub.h>
#include <kunit/test.h>
#include <linux/lz4.h>
#include <linux/sbm.h>
#include <linux/sbm_lz4.h>
#include <linux/string.h>

#define LZ4_TEST_GUARD		64
#define LZ4_TEST_CANARY		0xa5
#define LZ4_TEST_MAX		65536
#define LZ4_TEST_CORRUPTIONS	40

enum lz4_test_kind { ZEROS, TEXT, RANDOM, RUNS, SAWTOOTH, NR_KINDS };

static const size_t lz4_test_sizes[] = { 16, 64, 1000, 4096, LZ4_TEST_MAX };

struct lz4_test_bufs {
	u8 *plain, *packed, *direct, *boxed, *work;
	int packed_len;
};

/* A reproducible sequence, so that a failure can be replayed. */
static u32 lz4_test_next(u32 *state)
{
	*state = *state * 1103515245 + 12345;
	return *state >> 8;
}

static void lz4_test_fill(u8 *buf, size_t len, enum lz4_test_kind kind)
{
	static const char words[] = "the quick brown fox jumps over a lazy dog ";
	u32 state = len * 31 + kind;
	size_t i;

	for (i = 0; i < len; i++) {
		switch (kind) {
		case ZEROS:
			buf[i] = 0;
			break;
		case TEXT:
			buf[i] = words[(i + lz4_test_next(&state) % 3 / 2) %
				       (sizeof(words) - 1)];
			break;
		case RANDOM:
			buf[i] = lz4_test_next(&state);
			break;
		case RUNS:
			buf[i] = (i / 37) % 5 ? 'r' : lz4_test_next(&state);
			break;
		default:
			buf[i] = i % 251;
			break;
		}
	}
}

static void lz4_test_setup(struct kunit *test, struct lz4_test_bufs *b)
{
	size_t out = LZ4_TEST_MAX + LZ4_TEST_GUARD;

	b->plain = kunit_kzalloc(test, LZ4_TEST_MAX, GFP_KERNEL);
	b->packed = kunit_kzalloc(test, LZ4_COMPRESSBOUND(LZ4_TEST_MAX),
				  GFP_KERNEL);
	b->direct = kunit_kzalloc(test, out, GFP_KERNEL);
	b->boxed = kunit_kzalloc(test, out, GFP_KERNEL);
	b->work = kunit_kzalloc(test, LZ4_MEM_COMPRESS, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, b->plain);
	KUNIT_ASSERT_NOT_NULL(test, b->packed);
	KUNIT_ASSERT_NOT_NULL(test, b->direct);
	KUNIT_ASSERT_NOT_NULL(test, b->boxed);
	KUNIT_ASSERT_NOT_NULL(test, b->work);
}

static void lz4_test_pack(struct kunit *test, struct lz4_test_bufs *b,
			  size_t len, enum lz4_test_kind kind)
{
	lz4_test_fill(b->plain, len, kind);
	b->packed_len = LZ4_compress_default(b->plain, b->packed, len,
					     LZ4_COMPRESSBOUND(len), b->work);
	KUNIT_ASSERT_GT(test, b->packed_len, 0);
}

/*
 * Decompress @src both ways into @cap bytes; the results must agree, and
 * nothing beyond @cap may be written by the sandboxed call. With
 * isolation, what a sandbox does to its output shows too: on success
 * zeroes follow the data; on failure nothing reaches the caller but in
 * the whole pages that strong isolation lends (SBM_LEND_OUT()), which
 * hold zeroes and what the decompressor wrote.
 */
static int lz4_test_both(struct kunit *test, struct lz4_test_bufs *b,
			 const u8 *src, int src_len, int cap, const char *what)
{
	int lent = sbm_level() == SBM_LEVEL_STRONG && PAGE_ALIGNED(b->boxed) ?
		   round_down(cap, PAGE_SIZE) : 0;
	int direct, boxed, i;

	memset(b->direct, 0, cap);
	memset(b->boxed, LZ4_TEST_CANARY, cap + LZ4_TEST_GUARD);
	direct = LZ4_decompress_safe(src, b->direct, src_len, cap);
	boxed = sbm_lz4_decompress_safe(NULL, src, b->boxed, src_len, cap);
	if (direct < 0)
		KUNIT_EXPECT_EQ_MSG(test, boxed, -EBADMSG, "%s", what);
	else
		KUNIT_EXPECT_EQ_MSG(test, boxed, direct, "%s", what);
	if (direct > 0 && boxed == direct)
		KUNIT_EXPECT_EQ_MSG(test, memcmp(b->direct, b->boxed, direct),
				    0, "%s", what);
	for (i = 0; i < LZ4_TEST_GUARD; i++)
		KUNIT_EXPECT_EQ_MSG(test, b->boxed[cap + i], LZ4_TEST_CANARY,
				    "%s: byte %d past the output", what, i);
	if (sbm_level() == SBM_LEVEL_NONE)
		return boxed;
	for (i = boxed < 0 ? lent : boxed; i < cap; i++) {
		if (b->boxed[i] != (boxed < 0 ? LZ4_TEST_CANARY : 0)) {
			KUNIT_FAIL(test, "%s: output byte %d is %#x", what, i,
				   b->boxed[i]);
			break;
		}
	}
	return boxed;
}

/* 25 blocks: five kinds of data, five sizes; each must round-trip. */
static void sbm_lz4_test_corpus(struct kunit *test)
{
	struct lz4_test_bufs b;
	char what[48];
	unsigned int s;
	int kind;

	lz4_test_setup(test, &b);
	for (s = 0; s < ARRAY_SIZE(lz4_test_sizes); s++) {
		for (kind = 0; kind < NR_KINDS; kind++) {
			size_t len = lz4_test_sizes[s];

			snprintf(what, sizeof(what), "kind %d, %zu bytes",
				 kind, len);
			lz4_test_pack(test, &b, len, kind);
			KUNIT_EXPECT_EQ_MSG(test,
					    lz4_test_both(test, &b, b.packed,
							  b.packed_len, len,
							  what),
					    (int)len, "%s", what);
			KUNIT_EXPECT_EQ_MSG(test, memcmp(b.boxed, b.plain, len),
					    0, "%s", what);
		}
	}
}

/* Truncations of a block of text, at about 40 points. */
static void sbm_lz4_test_truncated(struct kunit *test)
{
	struct lz4_test_bufs b;
	char what[48];
	int cut;

	lz4_test_setup(test, &b);
	lz4_test_pack(test, &b, 4096, TEXT);
	for (cut = 1; cut < b.packed_len; cut += 1 + cut / 8) {
		snprintf(what, sizeof(what), "cut to %d of %d bytes", cut,
			 b.packed_len);
		lz4_test_both(test, &b, b.packed, cut, 4096, what);
	}
}

/* Bytes of a block overwritten: tokens, lengths and offsets go wrong. */
static void sbm_lz4_test_corrupted(struct kunit *test)
{
	struct lz4_test_bufs b;
	u32 state = 42;
	char what[48];
	int i, pos;
	u8 old;

	lz4_test_setup(test, &b);
	lz4_test_pack(test, &b, 4096, RUNS);
	for (i = 0; i < LZ4_TEST_CORRUPTIONS; i++) {
		pos = lz4_test_next(&state) % b.packed_len;
		old = b.packed[pos];
		/* Never the same byte again: every case is a corruption. */
		b.packed[pos] = old ^ (1 + lz4_test_next(&state) % 255);
		snprintf(what, sizeof(what), "byte %d: %02x -> %02x", pos, old,
			 b.packed[pos]);
		lz4_test_both(test, &b, b.packed, b.packed_len, 4096, what);
		b.packed[pos] = old;
	}
}

/* A small block that expands far beyond the output it is given. */
static void sbm_lz4_test_bomb(struct kunit *test)
{
	struct lz4_test_bufs b;

	lz4_test_setup(test, &b);
	lz4_test_pack(test, &b, LZ4_TEST_MAX, ZEROS);
	KUNIT_EXPECT_LT(test, b.packed_len, 1024);
	KUNIT_EXPECT_EQ(test, lz4_test_both(test, &b, b.packed, b.packed_len,
					    4096, "bomb"), -EBADMSG);
}

/* Sizes that LZ4_decompress_safe() would take as huge unsigned ones. */
static void sbm_lz4_test_bad_sizes(struct kunit *test)
{
	u8 in[4] = { 0x10, 'a' }, out[16];

	KUNIT_EXPECT_EQ(test, sbm_lz4_decompress_safe(NULL, in, out, -1, 16),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, sbm_lz4_decompress_safe(NULL, in, out, 2, 0),
			-EINVAL);
}

/* One instance for a stream of blocks, as a caller that keeps one does. */
static void sbm_lz4_test_reused_instance(struct kunit *test)
{
	struct lz4_test_bufs b;
	struct sbm sbm;
	int kind;

	lz4_test_setup(test, &b);
	KUNIT_ASSERT_EQ(test, sbm_init(&sbm), 0);
	for (kind = 0; kind < NR_KINDS; kind++) {
		lz4_test_pack(test, &b, 4096, kind);
		KUNIT_EXPECT_EQ(test, sbm_lz4_decompress_safe(&sbm, b.packed,
							      b.boxed,
							      b.packed_len,
							      4096), 4096);
		KUNIT_EXPECT_EQ(test, memcmp(b.boxed, b.plain, 4096), 0);
	}
	KUNIT_EXPECT_EQ(test, sbm_error(&sbm), 0);
	sbm_destroy(&sbm);
}

/* What the stand-in for sbm_exec() below says the sandbox returned. */
static int lz4_test_forged;

/* Runs the call for real, then answers as a subverted decompressor could. */
static int lz4_test_forged_exec(struct sbm *sbm, sbm_func func, void *data)
{
	kunit_deactivate_static_stub(kunit_get_current_test(), sbm_exec);
	sbm_exec(sbm, func, data);
	return lz4_test_forged;
}

/*
 * A sandbox's result is the word of code a crafted block may have taken
 * over: sizes beyond the output and errors LZ4 does not return must come
 * out as a malformed block, what it can return as it is.
 */
static void sbm_lz4_test_forged_results(struct kunit *test)
{
	static const struct {
		int forged, want;
	} cases[] = {
		{ 4097, -EBADMSG }, { INT_MAX, -EBADMSG },
		{ -ENOMEM, -EBADMSG }, { -EINTR, -EBADMSG },
		{ -ERESTARTSYS, -EBADMSG }, { -EFAULT, -EBADMSG },
		{ INT_MIN, -EBADMSG }, { 4096, 4096 }, { 1, 1 },
		{ -EBADMSG, -EBADMSG },
	};
	struct lz4_test_bufs b;
	unsigned int i;

	if (sbm_level() == SBM_LEVEL_NONE)
		kunit_skip(test, "no sandbox whose result could be forged");
	lz4_test_setup(test, &b);
	lz4_test_pack(test, &b, 4096, TEXT);
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		lz4_test_forged = cases[i].forged;
		kunit_activate_static_stub(test, sbm_exec, lz4_test_forged_exec);
		KUNIT_EXPECT_EQ_MSG(test,
				    sbm_lz4_decompress_safe(NULL, b.packed,
							    b.boxed,
							    b.packed_len, 4096),
				    cases[i].want, "forged %d", cases[i].forged);
	}
}

static struct kunit_case sbm_lz4_cases[] = {
	KUNIT_CASE(sbm_lz4_test_corpus),
	KUNIT_CASE(sbm_lz4_test_truncated),
	KUNIT_CASE(sbm_lz4_test_corrupted),
	KUNIT_CASE(sbm_lz4_test_bomb),
	KUNIT_CASE(sbm_lz4_test_bad_sizes),
	KUNIT_CASE(sbm_lz4_test_reused_instance),
	KUNIT_CASE(sbm_lz4_test_forged_results),
	{}
};

static struct kunit_suite sbm_lz4_suite = {
	.name = "sbm_user_lz4",
	.test_cases = sbm_lz4_cases,
};

kunit_test_suites(&sbm_lz4_suite);

MODULE_DESCRIPTION("KUnit tests of LZ4 decompression in a SandBox Mode sandbox");
MODULE_LICENSE("GPL");
