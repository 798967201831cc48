// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of zlib inflate in a sandbox (suite sbm_user_zlib).
 *
 * On a corpus of streams made by the kernel's deflate (zlib and raw, at
 * several levels), the sandboxed inflate must give exactly what the
 * kernel's inflate gives; streams that are truncated, corrupted or that
 * expand beyond the output (bombs) must end in a clean error, with nothing
 * written beyond the output buffer, at every isolation level.
 */

#include <kunit/static_stub.h>
#include <kunit/test.h>
#include <linux/sbm.h>
#include <linux/sbm_zlib.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/zlib.h>

#define ZLIB_TEST_GUARD		64
#define ZLIB_TEST_CANARY	0xa5
#define ZLIB_TEST_MAX		65536
#define ZLIB_TEST_CORRUPTIONS	40

enum zlib_test_kind { ZEROS, TEXT, RANDOM, RUNS, SAWTOOTH, NR_KINDS };

static const size_t zlib_test_sizes[] = { 16, 64, 1000, 4096, ZLIB_TEST_MAX };

struct zlib_test_bufs {
	u8 *plain, *packed, *direct, *boxed;
	void *inflate_ws, *deflate_ws;
	int packed_len;
};

/* A reproducible sequence, so that a failure can be replayed. */
static u32 zlib_test_next(u32 *state)
{
	*state = *state * 1103515245 + 12345;
	return *state >> 8;
}

static void zlib_test_fill(u8 *buf, size_t len, enum zlib_test_kind kind)
{
	static const char words[] = "pack my box with five dozen liquor jugs ";
	u32 state = len * 17 + kind;
	size_t i;

	for (i = 0; i < len; i++) {
		switch (kind) {
		case ZEROS:
			buf[i] = 0;
			break;
		case TEXT:
			buf[i] = words[(i + zlib_test_next(&state) % 3 / 2) %
				       (sizeof(words) - 1)];
			break;
		case RANDOM:
			buf[i] = zlib_test_next(&state);
			break;
		case RUNS:
			buf[i] = (i / 29) % 4 ? 'z' : zlib_test_next(&state);
			break;
		default:
			buf[i] = i % 241;
			break;
		}
	}
}

KUNIT_DEFINE_ACTION_WRAPPER(zlib_test_kvfree, kvfree, const void *);
KUNIT_DEFINE_ACTION_WRAPPER(zlib_test_sbm_destroy, sbm_destroy, struct sbm *);

static void zlib_test_setup(struct kunit *test, struct zlib_test_bufs *b)
{
	size_t out = ZLIB_TEST_MAX + ZLIB_TEST_GUARD;

	b->plain = kunit_kzalloc(test, ZLIB_TEST_MAX, GFP_KERNEL);
	b->packed = kunit_kzalloc(test, deflateBound(ZLIB_TEST_MAX),
				  GFP_KERNEL);
	b->direct = kunit_kzalloc(test, out, GFP_KERNEL);
	b->boxed = kunit_kzalloc(test, out, GFP_KERNEL);
	b->inflate_ws = kunit_kzalloc(test, zlib_inflate_workspacesize(),
				      GFP_KERNEL);
	/* Too large for kmalloc to find reliably in one piece. */
	b->deflate_ws = kvmalloc(zlib_deflate_workspacesize(MAX_WBITS,
							    DEF_MEM_LEVEL),
				 GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, b->deflate_ws);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, zlib_test_kvfree,
							b->deflate_ws), 0);
	KUNIT_ASSERT_NOT_NULL(test, b->plain);
	KUNIT_ASSERT_NOT_NULL(test, b->packed);
	KUNIT_ASSERT_NOT_NULL(test, b->direct);
	KUNIT_ASSERT_NOT_NULL(test, b->boxed);
	KUNIT_ASSERT_NOT_NULL(test, b->inflate_ws);
}

