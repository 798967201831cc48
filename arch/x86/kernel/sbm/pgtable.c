// SPDX-License-Identifier: GPL-2.0-only
/*
 * SandBox Mode: the page tables of a sandbox address space.
 *
 * They are built from scratch, not copied from the kernel's: nothing is
 * mapped unless this file mapped it. The only kernel page-table entry a
 * sandbox shares is the one for the CPU entry area (GDT, TSS and entry
 * stacks), which the CPU needs to deliver an event.
 *
 * Entries are written directly rather than with set_pgd() and friends,
 * which would mirror them into page-table isolation's user copy.
 */

#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/pgtable.h>

#include "sbm.h"

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
	struct page *page = alloc_page(GFP_KERNEL | __GFP_ZERO);

	if (page)
		sbm_count_pages(1);
	return page;
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

static void *sbm_alloc_table(struct x86_sbm *s)
{
	struct page *page = sbm_alloc_page();

	if (!page)
		return NULL;
	list_add(&page->lru, &s->tables);
	return page_address(page);
}

/* Intermediate levels allow everything; the last level decides. */
static unsigned long sbm_table_entry(void *table)
{
	return _PAGE_TABLE | __pa(table);
}

static p4d_t *sbm_p4d(struct x86_sbm *s, unsigned long va, bool alloc)
{
	pgd_t *pgd = s->pgd + pgd_index(va);

	/* With 4-level paging the P4D level is folded into the PGD. */
	if (pgtable_l5_enabled() && pgd_none(*pgd)) {
		void *table = alloc ? sbm_alloc_table(s) : NULL;

		if (!table)
			return NULL;
		WRITE_ONCE(*pgd, native_make_pgd(sbm_table_entry(table)));
	}
	return p4d_offset(pgd, va);
}

static pte_t *sbm_pte(struct x86_sbm *s, unsigned long va, bool alloc)
{
	p4d_t *p4d = sbm_p4d(s, va, alloc);
	pud_t *pud;
	pmd_t *pmd;
	void *table;

	if (!p4d)
		return NULL;
	if (p4d_none(*p4d)) {
		table = alloc ? sbm_alloc_table(s) : NULL;
		if (!table)
			return NULL;
		WRITE_ONCE(*p4d, native_make_p4d(sbm_table_entry(table)));
	}
	pud = pud_offset(p4d, va);
	if (pud_none(*pud)) {
		table = alloc ? sbm_alloc_table(s) : NULL;
		if (!table)
			return NULL;
		WRITE_ONCE(*pud, native_make_pud(sbm_table_entry(table)));
	}
	pmd = pmd_offset(pud, va);
	if (pmd_none(*pmd)) {
		table = alloc ? sbm_alloc_table(s) : NULL;
		if (!table)
			return NULL;
		WRITE_ONCE(*pmd, native_make_pmd(sbm_table_entry(table)));
	}
	return pte_offset_kernel(pmd, va);
}

/**
 * sbm_map_page() - map one page into a sandbox
 * @s:    the sandbox
 * @va:   page-aligned address in the sandbox address space
 * @pfn:  the page frame to map
 * @prot: _PAGE_* bits; those the CPU lacks (NX) are dropped
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

/**
 * sbm_test_and_clean() - whether the sandbox wrote a page, and forget it
 * @s:  the sandbox
 * @va: a page mapped with %SBM_USER_RW_CLEAN
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
	pte_t *pte = sbm_pte(s, va, false);

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
 * The page tables stay, to be reused. No TLB flush is needed here: every
 * entry into a sandbox starts from a TLB without its translations (see
 * arch_sbm_exec()).
 */
void sbm_unmap_range(struct x86_sbm *s, unsigned long start,
		     unsigned long end)
{
	unsigned long va;
	pte_t *pte;

	for (va = start; va < end; va += PAGE_SIZE) {
		pte = sbm_pte(s, va, false);
		if (pte)
			WRITE_ONCE(*pte, native_make_pte(0));
	}
}

/**
 * sbm_share_kernel_p4d() - share the kernel's P4D entry that covers @va
 * @s:  the sandbox
 * @va: an address in the kernel half
 *
 * Return: 0, or -ENOMEM.
 */
int sbm_share_kernel_p4d(struct x86_sbm *s, unsigned long va)
{
	p4d_t *kernel = p4d_offset(pgd_offset_k(va), va);
	p4d_t *p4d = sbm_p4d(s, va, true);

	if (!p4d)
		return -ENOMEM;
	WRITE_ONCE(*p4d, *kernel);
	return 0;
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
		sbm_free_page(page);
	}
	if (s->pgd)
		sbm_free_page(virt_to_page(s->pgd));
	s->pgd = NULL;
}
