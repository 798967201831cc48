// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests of strong isolation for sandboxed code in a module.
 *
 * Built only as a module: the module linker script must have put the
 * module's .sbm.text on pages of its own, between two module symbols. A
 * sandbox runs a function from there, and nothing else of the module is
 * mapped: calling, reading or writing any other code or data of the
 * module aborts the sandbox.
 */

#include <kunit/static_stub.h>
#include <kunit/test.h>
#include <linux/kprobes.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/objtool.h>
#include <linux/sbm.h>
#include <asm/tlbflush.h>

#include "sbm.h"

#define MODULE_TEST_CANARY	0x6d6f64756c650a0aUL

static unsigned long module_test_data[3] = {
	MODULE_TEST_CANARY, MODULE_TEST_CANARY, MODULE_TEST_CANARY
};

/* Ordinary constants of the module: no sandbox may read them. */
static const u8 module_test_rodata[PAGE_SIZE] = { [1] = 1 };

/* Constants of the module's sandboxed code: every sandbox may read them. */
static const u8 module_sbm_table[256] __sbm_rodata = {
	[0 ... 255] = 3, [7] = 40,
};

/* Ordinary module code: not in .sbm.text, so no sandbox may run it. */
static noinline void module_plain_function(void)
{
	WRITE_ONCE(module_test_data[1], 0);
}

static SBM_DEFINE_FUNC(module_sum, const u8 *, in, u8 *, out, unsigned long, arg)
{
	out[0] = in[0] + in[1] + arg;
	return 5;
}

static SBM_DEFINE_FUNC(module_lookup, const u8 *, in, u8 *, out)
{
	out[0] = module_sbm_table[in[0]] + module_sbm_table[in[1]];
	return 6;
}

static SBM_DEFINE_FUNC(module_call_plain, const u8 *, in, u8 *, out, unsigned long, arg)
{
	out[0] = 1;
	/* Not through a retpoline thunk: the call itself must fault. */
	asm volatile(ANNOTATE_RETPOLINE_SAFE "\n\tcall *%0" :: "r"(arg) : "memory");
	return 0;
}

static SBM_DEFINE_FUNC(module_read, const u8 *, in, u8 *, out, unsigned long, arg)
{
	out[0] = READ_ONCE(*(const u8 *)arg);
	return 0;
}

static SBM_DEFINE_FUNC(module_write, const u8 *, in, u8 *, out, unsigned long, arg)
{
	out[0] = 1;
	WRITE_ONCE(*(unsigned long *)arg, 0);
	return 0;
}

/* Marks below its frame, on the top stack page and on the one under it. */
static SBM_DEFINE_FUNC(module_mark_stack, const u8 *, in, u8 *, out)
{
	asm volatile("movq $0x5a5a5a5a, -2048(%%rsp)\n\t"
		     "movq $0x5a5a5a5a, -4400(%%rsp)" ::: "memory");
	out[0] = 1;
	return 0;
}

/* Whether anything is written on its stack page below its own frame. */
static SBM_DEFINE_FUNC(module_find_stale, const u8 *, in, u8 *, out)
{
	unsigned long sp, va;
	u8 found = 0;

	asm volatile("movq %%rsp, %0" : "=r"(sp));
	for (va = sp & PAGE_MASK; va < sp - 256; va += sizeof(long))
		found |= READ_ONCE(*(unsigned long *)va) != 0;
	out[0] = found;
	return 0;
}

static void sbm_test_module_section(struct kunit *test)
{
	unsigned long start, end, sum = (unsigned long)__sbm_module_sum_thunk;
	unsigned long plain = (unsigned long)module_plain_function;

	/* sbm_module_text() checks page alignment and the module's bounds. */
	KUNIT_ASSERT_EQ(test, sbm_module_text(THIS_MODULE, &start, &end), 0);
	KUNIT_EXPECT_TRUE(test, sum >= start && sum < end);
	KUNIT_EXPECT_FALSE(test, plain >= start && plain < end);

	KUNIT_ASSERT_EQ(test, sbm_module_rodata(THIS_MODULE, &start, &end), 0);
	KUNIT_EXPECT_TRUE(test, (unsigned long)module_sbm_table >= start &&
			  (unsigned long)module_sbm_table < end);
	KUNIT_EXPECT_FALSE(test, (unsigned long)module_test_rodata >= start &&
			   (unsigned long)module_test_rodata < end);
}

