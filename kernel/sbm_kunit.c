// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests for the SandBox Mode API.
 *
 * The same cases run at every isolation level. Where the levels differ by
 * design (no isolation hands the caller's own buffers to the function),
 * the expectation follows sbm_level(), so a test never passes merely
 * because the level it checks is not the one in effect.
 */

#include <kunit/static_stub.h>
#include <kunit/test.h>
#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/kthread.h>
#include <linux/mm.h>
#include <linux/sbm.h>
#include <linux/sched/task.h>
#include <linux/string.h>
#include <linux/vmalloc.h>
#include <asm/sections.h>

#include "sbm_kunit.h"

MODULE_IMPORT_NS("EXPORTED_FOR_KUNIT_TESTING");

/*
 * Counts entries into sandboxed functions, to prove whether one ran.
 * Strong isolation keeps sandboxed code away from all kernel data, this
 * counter included: there a run shows only in what the function returns
 * or writes, which every case checks too.
 */
static int sbm_test_runs;

static __always_inline void sbm_test_count_run(void)
{
	if (!IS_ENABLED(CONFIG_SANDBOX_MODE_STRONG))
		sbm_test_runs++;
}

static void sbm_expect_runs(struct kunit *test, int runs)
{
	if (!IS_ENABLED(CONFIG_SANDBOX_MODE_STRONG))
		KUNIT_EXPECT_EQ(test, sbm_test_runs, runs);
}

static bool sbm_isolated(void)
{
	return sbm_level() != SBM_LEVEL_NONE;
}

/* ---- The example of Documentation/security/sandbox-mode.rst ---- */

struct my_input {
	u32 a, b;
};

struct my_output {
	u32 sum;
};

static SBM_DEFINE_FUNC(my_func, const struct my_input *, in,
		       struct my_output *, out)
{
	out->sum = in->a + in->b;
	return 0;
}

static int caller(const struct my_input *input, size_t in_size,
		  struct my_output *output, size_t out_size)
{
	struct sbm sbm;
	int err;

	sbm_init(&sbm);
	err = sbm_call(&sbm, my_func,
		       SBM_COPY_IN(&sbm, input, in_size),
		       SBM_COPY_OUT(&sbm, output, out_size));
	sbm_destroy(&sbm);
	return err;
}

static void sbm_test_spec_example(struct kunit *test)
{
	struct my_input in = { .a = 40, .b = 2 };
	struct my_output out = { };

	KUNIT_EXPECT_EQ(test, caller(&in, sizeof(in), &out, sizeof(out)), 0);
	KUNIT_EXPECT_EQ(test, out.sum, 42);
}

/* ---- Helpers run inside the sandbox ---- */

static SBM_DEFINE_FUNC(sum_bytes, const u8 *, in, size_t, len, u32 *, out)
{
	u32 sum = 0;
	size_t i;

	sbm_test_count_run();
	for (i = 0; i < len; i++)
		sum += in[i];
	*out = sum;
	return 0;
}

static SBM_DEFINE_FUNC(ret_value, int, value)
{
	sbm_test_count_run();
	return value;
}

/* Writes its output, then reports an error: the output must not land. */
static SBM_DEFINE_FUNC(fill_then_fail, u8 *, out, size_t, len, int, err)
{
	sbm_test_count_run();
	memset(out, 0xee, len);
	return err;
}

static SBM_DEFINE_FUNC(fill, u8 *, out, size_t, len, u8, value)
{
	sbm_test_count_run();
	memset(out, value, len);
	return 0;
}

/* Reports what the sandbox sees in a buffer before writing it. */
static SBM_DEFINE_FUNC(peek_and_fill, u8 *, out, size_t, len, u8 *, seen)
{
	sbm_test_count_run();
	*seen = out[0];
	memset(out, 0x5a, len);
	return 0;
}

/* Tells whether all of a buffer is zero, then fills it. */
static SBM_DEFINE_FUNC(check_zero_and_fill, u8 *, buf, size_t, len,
		       u8 *, all_zero)
{
	size_t i;

	sbm_test_count_run();
	*all_zero = 1;
	for (i = 0; i < len; i++)
		if (buf[i])
			*all_zero = 0;
	memset(buf, 0x5a, len);
	return 0;
}

/* Reads past the end of its input, in the slack of the copy's last page. */
static SBM_DEFINE_FUNC(read_slack, const u8 *, in, size_t, at, u8 *, out)
{
	sbm_test_count_run();
	*out = READ_ONCE(in[at]);
	return 0;
}

static SBM_DEFINE_FUNC(increment_all, u8 *, buf, size_t, len)
{
	size_t i;

	sbm_test_count_run();
	for (i = 0; i < len; i++)
		buf[i]++;
	return 0;
}

static SBM_DEFINE_FUNC(six_args, const u32 *, a, const u32 *, b, u32, c,
		       u64, d, const u32 *, e, u64 *, out)
{
	sbm_test_count_run();
	*out = (u64)*a + *b + c + d + *e;
	return 1;
}

/* Beyond six parameters: a scalar between pointers leaves padding too. */
static SBM_DEFINE_FUNC(seven_args, const u32 *, a, const u32 *, b, u32, c,
		       u64, d, const u32 *, e, u8, f, u64 *, out)
{
	sbm_test_count_run();
	*out = (u64)*a + *b + c + d + *e + f * 100000ULL;
	return 7;
}

/* A parameter of a const type is stored in the block all the same. */
static SBM_DEFINE_FUNC(const_param, const u8 *, in, const size_t, len)
{
	sbm_test_count_run();
	return in[len - 1];
}

/*
 * An argument block with padding after @c. Its thunk is written out here,
 * to look at the block itself: it returns how many padding bytes are not
 * zero, so that any caller stack content it would carry shows.
 */
SBM_DEFINE_CALL(padded_args, u8, c, u64, v)

__sbm_text __no_stack_protector int __sbm_padded_args_thunk(void *__sbm_data)
{
	const u8 *block = __sbm_data;
	int i, dirty = 0;

	sbm_test_count_run();
	for (i = sizeof(u8); i < offsetof(struct __sbm_padded_args_args,
					  __sbm_arg_v); i++)
		dirty += block[i] != 0;
	return dirty;
}

/*
 * Constants of sandboxed code (__sbm_rodata), over more than one page:
 * every level must let a sandbox read them.
 */
#define SBM_TEST_TABLE_LEN	(PAGE_SIZE / sizeof(u32) + 16)
#define SBM_TEST_LOOKUPS	3

static const u32 sbm_test_table[SBM_TEST_TABLE_LEN] __sbm_rodata = {
	[0 ... SBM_TEST_TABLE_LEN - 1] = 0x01010101,
	[1] = 0xa5a5a5a5,
	[SBM_TEST_TABLE_LEN - 1] = 0x5a5a5a5a,
};

static SBM_DEFINE_FUNC(table_lookup, const u16 *, idx, u32 *, out)
{
	int i;

	sbm_test_count_run();
	for (i = 0; i < SBM_TEST_LOOKUPS; i++)
		out[i] = sbm_test_table[idx[i] % SBM_TEST_TABLE_LEN];
	return 0;
}

static SBM_DEFINE_FUNC(copy_three, const u8 *, in1, const u8 *, in2,
		       const u8 *, in3, u8 *, out1, u8 *, out2, u8 *, out3)
{
	sbm_test_count_run();
	*out1 = *in1;
	*out2 = *in2;
	*out3 = *in3;
	return 0;
}

/* The call and the thunk defined separately, as across two files. */
static __sbm_text __no_stack_protector int split_target(const u32 *in, u32 *out);
SBM_DEFINE_CALL(split_target, const u32 *, in, u32 *, out)
SBM_DEFINE_THUNK(split_target, const u32 *, in, u32 *, out)

static int split_target(const u32 *in, u32 *out)
{
	sbm_test_count_run();
	*out = ~*in;
	return 0;
}

static int sbm_test_init(struct kunit *test)
{
	sbm_test_runs = 0;
	return 0;
}

/* ---- suite sbm_api: the API elements ---- */

static void sbm_test_level(struct kunit *test)
{
	enum sbm_level want = SBM_LEVEL_NONE;

	if (IS_ENABLED(CONFIG_SANDBOX_MODE_STRONG))
		want = SBM_LEVEL_STRONG;
	else if (IS_ENABLED(CONFIG_SANDBOX_MODE))
		want = SBM_LEVEL_WEAK;
	/* Strong isolation may have been refused at boot (the log says why). */
	if (want == SBM_LEVEL_STRONG && sbm_level() == SBM_LEVEL_WEAK)
		want = SBM_LEVEL_WEAK;
	KUNIT_EXPECT_EQ(test, sbm_level(), want);
	KUNIT_EXPECT_STREQ(test, sbm_level_name(SBM_LEVEL_NONE), "none");
	KUNIT_EXPECT_STREQ(test, sbm_level_name(SBM_LEVEL_WEAK), "weak");
	KUNIT_EXPECT_STREQ(test, sbm_level_name(SBM_LEVEL_STRONG), "strong");
}

static void sbm_test_init_destroy(struct kunit *test)
{
	struct sbm sbm;

	KUNIT_EXPECT_EQ(test, sbm_init(&sbm), 0);
	KUNIT_EXPECT_EQ(test, sbm_error(&sbm), 0);
	sbm_destroy(&sbm);
	KUNIT_EXPECT_EQ(test, sbm_error(&sbm), -EINVAL);
	/* An instance may be set up again after it was destroyed. */
	KUNIT_EXPECT_EQ(test, sbm_init(&sbm), 0);
	KUNIT_EXPECT_EQ(test, sbm_call(&sbm, ret_value, 7), 7);
	sbm_destroy(&sbm);
}

static void sbm_test_return_value(struct kunit *test)
{
	struct sbm sbm;

	sbm_init(&sbm);
	KUNIT_EXPECT_EQ(test, sbm_call(&sbm, ret_value, 42), 42);
	KUNIT_EXPECT_EQ(test, sbm_error(&sbm), 0);
	sbm_expect_runs(test, 1);
	sbm_destroy(&sbm);
}

static void sbm_test_function_error_not_sticky(struct kunit *test)
{
	struct sbm sbm;

	sbm_init(&sbm);
	KUNIT_EXPECT_EQ(test, sbm_call(&sbm, ret_value, -EBADMSG), -EBADMSG);
	/* The function failed, not the sandbox: the instance stays usable. */
	KUNIT_EXPECT_EQ(test, sbm_error(&sbm), 0);
	KUNIT_EXPECT_EQ(test, sbm_call(&sbm, ret_value, 3), 3);
	sbm_expect_runs(test, 2);
	sbm_destroy(&sbm);
}

static void sbm_test_exec_split_call(struct kunit *test)
{
	u32 in = 0x0f0f0f0f, out = 0;
	struct sbm sbm;

	sbm_init(&sbm);
	KUNIT_EXPECT_EQ(test, sbm_call(&sbm, split_target,
				       SBM_COPY_IN(&sbm, &in, sizeof(in)),
				       SBM_COPY_OUT(&sbm, &out, sizeof(out))), 0);
	KUNIT_EXPECT_EQ(test, out, 0xf0f0f0f0);
	sbm_destroy(&sbm);
}

static void sbm_test_six_args(struct kunit *test)
{
	u32 a = 1, b = 20, e = 4000;
	u64 out = 0;
	struct sbm sbm;

	sbm_init(&sbm);
	KUNIT_EXPECT_EQ(test, sbm_call(&sbm, six_args,
				       SBM_COPY_IN(&sbm, &a, sizeof(a)),
				       SBM_COPY_IN(&sbm, &b, sizeof(b)),
				       300, 50000ULL,
				       SBM_COPY_IN(&sbm, &e, sizeof(e)),
				       SBM_COPY_OUT(&sbm, &out, sizeof(out))), 1);
	/* A positive return value is success: the output is copied back. */
	KUNIT_EXPECT_EQ(test, out, 54321ULL);
	sbm_destroy(&sbm);
}

static void sbm_test_seven_args(struct kunit *test)
{
	u32 a = 1, b = 20, e = 4000;
	u64 out = 0;
	struct sbm sbm;

	sbm_init(&sbm);
	KUNIT_EXPECT_EQ(test, sbm_call(&sbm, seven_args,
				       SBM_COPY_IN(&sbm, &a, sizeof(a)),
				       SBM_COPY_IN(&sbm, &b, sizeof(b)),
				       300, 50000ULL,
				       SBM_COPY_IN(&sbm, &e, sizeof(e)), 6,
				       SBM_COPY_OUT(&sbm, &out, sizeof(out))), 7);
	KUNIT_EXPECT_EQ(test, out, 654321ULL);
	sbm_expect_runs(test, 1);
	sbm_destroy(&sbm);
}

/* Leaves a pattern where the next call's frame will be. */
static noinline void sbm_test_dirty_stack(void)
{
	u8 junk[256];

	memset(junk, 0xa5, sizeof(junk));
	barrier_data(junk);
}

static noinline int sbm_test_call_padded(struct sbm *sbm)
{
	return sbm_call(sbm, padded_args, 1, 2);
}

static void sbm_test_const_param(struct kunit *test)
{
	static const u8 in[3] = { 1, 2, 3 };
	struct sbm sbm;

	sbm_init(&sbm);
	KUNIT_EXPECT_EQ(test, sbm_call(&sbm, const_param,
				       SBM_COPY_IN(&sbm, in, sizeof(in)),
				       sizeof(in)), 3);
	sbm_expect_runs(test, 1);
	sbm_destroy(&sbm);
}

static void sbm_test_no_stack_bytes_in_padding(struct kunit *test)
{
	struct sbm sbm;

	sbm_init(&sbm);
	sbm_test_dirty_stack();
	KUNIT_EXPECT_EQ(test, sbm_test_call_padded(&sbm), 0);
	KUNIT_EXPECT_EQ(test, sbm_error(&sbm), 0);
	sbm_expect_runs(test, 1);
	sbm_destroy(&sbm);
}

static void sbm_test_many_buffers(struct kunit *test)
{
	u8 in1 = 1, in2 = 2, in3 = 3, out1 = 0, out2 = 0, out3 = 0;
	struct sbm sbm;

	sbm_init(&sbm);
	KUNIT_EXPECT_EQ(test, sbm_call(&sbm, copy_three,
				       SBM_COPY_IN(&sbm, &in1, 1),
				       SBM_COPY_IN(&sbm, &in2, 1),
				       SBM_COPY_IN(&sbm, &in3, 1),
				       SBM_COPY_OUT(&sbm, &out1, 1),
				       SBM_COPY_OUT(&sbm, &out2, 1),
				       SBM_COPY_OUT(&sbm, &out3, 1)), 0);
	KUNIT_EXPECT_EQ(test, out1, 1);
	KUNIT_EXPECT_EQ(test, out2, 2);
	KUNIT_EXPECT_EQ(test, out3, 3);
	sbm_destroy(&sbm);
}

static void sbm_test_reuse_instance(struct kunit *test)
{
	u8 data[4] = { 1, 2, 3, 4 };
	u32 sum = 0;
	struct sbm sbm;
	int i;

	sbm_init(&sbm);
	for (i = 0; i < 3; i++) {
		data[0] = i;
		KUNIT_EXPECT_EQ(test, sbm_call(&sbm, sum_bytes,
					       SBM_COPY_IN(&sbm, data, sizeof(data)),
					       sizeof(data),
					       SBM_COPY_OUT(&sbm, &sum, sizeof(sum))), 0);
		KUNIT_EXPECT_EQ(test, sum, 9 + i);
	}
	sbm_expect_runs(test, 3);
	sbm_destroy(&sbm);
}

static void sbm_test_own_constants(struct kunit *test)
{
	u16 idx[SBM_TEST_LOOKUPS] = { 1, 2, SBM_TEST_TABLE_LEN - 1 };
	u32 out[SBM_TEST_LOOKUPS] = {};
	struct sbm sbm;

	KUNIT_ASSERT_EQ(test, sbm_init(&sbm), 0);
	KUNIT_EXPECT_EQ(test, sbm_call(&sbm, table_lookup,
				       SBM_COPY_IN(&sbm, idx, sizeof(idx)),
				       SBM_COPY_OUT(&sbm, out, sizeof(out))), 0);
	KUNIT_EXPECT_EQ(test, sbm_error(&sbm), 0);
	KUNIT_EXPECT_EQ(test, out[0], 0xa5a5a5a5);
	KUNIT_EXPECT_EQ(test, out[1], 0x01010101);
	KUNIT_EXPECT_EQ(test, out[2], 0x5a5a5a5a);
	sbm_expect_runs(test, 1);
	sbm_destroy(&sbm);
}

/* A dying task waits for an uninterruptible instance's calls, briefly. */
static void sbm_test_uninterruptible_limit(struct kunit *test)
{
	struct sbm sbm;

	sbm_init(&sbm);
	KUNIT_EXPECT_EQ(test, sbm_set_time_limit(&sbm, SBM_MAX_TIME_LIMIT_MS),
			0);
	sbm_set_uninterruptible(&sbm);
	KUNIT_EXPECT_EQ(test, sbm_set_time_limit(&sbm,
						 SBM_MAX_UNINTERRUPTIBLE_MS),
			0);
	KUNIT_EXPECT_EQ(test,
			sbm_set_time_limit(&sbm, SBM_MAX_UNINTERRUPTIBLE_MS + 1),
			IS_ENABLED(CONFIG_SANDBOX_MODE) ? -EINVAL : 0);
	KUNIT_EXPECT_EQ(test, sbm_call(&sbm, ret_value, 5), 5);
	sbm_destroy(&sbm);
}

static struct kunit_case sbm_api_cases[] = {
	KUNIT_CASE(sbm_test_spec_example),
	KUNIT_CASE(sbm_test_level),
	KUNIT_CASE(sbm_test_init_destroy),
	KUNIT_CASE(sbm_test_return_value),
	KUNIT_CASE(sbm_test_function_error_not_sticky),
	KUNIT_CASE(sbm_test_exec_split_call),
	KUNIT_CASE(sbm_test_six_args),
	KUNIT_CASE(sbm_test_seven_args),
	KUNIT_CASE(sbm_test_no_stack_bytes_in_padding),
	KUNIT_CASE(sbm_test_const_param),
	KUNIT_CASE(sbm_test_own_constants),
	KUNIT_CASE(sbm_test_many_buffers),
	KUNIT_CASE(sbm_test_reuse_instance),
	KUNIT_CASE(sbm_test_uninterruptible_limit),
	{}
};

static struct kunit_suite sbm_api_suite = {
	.name = "sbm_api",
	.init = sbm_test_init,
	.test_cases = sbm_api_cases,
};

/* ---- suite sbm_copy: copy-in / copy-out semantics ---- */

static void sbm_test_copy_in_content(struct kunit *test)
{
	u8 *data = kunit_kmalloc(test, 3 * PAGE_SIZE + 1, GFP_KERNEL);
	u32 sum = 0, want = 0;
	size_t i, len = 3 * PAGE_SIZE + 1;
	struct sbm sbm;

	KUNIT_ASSERT_NOT_NULL(test, data);
	for (i = 0; i < len; i++) {
		data[i] = i * 7;
		want += data[i];
	}
	sbm_init(&sbm);
	KUNIT_EXPECT_EQ(test, sbm_call(&sbm, sum_bytes,
				       SBM_COPY_IN(&sbm, data, len), len,
				       SBM_COPY_OUT(&sbm, &sum, sizeof(sum))), 0);
	KUNIT_EXPECT_EQ(test, sum, want);
	sbm_destroy(&sbm);
}

static void sbm_test_copy_is_separate(struct kunit *test)
{
	u8 data[16] = { 9 };
	struct sbm sbm;
	u8 *copy;

	sbm_init(&sbm);
	copy = SBM_COPY_IN(&sbm, data, sizeof(data));
	KUNIT_ASSERT_NOT_NULL(test, copy);
	switch (sbm_level()) {
	case SBM_LEVEL_NONE:
		KUNIT_EXPECT_PTR_EQ(test, copy, &data[0]);
		break;
	case SBM_LEVEL_WEAK:
		/* A page-aligned copy in a vmalloc area, not the original. */
		KUNIT_EXPECT_EQ(test, copy[0], 9);
		KUNIT_EXPECT_TRUE(test, is_vmalloc_addr(copy));
		KUNIT_EXPECT_TRUE(test, PAGE_ALIGNED(copy));
		break;
	case SBM_LEVEL_STRONG:
		/*
		 * An address in the sandbox's own address space, where the
		 * kernel must not dereference it; the content is checked by
		 * sbm_test_copy_in_content() from inside the sandbox.
		 */
		KUNIT_EXPECT_PTR_NE(test, copy, &data[0]);
		KUNIT_EXPECT_FALSE(test, is_vmalloc_addr(copy));
		KUNIT_EXPECT_TRUE(test, PAGE_ALIGNED(copy));
		break;
	}
	sbm_destroy(&sbm);
}

static void sbm_test_copy_out_starts_zeroed(struct kunit *test)
{
	u8 out[32], seen = 0xff;
	struct sbm sbm;

	memset(out, 0x77, sizeof(out));
	sbm_init(&sbm);
	KUNIT_EXPECT_EQ(test, sbm_call(&sbm, peek_and_fill,
				       SBM_COPY_OUT(&sbm, out, sizeof(out)),
				       sizeof(out),
				       SBM_COPY_OUT(&sbm, &seen, 1)), 0);
	/* An output copy never shows the caller's old content. */
	KUNIT_EXPECT_EQ(test, seen, sbm_isolated() ? 0 : 0x77);
	KUNIT_EXPECT_EQ(test, out[0], 0x5a);
	KUNIT_EXPECT_EQ(test, out[31], 0x5a);
	sbm_destroy(&sbm);
}

static void sbm_test_copy_out_on_success(struct kunit *test)
{
	u8 out[100] = { };
	struct sbm sbm;

	sbm_init(&sbm);
	KUNIT_EXPECT_EQ(test, sbm_call(&sbm, fill,
				       SBM_COPY_OUT(&sbm, out, sizeof(out)),
				       sizeof(out), 0xab), 0);
	KUNIT_EXPECT_EQ(test, out[0], 0xab);
	KUNIT_EXPECT_EQ(test, out[99], 0xab);
	sbm_destroy(&sbm);
}

static void sbm_test_no_copy_out_on_error(struct kunit *test)
{
	u8 out[64], inout[64];
	struct sbm sbm;

	memset(out, 0x11, sizeof(out));
	memset(inout, 0x22, sizeof(inout));
	sbm_init(&sbm);
	KUNIT_EXPECT_EQ(test, sbm_call(&sbm, fill_then_fail,
				       SBM_COPY_OUT(&sbm, out, sizeof(out)),
				       sizeof(out), -EPROTO), -EPROTO);
	KUNIT_EXPECT_EQ(test, sbm_call(&sbm, fill_then_fail,
				       SBM_COPY_INOUT(&sbm, inout, sizeof(inout)),
				       sizeof(inout), -EPROTO), -EPROTO);
	sbm_expect_runs(test, 2);
	/* Without isolation the function wrote the caller's buffers. */
	KUNIT_EXPECT_EQ(test, out[0], sbm_isolated() ? 0x11 : 0xee);
	KUNIT_EXPECT_EQ(test, inout[63], sbm_isolated() ? 0x22 : 0xee);
	sbm_destroy(&sbm);
}

static void sbm_test_inout_roundtrip(struct kunit *test)
{
	size_t i, len = PAGE_SIZE + 8;
	u8 *buf = kunit_kmalloc(test, len, GFP_KERNEL);
	struct sbm sbm;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	for (i = 0; i < len; i++)
		buf[i] = i;
	sbm_init(&sbm);
	KUNIT_EXPECT_EQ(test, sbm_call(&sbm, increment_all,
				       SBM_COPY_INOUT(&sbm, buf, len), len), 0);
	for (i = 0; i < len; i++)
		KUNIT_ASSERT_EQ(test, buf[i], (u8)(i + 1));
	sbm_destroy(&sbm);
}

static void sbm_test_slack_not_copied_back(struct kunit *test)
{
	u8 buf[16];
	struct sbm sbm;

	memset(buf, 0x33, sizeof(buf));
	sbm_init(&sbm);
	/*
	 * The function writes 16 bytes into a 10-byte output. The overrun
	 * stays in the same page, so isolation cannot catch it, but only 10
	 * bytes are copied back.
	 */
	KUNIT_EXPECT_EQ(test, sbm_call(&sbm, fill,
				       SBM_COPY_OUT(&sbm, buf, 10),
				       sizeof(buf), 0x44), 0);
	KUNIT_EXPECT_EQ(test, buf[9], 0x44);
	KUNIT_EXPECT_EQ(test, buf[10], sbm_isolated() ? 0x33 : 0x44);
	KUNIT_EXPECT_EQ(test, buf[15], sbm_isolated() ? 0x33 : 0x44);
	sbm_destroy(&sbm);
}

static void sbm_test_scratch_never_copied(struct kunit *test)
{
	/* A size of its own, so that no other copy is reused for it. */
	size_t i, len = 2 * PAGE_SIZE + 64;
	u8 *scratch = kunit_kmalloc(test, len, GFP_KERNEL);
	u8 out[8] = { }, zero = 0;
	struct sbm sbm;
	int n;

	KUNIT_ASSERT_NOT_NULL(test, scratch);
	memset(scratch, 0x66, len);
	sbm_init(&sbm);
	/*
	 * Twice on one instance: the second call reuses the first one's
	 * copy, written all over, which must start zeroed again. With
	 * isolation the caller's buffer is never read nor written, even when
	 * the function succeeds; without, the function works in it.
	 */
	for (n = 0; n < 2; n++) {
		KUNIT_EXPECT_EQ(test, sbm_call(&sbm, check_zero_and_fill,
					       SBM_SCRATCH(&sbm, scratch, len),
					       len,
					       SBM_COPY_OUT(&sbm, &zero, 1)), 0);
		KUNIT_EXPECT_EQ_MSG(test, zero, sbm_isolated(), "call %d", n);
		for (i = 0; i < len; i++)
			if (scratch[i] != (sbm_isolated() ? 0x66 : 0x5a))
				break;
		KUNIT_EXPECT_EQ_MSG(test, i, len, "call %d", n);
	}
	/* Writable, and no other buffer is affected. */
	KUNIT_EXPECT_EQ(test, sbm_call(&sbm, fill,
				       SBM_COPY_OUT(&sbm, out, sizeof(out)),
				       sizeof(out), 0x12), 0);
	KUNIT_EXPECT_EQ(test, out[7], 0x12);
	sbm_expect_runs(test, 3);
	sbm_destroy(&sbm);
}

static void sbm_test_scratch_bad_buffer(struct kunit *test)
{
	struct sbm sbm;

	sbm_init(&sbm);
	KUNIT_EXPECT_NULL(test, SBM_SCRATCH(&sbm, (u8 *)NULL, 8));
	KUNIT_EXPECT_EQ(test, sbm_error(&sbm), -EINVAL);
	sbm_destroy(&sbm);
}

static void sbm_test_inout_content_visible(struct kunit *test)
{
	u8 in[8] = { 5 }, out = 0;
	struct sbm sbm;

	sbm_init(&sbm);
	/* The sandbox reads the caller's data through an in/out copy. */
	KUNIT_EXPECT_EQ(test, sbm_call(&sbm, peek_and_fill,
				       SBM_COPY_INOUT(&sbm, in, sizeof(in)),
				       sizeof(in),
				       SBM_COPY_OUT(&sbm, &out, 1)), 0);
	KUNIT_EXPECT_EQ(test, out, 5);
	KUNIT_EXPECT_EQ(test, in[0], 0x5a);
	sbm_destroy(&sbm);
}

static struct kunit_case sbm_copy_cases[] = {
	KUNIT_CASE(sbm_test_copy_in_content),
	KUNIT_CASE(sbm_test_copy_is_separate),
	KUNIT_CASE(sbm_test_copy_out_starts_zeroed),
	KUNIT_CASE(sbm_test_copy_out_on_success),
	KUNIT_CASE(sbm_test_no_copy_out_on_error),
	KUNIT_CASE(sbm_test_inout_roundtrip),
	KUNIT_CASE(sbm_test_slack_not_copied_back),
	KUNIT_CASE(sbm_test_inout_content_visible),
	KUNIT_CASE(sbm_test_scratch_never_copied),
	KUNIT_CASE(sbm_test_scratch_bad_buffer),
	{}
};

static struct kunit_suite sbm_copy_suite = {
	.name = "sbm_copy",
	.init = sbm_test_init,
	.test_cases = sbm_copy_cases,
};

/* ---- suite sbm_errors: bad input and sticky errors ---- */

/* A bad buffer must fail the call without running the function. */
static void sbm_expect_refused(struct kunit *test, struct sbm *sbm,
			       void *copy, int err)
{
	u32 out = 0xdead;

	KUNIT_EXPECT_NULL(test, copy);
	KUNIT_EXPECT_EQ(test, sbm_error(sbm), err);
	KUNIT_EXPECT_EQ(test, sbm_call(sbm, sum_bytes, copy, 1,
				       SBM_COPY_OUT(sbm, &out, sizeof(out))),
			err);
	sbm_expect_runs(test, 0);
	KUNIT_EXPECT_EQ(test, out, 0xdead);
}

static void sbm_test_null_buffer(struct kunit *test)
{
	struct sbm sbm;

	sbm_init(&sbm);
	sbm_expect_refused(test, &sbm, SBM_COPY_IN(&sbm, NULL, 8), -EINVAL);
	sbm_destroy(&sbm);
}

static void sbm_test_zero_size(struct kunit *test)
{
	u8 data[4] = { };
	struct sbm sbm;

	sbm_init(&sbm);
	sbm_expect_refused(test, &sbm, SBM_COPY_OUT(&sbm, data, 0), -EINVAL);
	sbm_destroy(&sbm);
}

static void sbm_test_absurd_size(struct kunit *test)
{
	u8 data[4] = { };
	struct sbm sbm;

	sbm_init(&sbm);
	sbm_expect_refused(test, &sbm, SBM_COPY_IN(&sbm, data, SIZE_MAX),
			   -E2BIG);
	sbm_destroy(&sbm);

	sbm_init(&sbm);
	sbm_expect_refused(test, &sbm,
			   SBM_COPY_INOUT(&sbm, data, SBM_MAX_BUF_SIZE + 1),
			   -E2BIG);
	sbm_destroy(&sbm);
}

static void sbm_test_first_error_sticks(struct kunit *test)
{
	u8 data[4] = { 1, 2, 3, 4 };
	u32 sum = 0;
	struct sbm sbm;

	sbm_init(&sbm);
	KUNIT_EXPECT_NULL(test, SBM_COPY_IN(&sbm, data, 0));
	/* Later failures do not replace the first error... */
	KUNIT_EXPECT_NULL(test, SBM_COPY_IN(&sbm, data, SIZE_MAX));
	/* ...and no further copies are made for a call that cannot run. */
	KUNIT_EXPECT_NULL(test, SBM_COPY_IN(&sbm, data, sizeof(data)));
	KUNIT_EXPECT_EQ(test, sbm_error(&sbm), -EINVAL);
	KUNIT_EXPECT_EQ(test, sbm_call(&sbm, ret_value, 1), -EINVAL);
	KUNIT_EXPECT_EQ(test, sbm_call(&sbm, ret_value, 2), -EINVAL);
	sbm_expect_runs(test, 0);
	sbm_destroy(&sbm);

	/* A fresh instance works again. */
	sbm_init(&sbm);
	KUNIT_EXPECT_EQ(test, sbm_call(&sbm, sum_bytes,
				       SBM_COPY_IN(&sbm, data, sizeof(data)),
				       sizeof(data),
				       SBM_COPY_OUT(&sbm, &sum, sizeof(sum))), 0);
	KUNIT_EXPECT_EQ(test, sum, 10);
	sbm_destroy(&sbm);
}

static void sbm_test_use_after_destroy(struct kunit *test)
{
	u8 data[4] = { };
	struct sbm sbm;

	sbm_init(&sbm);
	sbm_destroy(&sbm);
	KUNIT_EXPECT_NULL(test, SBM_COPY_IN(&sbm, data, sizeof(data)));
	KUNIT_EXPECT_EQ(test, sbm_call(&sbm, ret_value, 5), -EINVAL);
	sbm_expect_runs(test, 0);
	/* Destroying twice is harmless. */
	sbm_destroy(&sbm);
	KUNIT_EXPECT_EQ(test, sbm_error(&sbm), -EINVAL);
}

static void sbm_test_destroy_unused_buffers(struct kunit *test)
{
	u8 data[4] = { };
	struct sbm sbm;

	sbm_init(&sbm);
	KUNIT_EXPECT_NOT_NULL(test, SBM_COPY_IN(&sbm, data, sizeof(data)));
	KUNIT_EXPECT_NOT_NULL(test, SBM_COPY_OUT(&sbm, data, sizeof(data)));
	/* The call is never made: destroying must release both copies. */
	sbm_destroy(&sbm);
#ifdef CONFIG_SANDBOX_MODE
	KUNIT_EXPECT_TRUE(test, list_empty(&sbm.bufs));
#endif
}

#ifdef CONFIG_SANDBOX_MODE
static struct sbm_buf *sbm_alloc_buf_fails(const void *src, size_t size,
					   bool writable, unsigned int nr_lent)
{
	return NULL;
}
#endif

static void sbm_test_alloc_failure(struct kunit *test)
{
#ifdef CONFIG_SANDBOX_MODE
	u8 in[4] = { 1 }, out[4] = { 2 };
	struct sbm sbm;

	sbm_init(&sbm);
	KUNIT_EXPECT_NOT_NULL(test, SBM_COPY_IN(&sbm, in, sizeof(in)));
	kunit_activate_static_stub(test, sbm_alloc_buf, sbm_alloc_buf_fails);
	KUNIT_EXPECT_NULL(test, SBM_COPY_OUT(&sbm, out, sizeof(out)));
	kunit_deactivate_static_stub(test, sbm_alloc_buf);
	KUNIT_EXPECT_EQ(test, sbm_error(&sbm), -ENOMEM);
	KUNIT_EXPECT_EQ(test, sbm_call(&sbm, fill,
				       SBM_COPY_OUT(&sbm, out, sizeof(out)),
				       sizeof(out), 9), -ENOMEM);
	sbm_expect_runs(test, 0);
	KUNIT_EXPECT_EQ(test, out[0], 2);
	/* The copy made before the failure was released by the call. */
	KUNIT_EXPECT_TRUE(test, list_empty(&sbm.bufs));
	sbm_destroy(&sbm);
#else
	kunit_skip(test, "nothing is allocated without isolation");
#endif
}

/* A warm call reuses the copies of the last one, cleaned. */
static void sbm_test_warm_call_allocates_nothing(struct kunit *test)
{
#ifdef CONFIG_SANDBOX_MODE
	size_t len = PAGE_SIZE + 100;
	struct sbm sbm;
	u8 *out, seen;
	int i;

	/* Two pages: no other copy of the call can stand in for it. */
	out = kunit_kmalloc(test, len, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, out);
	sbm_init(&sbm);
	for (i = 0; i < 2; i++) {
		memset(out, 0x77, len);
		seen = 0xff;
		if (i)
			kunit_activate_static_stub(test, sbm_alloc_buf,
						   sbm_alloc_buf_fails);
		KUNIT_EXPECT_EQ(test, sbm_call(&sbm, peek_and_fill,
					       SBM_COPY_OUT(&sbm, out, len),
					       len,
					       SBM_COPY_OUT(&sbm, &seen, 1)), 0);
		/* The copy the last call filled with 0x5a starts zeroed. */
		KUNIT_EXPECT_EQ(test, seen, 0);
		KUNIT_EXPECT_EQ(test, out[len - 1], 0x5a);
	}
	kunit_deactivate_static_stub(test, sbm_alloc_buf);
	KUNIT_EXPECT_EQ(test, sbm_error(&sbm), 0);
	sbm_expect_runs(test, 2);
	sbm_destroy(&sbm);
#else
	kunit_skip(test, "nothing is allocated without isolation");
#endif
}

static void sbm_test_reused_input_slack_zeroed(struct kunit *test)
{
	size_t len = PAGE_SIZE + 64;
	u8 *in, seen = 0xff;
	struct sbm sbm;

	if (!sbm_isolated())
		kunit_skip(test, "the function reads the caller's buffer");
	in = kunit_kmalloc(test, len, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, in);
	memset(in, 0xee, len);
	sbm_init(&sbm);
	KUNIT_EXPECT_EQ(test, sbm_call(&sbm, read_slack,
				       SBM_COPY_IN(&sbm, in, len),
				       PAGE_SIZE + 40,
				       SBM_COPY_OUT(&sbm, &seen, 1)), 0);
	KUNIT_EXPECT_EQ(test, seen, 0xee);
	/* A shorter input in the same two pages: the old tail is gone. */
	KUNIT_EXPECT_EQ(test, sbm_call(&sbm, read_slack,
				       SBM_COPY_IN(&sbm, in, PAGE_SIZE + 16),
				       PAGE_SIZE + 40,
				       SBM_COPY_OUT(&sbm, &seen, 1)), 0);
	KUNIT_EXPECT_EQ(test, seen, 0);
	KUNIT_EXPECT_EQ(test, sbm_error(&sbm), 0);
	sbm_destroy(&sbm);
}

static struct kunit_case sbm_errors_cases[] = {
	KUNIT_CASE(sbm_test_null_buffer),
	KUNIT_CASE(sbm_test_zero_size),
	KUNIT_CASE(sbm_test_absurd_size),
	KUNIT_CASE(sbm_test_first_error_sticks),
	KUNIT_CASE(sbm_test_use_after_destroy),
	KUNIT_CASE(sbm_test_destroy_unused_buffers),
	KUNIT_CASE(sbm_test_alloc_failure),
	KUNIT_CASE(sbm_test_warm_call_allocates_nothing),
	KUNIT_CASE(sbm_test_reused_input_slack_zeroed),
	{}
};

static struct kunit_suite sbm_errors_suite = {
	.name = "sbm_errors",
	.init = sbm_test_init,
	.test_cases = sbm_errors_cases,
};

/* ---- suite sbm_guard: stray accesses next to the buffers ---- */

/*
 * Weak isolation catches a stray access with a page fault in kernel mode:
 * an oops that kills the current task. Each case therefore runs its call
 * in a throwaway kthread and checks that this thread, and only it, died
 * before returning from the call. Strong isolation aborts the sandbox
 * instead, and the call returns -EFAULT.
 */
struct sbm_guard_call {
	struct sbm sbm;
	u8 *in, *out;
	size_t len;
	long offset;
	int (*call)(struct sbm_guard_call *gc);
	struct completion done;
};

static SBM_DEFINE_FUNC(poke_out, u8 *, out, long, offset)
{
	sbm_test_count_run();
	WRITE_ONCE(out[offset], 0x99);
	return 0;
}

static SBM_DEFINE_FUNC(poke_in, const u8 *, in, u8 *, out)
{
	sbm_test_count_run();
	WRITE_ONCE(*(u8 *)in, 0x99);
	*out = 1;
	return 0;
}

static int guard_poke_out(struct sbm_guard_call *gc)
{
	return sbm_call(&gc->sbm, poke_out,
			SBM_COPY_OUT(&gc->sbm, gc->out, gc->len), gc->offset);
}

static int guard_poke_in(struct sbm_guard_call *gc)
{
	return sbm_call(&gc->sbm, poke_in,
			SBM_COPY_IN(&gc->sbm, gc->in, gc->len),
			SBM_COPY_OUT(&gc->sbm, gc->out, 1));
}

static int sbm_guard_thread(void *arg)
{
	struct sbm_guard_call *gc = arg;

	gc->call(gc);
	complete(&gc->done);
	return 0;
}

/* The caller's buffers were not touched. */
static void sbm_expect_guard_intact(struct kunit *test,
				    const struct sbm_guard_call *gc)
{
	KUNIT_EXPECT_EQ(test, gc->in[0], 0x12);
	KUNIT_EXPECT_EQ(test, gc->out[0], 0x34);
	KUNIT_EXPECT_EQ(test, gc->out[gc->len - 1], 0x34);
}

static void sbm_expect_guard_fault(struct kunit *test,
				   int (*call)(struct sbm_guard_call *gc),
				   long offset)
{
	struct sbm_guard_call *gc;
	struct task_struct *task;
	unsigned long timeout;

	if (sbm_level() == SBM_LEVEL_NONE)
		kunit_skip(test, "no guard pages without isolation");

	gc = kunit_kzalloc(test, sizeof(*gc), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, gc);
	gc->len = 64;
	gc->in = kunit_kzalloc(test, gc->len, GFP_KERNEL);
	gc->out = kunit_kzalloc(test, gc->len, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, gc->in);
	KUNIT_ASSERT_NOT_NULL(test, gc->out);
	memset(gc->in, 0x12, gc->len);
	memset(gc->out, 0x34, gc->len);
	gc->offset = offset;
	gc->call = call;
	init_completion(&gc->done);
	sbm_init(&gc->sbm);

	if (sbm_level() == SBM_LEVEL_STRONG) {
		/* The sandbox is aborted; the caller carries on. */
		KUNIT_EXPECT_EQ(test, gc->call(gc), -EFAULT);
		KUNIT_EXPECT_EQ(test, sbm_error(&gc->sbm), -EFAULT);
		sbm_expect_guard_intact(test, gc);
		sbm_destroy(&gc->sbm);
		return;
	}

	kunit_info(test, "an oops of kthread sbm-guard is expected next\n");
	task = kthread_create(sbm_guard_thread, gc, "sbm-guard");
	KUNIT_ASSERT_FALSE(test, IS_ERR(task));
	get_task_struct(task);
	wake_up_process(task);

	/* Wait for the thread to die, or to finish, which is a failure. */
	timeout = jiffies + 10 * HZ;
	while (!READ_ONCE(task->exit_state) && !completion_done(&gc->done) &&
	       time_before(jiffies, timeout))
		msleep(20);

	KUNIT_EXPECT_FALSE(test, completion_done(&gc->done));
	KUNIT_EXPECT_NE(test, READ_ONCE(task->exit_state), 0);
	sbm_expect_runs(test, 1);
	sbm_expect_guard_intact(test, gc);
	put_task_struct(task);
	/* The dead thread's call never released its copies: do it here. */
	sbm_destroy(&gc->sbm);
}

static void sbm_test_guard_after_output(struct kunit *test)
{
	sbm_expect_guard_fault(test, guard_poke_out, PAGE_SIZE);
}

static void sbm_test_guard_before_output(struct kunit *test)
{
	sbm_expect_guard_fault(test, guard_poke_out, -1);
}

static void sbm_test_input_read_only(struct kunit *test)
{
	sbm_expect_guard_fault(test, guard_poke_in, 0);
}

static struct kunit_case sbm_guard_cases[] = {
	KUNIT_CASE(sbm_test_guard_after_output),
	KUNIT_CASE(sbm_test_guard_before_output),
	KUNIT_CASE(sbm_test_input_read_only),
	{}
};

static struct kunit_suite sbm_guard_suite = {
	.name = "sbm_guard",
	.init = sbm_test_init,
	.test_cases = sbm_guard_cases,
};

/* ---- suite sbm_lend: whole pages of inputs lent to a strong sandbox ---- */

#ifdef CONFIG_SANDBOX_MODE
/* Writes its input, which a strong sandbox maps read-only, lent or not. */
static SBM_DEFINE_FUNC(write_input, const u8 *, in, size_t, at)
{
	sbm_test_count_run();
	WRITE_ONCE(((u8 *)in)[at], 0x99);
	return 0;
}

/* How many pages of the buffer last handed to @sbm are the caller's own. */
static unsigned int sbm_test_nr_lent(struct kunit *test, struct sbm *sbm)
{
	KUNIT_ASSERT_FALSE(test, list_empty(&sbm->bufs));
	return list_last_entry(&sbm->bufs, struct sbm_buf, list)->nr_lent;
}

/* Reads a byte at an address it was given as a number. */
static SBM_DEFINE_FUNC(read_at, unsigned long, addr, u8 *, out)
{
	sbm_test_count_run();
	*out = READ_ONCE(*(const u8 *)addr);
	return 0;
}

/* Strong isolation lends what it may; weak isolation copies everything. */
static unsigned int sbm_test_want_lent(unsigned int nr_pages)
{
	return sbm_level() == SBM_LEVEL_STRONG ? nr_pages : 0;
}

static void sbm_test_lend_free(void *pages)
{
	free_pages((unsigned long)pages, 2);
}

/* Four pages of the page allocator: page-aligned whatever the debugging. */
static u8 *sbm_test_lend_alloc(struct kunit *test)
{
	u8 *data = (u8 *)__get_free_pages(GFP_KERNEL, 2);

	KUNIT_ASSERT_NOT_NULL(test, data);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test,
							sbm_test_lend_free,
							data), 0);
	return data;
}

