// SPDX-License-Identifier: GPL-2.0-only
/*
 * SandBox Mode: the code a sandbox may execute.
 *
 * A sandbox executes, at CPL 3, the functions built into the .sbm.text
 * section (see __sbm_text in <linux/sbm.h>) and a short list of helpers
 * the compilers emit calls to. All of it is mapped at its kernel address,
 * because kernel code is linked to run there. The entry stubs and the
 * sandbox IDT are mapped at their kernel addresses too, supervisor-only.
 */

#include <kunit/visibility.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/string.h>
#include <linux/vmalloc.h>
#include <asm/sections.h>

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

static unsigned long sbm_text_pfn(unsigned long va)
{
	if (is_vmalloc_or_module_addr((void *)va))
		return vmalloc_to_pfn((void *)va);
	return __pa_symbol(va) >> PAGE_SHIFT;
}

/* Map a page of kernel code for CPL 3; its global kernel TLB entries must go. */
static int sbm_map_user_code(struct x86_sbm *s, unsigned long va)
{
	struct sbm_ctl *ctl = s->ctl;
	unsigned long i;
	int err;

	va &= PAGE_MASK;
	for (i = 0; i < ctl->nr_flush; i++)
		if (ctl->flush[i] == va)
			return 0;
	if (ctl->nr_flush == SBM_CTL_MAX_FLUSH)
		return -E2BIG;
	err = sbm_map_page(s, va, sbm_text_pfn(va), SBM_USER_CODE);
	if (!err)
		ctl->flush[ctl->nr_flush++] = va;
	return err;
}

static int sbm_map_user_code_range(struct x86_sbm *s, unsigned long start,
				   unsigned long end)
{
	unsigned long va;
	int err;

	for (va = start & PAGE_MASK; va < end; va += PAGE_SIZE) {
		err = sbm_map_user_code(s, va);
		if (err)
			return err;
	}
	return 0;
}

/**
 * sbm_map_text() - map the code every sandbox may run and the entry code
 * @s: the sandbox
 *
 * Return: 0, -ENOMEM, or -E2BIG if the sandboxed code is too large.
 */
int sbm_map_text(struct x86_sbm *s)
{
	unsigned long va, i;
	int err;

	err = sbm_map_user_code_range(s, (unsigned long)__sbm_text_start,
				      (unsigned long)__sbm_text_end);
	for (i = 0; !err && i < ARRAY_SIZE(sbm_helpers); i++) {
		va = (unsigned long)sbm_helpers[i];
		err = sbm_map_user_code_range(s, va, va + PAGE_SIZE + 1);
	}
	for (va = (unsigned long)__sbm_entry_text_start;
	     !err && va < (unsigned long)__sbm_entry_text_end; va += PAGE_SIZE)
		err = sbm_map_page(s, va, sbm_text_pfn(va), SBM_KERN_CODE);
	return err;
}

#ifdef CONFIG_MODULES
/**
 * sbm_module_text() - where a module's sandboxed code is
 * @mod:   the module
 * @start: its first page
 * @end:   the end of its last page
 *
 * The module linker script (scripts/module.lds.S) puts a module's
 * .sbm.text on pages of its own, between two symbols of the module, which
 * its symbol table keeps. The bounds are checked against the module's
 * text before anything is mapped on their word.
 *
 * Return: 0, or -ENOENT if the module has no sandboxed code or its symbols
 * are not available (CONFIG_KALLSYMS=n).
 */
int sbm_module_text(struct module *mod, unsigned long *start,
		    unsigned long *end)
{
	unsigned long base = (unsigned long)mod->mem[MOD_TEXT].base;
	unsigned long size = mod->mem[MOD_TEXT].size;

	*start = find_kallsyms_symbol_value(mod, "__sbm_module_text_start");
	*end = find_kallsyms_symbol_value(mod, "__sbm_module_text_end");
	if (!*start || *end <= *start || !PAGE_ALIGNED(*start) ||
	    !PAGE_ALIGNED(*end) || *start < base || *end > base + size)
		return -ENOENT;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(sbm_module_text);
#endif

/**
 * sbm_map_module_text() - map the sandboxed code of the module holding @func
 * @s:    the sandbox
 * @func: the sandboxed function about to run
 *
 * Only the module's .sbm.text pages are mapped (see sbm_module_text()),
 * nothing else of the module. A function outside them is not sandboxed
 * code and gets nothing mapped: it faults, and the sandbox is aborted.
 * The module cannot go away during the call: the caller is running its
 * code.
 *
 * Return: 0, -ENOMEM, -E2BIG, or -EINVAL if @func is a module function in
 * a different module than this sandbox ran before.
 */
int sbm_map_module_text(struct x86_sbm *s, unsigned long func)
{
#ifdef CONFIG_MODULES
	struct module *mod;
	unsigned long start, end;

	if (func >= (unsigned long)__sbm_text_start &&
	    func < (unsigned long)__sbm_text_end)
		return 0;

	scoped_guard(rcu) {
		mod = __module_text_address(func);
	}
	if (!mod)
		return 0;	/* Not sandboxed code: it will fault, and abort. */
	if (s->module)
		return s->module == mod ? 0 : -EINVAL;

	s->module = mod;
	if (sbm_module_text(mod, &start, &end))
		return 0;
	return sbm_map_user_code_range(s, start, end);
#else
	return 0;
#endif
}