/*
 * Kprobes refuse every byte of the module's sandboxed code, where a probe
 * would abort every sandbox that reaches it, and still accept its ordinary
 * code.
 */
static int module_probe(unsigned long addr)
{
	struct kprobe kp = { .addr = (kprobe_opcode_t *)addr };
	int ret = register_kprobe(&kp);

	if (!ret)
		unregister_kprobe(&kp);
	return ret;
}

static void sbm_test_module_text_not_probed(struct kunit *test)
{
	unsigned long start, end, first;

	if (!IS_ENABLED(CONFIG_KPROBES))
		kunit_skip(test, "needs CONFIG_KPROBES");
	KUNIT_ASSERT_EQ(test, sbm_module_text(THIS_MODULE, &start, &end), 0);
	first = sbm_first_probeable(start, end);
	KUNIT_EXPECT_EQ_MSG(test, first, 0, "first at %pS", (void *)first);
	KUNIT_EXPECT_EQ(test, module_probe((unsigned long)module_plain_function),
			0);
	KUNIT_EXPECT_EQ(test, module_probe((unsigned long)__sbm_module_sum_thunk),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, module_probe((unsigned long)__sbm_fn_module_sum),
			-EINVAL);
}

static void sbm_test_module_own_constants(struct kunit *test)
{
	u8 in[2] = { 7, 9 }, out = 0;
	struct sbm sbm;

	if (sbm_level() != SBM_LEVEL_STRONG)
		kunit_skip(test, "strong isolation is not in effect");
	KUNIT_ASSERT_EQ(test, sbm_init(&sbm), 0);
	KUNIT_EXPECT_EQ(test, sbm_call(&sbm, module_lookup,
				       SBM_COPY_IN(&sbm, in, sizeof(in)),
				       SBM_COPY_OUT(&sbm, &out, 1)), 6);
	KUNIT_EXPECT_EQ(test, out, 43);
	KUNIT_EXPECT_EQ(test, sbm_error(&sbm), 0);
	sbm_destroy(&sbm);
}

static void sbm_test_module_runs(struct kunit *test)
{
	u8 in[2] = { 10, 20 }, out = 0;
	struct sbm sbm;

	int refs = module_refcount(THIS_MODULE);

	if (sbm_level() != SBM_LEVEL_STRONG)
		kunit_skip(test, "strong isolation is not in effect");
	KUNIT_ASSERT_EQ(test, sbm_init(&sbm), 0);
	KUNIT_EXPECT_EQ(test, sbm_call(&sbm, module_sum,
				       SBM_COPY_IN(&sbm, in, sizeof(in)),
				       SBM_COPY_OUT(&sbm, &out, 1), 12UL), 5);
	KUNIT_EXPECT_EQ(test, out, 42);
	KUNIT_EXPECT_EQ(test, sbm_error(&sbm), 0);
	/* The sandbox maps the module's code: the module cannot go away. */
	KUNIT_EXPECT_EQ(test, module_refcount(THIS_MODULE), refs + 1);
	sbm_destroy(&sbm);
	KUNIT_EXPECT_EQ(test, module_refcount(THIS_MODULE), refs);
}

typedef int (*module_test_call)(struct sbm *sbm, const u8 *in, u8 *out,
				unsigned long arg);

