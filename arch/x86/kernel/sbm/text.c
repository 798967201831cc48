// SPDX-License-Identifier: GPL-2.0-only
/*
 * SandBox Mode: the code a sandbox may execute.
 *
 * A sandbox executes, at CPL 3, the functions built into the .sbm.text
 * section (see __sbm_text in <linux/sbm.h>) and a short list of helpers
 * the compilers emit calls to, and reads the constants in .sbm.rodata
 * (see __sbm_rodata). All of it is mapped at its kernel address, because
 * kernel code is linked to run there and to find its data there. The
 * entry stubs and the sandbox IDT are mapped at their kernel addresses
 * too, supervisor-only.
 */

#include <kunit/visibility.h>
#include <linux/kprobes.h>
#include <linux/kref.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/notifier.h>
#include <linux/slab.h>
#include <linux/sbm.h>
#include <linux/string.h>
#include <linux/vmalloc.h>
#include <asm/nospec-branch.h>
#include <asm/sections.h>
#include <asm/set_memory.h>

#include "sbm.h"

/*
 * Calls to these can appear in any C or Rust code: struct copies and
 * clears, slice copies and comparisons. They touch only what they are
 * given. The page holding each, and the next one in case it crosses a
 * page boundary, is mapped.
 */
static const void *const sbm_helpers[] = {
	memcpy, memset, memmove, memcmp, bcmp,
};

/* Return thunks are short; a cache line covers each, whatever its alignment. */
#define SBM_THUNK_SIZE	64

static unsigned long sbm_text_pfn(unsigned long va)
{
	if (is_vmalloc_or_module_addr((void *)va))
		return vmalloc_to_pfn((void *)va);
	return __pa_symbol(va) >> PAGE_SHIFT;
}

/*
 * Page-table isolation's user copy of kernel text. Unless booted with
 * pti=on, and on CPUs without PCID (and without RANDSTRUCT, not K8), it
 * clones kernel text into the user page tables (pti_clone_kernel_text()),
 * and entry text in every mode (pti_clone_entry_text()), at PMD level: a
 * large page becomes a global leaf of the user copy's own, which
 * set_memory_nonglobal() never sees; where the kernel maps 4 KiB pages
 * the user copy points at the kernel's own PTE table, made global for it
 * and made non-global again, for both, by set_memory_nonglobal().
 *
 * sbm_pti_user_global() tells whether the user copy maps @va global at
 * all; with @own_leaf, only through an entry that is not the kernel's.
 * Entry code running on the user page tables can load a global TLB entry
 * from it, a large one, which survives into the sandbox.
 */
#ifdef CONFIG_MITIGATION_PAGE_TABLE_ISOLATION
static bool sbm_pti_user_global(unsigned long va, bool own_leaf)
{
	unsigned int level;
	pte_t *pte, *kernel;

	if (!cpu_feature_enabled(X86_FEATURE_PTI))
		return false;
	pte = lookup_address_in_pgd(kernel_to_user_pgdp(pgd_offset_k(va)), va,
				    &level);
	if (!pte || (pte_flags(*pte) & (_PAGE_PRESENT | _PAGE_GLOBAL)) !=
		    (_PAGE_PRESENT | _PAGE_GLOBAL))
		return false;
	kernel = lookup_address(va, &level);
	return !own_leaf || pte != kernel;
}
#else
static bool sbm_pti_user_global(unsigned long va, bool own_leaf)
{
	return false;
}
#endif

/*
 * Whether the kernel maps @va global, in its own page tables or in page
 * table isolation's user copy. A global TLB entry survives the CR3 write
 * into the sandbox and would stand, with its supervisor-only access, for
 * the sandbox's own mapping of the page.
 */
static bool sbm_kernel_global(unsigned long va)
{
	unsigned int level;
	pte_t *pte = lookup_address(va, &level);

	return !pte || (pte_flags(*pte) & _PAGE_GLOBAL) ||
	       sbm_pti_user_global(va, false);
}

/*
 * Map a page of the kernel image for CPL 3 (@prot is SBM_USER_CODE or
 * SBM_USER_RO). If the kernel maps it global, its TLB entry must go on
 * every entry into the sandbox: the page joins the INVLPG list.
 */
