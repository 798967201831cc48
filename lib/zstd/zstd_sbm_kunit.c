// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of zstd decompression in a sandbox (suite sbm_user_zstd).
 *
 * On a corpus of frames made by the kernel's zstd compressor (several
 * levels, with and without a content checksum), the sandboxed decoder
 * must give exactly what the kernel's zstd_decompress_dctx() gives;
 * frames that are truncated or that expand beyond the output (bombs)
 * must end in a clean error, and corrupted ones in the same verdict as
 * the kernel's decoder, with nothing written beyond the output buffer,
 * at every isolation level.
 */

#include <kunit/static_stub.h>
#include <kunit/test.h>
#include <linux/minmax.h>
#include <linux/sbm.h>
#include <linux/sbm_zstd.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/zstd.h>

#define ZSTD_TEST_GUARD		64
#define ZSTD_TEST_CANARY	0xa5
#define ZSTD_TEST_MAX		65536
/* squashfs's default block, and its largest: literals beyond 64 KiB. */
#define ZSTD_TEST_LARGE		SZ_128K
#define ZSTD_TEST_LARGEST	SZ_1M
#define ZSTD_TEST_BOMB		SZ_1M
#define ZSTD_TEST_CORRUPTIONS	40

enum zstd_test_kind { ZEROS, TEXT, RANDOM, RUNS, SAWTOOTH, NR_KINDS };

static const size_t zstd_test_sizes[] = { 16, 64, 1000, 4096, ZSTD_TEST_MAX };

/*
 * How the corpus is compressed: every kind and size at zstd's default
 * level (3) without a checksum, then each kind once more at a fast and a
 * slower level, with the frame checksum on.
 */
static const struct zstd_test_mode {
	int level;
	bool checksum;
} zstd_test_modes[] = {
	{ 3, false },
	{ 1, true },
	{ 9, true },
};

struct zstd_test_bufs {
	u8 *plain, *packed, *direct, *boxed;
	void *dctx_ws, *cctx_ws;
	size_t cctx_ws_size, max;
	int packed_len;
};

/* A reproducible sequence, so that a failure can be replayed. */
static u32 zstd_test_next(u32 *state)
{
	*state = *state * 1103515245 + 12345;
	return *state >> 8;
}

static void zstd_test_fill(u8 *buf, size_t len, enum zstd_test_kind kind)
{
	static const char words[] = "sphinx of black quartz, judge my vow ";
	u32 state = len * 13 + kind;
	size_t i;

	for (i = 0; i < len; i++) {
		switch (kind) {
		case ZEROS:
			buf[i] = 0;
			break;
		case TEXT:
			buf[i] = words[(i + zstd_test_next(&state) % 3 / 2) %
				       (sizeof(words) - 1)];
			break;
		case RANDOM:
			buf[i] = zstd_test_next(&state);
			break;
		case RUNS:
			buf[i] = (i / 23) % 6 ? 's' : zstd_test_next(&state);
			break;
		default:
			buf[i] = i % 239;
			break;
		}
	}
}

KUNIT_DEFINE_ACTION_WRAPPER(zstd_test_kvfree, kvfree, const void *);
KUNIT_DEFINE_ACTION_WRAPPER(zstd_test_sbm_destroy, sbm_destroy, struct sbm *);

/* Workspaces run to megabytes: too large for kmalloc to find reliably. */
static void *zstd_test_kvzalloc(struct kunit *test, size_t size)
{
	void *p = kvzalloc(size, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, zstd_test_kvfree,
							p), 0);
	return p;
}