/* @call must abort with -EFAULT and leave the module's data alone. */
static void module_expect_abort(struct kunit *test, module_test_call call,
				unsigned long arg)
{
	u8 in[2] = { 1, 2 }, out = 0xaa;
	struct sbm sbm;
	int i;

	if (sbm_level() != SBM_LEVEL_STRONG)
		kunit_skip(test, "strong isolation is not in effect");
	KUNIT_ASSERT_EQ(test, sbm_init(&sbm), 0);
	KUNIT_EXPECT_EQ(test, call(&sbm, in, &out, arg), -EFAULT);
	KUNIT_EXPECT_EQ(test, sbm_error(&sbm), -EFAULT);
	KUNIT_EXPECT_EQ(test, out, 0xaa);
	sbm_destroy(&sbm);
	for (i = 0; i < 3; i++)
		KUNIT_EXPECT_EQ_MSG(test, READ_ONCE(module_test_data[i]),
				    MODULE_TEST_CANARY, "data[%d]", i);
	sbm_test_module_runs(test);
}

static int call_plain(struct sbm *sbm, const u8 *in, u8 *out,
		      unsigned long arg)
{
	return sbm_call(sbm, module_call_plain, SBM_COPY_IN(sbm, in, 2),
			SBM_COPY_OUT(sbm, out, 1), arg);
}

static int read_module(struct sbm *sbm, const u8 *in, u8 *out,
		       unsigned long arg)
{
	return sbm_call(sbm, module_read, SBM_COPY_IN(sbm, in, 2),
			SBM_COPY_OUT(sbm, out, 1), arg);
}

static int write_module(struct sbm *sbm, const u8 *in, u8 *out,
			unsigned long arg)
{
	return sbm_call(sbm, module_write, SBM_COPY_IN(sbm, in, 2),
			SBM_COPY_OUT(sbm, out, 1), arg);
}

static void sbm_test_module_call_plain_code(struct kunit *test)
{
	module_expect_abort(test, call_plain,
			    (unsigned long)module_plain_function);
}

static void sbm_test_module_read_plain_code(struct kunit *test)
{
	module_expect_abort(test, read_module,
			    (unsigned long)module_plain_function);
}

static void sbm_test_module_read_rodata(struct kunit *test)
{
	module_expect_abort(test, read_module,
			    (unsigned long)&module_test_rodata[1]);
}

/* Its own constants are mapped for reading only. */
static void sbm_test_module_write_own_constants(struct kunit *test)
{
	module_expect_abort(test, write_module,
			    (unsigned long)module_sbm_table);
}

static void sbm_test_module_read_data(struct kunit *test)
{
	module_expect_abort(test, read_module,
			    (unsigned long)&module_test_data[1]);
}

static void sbm_test_module_write_data(struct kunit *test)
{
	module_expect_abort(test, write_module,
			    (unsigned long)&module_test_data[1]);
}

/* Its own code is mapped for execution only as user code: not writable. */
static void sbm_test_module_write_own_code(struct kunit *test)
{
	module_expect_abort(test, write_module,
			    (unsigned long)__sbm_module_write_thunk);
}

/*
 * The last-level entry that maps @va from @pgd on, at whatever level, or
 * NULL; *@global tells whether it is present and global.
 */
static void *module_leaf(pgd_t *pgd, unsigned long va, bool *global)
{
	const unsigned long both = _PAGE_PRESENT | _PAGE_GLOBAL;
	p4d_t *p4d;
	pud_t *pud;
	pmd_t *pmd;
	pte_t *pte;

	*global = false;
	if (pgd_none(*pgd))
		return NULL;
	p4d = p4d_offset(pgd, va);
	if (p4d_none(*p4d))
		return NULL;
	pud = pud_offset(p4d, va);
	if (pud_none(*pud))
		return NULL;
	if (pud_leaf(*pud)) {
		*global = (pud_flags(*pud) & both) == both;
		return pud;
	}
	pmd = pmd_offset(pud, va);
	if (pmd_none(*pmd))
		return NULL;
	if (pmd_leaf(*pmd)) {
		*global = (pmd_flags(*pmd) & both) == both;
		return pmd;
	}
	pte = pte_offset_kernel(pmd, va);
	*global = (pte_flags(*pte) & both) == both;
	return pte;
}