static int sbm_map_user_page(struct x86_sbm *s, unsigned long va,
			     unsigned long prot)
{
	struct sbm_ctl *ctl = s->ctl;
	unsigned long i;
	bool global;
	int err;

	va &= PAGE_MASK;
	global = s->text_pass != SBM_MAP_ONLY && sbm_kernel_global(va);
	for (i = 0; global && i < ctl->nr_flush; i++)
		if (ctl->flush[i] == va)
			return 0;
	if (global && ctl->nr_flush == SBM_CTL_MAX_FLUSH)
		return -E2BIG;
	err = s->text_pass == SBM_LIST_ONLY ? 0 :
	      sbm_map_page(s, va, sbm_text_pfn(va), prot);
	if (!err && global)
		ctl->flush[ctl->nr_flush++] = va;
	return err;
}

/*
 * The return thunk sandboxed code jumps to instead of returning. With
 * CONFIG_MITIGATION_RETHUNK the compilers end every function with a jump
 * to __x86_return_thunk, which apply_returns() turns at boot into a plain
 * RET or into a jump to the thunk the CPU's mitigation needs: that is
 * x86_return_thunk. At CPL 3 the sandbox is user space as far as the CPU
 * is concerned, and user space returns with plain RETs; the thunk adds no
 * protection there, but sandboxed code cannot return without it. The
 * thunks that can be chosen only move the stack pointer and return (the
 * SRSO ones through a "safe RET" they call); call depth tracking's thunk
 * counts in per-CPU data and cannot run in a sandbox, which is why strong
 * isolation is refused with it (see sbm_refusal()). Mapping the thunk's
 * page maps its neighbours too: kernel code that, run at CPL 3, can reach
 * no more than sandboxed code can.
 *
 * @thunks gets the thunk and the safe RET it calls, or zeroes where there
 * is none.
 */
static void sbm_return_thunks(unsigned long thunks[2])
{
	thunks[0] = 0;
	thunks[1] = 0;
	if (!IS_ENABLED(CONFIG_MITIGATION_RETHUNK) ||
	    !cpu_feature_enabled(X86_FEATURE_RETHUNK))
		return;
	thunks[0] = (unsigned long)x86_return_thunk;
	if (IS_ENABLED(CONFIG_MITIGATION_SRSO)) {
		if (x86_return_thunk == srso_return_thunk)
			thunks[1] = (unsigned long)srso_safe_ret;
		else if (x86_return_thunk == srso_alias_return_thunk)
			thunks[1] = (unsigned long)srso_alias_safe_ret;
	}
}

/**
 * sbm_borrowed_text() - the kernel functions sandboxed code may call
 * @fn: gets their addresses: the helpers, then the return thunk and the
 *      safe RET it calls, if the kernel uses them
 *
 * Return: how many of @fn were filled in, at most %SBM_NR_BORROWED.
 */
unsigned int sbm_borrowed_text(unsigned long fn[SBM_NR_BORROWED])
{
	unsigned long i, n = 0, thunks[2];

	BUILD_BUG_ON(ARRAY_SIZE(sbm_helpers) + ARRAY_SIZE(thunks) !=
		     SBM_NR_BORROWED);
	for (i = 0; i < ARRAY_SIZE(sbm_helpers); i++)
		fn[n++] = (unsigned long)sbm_helpers[i];
	sbm_return_thunks(thunks);
	for (i = 0; i < ARRAY_SIZE(thunks); i++)
		if (thunks[i])
			fn[n++] = thunks[i];
	return n;
}

/*
 * Make the kernel's mapping of @start..@end non-global, but for the pages
 * that page-table isolation's user copy maps global with a large page of
 * its own: those stay on the INVLPG list anyway, and splitting the
 * kernel's large page there would buy nothing. A page that stays global
 * is not an error: it stays on the INVLPG list of every sandbox that maps
 * it (see sbm_map_user_page()), which is correct, only dearer.
 */
static void sbm_make_range_nonglobal(unsigned long start, unsigned long end)
{
	unsigned long va, run = 0;
	bool skip;

	start &= PAGE_MASK;
	end = PAGE_ALIGN(end);
	for (va = start; va <= end; va += PAGE_SIZE) {
		skip = va == end || sbm_pti_user_global(va, true);
		if (!skip && !run)
			run = va;
		if (skip && run &&
		    set_memory_nonglobal(run, (va - run) >> PAGE_SHIFT))
			pr_warn_once("sbm: pages sandboxes run stay global: every sandbox entry flushes them\n");
		if (skip)
			run = 0;
	}
}