/* Buffers for frames of up to @max bytes, and outputs a page larger. */
static void zstd_test_setup_max(struct kunit *test, struct zstd_test_bufs *b,
				size_t max)
{
	size_t out = max + PAGE_SIZE + ZSTD_TEST_GUARD;
	zstd_parameters params;
	unsigned int m;
	size_t need;

	b->max = max;
	b->plain = zstd_test_kvzalloc(test, max);
	b->packed = zstd_test_kvzalloc(test, zstd_compress_bound(max));
	b->direct = zstd_test_kvzalloc(test, out);
	b->boxed = zstd_test_kvzalloc(test, out);
	/* One decoder workspace, for the kernel's decoder and the copy. */
	b->dctx_ws = zstd_test_kvzalloc(test,
					max(zstd_dctx_workspace_bound(),
					    sbm_zstd_workspace_size()));
	/* Enough for every level of the corpus at its largest size. */
	b->cctx_ws_size = 0;
	for (m = 0; m < ARRAY_SIZE(zstd_test_modes); m++) {
		params = zstd_get_params(zstd_test_modes[m].level, max);
		need = zstd_cctx_workspace_bound(&params.cParams);
		b->cctx_ws_size = max(b->cctx_ws_size, need);
	}
	b->cctx_ws = zstd_test_kvzalloc(test, b->cctx_ws_size);
}

static void zstd_test_setup(struct kunit *test, struct zstd_test_bufs *b)
{
	zstd_test_setup_max(test, b, ZSTD_TEST_MAX);
}

/* Compress @len bytes of @src into one frame at @b->packed + @at. */
static void zstd_test_compress_at(struct kunit *test, struct zstd_test_bufs *b,
				  size_t at, const void *src, size_t len,
				  const zstd_parameters *params)
{
	zstd_cctx *cctx;
	size_t ret;

	KUNIT_ASSERT_LE(test, zstd_cctx_workspace_bound(&params->cParams),
			b->cctx_ws_size);
	cctx = zstd_init_cctx(b->cctx_ws, b->cctx_ws_size);
	KUNIT_ASSERT_NOT_NULL(test, cctx);
	ret = zstd_compress_cctx(cctx, b->packed + at,
				 zstd_compress_bound(b->max) - at, src, len,
				 params);
	KUNIT_ASSERT_FALSE_MSG(test, zstd_is_error(ret), "compress: %s",
			       zstd_get_error_name(ret));
	b->packed_len = at + ret;
}

/* Compress @len bytes of @src into one frame in @b->packed. */
static void zstd_test_compress(struct kunit *test, struct zstd_test_bufs *b,
			       const void *src, size_t len,
			       const zstd_parameters *params)
{
	zstd_test_compress_at(test, b, 0, src, len, params);
}

static void zstd_test_pack(struct kunit *test, struct zstd_test_bufs *b,
			   size_t len, enum zstd_test_kind kind, int level,
			   bool checksum)
{
	zstd_parameters params = zstd_get_params(level, len);

	zstd_test_fill(b->plain, len, kind);
	params.fParams.checksumFlag = checksum;
	zstd_test_compress(test, b, b->plain, len, &params);
}

/* The kernel's own decoder, of which sbm_zstd_decompress() runs a copy. */
static int zstd_test_direct(struct kunit *test, struct zstd_test_bufs *b,
			    const u8 *src, int src_len, int cap)
{
	zstd_dctx *dctx;
	size_t ret;

	dctx = zstd_init_dctx(b->dctx_ws, zstd_dctx_workspace_bound());
	KUNIT_ASSERT_NOT_NULL(test, dctx);
	ret = zstd_decompress_dctx(dctx, b->direct, cap, src, src_len);
	if (zstd_is_error(ret))
		return -EBADMSG;
	return ret;
}

/*
 * Decompress @src both ways into @cap bytes; the results must agree, and
 * nothing beyond @cap may be written by the sandboxed call. With
 * isolation, what a sandbox does to its output shows too: on failure
 * nothing reaches the caller; on success all @cap bytes do, the same as
 * the kernel's decoder leaves in a zeroed buffer (zstd may keep literals
 * in the tail of the output, after the data).
 */