static void sbm_test_lend_sum(struct kunit *test, u8 *data)
{
	size_t i, len = 3 * PAGE_SIZE + 100;
	u32 sum = 0, want = 0;
	struct sbm sbm;
	u8 *copy;

	for (i = 0; i < len; i++) {
		data[i] = i * 13;
		want += data[i];
	}
	sbm_init(&sbm);
	copy = SBM_COPY_IN(&sbm, data, len);
	KUNIT_ASSERT_NOT_NULL(test, copy);
	KUNIT_EXPECT_EQ(test, sbm_test_nr_lent(test, &sbm), sbm_test_want_lent(3));
	KUNIT_EXPECT_EQ(test, sbm_call(&sbm, sum_bytes, copy, len,
				       SBM_COPY_OUT(&sbm, &sum, sizeof(sum))),
			0);
	KUNIT_EXPECT_EQ(test, sum, want);
	KUNIT_EXPECT_EQ(test, sbm_error(&sbm), 0);
	sbm_destroy(&sbm);
}

/* Run @fn on four pages of the page allocator, then on four of vmalloc(). */
static void sbm_test_lend_both(struct kunit *test,
			       void (*fn)(struct kunit *test, u8 *data))
{
	u8 *vdata = vmalloc(4 * PAGE_SIZE);

	fn(test, sbm_test_lend_alloc(test));
	KUNIT_ASSERT_NOT_NULL(test, vdata);
	fn(test, vdata);
	vfree(vdata);
}
#endif