static void zlib_test_pack(struct kunit *test, struct zlib_test_bufs *b,
			   size_t len, enum zlib_test_kind kind, int level,
			   int window_bits)
{
	z_stream s = { .workspace = b->deflate_ws };

	zlib_test_fill(b->plain, len, kind);
	KUNIT_ASSERT_EQ(test, zlib_deflateInit2(&s, level, Z_DEFLATED,
						window_bits, DEF_MEM_LEVEL,
						Z_DEFAULT_STRATEGY), Z_OK);
	s.next_in = b->plain;
	s.avail_in = len;
	s.next_out = b->packed;
	s.avail_out = deflateBound(ZLIB_TEST_MAX);
	KUNIT_ASSERT_EQ(test, zlib_deflate(&s, Z_FINISH), Z_STREAM_END);
	KUNIT_ASSERT_EQ(test, zlib_deflateEnd(&s), Z_OK);
	b->packed_len = s.total_out;
}

/* The kernel's own inflate, as sbm_zlib_inflate() uses its copy. */
static int zlib_test_direct(struct zlib_test_bufs *b, const u8 *src,
			    int src_len, int cap, int window_bits)
{
	z_stream s = { .workspace = b->inflate_ws };

	if (zlib_inflateInit2(&s, window_bits) != Z_OK)
		return -EINVAL;
	s.next_in = src;
	s.avail_in = src_len;
	s.next_out = b->direct;
	s.avail_out = cap;
	if (zlib_inflate(&s, Z_FINISH) != Z_STREAM_END)
		return -EBADMSG;
	return s.total_out;
}

/*
 * Inflate @src both ways into @cap bytes; the results must agree, and
 * nothing beyond @cap may be written by the sandboxed call. With
 * isolation, what a sandbox does to its output shows too: on failure
 * nothing reaches the caller, on success zeroes follow the data.
 */
static int zlib_test_both(struct kunit *test, struct zlib_test_bufs *b,
			  const u8 *src, int src_len, int cap, int window_bits,
			  const char *what)
{
	int direct, boxed, i;

	memset(b->direct, 0, cap);
	memset(b->boxed, ZLIB_TEST_CANARY, cap + ZLIB_TEST_GUARD);
	direct = zlib_test_direct(b, src, src_len, cap, window_bits);
	boxed = sbm_zlib_inflate(NULL, b->inflate_ws, src, src_len, b->boxed,
				 cap, window_bits);
	KUNIT_EXPECT_EQ_MSG(test, boxed, direct, "%s", what);
	if (direct > 0 && boxed == direct)
		KUNIT_EXPECT_EQ_MSG(test, memcmp(b->direct, b->boxed, direct),
				    0, "%s", what);
	for (i = 0; i < ZLIB_TEST_GUARD; i++)
		KUNIT_EXPECT_EQ_MSG(test, b->boxed[cap + i], ZLIB_TEST_CANARY,
				    "%s: byte %d past the output", what, i);
	if (sbm_level() == SBM_LEVEL_NONE)
		return boxed;
	for (i = boxed < 0 ? 0 : boxed; i < cap; i++) {
		if (b->boxed[i] != (boxed < 0 ? ZLIB_TEST_CANARY : 0)) {
			KUNIT_FAIL(test, "%s: output byte %d is %#x", what, i,
				   b->boxed[i]);
			break;
		}
	}
	return boxed;
}

/*
 * 25 zlib streams (five kinds of data, five sizes) at the default level,
 * and each kind again as raw deflate at levels 1 and 9: 35 in all.
 */
static void sbm_zlib_test_corpus(struct kunit *test)
{
	static const struct {
		int level, window_bits;
	} modes[] = {
		{ Z_DEFAULT_COMPRESSION, MAX_WBITS },
		{ 1, -MAX_WBITS },
		{ 9, -MAX_WBITS },
	};
	struct zlib_test_bufs b;
	unsigned int s, m;
	char what[64];
	int kind, got;

	zlib_test_setup(test, &b);
	for (m = 0; m < ARRAY_SIZE(modes); m++) {
		for (s = 0; s < ARRAY_SIZE(zlib_test_sizes); s++) {
			size_t len = zlib_test_sizes[s];

			/* Raw streams: one size per kind is enough. */
			if (m && len != 4096)
				continue;
			for (kind = 0; kind < NR_KINDS; kind++) {
				snprintf(what, sizeof(what),
					 "kind %d, %zu bytes, level %d, bits %d",
					 kind, len, modes[m].level,
					 modes[m].window_bits);
				zlib_test_pack(test, &b, len, kind,
					       modes[m].level,
					       modes[m].window_bits);
				got = zlib_test_both(test, &b, b.packed,
						     b.packed_len, len,
						     modes[m].window_bits, what);
				KUNIT_EXPECT_EQ_MSG(test, got, (int)len, "%s",
						    what);
				KUNIT_EXPECT_EQ_MSG(test, memcmp(b.boxed, b.plain,
								 len),
						    0, "%s", what);
			}
		}
	}
}