static int zstd_test_both(struct kunit *test, struct zstd_test_bufs *b,
			  const u8 *src, int src_len, int cap,
			  const char *what)
{
	int direct, boxed, i;

	memset(b->direct, 0, cap);
	memset(b->boxed, ZSTD_TEST_CANARY, cap + ZSTD_TEST_GUARD);
	direct = zstd_test_direct(test, b, src, src_len, cap);
	boxed = sbm_zstd_decompress(NULL, b->dctx_ws, src, src_len, b->boxed,
				    cap);
	KUNIT_EXPECT_EQ_MSG(test, boxed, direct, "%s", what);
	if (direct > 0 && boxed == direct)
		KUNIT_EXPECT_EQ_MSG(test, memcmp(b->direct, b->boxed, direct),
				    0, "%s", what);
	for (i = 0; i < ZSTD_TEST_GUARD; i++)
		KUNIT_EXPECT_EQ_MSG(test, b->boxed[cap + i], ZSTD_TEST_CANARY,
				    "%s: byte %d past the output", what, i);
	if (sbm_level() == SBM_LEVEL_NONE)
		return boxed;
	for (i = 0; i < cap; i++) {
		if (b->boxed[i] != (boxed < 0 ? ZSTD_TEST_CANARY :
				    b->direct[i])) {
			KUNIT_FAIL(test, "%s: output byte %d is %#x", what, i,
				   b->boxed[i]);
			break;
		}
	}
	return boxed;
}

/* Compress @len bytes of @kind as @mode says; both must give them back. */
static void zstd_test_round_trip(struct kunit *test, struct zstd_test_bufs *b,
				 size_t len, int kind,
				 const struct zstd_test_mode *mode)
{
	char what[64];

	snprintf(what, sizeof(what), "kind %d, %zu bytes, level %d, sum %d",
		 kind, len, mode->level, mode->checksum);
	zstd_test_pack(test, b, len, kind, mode->level, mode->checksum);
	KUNIT_EXPECT_EQ_MSG(test,
			    zstd_test_both(test, b, b->packed, b->packed_len,
					   len, what),
			    (int)len, "%s", what);
	KUNIT_EXPECT_EQ_MSG(test, memcmp(b->boxed, b->plain, len), 0, "%s",
			    what);
}

/*
 * What squashfs hands over: 128 KiB blocks (up to 1 MiB), whose literals
 * do not fit in the decoder's own 64 KiB literal buffer, so that it keeps
 * them in the output, or splits them between the two. Decompressed into a
 * page more than they need, so that what follows the data shows too.
 */
static void sbm_zstd_test_large_frames(struct kunit *test)
{
	static const int kinds[] = { TEXT, RUNS, RANDOM };
	struct zstd_test_bufs b;
	size_t len;
	char what[64];
	int k, got;

	zstd_test_setup_max(test, &b, ZSTD_TEST_LARGEST);
	for (len = ZSTD_TEST_LARGE; len <= ZSTD_TEST_LARGEST; len *= 8) {
		for (k = 0; k < ARRAY_SIZE(kinds); k++) {
			snprintf(what, sizeof(what), "kind %d, %zu bytes",
				 kinds[k], len);
			zstd_test_pack(test, &b, len, kinds[k], 3, true);
			got = zstd_test_both(test, &b, b.packed, b.packed_len,
					     len + PAGE_SIZE, what);
			KUNIT_EXPECT_EQ_MSG(test, got, (int)len, "%s", what);
			KUNIT_EXPECT_EQ_MSG(test,
					    memcmp(b.boxed, b.plain, len), 0,
					    "%s", what);
		}
	}
}

/*
 * Two frames one after the other, with a skippable frame between them:
 * one call decompresses both, and skips what it is told to skip.
 */
