// SPDX-License-Identifier: GPL-2.0-only
/*
 * SandBox Mode: the page tables of a sandbox address space.
 *
 * They are built from scratch, not copied from the kernel's: nothing is
 * mapped unless this file mapped it. The only kernel page-table entry a
 * sandbox shares is the one for the CPU entry area (GDT, TSS and entry
 * stacks), which the CPU needs to deliver an event. The tables of the
 * kernel half, which map the same code for every sandbox, are built once
 * and shared (see shared.c); what maps more there, a module's code (see
 * text.c), first gets a copy of its own of each table on the way.
 *
 * Entries are written directly rather than with set_pgd() and friends,
 * which would mirror them into page-table isolation's user copy.
 */

#include <kunit/visibility.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/pgtable.h>

#include "sbm.h"

static struct page *__sbm_alloc_page(gfp_t gfp)
{
	struct page *page = alloc_page(GFP_KERNEL | gfp);

	if (page)
		sbm_count_pages(1);
	return page;
}

/**
 * sbm_alloc_page() - allocate a zeroed page for a sandbox
 *
 * Page tables, stack and control page of every sandbox come from here and
 * go back through sbm_free_page(), which keeps the count in
 * /sys/kernel/debug/sbm/stats: pages do not go through kmemleak, so the
 * count is how a leak shows.
 *
 * Return: the page, or %NULL.
 */
struct page *sbm_alloc_page(void)
{
	return __sbm_alloc_page(__GFP_ZERO);
}

/**
 * sbm_free_page() - free a page from sbm_alloc_page()
 * @page: the page, or %NULL
 */
void sbm_free_page(struct page *page)
{
	if (!page)
		return;
	__free_page(page);
	sbm_count_pages(-1);
}

/* Intermediate levels allow everything; the last level decides. */
static unsigned long sbm_table_entry(void *table)
{
	return _PAGE_TABLE | __pa(table);
}

/*
 * A page table of @s for @entry to point to: zeroed, or a copy of @from.
 * Its page records its owner, so that a table shared with other sandboxes
 * is told apart.
 */
static void *sbm_alloc_table(struct x86_sbm *s, unsigned long *entry,
			     void *from)
{
	struct page *page = __sbm_alloc_page(from ? 0 : __GFP_ZERO);

	if (!page)
		return NULL;
	if (from)
		copy_page(page_address(page), from);
	set_page_private(page, (unsigned long)s);
	list_add(&page->lru, &s->tables);
	s->nr_tables++;
	WRITE_ONCE(*entry, sbm_table_entry(page_address(page)));
	return page_address(page);
}

/* sbm_next_table() for a write, where @entry has no table of @s's own. */
static noinline void *sbm_new_table(struct x86_sbm *s, unsigned long *entry)
{
	unsigned long val = READ_ONCE(*entry);
	void *table = __va(val & PTE_PFN_MASK);

	if (!val)
		return sbm_alloc_table(s, entry, NULL);
	if (WARN_ON_ONCE(!(val & _PAGE_PRESENT) || (val & _PAGE_PSE) ||
			 page_private(virt_to_page(table)) !=
			 (unsigned long)&sbm_shared))
		return NULL;
	return sbm_alloc_table(s, entry, table);
}

/*
 * The table that @entry, of a table @s owns, points to. For a lookup
 * (!@alloc): that table, or NULL. To map something (@alloc): a new one if
 * there is none, and a copy if the table is one that all sandboxes share,
 * so that those never change. No other table is ever written: the
 * kernel's own (the CPU entry area's, which sandboxes share too) are
 * never mapped into, and a large page is not a table.
 */
static __always_inline void *sbm_next_table(struct x86_sbm *s,
					    unsigned long *entry, bool alloc)
{
	unsigned long val = READ_ONCE(*entry);
	void *table = __va(val & PTE_PFN_MASK);

	/* The fast path: a table there, and @s's own if it is to be written. */
	if (val && (val & (_PAGE_PRESENT | _PAGE_PSE)) == _PAGE_PRESENT &&
	    (!alloc ||
	     page_private(virt_to_page(table)) == (unsigned long)s))
		return table;
	if (!alloc) {
		WARN_ON_ONCE(val);
		return NULL;
	}
	return sbm_new_table(s, entry);
}