/*
 * The kernel maps its image global, and each of its pages that sandboxes
 * run or read at CPL 3 would cost every entry an INVLPG. Once the system
 * runs, those pages are made non-global instead: sandboxed code and
 * constants, the pages of the helpers and the return thunk. That costs
 * the kernel TLB misses on them after CR3 writes, and the large pages of
 * kernel text that hold them are split (the direct map's alias too, as
 * set_memory_nonglobal() does); it is paid once, by kernels that run a
 * strong sandbox. Not earlier: page-table isolation sets the global bit on
 * kernel text again just before (pti_finalize()). Sandboxes set up before
 * then flush the pages that are still global. Called once, under the
 * lock that makes the shared INVLPG list (shared.c).
 */
void sbm_make_user_pages_nonglobal(void)
{
	unsigned long i, va, thunks[2];

	sbm_make_range_nonglobal((unsigned long)__sbm_text_start,
				 (unsigned long)__sbm_text_end);
	sbm_make_range_nonglobal((unsigned long)__sbm_rodata_start,
				 (unsigned long)__sbm_rodata_end);
	for (i = 0; i < ARRAY_SIZE(sbm_helpers); i++) {
		va = (unsigned long)sbm_helpers[i];
		/*
		 * This loop is unrolled: folded into "memcpy + 4097", the end
		 * would read to objtool as a pointer to code without ENDBR.
		 */
		OPTIMIZER_HIDE_VAR(va);
		sbm_make_range_nonglobal(va, va + PAGE_SIZE + 1);
	}
	sbm_return_thunks(thunks);
	for (i = 0; i < ARRAY_SIZE(thunks); i++)
		if (thunks[i])
			sbm_make_range_nonglobal(thunks[i],
						 thunks[i] + SBM_THUNK_SIZE);
}

static int sbm_map_user_range(struct x86_sbm *s, unsigned long start,
			      unsigned long end, unsigned long prot)
{
	unsigned long va;
	int err;

	for (va = start & PAGE_MASK; va < end; va += PAGE_SIZE) {
		err = sbm_map_user_page(s, va, prot);
		if (err)
			return err;
	}
	return 0;
}

static int sbm_map_user_code_range(struct x86_sbm *s, unsigned long start,
				   unsigned long end)
{
	return sbm_map_user_range(s, start, end, SBM_USER_CODE);
}

/*
 * CLEAR_CPU_BUFFERS, the last thing before the IRET into a sandbox, reads
 * its VERW operand on the sandbox page tables. The kernel keeps it in entry
 * text, which page-table isolation maps into user page tables too; a
 * sandbox maps its page supervisor-only, read-only.
 */
static int sbm_map_verw_operand(struct x86_sbm *s)
{
	unsigned long va = (unsigned long)&x86_verw_sel & PAGE_MASK;

	/*
	 * Sandboxed code on the same page would lose its user mapping here,
	 * or, mapped after, make the VERW fault under SMAP: neither may be.
	 * Its text is mapped first, so the sandbox's own entry tells.
	 */
	if (WARN_ON_ONCE(sbm_user_mapped(s, va)))
		return -EINVAL;
	return sbm_map_page(s, va, sbm_text_pfn(va), SBM_KERN_RO);
}

/**
 * sbm_map_text() - map the code every sandbox may run and the entry code
 * @s: the sandbox whose kernel half all sandboxes share (see shared.c)
 *
 * @s->text_pass says whether the pages are mapped, and whether those the
 * sandbox runs or reads at CPL 3 that the kernel maps global are listed
 * for INVLPG.
 *
 * Return: 0, -ENOMEM, or -E2BIG if the sandboxed code is too large.
 */
int sbm_map_text(struct x86_sbm *s)
{
	unsigned long va, i, thunks[2];
	int err;

	err = sbm_map_user_code_range(s, (unsigned long)__sbm_text_start,
				      (unsigned long)__sbm_text_end);
	if (!err)
		err = sbm_map_user_range(s, (unsigned long)__sbm_rodata_start,
					 (unsigned long)__sbm_rodata_end,
					 SBM_USER_RO);
	for (i = 0; !err && i < ARRAY_SIZE(sbm_helpers); i++) {
		va = (unsigned long)sbm_helpers[i];
		err = sbm_map_user_code_range(s, va, va + PAGE_SIZE + 1);
	}
	sbm_return_thunks(thunks);
	for (i = 0; !err && i < ARRAY_SIZE(thunks); i++)
		if (thunks[i])
			err = sbm_map_user_code_range(s, thunks[i],
						      thunks[i] + SBM_THUNK_SIZE);
	if (s->text_pass == SBM_LIST_ONLY)
		return err;
	for (va = (unsigned long)__sbm_entry_text_start;
	     !err && va < (unsigned long)__sbm_entry_text_end; va += PAGE_SIZE)
		err = sbm_map_page(s, va, sbm_text_pfn(va), SBM_KERN_CODE);
	if (!err)
		err = sbm_map_verw_operand(s);
	return err;
}