static void sbm_zstd_test_concatenated_frames(struct kunit *test)
{
	static const u8 skippable[] = {
		0x50, 0x2a, 0x4d, 0x18,	/* a skippable frame's magic */
		4, 0, 0, 0,		/* and the size of what follows */
		0xde, 0xad, 0xbe, 0xef,
	};
	zstd_parameters params = zstd_get_params(3, 4096);
	struct zstd_test_bufs b;
	size_t first;

	zstd_test_setup(test, &b);
	zstd_test_fill(b.plain, 8192, TEXT);
	zstd_test_compress(test, &b, b.plain, 4096, &params);
	first = b.packed_len;
	memcpy(b.packed + first, skippable, sizeof(skippable));
	zstd_test_compress_at(test, &b, first + sizeof(skippable),
			      b.plain + 4096, 4096, &params);
	KUNIT_EXPECT_EQ(test, zstd_test_both(test, &b, b.packed, b.packed_len,
					     8192, "two frames"), 8192);
	KUNIT_EXPECT_EQ(test, memcmp(b.boxed, b.plain, 8192), 0);
	/* The first frame alone does not fill the output: it is not a bomb. */
	KUNIT_EXPECT_EQ(test, zstd_test_both(test, &b, b.packed, first, 8192,
					     "first frame"), 4096);
}

/*
 * 25 frames (five kinds of data, five sizes) at the default level, and
 * each kind again with a checksum at levels 1 and 9: 35 in all.
 */
static void sbm_zstd_test_corpus(struct kunit *test)
{
	struct zstd_test_bufs b;
	unsigned int s, m;
	int kind;

	zstd_test_setup(test, &b);
	/* The copy is built from the same sources as the kernel's decoder. */
	KUNIT_EXPECT_EQ(test, sbm_zstd_workspace_size(),
			zstd_dctx_workspace_bound());
	for (m = 0; m < ARRAY_SIZE(zstd_test_modes); m++) {
		for (s = 0; s < ARRAY_SIZE(zstd_test_sizes); s++) {
			/* Other levels: one size per kind is enough. */
			if (m && zstd_test_sizes[s] != 4096)
				continue;
			for (kind = 0; kind < NR_KINDS; kind++)
				zstd_test_round_trip(test, &b,
						     zstd_test_sizes[s], kind,
						     &zstd_test_modes[m]);
		}
	}
}

/* Truncations of a frame of text, at about 40 points. */
static void sbm_zstd_test_truncated(struct kunit *test)
{
	struct zstd_test_bufs b;
	char what[48];
	int cut;

	zstd_test_setup(test, &b);
	zstd_test_pack(test, &b, 4096, TEXT, 3, true);
	for (cut = 1; cut < b.packed_len; cut += 1 + cut / 8) {
		snprintf(what, sizeof(what), "cut to %d of %d bytes", cut,
			 b.packed_len);
		KUNIT_EXPECT_EQ_MSG(test,
				    zstd_test_both(test, &b, b.packed, cut,
						   4096, what),
				    -EBADMSG, "%s", what);
	}
}

/*
 * Bytes of a frame overwritten: headers, table descriptions, sequences
 * and literals go wrong. Without a checksum some corruptions decode to
 * other data (a changed literal, say); either way both decoders must
 * agree.
 */
static void sbm_zstd_test_corrupted(struct kunit *test)
{
	static const bool checksum[] = { true, false };
	struct zstd_test_bufs b;
	u32 state = 11;
	unsigned int c;
	char what[48];
	int i, pos;
	u8 old;

	zstd_test_setup(test, &b);
	for (c = 0; c < ARRAY_SIZE(checksum); c++) {
		zstd_test_pack(test, &b, 4096, RUNS, 3, checksum[c]);
		for (i = 0; i < ZSTD_TEST_CORRUPTIONS; i++) {
			pos = zstd_test_next(&state) % b.packed_len;
			old = b.packed[pos];
			/* Never the same byte again: each is a corruption. */
			b.packed[pos] ^= 1 + zstd_test_next(&state) % 255;
			snprintf(what, sizeof(what),
				 "sum %d, byte %d: %02x -> %02x", checksum[c],
				 pos, old, b.packed[pos]);
			zstd_test_both(test, &b, b.packed, b.packed_len, 4096,
				       what);
			b.packed[pos] = old;
		}
	}
}