/* The direct map's pages and vmalloc()'s are lent, and read as copies. */
static void sbm_test_lend_content(struct kunit *test)
{
#ifdef CONFIG_SANDBOX_MODE
	sbm_test_lend_both(test, sbm_test_lend_sum);
#else
	kunit_skip(test, "without isolation the function reads the buffer");
#endif
}

/*
 * A partial last page is copied: the caller's bytes after the buffer stay
 * out, and so do those of a longer input of the last call.
 */
static void sbm_test_lend_tail_copied(struct kunit *test)
{
#ifdef CONFIG_SANDBOX_MODE
	u8 *data = sbm_test_lend_alloc(test), *in, seen;
	struct sbm sbm;
	int i;

	memset(data, 0xee, 2 * PAGE_SIZE);
	sbm_init(&sbm);
	for (i = 0; i < 2; i++) {
		/* Inside the buffer, then after its end in its last page. */
		seen = 0x11;
		in = SBM_COPY_IN(&sbm, data, PAGE_SIZE + (i ? 3 : 10));
		KUNIT_ASSERT_NOT_NULL(test, in);
		KUNIT_EXPECT_EQ(test, sbm_test_nr_lent(test, &sbm),
				sbm_test_want_lent(1));
		KUNIT_EXPECT_EQ(test, sbm_call(&sbm, read_slack, in,
					       PAGE_SIZE + 5,
					       SBM_COPY_OUT(&sbm, &seen, 1)), 0);
		KUNIT_EXPECT_EQ(test, seen, i ? 0 : 0xee);
	}
	KUNIT_EXPECT_EQ(test, sbm_error(&sbm), 0);
	sbm_destroy(&sbm);
#else
	kunit_skip(test, "without isolation the function reads the buffer");
#endif
}