#ifdef CONFIG_MODULES
/* Whole pages of @mod's memory @type between two symbols of the module. */
static int sbm_module_pages(struct module *mod, enum mod_mem_type type,
			    const char *first, const char *last,
			    unsigned long *start, unsigned long *end)
{
	unsigned long base = (unsigned long)mod->mem[type].base;
	unsigned long size = mod->mem[type].size;

	*start = find_kallsyms_symbol_value(mod, first);
	*end = find_kallsyms_symbol_value(mod, last);
	if (!*start || *end <= *start || !PAGE_ALIGNED(*start) ||
	    !PAGE_ALIGNED(*end) || *start < base || *end > base + size)
		return -ENOENT;
	return 0;
}

/**
 * sbm_module_text() - where a module's sandboxed code is
 * @mod:   the module
 * @start: its first page
 * @end:   the end of its last page
 *
 * The module linker script (scripts/module.lds.S) puts a module's
 * .sbm.text on pages of its own at the start of the module's
 * .kprobes.text, between two symbols of the module, which its symbol
 * table keeps. The bounds are checked against the module's
 * text before anything is mapped on their word.
 *
 * Return: 0, or -ENOENT if the module has no sandboxed code or its symbols
 * are not available (CONFIG_KALLSYMS=n).
 */
int sbm_module_text(struct module *mod, unsigned long *start,
		    unsigned long *end)
{
	return sbm_module_pages(mod, MOD_TEXT, "__sbm_module_text_start",
				"__sbm_module_text_end", start, end);
}
EXPORT_SYMBOL_IF_KUNIT(sbm_module_text);

#if IS_ENABLED(CONFIG_KUNIT) && defined(CONFIG_KPROBES)
/**
 * sbm_first_probeable() - the first address of a range kprobes accept
 * @start: start of the range
 * @end:   its end
 *
 * For the tests, which check every byte of the code sandboxes run, a
 * module's as well as the kernel's.
 *
 * Return: the first address in [@start, @end) outside the kprobe
 * blacklist, or 0 if there is none.
 */