/* Every page table's kernel half is the kernel's, init_mm's unexported. */
static pgd_t *module_kernel_pgd(unsigned long va)
{
	return (pgd_t *)__va(read_cr3_pa()) + pgd_index(va);
}

/*
 * Whether page-table isolation's user copy maps @va global; with
 * @own_leaf, only through an entry that is not the kernel's own (a large
 * page it cloned), which no change to the kernel's tables reaches.
 */
static bool module_pti_user_global(unsigned long va, bool own_leaf)
{
#ifdef CONFIG_MITIGATION_PAGE_TABLE_ISOLATION
	pgd_t *pgd = module_kernel_pgd(va);
	bool global, kernel_global;
	void *user, *kernel;

	if (!boot_cpu_has(X86_FEATURE_PTI))
		return false;
	user = module_leaf(kernel_to_user_pgdp(pgd), va, &global);
	kernel = module_leaf(pgd, va, &kernel_global);
	return global && (!own_leaf || user != kernel);
#else
	return false;
#endif
}

static bool module_flushed(struct x86_sbm *s, unsigned long va)
{
	unsigned long i;

	for (i = 0; i < s->ctl->nr_flush; i++)
		if (s->ctl->flush[i] == va)
			return true;
	return false;
}

/*
 * Pages @s flushes on entry that page-table isolation's user copy does not
 * map global through a large page of its own, which alone would make it.
 */
static unsigned long module_flushed_needlessly(struct x86_sbm *s)
{
	unsigned long i, n = 0;

	for (i = 0; i < s->ctl->nr_flush; i++)
		n += !module_pti_user_global(s->ctl->flush[i], true);
	return n;
}

/*
 * Loaded after boot, when the kernel maps all that sandboxes run or read
 * at CPL 3 non-global (sandboxed code and constants, the helpers, the
 * return thunk, and this module's sandboxed pages): entering a sandbox
 * needs no INVLPG, however much sandboxed code the kernel holds, before
 * and after the sandbox takes this module's kernel half. Only pages that
 * page-table isolation's user copy maps global with a large page of its
 * own may be flushed (none in the test boots; where it shares the
 * kernel's 4 KiB entries, with pti=auto and no PCID, those are made
 * non-global for both).
 */
static void sbm_test_entry_flushes_no_page(struct kunit *test)
{
	u8 in[2] = { 10, 20 }, out = 0;
	struct sbm sbm;

	if (sbm_level() != SBM_LEVEL_STRONG)
		kunit_skip(test, "strong isolation is not in effect");
	KUNIT_ASSERT_EQ(test, sbm_init(&sbm), 0);
	KUNIT_EXPECT_EQ(test, module_flushed_needlessly(sbm.private), 0);
	KUNIT_EXPECT_EQ(test, sbm_call(&sbm, module_sum,
				       SBM_COPY_IN(&sbm, in, sizeof(in)),
				       SBM_COPY_OUT(&sbm, &out, 1), 12UL), 5);
	KUNIT_EXPECT_EQ(test, out, 42);
	KUNIT_EXPECT_EQ(test, module_flushed_needlessly(sbm.private), 0);
	sbm_destroy(&sbm);
}

static void module_check_not_global(struct kunit *test, struct x86_sbm *s,
				    unsigned long va)
{
	bool global;

	KUNIT_EXPECT_TRUE_MSG(test, sbm_user_mapped(s, va), "%pS", (void *)va);
	module_leaf(module_kernel_pgd(va), va, &global);
	if (global || module_pti_user_global(va, false))
		KUNIT_EXPECT_TRUE_MSG(test, module_flushed(s, va),
				      "global, not flushed: %pS", (void *)va);
}

/*
 * Every page of the kernel image or of this module that a sandbox maps for
 * CPL 3 and that the kernel's page tables or page-table isolation's user
 * copy map global is flushed on every entry: a global TLB entry from
 * either would stand for the sandbox's mapping. Checked for the helpers'
 * pages and this module's sandboxed code and constants.
 */
