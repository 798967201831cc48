// SPDX-License-Identifier: GPL-2.0-only
/*
 * SandBox Mode: the kernel half that all sandboxes share.
 *
 * What a sandbox maps at kernel addresses is the same for every sandbox:
 * the CPU entry area, the sandbox IDT, the entry stubs, the page that
 * tells the stubs which page tables are live, and the sandboxed code of
 * the kernel image with its constants and helpers (text.c). Those
 * page tables are built once, when strong isolation is set up, and a new
 * sandbox points its top-level entries at them instead of mapping every
 * page again: it then costs only pages of its own (its top-level table,
 * control page and stack, and the tables of its low half). A module's
 * sandboxed code is mapped once per module, into copies of the tables on
 * the way to it (see sbm_map_page() and text.c), and the module's
 * sandboxes point at those; the shared ones never change once the system
 * runs.
 */

#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/string.h>
#include <asm/barrier.h>
#include <asm/cpu_entry_area.h>
#include <asm/set_memory.h>

#include "sbm.h"

struct x86_sbm sbm_shared = {
	.tables = LIST_HEAD_INIT(sbm_shared.tables),
};

/*
 * Its first word reads 0 on the kernel's page tables and 1 on every
 * sandbox's, which all map one other page at its address: the NMI and
 * machine check stubs, which have no register to spare, tell from it
 * which page tables the event found live (see entry_64.S). A whole page,
 * so that nothing else of the kernel's is hidden from the stubs.
 */
unsigned long sbm_tables_marker[PAGE_SIZE / sizeof(long)] __page_aligned_bss;

/*
 * Taken to read or make again the INVLPG list of the shared pages until
 * it is final: from then on it never changes and is read without it.
 */
static DEFINE_MUTEX(sbm_shared_lock);
static bool sbm_shared_final;

/*
 * The kernel maps its image global unless page-table isolation is on: a
 * TLB entry of its own for the marker would outlive the CR3 write into a
 * sandbox and make the stubs read 0 there. The page is made non-global
 * once, and stays so: page-table isolation sets the global bit again only
 * up to the end of read-only data (pti_clone_kernel_text()), which is why
 * the marker is in .bss, not in .rodata or __ro_after_init.
 */
static int __init sbm_map_tables_marker(struct page *page)
{
	unsigned long va = (unsigned long)sbm_tables_marker;
	int err;

	BUILD_BUG_ON(sizeof(sbm_tables_marker) != PAGE_SIZE);
	*(unsigned long *)page_address(page) = 1;
	err = set_memory_nonglobal(va, 1);
	if (!err)
		err = sbm_map_page(&sbm_shared, va, page_to_pfn(page),
				   SBM_KERN_RO);
	return err;
}

/**
 * sbm_shared_init() - build the kernel half that all sandboxes share
 *
 * Its control page is never mapped: it only holds the INVLPG list of the
 * shared pages once the system runs, which every sandbox then copies into
 * its own. Until then which pages the kernel maps global changes (page
 * table isolation sets and clears the bit on kernel text), so nothing is
 * listed here.
 *
 * Return: 0, or a negative error code; strong isolation is then refused.
 */
int __init sbm_shared_init(void)
{
	struct page *pgd = sbm_alloc_page(), *ctl = sbm_alloc_page();
	struct page *marker = sbm_alloc_page();
	int err = -ENOMEM;

	sbm_shared.pgd = pgd ? page_address(pgd) : NULL;
	sbm_shared.ctl = ctl ? page_address(ctl) : NULL;
	if (pgd && ctl && marker) {
		sbm_shared.text_pass = SBM_MAP_ONLY;
		err = sbm_share_kernel_p4d(&sbm_shared, CPU_ENTRY_AREA_BASE);
		if (!err)
			err = sbm_map_idt(&sbm_shared);
		if (!err)
			err = sbm_map_tables_marker(marker);
		if (!err)
			err = sbm_map_text(&sbm_shared);
	}
	if (err) {
		sbm_free_tables(&sbm_shared);
		sbm_free_page(ctl);
		sbm_free_page(marker);
		sbm_shared.ctl = NULL;
	}
	return err;
}

/*
 * Once the system runs, the kernel maps the pages that sandboxes run or
 * read at CPL 3 non-global (see sbm_make_user_pages_nonglobal()), once:
 * what stays global after that is logged there, and trying again would
 * cost every new sandbox the attribute changes and their TLB flushes. The
 * INVLPG list is made from the same pages, without writing to the shared
 * tables, which sandboxes may be running on: it lists only the pages that
 * are still global, and does not change again. Sandboxes set up before
 * keep the list they made.
 */
static int sbm_shared_finalize(void)
{
	static bool nonglobal_done;
	int err;

	lockdep_assert_held(&sbm_shared_lock);
	if (sbm_shared_final || system_state != SYSTEM_RUNNING)
		return 0;
	if (!nonglobal_done) {
		sbm_make_user_pages_nonglobal();
		nonglobal_done = true;
	}
	sbm_shared.ctl->nr_flush = 0;
	sbm_shared.text_pass = SBM_LIST_ONLY;
	err = sbm_map_text(&sbm_shared);
	/* If it failed, the list is incomplete: the next sandbox tries again. */
	if (!err) {
		/* Pairs with sbm_use_shared(), which then reads it unlocked. */
		smp_store_release(&sbm_shared_final, true);
	}
	return err;
}

/**
 * sbm_copy_kernel_half() - point a sandbox at the kernel half of a template
 * @s:    the sandbox, not running
 * @tmpl: the shared half, or a module's (see text.c), which outlives @s's
 *        use of it
 *
 * Its top-level entries and INVLPG list are copied; @tmpl's kernel half
 * must map all that @s's did.
 */
void sbm_copy_kernel_half(struct x86_sbm *s, const struct x86_sbm *tmpl)
{
	sbm_share_kernel_half(s, tmpl);
	s->ctl->nr_flush = tmpl->ctl->nr_flush;
	memcpy(s->ctl->flush, tmpl->ctl->flush,
	       s->ctl->nr_flush * sizeof(s->ctl->flush[0]));
}

/*
 * Before the list is final, a sandbox makes its own, from what the kernel
 * maps global when it is set up, as it did before the kernel half was
 * shared; only this sandbox fails if it is too long.
 */
static int sbm_list_own(struct x86_sbm *s)
{
	int err;

	sbm_share_kernel_half(s, &sbm_shared);
	s->text_pass = SBM_LIST_ONLY;
	err = sbm_map_text(s);
	s->text_pass = SBM_MAP_AND_LIST;
	return err;
}

/**
 * sbm_shared_is_final() - whether the shared INVLPG list is final
 *
 * Return: true once the system runs and the list was made for it; what
 * copies it then needs no other list.
 */
bool sbm_shared_is_final(void)
{
	/* Pairs with the release in sbm_shared_finalize(). */
	return smp_load_acquire(&sbm_shared_final);
}

/**
 * sbm_use_shared() - give a new sandbox the shared kernel half
 * @s: the sandbox, whose kernel half maps nothing yet
 *
 * Return: 0, or a negative error code.
 */
int sbm_use_shared(struct x86_sbm *s)
{
	int err;

	if (sbm_shared_is_final()) {
		sbm_copy_kernel_half(s, &sbm_shared);
		return 0;
	}
	guard(mutex)(&sbm_shared_lock);
	err = sbm_shared_finalize();
	if (err)
		return err;
	if (!sbm_shared_final)
		return sbm_list_own(s);
	sbm_copy_kernel_half(s, &sbm_shared);
	return 0;
}