unsigned long sbm_first_probeable(unsigned long start, unsigned long end)
{
	for (; start < end; start++)
		if (!within_kprobe_blacklist(start))
			return start;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(sbm_first_probeable);
#endif

/**
 * sbm_module_rodata() - where the constants of a module's sandboxed code are
 * @mod:   the module
 * @start: their first page
 * @end:   the end of their last page
 *
 * Like sbm_module_text(), for .sbm.rodata, checked against the module's
 * read-only data. The symbols of data are kept with CONFIG_KALLSYMS_ALL
 * only, which strong isolation depends on with modules.
 *
 * Return: 0, or -ENOENT if the module has no such constants or their
 * bounds are not available.
 */
int sbm_module_rodata(struct module *mod, unsigned long *start,
		      unsigned long *end)
{
	return sbm_module_pages(mod, MOD_RODATA, "__sbm_module_rodata_start",
				"__sbm_module_rodata_end", start, end);
}
EXPORT_SYMBOL_IF_KUNIT(sbm_module_rodata);

/**
 * struct sbm_module_half - the kernel half of sandboxes that run a module
 * @ref:  held by the module's &struct sbm_module_bounds until the module
 *        goes away, and by each sandbox that uses it until it is destroyed
 * @tmpl: never runs: the shared kernel half (see shared.c), with copies of
 *        the tables on the way to the module's sandboxed code and
 *        constants, which are mapped into them; and its INVLPG list
 *
 * Built once per module, like the shared half at boot, so that a new
 * sandbox running the module's code copies top-level entries instead of
 * copying tables and mapping the module's pages again.
 */
struct sbm_module_half {
	struct kref ref;
	struct x86_sbm tmpl;
};

static void sbm_module_half_free(struct kref *ref)
{
	struct sbm_module_half *half = container_of(ref, typeof(*half), ref);

	sbm_free_tables(&half->tmpl);
	if (half->tmpl.ctl)
		sbm_free_page(virt_to_page(half->tmpl.ctl));
	kfree(half);
}

/**
 * sbm_put_module_half() - drop a reference to a module's kernel half
 * @half: the module's kernel half, or %NULL
 *
 * A sandbox drops the one sbm_map_module_text() took when it is
 * destroyed; the module-bounds cache drops its own when the module goes.
 * Nothing may run on page tables that point to it any more.
 */
void sbm_put_module_half(struct sbm_module_half *half)
{
	if (half)
		kref_put(&half->ref, sbm_module_half_free);
}

/*
 * Where a module's sandboxed code and constants are: found once, by a
 * search of all the module's symbols, and kept until the module goes away,
 * so that a new sandbox running the module's code does not search again.
 * Zeroes where the module has none; @half is built the first time a
 * sandbox runs the module's sandboxed code.
 */
struct sbm_module_bounds {
	struct list_head list;
	struct module *mod;
	unsigned long text_start, text_end;
	unsigned long rodata_start, rodata_end;
	struct sbm_module_half *half;
};

static LIST_HEAD(sbm_modules);
static DEFINE_MUTEX(sbm_modules_lock);

/* Whether @start..@end, if anything, lies in @mod's memory @type. */
static bool sbm_module_holds(struct module *mod, enum mod_mem_type type,
			     unsigned long start, unsigned long end)
{
	unsigned long base = (unsigned long)mod->mem[type].base;

	return !end || (start >= base && end <= base + mod->mem[type].size);
}

/*
 * The kernel half of sandboxes running @p's module: the shared one, the
 * module's sandboxed constants mapped read-only and its code executable.
 * The kernel's mapping of those pages is made non-global first, as the
 * kernel image's are (see sbm_make_user_pages_nonglobal()), so that no
 * entry into its sandboxes flushes them; any page that stays global
 * joins the INVLPG list.
 */
static struct sbm_module_half *sbm_build_module_half(struct sbm_module_bounds *p)
{
	struct page *pgd = sbm_alloc_page(), *ctl = sbm_alloc_page();
	struct sbm_module_half *half = kzalloc_obj(*half, GFP_KERNEL);
	struct x86_sbm *t;
	int err = -ENOMEM;

	if (!half) {
		sbm_free_page(pgd);
		sbm_free_page(ctl);
		return ERR_PTR(-ENOMEM);
	}
	kref_init(&half->ref);
	t = &half->tmpl;
	INIT_LIST_HEAD(&t->tables);
	t->pgd = pgd ? page_address(pgd) : NULL;
	t->ctl = ctl ? page_address(ctl) : NULL;
	if (pgd && ctl)
		err = sbm_use_shared(t);
	/* Until then the pages are listed anyway (see sbm_shared_finalize()). */
	if (!err && sbm_shared_is_final()) {
		sbm_make_range_nonglobal(p->rodata_start, p->rodata_end);
		sbm_make_range_nonglobal(p->text_start, p->text_end);
	}
	if (!err && p->rodata_end)
		err = sbm_map_user_range(t, p->rodata_start, p->rodata_end,
					 SBM_USER_RO);
	if (!err)
		err = sbm_map_user_code_range(t, p->text_start, p->text_end);
	if (err) {
		sbm_put_module_half(half);
		return ERR_PTR(err);
	}
	return half;
}

/*
 * @mod is held. No entry is added once its going-away notification may
 * have run (which takes the same lock after the state changes): it would
 * never be removed, and a module loaded later at the same address would
 * find it. What an entry says is checked against the module's memory on
 * every use. If the module has sandboxed code, @out->half is its kernel
 * half, built if need be, with a reference for the caller.
 */
static int sbm_find_module_bounds(struct module *mod,
				  struct sbm_module_bounds *out)
{
	struct sbm_module_half *half;
	struct sbm_module_bounds *p;

	guard(mutex)(&sbm_modules_lock);
	if (READ_ONCE(mod->state) == MODULE_STATE_GOING)
		return -ENOENT;
	list_for_each_entry(p, &sbm_modules, list)
		if (p->mod == mod)
			goto found;
	p = kzalloc_obj(*p, GFP_KERNEL);
	if (!p)
		return -ENOMEM;
	p->mod = mod;
	if (sbm_module_text(mod, &p->text_start, &p->text_end)) {
		p->text_start = 0;
		p->text_end = 0;
	}
	if (sbm_module_rodata(mod, &p->rodata_start, &p->rodata_end)) {
		p->rodata_start = 0;
		p->rodata_end = 0;
	}
	list_add(&p->list, &sbm_modules);
found:
	if (WARN_ON_ONCE(!sbm_module_holds(mod, MOD_TEXT, p->text_start,
					   p->text_end) ||
			 !sbm_module_holds(mod, MOD_RODATA, p->rodata_start,
					   p->rodata_end)))
		return -EINVAL;
	/*
	 * Built under the lock, once per module: a few page allocations, and
	 * the first time after boot the shared half's INVLPG list.
	 */
	if (p->text_end && !p->half) {
		half = sbm_build_module_half(p);
		if (IS_ERR(half))
			return PTR_ERR(half);
		/*
		 * Its INVLPG list was made while the system boots, when which
		 * pages the kernel maps global still changes: not kept, the
		 * caller gets the only reference.
		 */
		if (!sbm_shared_is_final()) {
			*out = *p;
			out->half = half;
			return 0;
		}
		p->half = half;
	}
	if (p->half)
		kref_get(&p->half->ref);
	*out = *p;
	return 0;
}

/**
 * sbm_forget_module() - drop what is kept of a module
 * @mod: the module, going away
 *
 * Its kernel half goes once no sandbox uses it. KUnit calls this too, to
 * see that it does.
 */
void sbm_forget_module(struct module *mod)
{
	struct sbm_module_bounds *p, *next;

	guard(mutex)(&sbm_modules_lock);
	list_for_each_entry_safe(p, next, &sbm_modules, list) {
		if (p->mod == mod) {
			list_del(&p->list);
			sbm_put_module_half(p->half);
			kfree(p);
		}
	}
}
EXPORT_SYMBOL_IF_KUNIT(sbm_forget_module);

static int sbm_module_going(struct notifier_block *nb, unsigned long state,
			    void *data)
{
	if (state == MODULE_STATE_GOING)
		sbm_forget_module(data);
	return NOTIFY_DONE;
}

static struct notifier_block sbm_module_nb = {
	.notifier_call = sbm_module_going,
};

static int __init sbm_module_bounds_init(void)
{
	return register_module_notifier(&sbm_module_nb);
}
core_initcall(sbm_module_bounds_init);
#endif

/**
 * sbm_map_module_text() - map the sandboxed code of the module holding @func
 * @s:    the sandbox
 * @func: the sandboxed function about to run
 *
 * Only the module's .sbm.text pages are mapped (see sbm_module_text()),
 * and its .sbm.rodata pages for reading (see sbm_module_rodata()),
 * nothing else of the module. A function outside them is not sandboxed
 * code and gets nothing mapped: it faults, and the sandbox is aborted.
 * The sandbox holds a reference to the module from then on, so that its
 * code stays where the sandbox maps it. The mappings are made once per
 * module, in a kernel half that the module's sandboxes share (see &struct
 * sbm_module_half); the sandbox's top-level entries are pointed at it.
 *
 * Return: 0, -ENOMEM, -E2BIG, -ENOENT if the module is going away, or
 * -EINVAL if @func is a module function in a different module than this
 * sandbox ran before.
 */
int sbm_map_module_text(struct x86_sbm *s, unsigned long func)
{
#ifdef CONFIG_MODULES
	struct sbm_module_bounds bounds;
	struct module *mod;
	int err;

	if (func >= (unsigned long)__sbm_text_start &&
	    func < (unsigned long)__sbm_text_end)
		return 0;
	/*
	 * Calls on an instance go to the module it holds: its sandboxed code
	 * is mapped, and looking the module up again would cost as much as
	 * the rest of a warm call's preparation.
	 */
	if (func >= s->module_text_start && func < s->module_text_end)
		return 0;

	scoped_guard(rcu) {
		mod = __module_text_address(func);
		/*
		 * The module must outlive the mapping of its code: it is
		 * held until arch_sbm_destroy().
		 */
		if (mod && !s->module && !try_module_get(mod))
			return -ENOENT;
	}
	if (!mod)
		return 0;	/* Not sandboxed code: it will fault, and abort. */
	if (s->module)
		return s->module == mod ? 0 : -EINVAL;

	s->module = mod;
	err = sbm_find_module_bounds(mod, &bounds);
	if (err || !bounds.half)
		return err;
	/* It has not run the module's code: its kernel half is the shared one. */
	s->module_half = bounds.half;
	sbm_copy_kernel_half(s, &bounds.half->tmpl);
	s->module_text_start = bounds.text_start;
	s->module_text_end = bounds.text_end;
	return 0;
#else
	return 0;
#endif
}