/* Only whole, page-aligned pages of RAM the kernel maps as such are lent. */
static void sbm_test_lend_only_whole_ram_pages(struct kunit *test)
{
#ifdef CONFIG_SANDBOX_MODE
	u8 *data = sbm_test_lend_alloc(test), *mapped;
	struct page *pages[2];
	struct sbm sbm;

	pages[0] = virt_to_page(data);
	pages[1] = virt_to_page(data + PAGE_SIZE);
	mapped = vmap(pages, 2, VM_MAP, PAGE_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, mapped);
	sbm_init(&sbm);
	KUNIT_EXPECT_NOT_NULL(test, SBM_COPY_IN(&sbm, data + 1, PAGE_SIZE));
	KUNIT_EXPECT_EQ(test, sbm_test_nr_lent(test, &sbm), 0);
	KUNIT_EXPECT_NOT_NULL(test, SBM_COPY_IN(&sbm, data, PAGE_SIZE - 1));
	KUNIT_EXPECT_EQ(test, sbm_test_nr_lent(test, &sbm), 0);
	KUNIT_EXPECT_NOT_NULL(test, SBM_COPY_IN(&sbm, mapped, 2 * PAGE_SIZE));
	KUNIT_EXPECT_EQ(test, sbm_test_nr_lent(test, &sbm), 0);
	/* Written by the sandbox, an output is never the caller's memory. */
	KUNIT_EXPECT_NOT_NULL(test, SBM_COPY_INOUT(&sbm, data, PAGE_SIZE));
	KUNIT_EXPECT_EQ(test, sbm_test_nr_lent(test, &sbm), 0);
	KUNIT_EXPECT_NOT_NULL(test, SBM_COPY_IN(&sbm, data, 2 * PAGE_SIZE));
	KUNIT_EXPECT_EQ(test, sbm_test_nr_lent(test, &sbm), sbm_test_want_lent(2));
	sbm_destroy(&sbm);
	vunmap(mapped);
#else
	kunit_skip(test, "nothing is copied or lent without isolation");
#endif
}