/* Truncations of a stream of text, at about 40 points. */
static void sbm_zlib_test_truncated(struct kunit *test)
{
	struct zlib_test_bufs b;
	char what[48];
	int cut;

	zlib_test_setup(test, &b);
	zlib_test_pack(test, &b, 4096, TEXT, Z_DEFAULT_COMPRESSION, MAX_WBITS);
	for (cut = 1; cut < b.packed_len; cut += 1 + cut / 8) {
		snprintf(what, sizeof(what), "cut to %d of %d bytes", cut,
			 b.packed_len);
		KUNIT_EXPECT_EQ_MSG(test,
				    zlib_test_both(test, &b, b.packed, cut,
						   4096, MAX_WBITS, what),
				    -EBADMSG, "%s", what);
	}
}

/*
 * Bytes of a stream overwritten: block types, code lengths and distances
 * go wrong. Raw deflate has no check value, so some corruptions inflate
 * to other data; either way both inflates must agree.
 */
static void sbm_zlib_test_corrupted(struct kunit *test)
{
	static const int bits[] = { MAX_WBITS, -MAX_WBITS };
	struct zlib_test_bufs b;
	u32 state = 7;
	unsigned int w;
	char what[48];
	int i, pos;
	u8 old;

	zlib_test_setup(test, &b);
	for (w = 0; w < ARRAY_SIZE(bits); w++) {
		zlib_test_pack(test, &b, 4096, RUNS, Z_DEFAULT_COMPRESSION,
			       bits[w]);
		for (i = 0; i < ZLIB_TEST_CORRUPTIONS; i++) {
			pos = zlib_test_next(&state) % b.packed_len;
			old = b.packed[pos];
			/* Never the same byte again: each is a corruption. */
			b.packed[pos] = old ^ (1 + zlib_test_next(&state) % 255);
			snprintf(what, sizeof(what), "bits %d, byte %d: %02x -> %02x",
				 bits[w], pos, old, b.packed[pos]);
			zlib_test_both(test, &b, b.packed, b.packed_len, 4096,
				       bits[w], what);
			b.packed[pos] = old;
		}
	}
}

/* A small stream that expands far beyond the output it is given. */
static void sbm_zlib_test_bomb(struct kunit *test)
{
	struct zlib_test_bufs b;

	zlib_test_setup(test, &b);
	zlib_test_pack(test, &b, ZLIB_TEST_MAX, ZEROS, 9, MAX_WBITS);
	KUNIT_EXPECT_LT(test, b.packed_len, 1024);
	KUNIT_EXPECT_EQ(test, zlib_test_both(test, &b, b.packed, b.packed_len,
					     4096, MAX_WBITS, "bomb"),
			-EBADMSG);
}

/* Sizes and window sizes inflate cannot take. */
static void sbm_zlib_test_bad_arguments(struct kunit *test)
{
	struct zlib_test_bufs b;
	u8 in[4] = { 0x78, 0x9c }, out[16];

	zlib_test_setup(test, &b);
	KUNIT_EXPECT_EQ(test, sbm_zlib_inflate(NULL, b.inflate_ws, in, 0, out,
					       16, MAX_WBITS), -EINVAL);
	KUNIT_EXPECT_EQ(test, sbm_zlib_inflate(NULL, b.inflate_ws, in, 2, out,
					       0, MAX_WBITS), -EINVAL);
	KUNIT_EXPECT_EQ(test, sbm_zlib_inflate(NULL, b.inflate_ws, in, -1U,
					       out, 16, MAX_WBITS), -EINVAL);
	/* Window sizes inflate would refuse, refused before the sandbox. */
	KUNIT_EXPECT_EQ(test, sbm_zlib_inflate(NULL, b.inflate_ws, in, 2, out,
					       16, 16), -EINVAL);
	KUNIT_EXPECT_EQ(test, sbm_zlib_inflate(NULL, b.inflate_ws, in, 2, out,
					       16, 7), -EINVAL);
}