/*
 * The P4D entry of @va; page-table entries are 64 bits at every level. With
 * 4-level paging the P4D level is folded into the PGD.
 */
static __always_inline unsigned long *sbm_p4d(struct x86_sbm *s,
					      unsigned long va, bool alloc)
{
	unsigned long *entry = (unsigned long *)(s->pgd + pgd_index(va));
	unsigned long *table;

	if (!pgtable_l5_enabled())
		return entry;
	table = sbm_next_table(s, entry, alloc);
	return table ? table + p4d_index(va) : NULL;
}

/* The entry of @va at the last level. */
static __always_inline pte_t *sbm_pte(struct x86_sbm *s, unsigned long va,
				      bool alloc)
{
	unsigned long *entry = sbm_p4d(s, va, alloc);
	unsigned long *table;

	if (!entry)
		return NULL;
	table = sbm_next_table(s, entry, alloc);
	if (!table)
		return NULL;
	table = sbm_next_table(s, table + pud_index(va), alloc);
	if (!table)
		return NULL;
	table = sbm_next_table(s, table + pmd_index(va), alloc);
	return table ? (pte_t *)table + pte_index(va) : NULL;
}

/**
 * sbm_map_page() - map one page into a sandbox
 * @s:    the sandbox
 * @va:   page-aligned address in the sandbox address space
 * @pfn:  the page frame to map
 * @prot: _PAGE_* bits; those the CPU lacks (NX) are dropped
 *
 * A table on the way that other sandboxes share is copied first.
 *
 * Return: 0, or -ENOMEM if a page table could not be allocated.
 */
int sbm_map_page(struct x86_sbm *s, unsigned long va, unsigned long pfn,
		 pgprotval_t prot)
{
	pte_t *pte = sbm_pte(s, va, true);

	if (!pte)
		return -ENOMEM;
	WRITE_ONCE(*pte, native_make_pte(PFN_PHYS(pfn) |
					 (prot & __supported_pte_mask)));
	return 0;
}

/**
 * sbm_map_pages() - map pages one after the other into a sandbox
 * @s:     the sandbox
 * @va:    page-aligned address in the low half of the sandbox address space
 * @pages: the pages to map from @va on
 * @nr:    how many
 * @prot:  _PAGE_* bits, as for sbm_map_page()
 *
 * As sbm_map_page() for each page, but each page table is found once.
 *
 * Return: 0, or -ENOMEM if a page table could not be allocated.
 */
int sbm_map_pages(struct x86_sbm *s, unsigned long va, struct page **pages,
		  unsigned int nr, pgprotval_t prot)
{
	unsigned long end = va + ((unsigned long)nr << PAGE_SHIFT), next;
	pte_t *pte;

	if (WARN_ON_ONCE(end > TASK_SIZE_MAX))
		return -EINVAL;
	while (va < end) {
		next = pmd_addr_end(va, end);
		pte = sbm_pte(s, va, true);
		if (!pte)
			return -ENOMEM;
		for (; va < next; va += PAGE_SIZE, pte++, pages++)
			WRITE_ONCE(*pte, native_make_pte(page_to_phys(*pages) |
					 (prot & __supported_pte_mask)));
	}
	return 0;
}

/**
 * sbm_user_mapped() - whether a sandbox maps a page for its own code
 * @s:  the sandbox
 * @va: page-aligned address in the sandbox address space
 *
 * Return: true if @va is mapped present and user-accessible.
 */
bool sbm_user_mapped(struct x86_sbm *s, unsigned long va)
{
	pte_t *pte = sbm_pte(s, va, false);

	return pte && (pte_val(*pte) & (_PAGE_PRESENT | _PAGE_USER)) ==
		      (_PAGE_PRESENT | _PAGE_USER);
}
EXPORT_SYMBOL_IF_KUNIT(sbm_user_mapped);

/**
 * sbm_test_and_clean() - whether the sandbox wrote a page, and forget it
 * @s:  the sandbox
 * @va: a page mapped with %SBM_USER_RW_CLEAN, in the low half (not shared)
 *
 * Clears the dirty bit the CPU set in the sandbox's page table entry. No
 * TLB entry can keep it set for the next run: the sandbox's entries are
 * not global, and every entry into the sandbox loads its CR3 without
 * PCID_NOFLUSH, which drops them all.
 *
 * Return: true if the page was written since the last call.
 */