/* A lent page is mapped read-only: a write aborts and changes nothing. */
static void sbm_test_lend_read_only(struct kunit *test)
{
#ifdef CONFIG_SANDBOX_MODE
	u8 *data = sbm_test_lend_alloc(test), *in;
	struct sbm sbm;

	if (sbm_level() != SBM_LEVEL_STRONG)
		kunit_skip(test, "weak isolation lends nothing (sbm_guard writes its inputs)");
	memset(data, 0x22, 2 * PAGE_SIZE);
	sbm_init(&sbm);
	in = SBM_COPY_IN(&sbm, data, 2 * PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, sbm_test_nr_lent(test, &sbm), 2);
	KUNIT_EXPECT_EQ(test, sbm_call(&sbm, write_input, in, PAGE_SIZE + 7),
			-EFAULT);
	KUNIT_EXPECT_EQ(test, sbm_error(&sbm), -EFAULT);
	KUNIT_EXPECT_EQ(test, data[PAGE_SIZE + 7], 0x22);
	sbm_destroy(&sbm);
#else
	kunit_skip(test, "nothing is lent without isolation");
#endif
}

/*
 * A warm call lends the new caller's pages without allocating, and the
 * caller's pages are neither freed nor counted as the sandbox's.
 */
static void sbm_test_lend_warm_and_returned(struct kunit *test)
{
#ifdef CONFIG_SANDBOX_MODE
	u8 *data = sbm_test_lend_alloc(test);
	int refs = page_ref_count(virt_to_page(data));
	long pages = sbm_pages();
	u32 sum = 0;
	struct sbm sbm;
	int i;

	sbm_init(&sbm);
	for (i = 0; i < 2; i++) {
		memset(data, i + 1, 2 * PAGE_SIZE + 1);
		if (i)
			kunit_activate_static_stub(test, sbm_alloc_buf,
						   sbm_alloc_buf_fails);
		KUNIT_EXPECT_EQ(test, sbm_call(&sbm, sum_bytes,
					       SBM_COPY_IN(&sbm, data,
							   2 * PAGE_SIZE + 1),
					       2 * PAGE_SIZE + 1,
					       SBM_COPY_OUT(&sbm, &sum,
							    sizeof(sum))), 0);
		KUNIT_EXPECT_EQ(test, sum, (2 * PAGE_SIZE + 1) * (i + 1));
	}
	kunit_deactivate_static_stub(test, sbm_alloc_buf);
	KUNIT_EXPECT_EQ(test, sbm_error(&sbm), 0);
	sbm_destroy(&sbm);
	KUNIT_EXPECT_EQ(test, sbm_pages(), pages);
	KUNIT_EXPECT_EQ(test, page_ref_count(virt_to_page(data)), refs);
	KUNIT_EXPECT_EQ(test, data[2 * PAGE_SIZE], 2);
#else
	kunit_skip(test, "nothing is lent without isolation");
#endif
}