/*
 * A small frame of a megabyte of zeroes, given a page: the decoder can
 * refuse it from its header when that says how large it is, and has to
 * find out while decoding when it does not.
 */
static void sbm_zstd_test_bomb(struct kunit *test)
{
	struct zstd_test_bufs b;
	zstd_parameters params;
	char what[32];
	int sized;
	u8 *zeros;

	zstd_test_setup(test, &b);
	zeros = zstd_test_kvzalloc(test, ZSTD_TEST_BOMB);
	params = zstd_get_params(1, ZSTD_TEST_BOMB);
	/* A wider window than the corpus has: a workspace of its own. */
	b.cctx_ws_size = zstd_cctx_workspace_bound(&params.cParams);
	b.cctx_ws = zstd_test_kvzalloc(test, b.cctx_ws_size);
	for (sized = 1; sized >= 0; sized--) {
		snprintf(what, sizeof(what), "bomb, size in header %d", sized);
		params.fParams.contentSizeFlag = sized;
		zstd_test_compress(test, &b, zeros, ZSTD_TEST_BOMB, &params);
		KUNIT_EXPECT_LT_MSG(test, b.packed_len, 1024, "%s", what);
		KUNIT_EXPECT_EQ_MSG(test,
				    zstd_test_both(test, &b, b.packed,
						   b.packed_len, 4096, what),
				    -EBADMSG, "%s", what);
	}
}

/* Sizes that are empty or too large for the int the result is. */
static void sbm_zstd_test_bad_sizes(struct kunit *test)
{
	u8 in[8] = { 0x28, 0xb5, 0x2f, 0xfd }, out[16];
	struct zstd_test_bufs b;
	void *ws;

	zstd_test_setup(test, &b);
	ws = b.dctx_ws;
	KUNIT_EXPECT_EQ(test, sbm_zstd_decompress(NULL, ws, in, 0, out, 16),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, sbm_zstd_decompress(NULL, ws, in, 4, out, 0),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, sbm_zstd_decompress(NULL, ws, in, -1U, out, 16),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, sbm_zstd_decompress(NULL, ws, in,
						  (unsigned int)INT_MAX + 1,
						  out, 16), -EINVAL);
	/* Refused before the output is looked at, let alone written. */
	KUNIT_EXPECT_EQ(test, sbm_zstd_decompress(NULL, ws, in, 4, out,
						  (unsigned int)INT_MAX + 1),
			-EINVAL);
	/* At every level, as the decoder would need them without isolation. */
	KUNIT_EXPECT_EQ(test, sbm_zstd_decompress(NULL, NULL, in, 4, out, 16),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, sbm_zstd_decompress(NULL, ws + 4, in, 4, out, 16),
			-EINVAL);
}

/* One instance for a stream of frames, as a caller that keeps one does. */
static void sbm_zstd_test_reused_instance(struct kunit *test)
{
	struct zstd_test_bufs b;
	struct sbm *sbm;
	int kind;

	zstd_test_setup(test, &b);
	sbm = kunit_kzalloc(test, sizeof(*sbm), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, sbm);
	KUNIT_ASSERT_EQ(test, sbm_init(sbm), 0);
	/* Destroyed however the case ends. */
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test,
							zstd_test_sbm_destroy,
							sbm), 0);
	for (kind = 0; kind < NR_KINDS; kind++) {
		zstd_test_pack(test, &b, 4096, kind, 3, true);
		KUNIT_EXPECT_EQ(test, sbm_zstd_decompress(sbm, b.dctx_ws,
							  b.packed,
							  b.packed_len,
							  b.boxed, 4096),
				4096);
		KUNIT_EXPECT_EQ(test, memcmp(b.boxed, b.plain, 4096), 0);
	}
	/* A bad checksum fails the call, not the instance. */
	b.packed[b.packed_len - 1] ^= 0xff;
	KUNIT_EXPECT_EQ(test, sbm_zstd_decompress(sbm, b.dctx_ws, b.packed,
						  b.packed_len, b.boxed, 4096),
			-EBADMSG);
	KUNIT_EXPECT_EQ(test, sbm_error(sbm), 0);
	/* And the instance goes on serving well-formed frames. */
	b.packed[b.packed_len - 1] ^= 0xff;
	KUNIT_EXPECT_EQ(test, sbm_zstd_decompress(sbm, b.dctx_ws, b.packed,
						  b.packed_len, b.boxed, 4096),
			4096);
	KUNIT_EXPECT_EQ(test, memcmp(b.boxed, b.plain, 4096), 0);
}