static void sbm_test_no_global_entry_survives(struct kunit *test)
{
	static const void *const helpers[] = {
		memcpy, memset, memmove, memcmp, bcmp,
	};
	u8 in[2] = { 10, 20 }, out = 0;
	unsigned long va, start, end;
	struct sbm sbm;
	unsigned int i;

	if (sbm_level() != SBM_LEVEL_STRONG)
		kunit_skip(test, "strong isolation is not in effect");
	KUNIT_ASSERT_EQ(test, sbm_module_text(THIS_MODULE, &start, &end), 0);
	KUNIT_ASSERT_EQ(test, sbm_init(&sbm), 0);
	KUNIT_EXPECT_EQ(test, sbm_call(&sbm, module_sum,
				       SBM_COPY_IN(&sbm, in, sizeof(in)),
				       SBM_COPY_OUT(&sbm, &out, 1), 12UL), 5);
	for (i = 0; i < ARRAY_SIZE(helpers); i++) {
		va = (unsigned long)helpers[i] & PAGE_MASK;
		module_check_not_global(test, sbm.private, va);
		module_check_not_global(test, sbm.private, va + PAGE_SIZE);
	}
	for (va = start; va < end; va += PAGE_SIZE)
		module_check_not_global(test, sbm.private, va);
	KUNIT_ASSERT_EQ(test, sbm_module_rodata(THIS_MODULE, &start, &end), 0);
	for (va = start; va < end; va += PAGE_SIZE)
		module_check_not_global(test, sbm.private, va);
	sbm_destroy(&sbm);
}

/*
 * A module's code is mapped only into the sandboxes that run it, in copies
 * of the tables all sandboxes share (shared.c): another sandbox maps none
 * of it, before or after, and runs it once it points at them too.
 */
static void sbm_test_module_text_private(struct kunit *test)
{
	u8 in[2] = { 10, 20 }, out = 0;
	unsigned long start, end;
	struct sbm a, b;

	if (sbm_level() != SBM_LEVEL_STRONG)
		kunit_skip(test, "strong isolation is not in effect");
	KUNIT_ASSERT_EQ(test, sbm_module_text(THIS_MODULE, &start, &end), 0);
	KUNIT_ASSERT_EQ(test, sbm_init(&a), 0);
	KUNIT_ASSERT_EQ(test, sbm_init(&b), 0);
	KUNIT_EXPECT_EQ(test, sbm_call(&a, module_sum,
				       SBM_COPY_IN(&a, in, sizeof(in)),
				       SBM_COPY_OUT(&a, &out, 1), 12UL), 5);
	KUNIT_EXPECT_TRUE(test, sbm_user_mapped(a.private, start));
	KUNIT_EXPECT_FALSE(test, sbm_user_mapped(b.private, start));
	sbm_destroy(&a);
	out = 0;
	KUNIT_EXPECT_EQ(test, sbm_call(&b, module_sum,
				       SBM_COPY_IN(&b, in, sizeof(in)),
				       SBM_COPY_OUT(&b, &out, 1), 12UL), 5);
	KUNIT_EXPECT_EQ(test, out, 42);
	sbm_destroy(&b);
	KUNIT_ASSERT_EQ(test, sbm_init(&a), 0);
	KUNIT_EXPECT_FALSE(test, sbm_user_mapped(a.private, start));
	sbm_destroy(&a);
}

/*
 * A module's code is mapped once, for all its sandboxes: those that run it
 * point at the same tables for it, which a sandbox that does not run it
 * does not use. The tables stay while the module or one of the sandboxes
 * needs them, and go with the last: forgotten by the module while two
 * sandboxes use them, they go when the second is destroyed, not before.
 */