/* Lent pages are unmapped when the call returns. */
static void sbm_test_lend_unmapped_after(struct kunit *test)
{
#ifdef CONFIG_SANDBOX_MODE
	u8 *data = sbm_test_lend_alloc(test), *in, seen = 0;
	struct sbm sbm;

	if (sbm_level() != SBM_LEVEL_STRONG)
		kunit_skip(test, "weak isolation lends nothing");
	memset(data, 0x33, 3 * PAGE_SIZE);
	sbm_init(&sbm);
	in = SBM_COPY_IN(&sbm, data, 3 * PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, sbm_test_nr_lent(test, &sbm), 3);
	KUNIT_EXPECT_EQ(test, sbm_call(&sbm, read_at,
				       (unsigned long)in + PAGE_SIZE + 1,
				       SBM_COPY_OUT(&sbm, &seen, 1)), 0);
	KUNIT_EXPECT_EQ(test, seen, 0x33);
	/* The next call's buffers have a guard page there. */
	seen = 0;
	KUNIT_EXPECT_EQ(test, sbm_call(&sbm, read_at,
				       (unsigned long)in + PAGE_SIZE + 1,
				       SBM_COPY_OUT(&sbm, &seen, 1)), -EFAULT);
	KUNIT_EXPECT_EQ(test, seen, 0);
	sbm_destroy(&sbm);
#else
	kunit_skip(test, "nothing is lent without isolation");
#endif
}