/* What the stand-in for sbm_exec() below says the sandbox returned. */
static int zstd_test_forged;

/* Runs the call for real, then answers as a subverted decoder could. */
static int zstd_test_forged_exec(struct sbm *sbm, sbm_func func, void *data)
{
	kunit_deactivate_static_stub(kunit_get_current_test(), sbm_exec);
	sbm_exec(sbm, func, data);
	return zstd_test_forged;
}

/*
 * A sandbox's result is the word of code a crafted frame may have taken
 * over: sizes beyond the output and errors other than -EBADMSG must come
 * out as a malformed frame, what the decoder can return as it is.
 */
static void sbm_zstd_test_forged_results(struct kunit *test)
{
	static const struct {
		int forged, want;
	} cases[] = {
		{ 4097, -EBADMSG }, { INT_MAX, -EBADMSG },
		{ -ENOMEM, -EBADMSG }, { -EINTR, -EBADMSG },
		{ -ERESTARTSYS, -EBADMSG }, { -EFAULT, -EBADMSG },
		{ INT_MIN, -EBADMSG }, { -EINVAL, -EBADMSG },
		{ 4096, 4096 }, { 1, 1 }, { 0, 0 },
		{ -EBADMSG, -EBADMSG },
	};
	struct zstd_test_bufs b;
	unsigned int i;

	if (sbm_level() == SBM_LEVEL_NONE)
		kunit_skip(test, "no sandbox whose result could be forged");
	zstd_test_setup(test, &b);
	zstd_test_pack(test, &b, 4096, TEXT, 3, true);
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		zstd_test_forged = cases[i].forged;
		kunit_activate_static_stub(test, sbm_exec,
					   zstd_test_forged_exec);
		KUNIT_EXPECT_EQ_MSG(test,
				    sbm_zstd_decompress(NULL, b.dctx_ws,
							b.packed,
							b.packed_len, b.boxed,
							4096),
				    cases[i].want, "forged %d",
				    cases[i].forged);
	}
}

static struct kunit_case sbm_zstd_cases[] = {
	KUNIT_CASE(sbm_zstd_test_corpus),
	KUNIT_CASE(sbm_zstd_test_large_frames),
	KUNIT_CASE(sbm_zstd_test_concatenated_frames),
	KUNIT_CASE(sbm_zstd_test_truncated),
	KUNIT_CASE(sbm_zstd_test_corrupted),
	KUNIT_CASE(sbm_zstd_test_bomb),
	KUNIT_CASE(sbm_zstd_test_bad_sizes),
	KUNIT_CASE(sbm_zstd_test_reused_instance),
	KUNIT_CASE(sbm_zstd_test_forged_results),
	{}
};

static struct kunit_suite sbm_zstd_suite = {
	.name = "sbm_user_zstd",
	.test_cases = sbm_zstd_cases,
};

kunit_test_suites(&sbm_zstd_suite);

MODULE_DESCRIPTION("KUnit tests of zstd decompression in a SandBox Mode sandbox");
MODULE_LICENSE("GPL");