static void sbm_test_module_half_shared(struct kunit *test)
{
	u8 in[2] = { 10, 20 }, out = 0;
	long base, before, gone_a, gone_b;
	unsigned long start, end;
	pgd_t *pa, *pb, *pc;
	struct sbm a, b, c;
	unsigned int top;

	if (sbm_level() != SBM_LEVEL_STRONG)
		kunit_skip(test, "strong isolation is not in effect");
	KUNIT_ASSERT_EQ(test, sbm_module_text(THIS_MODULE, &start, &end), 0);
	top = pgd_index(start);
	/* Earlier cases built this module's kernel half: start without. */
	sbm_forget_module(THIS_MODULE);
	base = sbm_pages();
	KUNIT_ASSERT_EQ(test, sbm_init(&a), 0);
	KUNIT_ASSERT_EQ(test, sbm_init(&b), 0);
	KUNIT_ASSERT_EQ(test, sbm_init(&c), 0);
	KUNIT_EXPECT_EQ(test, sbm_call(&a, module_sum,
				       SBM_COPY_IN(&a, in, sizeof(in)),
				       SBM_COPY_OUT(&a, &out, 1), 12UL), 5);
	KUNIT_EXPECT_EQ(test, sbm_call(&b, module_sum,
				       SBM_COPY_IN(&b, in, sizeof(in)),
				       SBM_COPY_OUT(&b, &out, 1), 12UL), 5);
	pa = ((struct x86_sbm *)a.private)->pgd;
	pb = ((struct x86_sbm *)b.private)->pgd;
	pc = ((struct x86_sbm *)c.private)->pgd;
	KUNIT_EXPECT_EQ(test, pgd_val(pa[top]), pgd_val(pb[top]));
	KUNIT_EXPECT_NE(test, pgd_val(pa[top]), pgd_val(pc[top]));
	KUNIT_EXPECT_FALSE(test, sbm_user_mapped(c.private, start));
	sbm_destroy(&c);

	sbm_forget_module(THIS_MODULE);
	before = sbm_pages();
	sbm_destroy(&a);
	gone_a = before - sbm_pages();
	out = 0;
	KUNIT_EXPECT_EQ(test, sbm_call(&b, module_sum,
				       SBM_COPY_IN(&b, in, sizeof(in)),
				       SBM_COPY_OUT(&b, &out, 1), 12UL), 5);
	KUNIT_EXPECT_EQ(test, out, 42);
	before = sbm_pages();
	sbm_destroy(&b);
	gone_b = before - sbm_pages();
	/* a and b are alike: b takes the module's kernel half with it. */
	KUNIT_EXPECT_GT(test, gone_b, gone_a);
	KUNIT_EXPECT_EQ(test, sbm_pages(), base);
}

/*
 * A sandbox destroyed after calls that returned leaves its address space
 * for the next one set up (pool.c): what it added is gone (a lower stack
 * page, this module's kernel half and the reference to this module, the
 * buffers of a call that never ran), and what it wrote on its stack is not
 * there for the next one. Set up after boot, when address spaces are kept;
 * the first sbm_init() makes room. No other sandbox may come and go
 * meanwhile, as none does while the tests run.
 */