/*
 * An input and a lent output of one call that overlap: whichever comes
 * first, the function sees the input as it was, not zeroed.
 */
static void sbm_test_lend_overlap(struct kunit *test)
{
#ifdef CONFIG_SANDBOX_MODE
	size_t len = 2 * PAGE_SIZE;
	u8 *data = sbm_test_lend_alloc(test), *in;
	struct sbm sbm;
	u32 sum = 0;
	int i;

	sbm_init(&sbm);
	for (i = 0; i < 2; i++) {
		memset(data, 1, len);
		if (i) {
			KUNIT_EXPECT_NOT_NULL(test, SBM_LEND_OUT(&sbm, data, len));
			KUNIT_EXPECT_EQ(test, sbm_test_nr_lent(test, &sbm),
					sbm_test_want_lent(2));
		}
		in = SBM_COPY_IN(&sbm, data, len);
		KUNIT_EXPECT_EQ(test, sbm_test_nr_lent(test, &sbm),
				i ? 0 : sbm_test_want_lent(2));
		if (!i) {
			KUNIT_EXPECT_NOT_NULL(test, SBM_LEND_OUT(&sbm, data, len));
			KUNIT_EXPECT_EQ(test, sbm_test_nr_lent(test, &sbm), 0);
		}
		KUNIT_EXPECT_EQ(test, sbm_call(&sbm, sum_bytes, in, len,
					       SBM_COPY_OUT(&sbm, &sum,
							    sizeof(sum))), 0);
		KUNIT_EXPECT_EQ(test, sum, len);
	}
	KUNIT_EXPECT_EQ(test, sbm_error(&sbm), 0);
	sbm_destroy(&sbm);
#else
	kunit_skip(test, "nothing is lent without isolation");
#endif
}