/* One instance for a stream of blocks, as a caller that keeps one does. */
static void sbm_zlib_test_reused_instance(struct kunit *test)
{
	struct zlib_test_bufs b;
	struct sbm *sbm;
	int kind;

	zlib_test_setup(test, &b);
	sbm = kunit_kzalloc(test, sizeof(*sbm), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, sbm);
	KUNIT_ASSERT_EQ(test, sbm_init(sbm), 0);
	/* Destroyed however the case ends. */
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test,
							zlib_test_sbm_destroy,
							sbm), 0);
	for (kind = 0; kind < NR_KINDS; kind++) {
		zlib_test_pack(test, &b, 4096, kind, Z_DEFAULT_COMPRESSION,
			       MAX_WBITS);
		KUNIT_EXPECT_EQ(test, sbm_zlib_inflate(sbm, b.inflate_ws,
						       b.packed, b.packed_len,
						       b.boxed, 4096,
						       MAX_WBITS), 4096);
		KUNIT_EXPECT_EQ(test, memcmp(b.boxed, b.plain, 4096), 0);
	}
	/* A malformed stream fails the call, not the instance. */
	b.packed[b.packed_len - 1] ^= 0xff;
	KUNIT_EXPECT_EQ(test, sbm_zlib_inflate(sbm, b.inflate_ws, b.packed,
					       b.packed_len, b.boxed, 4096,
					       MAX_WBITS), -EBADMSG);
	KUNIT_EXPECT_EQ(test, sbm_error(sbm), 0);
}

/* What the stand-in for sbm_exec() below says the sandbox returned. */
static int zlib_test_forged;

/* Runs the call for real, then answers as a subverted inflate could. */
static int zlib_test_forged_exec(struct sbm *sbm, sbm_func func, void *data)
{
	kunit_deactivate_static_stub(kunit_get_current_test(), sbm_exec);
	sbm_exec(sbm, func, data);
	return zlib_test_forged;
}

/*
 * A sandbox's result is the word of code a crafted stream may have taken
 * over: sizes beyond the output and errors inflate does not return must
 * come out as a malformed stream, what it can return as it is.
 */
static void sbm_zlib_test_forged_results(struct kunit *test)
{
	static const struct {
		int forged, want;
	} cases[] = {
		{ 4097, -EBADMSG }, { INT_MAX, -EBADMSG },
		{ -ENOMEM, -EBADMSG }, { -EINTR, -EBADMSG },
		{ -ERESTARTSYS, -EBADMSG }, { -EFAULT, -EBADMSG },
		{ INT_MIN, -EBADMSG }, { 4096, 4096 }, { 1, 1 },
		{ -EBADMSG, -EBADMSG }, { -EINVAL, -EBADMSG },
	};
	struct zlib_test_bufs b;
	unsigned int i;

	if (sbm_level() == SBM_LEVEL_NONE)
		kunit_skip(test, "no sandbox whose result could be forged");
	zlib_test_setup(test, &b);
	zlib_test_pack(test, &b, 4096, TEXT, Z_DEFAULT_COMPRESSION, MAX_WBITS);
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		zlib_test_forged = cases[i].forged;
		kunit_activate_static_stub(test, sbm_exec,
					   zlib_test_forged_exec);
		KUNIT_EXPECT_EQ_MSG(test,
				    sbm_zlib_inflate(NULL, b.inflate_ws,
						     b.packed, b.packed_len,
						     b.boxed, 4096, MAX_WBITS),
				    cases[i].want, "forged %d", cases[i].forged);
	}
}

static struct kunit_case sbm_zlib_cases[] = {
	KUNIT_CASE(sbm_zlib_test_corpus),
	KUNIT_CASE(sbm_zlib_test_truncated),
	KUNIT_CASE(sbm_zlib_test_corrupted),
	KUNIT_CASE(sbm_zlib_test_bomb),
	KUNIT_CASE(sbm_zlib_test_bad_arguments),
	KUNIT_CASE(sbm_zlib_test_reused_instance),
	KUNIT_CASE(sbm_zlib_test_forged_results),
	{}
};

static struct kunit_suite sbm_zlib_suite = {
	.name = "sbm_user_zlib",
	.test_cases = sbm_zlib_cases,
};

kunit_test_suites(&sbm_zlib_suite);

MODULE_DESCRIPTION("KUnit tests of zlib inflate in a SandBox Mode sandbox");
MODULE_LICENSE("GPL");