static void sbm_test_kept_address_space(struct kunit *test)
{
	unsigned long start, end, never, lent;
	unsigned long lower = SBM_STACK_TOP - 2 * PAGE_SIZE;
	int refs = module_refcount(THIS_MODULE);
	u8 in[2] = { 0 }, out = 0;
	struct page *page;
	struct sbm a, b;
	long kept;
	void *was;

	if (sbm_level() != SBM_LEVEL_STRONG)
		kunit_skip(test, "strong isolation is not in effect");
	KUNIT_ASSERT_EQ(test, sbm_module_text(THIS_MODULE, &start, &end), 0);
	KUNIT_ASSERT_EQ(test, sbm_init(&a), 0);
	KUNIT_EXPECT_EQ(test, sbm_call(&a, module_mark_stack,
				       SBM_COPY_IN(&a, in, sizeof(in)),
				       SBM_COPY_OUT(&a, &out, 1)), 0);
	KUNIT_EXPECT_EQ(test, out, 1);
	KUNIT_EXPECT_TRUE(test, sbm_user_mapped(a.private, lower));
	KUNIT_EXPECT_TRUE(test, sbm_user_mapped(a.private, start));
	KUNIT_EXPECT_EQ(test, module_refcount(THIS_MODULE), refs + 1);
	/*
	 * Buffers of a call that never runs: mapped, then the instance goes.
	 * One is a copy, the other the caller's own page, lent writable.
	 */
	never = (unsigned long)sbm_copy_in(&a, in, sizeof(in)) & PAGE_MASK;
	KUNIT_EXPECT_TRUE(test, sbm_user_mapped(a.private, never));
	page = alloc_page(GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, page);
	lent = (unsigned long)sbm_lend_out(&a, page_address(page), PAGE_SIZE);
	KUNIT_EXPECT_TRUE(test, sbm_user_mapped(a.private, lent));
	was = a.private;
	kept = sbm_pool_pages();
	sbm_destroy(&a);
	KUNIT_EXPECT_GT(test, sbm_pool_pages(), kept);
	KUNIT_EXPECT_EQ(test, module_refcount(THIS_MODULE), refs);

	KUNIT_ASSERT_EQ(test, sbm_init(&b), 0);
	KUNIT_EXPECT_PTR_EQ(test, b.private, was);
	KUNIT_EXPECT_EQ(test, sbm_pool_pages(), kept);
	KUNIT_EXPECT_FALSE(test, sbm_user_mapped(b.private, lower));
	KUNIT_EXPECT_FALSE(test, sbm_user_mapped(b.private, start));
	KUNIT_EXPECT_FALSE(test, sbm_user_mapped(b.private, never));
	KUNIT_EXPECT_FALSE(test, sbm_user_mapped(b.private, lent));
	out = 0xff;
	KUNIT_EXPECT_EQ(test, sbm_call(&b, module_find_stale,
				       SBM_COPY_IN(&b, in, sizeof(in)),
				       SBM_COPY_OUT(&b, &out, 1)), 0);
	KUNIT_EXPECT_EQ(test, out, 0);
	sbm_destroy(&b);
	__free_page(page);
}

/* An aborted sandbox may have left anything half done: none of it is kept. */
static void sbm_test_aborted_not_kept(struct kunit *test)
{
	u8 in[2] = { 0 }, out = 0;
	struct sbm a, b;
	long kept;

	if (sbm_level() != SBM_LEVEL_STRONG)
		kunit_skip(test, "strong isolation is not in effect");
	KUNIT_ASSERT_EQ(test, sbm_init(&a), 0);
	KUNIT_ASSERT_EQ(test, sbm_init(&b), 0);
	KUNIT_EXPECT_EQ(test, sbm_call(&a, module_write,
				       SBM_COPY_IN(&a, in, sizeof(in)),
				       SBM_COPY_OUT(&a, &out, 1),
				       (unsigned long)&module_test_data[2]),
			-EFAULT);
	KUNIT_EXPECT_EQ(test, module_test_data[2], MODULE_TEST_CANARY);
	kept = sbm_pool_pages();
	sbm_destroy(&a);
	KUNIT_EXPECT_EQ(test, sbm_pool_pages(), kept);
	sbm_destroy(&b);
	KUNIT_EXPECT_GT(test, sbm_pool_pages(), kept);
}

/*
 * A call whose buffers reach past the first MiB gets page tables of its
 * own, which a kept address space would have to give back: its instance
 * is freed, not kept.
 */