#ifdef CONFIG_SANDBOX_MODE
static void sbm_test_lend_out_on(struct kunit *test, u8 *data)
{
	size_t len = 2 * PAGE_SIZE + 10;
	u8 *out, all_zero;
	struct sbm sbm;
	int i;

	sbm_init(&sbm);
	for (i = 0; i < 2; i++) {
		memset(data, 0x77, 3 * PAGE_SIZE);
		all_zero = 0;
		out = SBM_LEND_OUT(&sbm, data, len);
		KUNIT_ASSERT_NOT_NULL(test, out);
		KUNIT_EXPECT_EQ(test, sbm_test_nr_lent(test, &sbm),
				sbm_test_want_lent(2));
		KUNIT_EXPECT_EQ(test, sbm_call(&sbm, check_zero_and_fill, out,
					       len,
					       SBM_COPY_OUT(&sbm, &all_zero, 1)),
				0);
		KUNIT_EXPECT_EQ(test, all_zero, 1);
		KUNIT_EXPECT_EQ(test, data[0], 0x5a);
		KUNIT_EXPECT_EQ(test, data[len - 1], 0x5a);
		KUNIT_EXPECT_EQ(test, data[len], 0x77);
	}
	KUNIT_EXPECT_EQ(test, sbm_error(&sbm), 0);
	sbm_destroy(&sbm);
}
#endif

/*
 * SBM_LEND_OUT(): the function sees zeroes, never the caller's old bytes,
 * in the lent pages as in the copied last one, twice on one instance; in
 * the direct map and in vmalloc().
 */
static void sbm_test_lend_out_in_place(struct kunit *test)
{
#ifdef CONFIG_SANDBOX_MODE
	sbm_test_lend_both(test, sbm_test_lend_out_on);
#else
	kunit_skip(test, "without isolation the function writes the buffer");
#endif
}

/*
 * After a failure the lent pages hold what the function wrote; what was
 * copied (the partial last page, all of it with weak isolation) is not.
 */
static void sbm_test_lend_out_failure(struct kunit *test)
{
#ifdef CONFIG_SANDBOX_MODE
	size_t len = PAGE_SIZE + 10;
	u8 *data = sbm_test_lend_alloc(test);
	struct sbm sbm;

	memset(data, 0x77, 2 * PAGE_SIZE);
	sbm_init(&sbm);
	KUNIT_EXPECT_EQ(test, sbm_call(&sbm, fill_then_fail,
				       SBM_LEND_OUT(&sbm, data, len), len,
				       -EIO), -EIO);
	KUNIT_EXPECT_EQ(test, data[0],
			sbm_level() == SBM_LEVEL_STRONG ? 0xee : 0x77);
	KUNIT_EXPECT_EQ(test, data[PAGE_SIZE], 0x77);
	KUNIT_EXPECT_EQ(test, sbm_error(&sbm), 0);
	sbm_destroy(&sbm);
#else
	kunit_skip(test, "without isolation the function writes the buffer");
#endif
}

static u8 sbm_test_image_page[PAGE_SIZE] __aligned(PAGE_SIZE);

/* The kernel image is lent read-only, never writable. */
static void sbm_test_lend_image_read_only(struct kunit *test)
{
#ifdef CONFIG_SANDBOX_MODE
	unsigned long addr = (unsigned long)sbm_test_image_page;
	struct sbm sbm;

	if (addr < (unsigned long)_text || addr >= (unsigned long)_end)
		kunit_skip(test, "the tests are a module, not in the image");
	sbm_init(&sbm);
	KUNIT_EXPECT_NOT_NULL(test, SBM_COPY_IN(&sbm, sbm_test_image_page,
						PAGE_SIZE));
	KUNIT_EXPECT_EQ(test, sbm_test_nr_lent(test, &sbm), sbm_test_want_lent(1));
	KUNIT_EXPECT_NOT_NULL(test, SBM_LEND_OUT(&sbm, sbm_test_image_page,
						 PAGE_SIZE));
	KUNIT_EXPECT_EQ(test, sbm_test_nr_lent(test, &sbm), 0);
	sbm_destroy(&sbm);
#else
	kunit_skip(test, "nothing is lent without isolation");
#endif
}

/*
 * A copy needs a kernel mapping (guard pages, an input's write-protected:
 * see sbm_guard) only with weak isolation; strong isolation maps it in the
 * sandbox alone.
 */
static void sbm_test_copy_kernel_mapping(struct kunit *test)
{
#ifdef CONFIG_SANDBOX_MODE
	bool weak = sbm_level() == SBM_LEVEL_WEAK;
	u8 data[16] = { 3 };
	struct sbm_buf *buf;
	struct sbm sbm;
	const u8 *in;
	u32 sum = 0;

	KUNIT_ASSERT_EQ(test, sbm_init(&sbm), 0);
	in = SBM_COPY_IN(&sbm, data, sizeof(data));
	KUNIT_EXPECT_NOT_NULL(test, in);
	if (in) {
		buf = list_last_entry(&sbm.bufs, struct sbm_buf, list);
		KUNIT_EXPECT_EQ(test, !!buf->area, weak);
		KUNIT_EXPECT_EQ(test, !!buf->copy, weak);
	}
	KUNIT_EXPECT_EQ(test, sbm_call(&sbm, sum_bytes, in, sizeof(data),
				       SBM_COPY_OUT(&sbm, &sum, sizeof(sum))),
			0);
	KUNIT_EXPECT_EQ(test, sum, 3);
	sbm_destroy(&sbm);
#else
	kunit_skip(test, "nothing is copied without isolation");
#endif
}

static struct kunit_case sbm_lend_cases[] = {
	KUNIT_CASE(sbm_test_lend_content),
	KUNIT_CASE(sbm_test_lend_tail_copied),
	KUNIT_CASE(sbm_test_lend_only_whole_ram_pages),
	KUNIT_CASE(sbm_test_lend_read_only),
	KUNIT_CASE(sbm_test_lend_warm_and_returned),
	KUNIT_CASE(sbm_test_lend_unmapped_after),
	KUNIT_CASE(sbm_test_lend_overlap),
	KUNIT_CASE(sbm_test_lend_out_in_place),
	KUNIT_CASE(sbm_test_lend_out_failure),
	KUNIT_CASE(sbm_test_lend_image_read_only),
	KUNIT_CASE(sbm_test_copy_kernel_mapping),
	{}
};

static struct kunit_suite sbm_lend_suite = {
	.name = "sbm_lend",
	.init = sbm_test_init,
	.test_cases = sbm_lend_cases,
};

kunit_test_suites(&sbm_api_suite, &sbm_copy_suite, &sbm_errors_suite,
		  &sbm_guard_suite, &sbm_lend_suite);

MODULE_DESCRIPTION("KUnit tests for SandBox Mode");
MODULE_LICENSE("GPL");