bool sbm_test_and_clean(struct x86_sbm *s, unsigned long va)
{
	pte_t *pte;

	if (WARN_ON_ONCE(va >= TASK_SIZE_MAX))
		return false;
	pte = sbm_pte(s, va, false);
	if (!pte || !(pte_val(*pte) & _PAGE_DIRTY))
		return false;
	WRITE_ONCE(*pte, native_make_pte(pte_val(*pte) & ~_PAGE_DIRTY));
	return true;
}

/**
 * sbm_unmap_range() - remove the mappings of a range from a sandbox
 * @s:     the sandbox
 * @start: first page-aligned address
 * @end:   end of the range
 *
 * The range is in the low half, whose tables no other sandbox shares.
 * The page tables stay, to be reused; each is found once, not once per
 * page. No TLB flush is needed here: every entry into a sandbox starts
 * from a TLB without its translations (see arch_sbm_exec()).
 */
void sbm_unmap_range(struct x86_sbm *s, unsigned long start,
		     unsigned long end)
{
	unsigned long va = start, next;
	pte_t *pte;

	if (WARN_ON_ONCE(end > TASK_SIZE_MAX))
		return;
	while (va < end) {
		next = pmd_addr_end(va, end);
		pte = sbm_pte(s, va, false);
		for (; pte && va < next; va += PAGE_SIZE, pte++)
			WRITE_ONCE(*pte, native_make_pte(0));
		va = next;
	}
}

/**
 * sbm_share_kernel_p4d() - share the kernel's P4D entry that covers @va
 * @s:  the sandbox
 * @va: an address in the kernel half
 *
 * Return: 0, or -ENOMEM.
 */
int __init sbm_share_kernel_p4d(struct x86_sbm *s, unsigned long va)
{
	p4d_t *kernel = p4d_offset(pgd_offset_k(va), va);
	unsigned long *entry = sbm_p4d(s, va, true);

	if (!entry)
		return -ENOMEM;
	WRITE_ONCE(*entry, p4d_val(*kernel));
	return 0;
}

/**
 * sbm_share_kernel_half() - point a sandbox at the tables of another's
 * kernel half
 * @s:    the sandbox, whose kernel half maps nothing yet, or a subset of
 *        what @from's maps (the shared half, for a module's, see text.c)
 * @from: the sandbox whose tables it shares from now on
 *
 * Only the top-level entries are copied; sbm_map_page() copies a shared
 * table before it writes to it.
 */
void sbm_share_kernel_half(struct x86_sbm *s, const struct x86_sbm *from)
{
	unsigned int i;

	for (i = PTRS_PER_PGD / 2; i < PTRS_PER_PGD; i++)
		if (pgd_val(from->pgd[i]))
			WRITE_ONCE(s->pgd[i], from->pgd[i]);
}

/**
 * sbm_reset_kernel_half() - point a sandbox at another's kernel half only
 * @s:    the sandbox, not running, which owns no table of its kernel half
 * @from: the sandbox whose tables it shares from now on
 *
 * Unlike sbm_share_kernel_half(), every top-level entry of the kernel
 * half is made @from's, also those @s had and @from has not: what @s
 * pointed at before (a module's kernel half) may be freed afterwards.
 */
void sbm_reset_kernel_half(struct x86_sbm *s, const struct x86_sbm *from)
{
	unsigned int i;

	for (i = PTRS_PER_PGD / 2; i < PTRS_PER_PGD; i++)
		if (pgd_val(s->pgd[i]) != pgd_val(from->pgd[i]))
			WRITE_ONCE(s->pgd[i], from->pgd[i]);
}

/**
 * sbm_free_tables() - free every page table of a sandbox
 * @s: the sandbox; nothing may run on its page tables any more
 */
void sbm_free_tables(struct x86_sbm *s)
{
	struct page *page, *next;

	list_for_each_entry_safe(page, next, &s->tables, lru) {
		list_del(&page->lru);
		set_page_private(page, 0);
		sbm_free_page(page);
	}
	s->nr_tables = 0;
	if (s->pgd)
		sbm_free_page(virt_to_page(s->pgd));
	s->pgd = NULL;
}