static void sbm_test_large_call_not_kept(struct kunit *test)
{
	size_t size = SZ_1M + PAGE_SIZE;
	u8 out = 0, *in;
	struct sbm sbm;
	long kept;

	if (sbm_level() != SBM_LEVEL_STRONG)
		kunit_skip(test, "strong isolation is not in effect");
	in = kvzalloc(size, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, in);
	in[0] = 10;
	in[1] = 20;
	KUNIT_ASSERT_EQ(test, sbm_init(&sbm), 0);
	KUNIT_EXPECT_EQ(test, sbm_call(&sbm, module_sum,
				       SBM_COPY_IN(&sbm, in, size),
				       SBM_COPY_OUT(&sbm, &out, 1), 12UL), 5);
	KUNIT_EXPECT_EQ(test, out, 42);
	kept = sbm_pool_pages();
	sbm_destroy(&sbm);
	KUNIT_EXPECT_EQ(test, sbm_pool_pages(), kept);
	kvfree(in);
}

#if SBM_TEST_MCE
static void module_window_machine_check(unsigned long ip)
{
	/* The kernel's handler would log it and return: the call goes on. */
}
#endif

/*
 * A machine check on the way into a sandbox (INT 18, handed to a
 * stand-in for the kernel's handler) lets the call go on, but the
 * sandbox's address space is not kept: memory_failure() may be about to
 * poison one of its pages.
 */
static void sbm_test_machine_checked_not_kept(struct kunit *test)
{
#if SBM_TEST_MCE
	u8 in[2] = { 10, 20 }, out = 0;
	struct sbm sbm;
	long kept;

	if (sbm_level() != SBM_LEVEL_STRONG)
		kunit_skip(test, "strong isolation is not in effect");
	kunit_activate_static_stub(test, sbm_window_machine_check,
				   module_window_machine_check);
	KUNIT_ASSERT_EQ(test, sbm_init(&sbm), 0);
	sbm_test_machine_check(&sbm, SBM_TEST_MCE_ENTRY);
	KUNIT_EXPECT_EQ(test, sbm_call(&sbm, module_sum,
				       SBM_COPY_IN(&sbm, in, sizeof(in)),
				       SBM_COPY_OUT(&sbm, &out, 1), 12UL), 5);
	KUNIT_EXPECT_EQ(test, sbm_error(&sbm), 0);
	KUNIT_EXPECT_EQ(test, out, 42);
	kept = sbm_pool_pages();
	sbm_destroy(&sbm);
	KUNIT_EXPECT_EQ(test, sbm_pool_pages(), kept);
	kunit_deactivate_static_stub(test, sbm_window_machine_check);
#else
	kunit_skip(test, "needs CONFIG_SANDBOX_MODE_KUNIT_TEST and CONFIG_X86_MCE");
#endif
}

static struct kunit_case sbm_module_cases[] = {
	KUNIT_CASE(sbm_test_module_section),
	KUNIT_CASE(sbm_test_module_text_not_probed),
	KUNIT_CASE(sbm_test_module_runs),
	KUNIT_CASE(sbm_test_entry_flushes_no_page),
	KUNIT_CASE(sbm_test_no_global_entry_survives),
	KUNIT_CASE(sbm_test_module_text_private),
	KUNIT_CASE(sbm_test_module_half_shared),
	KUNIT_CASE(sbm_test_module_own_constants),
	KUNIT_CASE(sbm_test_kept_address_space),
	KUNIT_CASE(sbm_test_aborted_not_kept),
	KUNIT_CASE(sbm_test_large_call_not_kept),
	KUNIT_CASE(sbm_test_machine_checked_not_kept),
	KUNIT_CASE(sbm_test_module_read_rodata),
	KUNIT_CASE(sbm_test_module_write_own_constants),
	KUNIT_CASE(sbm_test_module_call_plain_code),
	KUNIT_CASE(sbm_test_module_read_plain_code),
	KUNIT_CASE(sbm_test_module_read_data),
	KUNIT_CASE(sbm_test_module_write_data),
	KUNIT_CASE(sbm_test_module_write_own_code),
	{}
};

static struct kunit_suite sbm_module_suite = {
	.name = "sbm_x86_module",
	.test_cases = sbm_module_cases,
};

kunit_test_suites(&sbm_module_suite);

MODULE_DESCRIPTION("KUnit tests of SandBox Mode for sandboxed code in modules");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS("EXPORTED_FOR_KUNIT_TESTING");
