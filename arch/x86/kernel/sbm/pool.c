// SPDX-License-Identifier: GPL-2.0-only
/*
 * SandBox Mode: the address spaces of destroyed sandboxes, kept for new ones.
 *
 * Setting a sandbox up costs several times what a call on it costs: six
 * zeroed pages or more (top-level table, control page, top stack page and
 * the tables that map the last two) and the copy of the shared kernel
 * half. A sandbox whose calls all returned leaves an address space that
 * differs from a new one only in what every call leaves behind and the
 * next call on the same instance undoes anyway: a stack page that
 * sbm_start() clears if the sandbox wrote it, and no buffer mapped. A few
 * such address spaces are kept here, once what the sandbox added on top
 * (lower stack pages, a module's kernel half, buffers mapped for a call
 * that never ran) is gone, and given to new sandboxes instead of new ones.
 *
 * Kept only once the shared kernel half is final (shared.c): from then on
 * every new sandbox starts from the same kernel half and INVLPG list. An
 * instance that failed, was aborted or was hit by a machine check, one
 * holding a poisoned page or more page tables than it was set up with,
 * is never kept (see sbm_pool_put()).
 */

#include <kunit/visibility.h>
#include <linux/module.h>
#include <linux/sbm.h>
#include <linux/page-flags.h>
#include <linux/spinlock.h>
#include <linux/string.h>

#include "sbm.h"

/* At most this many, 24 KiB each with 4-level paging: never shrunk. */
#define SBM_POOL_SIZE	4

static struct x86_sbm *sbm_pool[SBM_POOL_SIZE];
static unsigned int sbm_pool_len;
static DEFINE_SPINLOCK(sbm_pool_lock);

/* The pages one kept address space holds: top level, control, stack, tables. */
static long sbm_pool_pages_of(const struct x86_sbm *s)
{
	return 3 + s->nr_tables;
}

/*
 * Whether a page of @s is poisoned: memory_failure() may mark one while
 * the sandbox runs or while @s is kept, and the entry stubs would read it
 * with no fixup. Such an address space is freed, which keeps the page out
 * of use.
 */
static bool sbm_pool_poisoned(const struct x86_sbm *s)
{
	struct page *page;
	unsigned int i;

	if (PageHWPoison(virt_to_page(s->pgd)) ||
	    PageHWPoison(virt_to_page(s->ctl)))
		return true;
	for (i = 0; i < SBM_STACK_PAGES; i++)
		if (s->stack[i] && PageHWPoison(s->stack[i]))
			return true;
	list_for_each_entry(page, &s->tables, lru)
		if (PageHWPoison(page))
			return true;
	return false;
}

/**
 * sbm_pool_take() - an address space kept for a new sandbox
 *
 * Context: process context; takes a spinlock.
 * Return: one, set up as arch_sbm_init() would, or %NULL if none is kept.
 */
struct x86_sbm *sbm_pool_take(void)
{
	struct x86_sbm *s;

	for (;;) {
		scoped_guard(spinlock, &sbm_pool_lock) {
			if (!sbm_pool_len)
				return NULL;
			s = sbm_pool[--sbm_pool_len];
			/* Its pages count as held again, see sbm_pool_pages(). */
			sbm_count_pages(sbm_pool_pages_of(s));
		}
		if (!sbm_pool_poisoned(s))
			return s;
		sbm_free_address_space(s);
	}
}

/*
 * Undo what calls added to the address space @s was set up with: the
 * buffers of a call that never ran, the lower stack pages, a module's
 * kernel half and the reference to its module, and what the control page
 * kept of the last call. Its top stack page is left as it is, as between
 * two calls of one instance.
 */
static void sbm_pool_reset(struct x86_sbm *s)
{
	unsigned long va = SBM_STACK_TOP - SBM_STACK_PAGES * PAGE_SIZE;
	struct sbm_ctl *ctl = s->ctl;
	unsigned int i;

	sbm_unmap_range(s, SBM_BUF_BASE, s->next_buf);
	s->next_buf = SBM_BUF_BASE;
	for (i = 0; i < SBM_STACK_PAGES - 1; i++, va += PAGE_SIZE) {
		if (!s->stack[i])
			continue;
		sbm_unmap_range(s, va, va + PAGE_SIZE);
		sbm_free_page(s->stack[i]);
		s->stack[i] = NULL;
	}
	/* Off the module's tables before they may go. */
	sbm_reset_kernel_half(s, &sbm_shared);
	sbm_put_module_half(s->module_half);
	s->module_half = NULL;
	if (s->module)
		module_put(s->module);
	s->module = NULL;
	s->module_text_start = 0;
	s->module_text_end = 0;
	memset(ctl, 0, offsetof(struct sbm_ctl, flush));
	ctl->nr_flush = sbm_shared.ctl->nr_flush;
	memcpy(ctl->flush, sbm_shared.ctl->flush,
	       ctl->nr_flush * sizeof(ctl->flush[0]));
}

/**
 * sbm_pool_put() - keep the address space of a sandbox being destroyed
 * @sbm: the sandbox; nothing runs on its page tables any more
 * @s:   its address space
 *
 * Context: process context, as sbm_destroy() is; takes a spinlock.
 *
 * Return: true if @s was kept, false if the caller is to free it.
 */
bool sbm_pool_put(struct sbm *sbm, struct x86_sbm *s)
{
	/*
	 * A failed, aborted or half-built instance may hold anything half
	 * done; one with more page tables than it was set up with (buffers
	 * beyond the first MiB) costs more to undo than to build again; one
	 * that a machine check hit may hold a page memory_failure() is about
	 * to poison.
	 */
	if (sbm->error || !sbm_shared_is_final() || !s->nr_base_tables ||
	    s->nr_tables != s->nr_base_tables || s->machine_check ||
	    READ_ONCE(sbm_pool_len) == SBM_POOL_SIZE || sbm_pool_poisoned(s))
		return false;
	sbm_pool_reset(s);
	/* Counted under the lock: once in, another CPU may take it. */
	guard(spinlock)(&sbm_pool_lock);
	if (sbm_pool_len == SBM_POOL_SIZE)
		return false;
	sbm_count_pages(-sbm_pool_pages_of(s));
	sbm_pool[sbm_pool_len++] = s;
	return true;
}

/**
 * sbm_pool_pages() - pages that kept address spaces hold
 *
 * They are not among sbm_pages_held(), which counts what live sandboxes
 * hold; /sys/kernel/debug/sbm/stats shows both.
 *
 * Return: their number.
 */
long sbm_pool_pages(void)
{
	long pages = 0;
	unsigned int i;

	guard(spinlock)(&sbm_pool_lock);
	for (i = 0; i < sbm_pool_len; i++)
		pages += sbm_pool_pages_of(sbm_pool[i]);
	return pages;
}
EXPORT_SYMBOL_IF_KUNIT(sbm_pool_pages);
