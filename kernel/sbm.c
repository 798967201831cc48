// SPDX-License-Identifier: GPL-2.0-only
/*
 * SandBox Mode core: buffer copies and the generic part of sbm_exec().
 *
 * Without arch hooks (weak isolation), every buffer handed to a sandbox
 * is copied into a vmalloc area of its own, laid out as [guard page][data
 * pages][guard page], so that running off either end of the copy faults
 * instead of touching kernel memory; input copies are mapped read-only.
 * That is all the protection there is. With them (strong isolation), the
 * architecture maps the copy's pages into the sandbox's own address
 * space, with guard pages there, and the kernel needs no mapping of them
 * but the direct map; the whole pages of an input, or of an output the
 * caller lets it write in place, are not copied but lent (sbm_lend()).
 */

#define pr_fmt(fmt) "sbm: " fmt

#include <kunit/static_stub.h>
#include <kunit/visibility.h>
#include <linux/cacheflush.h>
#include <linux/export.h>
#include <linux/gfp.h>
#include <linux/init.h>
#include <linux/kasan-checks.h>
#include <linux/mm.h>
#include <linux/moduleparam.h>
#include <linux/overflow.h>
#include <linux/printk.h>
#include <linux/sbm.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/sysfs.h>
#include <linux/vmalloc.h>
#include <asm/sections.h>
#include <asm/tlbflush.h>

#include "sbm_kunit.h"

/*
 * sbm.strict=1: where strong isolation is built in but this CPU or platform
 * refuses it (the boot log says why), refuse every sandbox instead of
 * running it with weak isolation, which does not stop a function from
 * reaching kernel memory. Also /sys/module/sbm/parameters/strict: sandboxes
 * set up from then on are refused.
 */
static bool sbm_strict;
module_param_named(strict, sbm_strict, bool, 0644);
MODULE_PARM_DESC(strict, "refuse sandboxes rather than fall back from strong to weak isolation");

static bool sbm_strong(void)
{
	return IS_ENABLED(CONFIG_SANDBOX_MODE_STRONG) && arch_sbm_supported();
}

/* Strong isolation is built in but unavailable, and no fallback is allowed. */
static bool sbm_refused(void)
{
	return IS_ENABLED(CONFIG_SANDBOX_MODE_STRONG) && READ_ONCE(sbm_strict) &&
	       !arch_sbm_supported();
}

enum sbm_level sbm_level(void)
{
	return sbm_strong() ? SBM_LEVEL_STRONG : SBM_LEVEL_WEAK;
}
EXPORT_SYMBOL_GPL(sbm_level);

/* /sys/module/sbm/parameters/level: the level in effect, for administrators. */
static int sbm_level_get(char *buffer, const struct kernel_param *kp)
{
	return sysfs_emit(buffer, "%s\n", sbm_refused() ? "refused" :
			  sbm_level_name(sbm_level()));
}

static const struct kernel_param_ops sbm_level_ops = {
	.get = sbm_level_get,
};
module_param_cb(level, &sbm_level_ops, NULL, 0444);
MODULE_PARM_DESC(level, "isolation level in effect: strong, weak, or refused");

/* Record the first error only: it is the one that explains the rest. */
static void sbm_set_error(struct sbm *sbm, int err)
{
	if (!sbm->error)
		sbm->error = err;
}

static int sbm_wrprotect_pte(pte_t *pte, unsigned long addr, void *data)
{
	set_pte_at(&init_mm, addr, pte, pte_wrprotect(ptep_get(pte)));
	return 0;
}

/*
 * The copies of a call stay with the instance for its next call, up to
 * this many pages: a warm call with the same buffer sizes then allocates,
 * maps, write-protects and flushes nothing.
 */
#define SBM_SPARE_PAGES	1024

/* Pages of buffer copies that instances hold, see sbm_pages(). */
static atomic_long_t sbm_buf_pages;

long sbm_pages(void)
{
	return atomic_long_read(&sbm_buf_pages) +
	       (sbm_strong() ? arch_sbm_pages() : 0);
}
EXPORT_SYMBOL_IF_KUNIT(sbm_pages);

static void sbm_free_buf(struct sbm_buf *buf)
{
	unsigned int i;

	/* Unmaps the pages too; vfree() frees its pages in this order. */
	if (buf->area)
		free_vm_area(buf->area);
	for (i = 0; i < buf->nr_pages; i++) {
		if (buf->pages[i]) {
			__free_page(buf->pages[i]);
			atomic_long_dec(&sbm_buf_pages);
		}
	}
	kvfree(buf);
}

/*
 * Copy @size bytes of @src into the pages of @buf through the direct map,
 * and zero what is left of the first @stale bytes after them.
 */
static void sbm_fill_pages(struct sbm_buf *buf, const void *src, size_t size,
			   size_t stale)
{
	size_t done = 0, n, end;
	unsigned int i;
	void *page;

	for (i = 0; i < buf->nr_pages; i++, done += PAGE_SIZE) {
		page = page_address(buf->pages[i]);
		n = done < size ? min(size - done, PAGE_SIZE) : 0;
		if (n)
			memcpy(page, src + done, n);
		end = stale > done ? min(stale - done, PAGE_SIZE) : 0;
		if (n < end)
			memset(page + n, 0, end - n);
	}
}

/**
 * sbm_alloc_buf() - allocate the sandbox copy of a buffer (and, for weak
 * isolation, map it in the kernel)
 * @src:      data to copy in, or NULL for an output or scratch buffer
 * @size:     size in bytes, already validated
 * @writable: the function may write the copy (output, in/out and scratch
 *            buffers)
 * @nr_lent:  leading pages that the caller lends instead (see
 *            sbm_nr_lendable()): only the rest is allocated, nothing is
 *            mapped in the kernel, and sbm_lend() fills the buffer
 *
 * The pages start zero-filled, so that no stale kernel data reaches the
 * sandbox through the slack at the end of the last page.
 *
 * Return: the new buffer, or NULL if memory ran out.
 */
VISIBLE_IF_KUNIT struct sbm_buf *sbm_alloc_buf(const void *src, size_t size,
					       bool writable,
					       unsigned int nr_lent)
{
	unsigned int nr_pages = DIV_ROUND_UP(size, PAGE_SIZE);
	unsigned long start, len = (unsigned long)nr_pages << PAGE_SHIFT;
	struct sbm_buf *buf;
	unsigned int i;

	KUNIT_STATIC_STUB_REDIRECT(sbm_alloc_buf, src, size, writable, nr_lent);

	buf = kvzalloc(struct_size(buf, pages, nr_pages), GFP_KERNEL);
	if (!buf)
		return NULL;
	buf->nr_pages = nr_pages;
	buf->size = size;
	buf->writable = writable;
	buf->nr_lent = nr_lent;

	for (i = nr_lent; i < nr_pages; i++) {
		buf->pages[i] = alloc_page(GFP_KERNEL | __GFP_ZERO | __GFP_NOWARN);
		if (!buf->pages[i])
			goto fail;
		atomic_long_inc(&sbm_buf_pages);
	}
	if (nr_lent) {
		/* As if a last call had left nothing in the last page. */
		buf->size = (size_t)nr_lent << PAGE_SHIFT;
		return buf;
	}
	/*
	 * The sandbox maps the pages into page tables of its own, with the
	 * access it needs: the kernel needs no mapping of them, nor its
	 * write protection and kernel-wide TLB flush. It reaches them
	 * through the direct map.
	 */
	if (sbm_strong()) {
		sbm_fill_pages(buf, src, src ? size : 0, 0);
		return buf;
	}

	/* One page more than the data for the leading guard page; the
	 * trailing one is added by the vmalloc layer to every area.
	 */
	buf->area = get_vm_area(len + PAGE_SIZE, VM_SPARSE);
	if (!buf->area)
		goto fail;
	start = (unsigned long)buf->area->addr + PAGE_SIZE;
	if (vm_area_map_pages(buf->area, start, start + len, buf->pages))
		goto fail;
	buf->copy = (void *)start;
	buf->sbm_ptr = buf->copy;
	if (src)
		memcpy(buf->copy, src, size);

	if (!writable) {
		if (apply_to_existing_page_range(&init_mm, start, len,
						 sbm_wrprotect_pte, NULL))
			goto fail;
		flush_tlb_kernel_range(start, start + len);
	}
	return buf;

fail:
	sbm_free_buf(buf);
	return NULL;
}
EXPORT_SYMBOL_IF_KUNIT(sbm_alloc_buf);

/*
 * A copy of the last call with as many pages, as many of them lent and the
 * same access, if any. Only the pages that are not lent count as spare.
 */
static struct sbm_buf *sbm_take_spare(struct sbm *sbm, size_t size,
				      bool writable, unsigned int nr_lent)
{
	unsigned int nr_pages = DIV_ROUND_UP(size, PAGE_SIZE);
	struct sbm_buf *buf;

#if ARCH_IMPLEMENTS_FLUSH_DCACHE_PAGE
	/*
	 * A read-only copy is refilled through the direct map, which a data
	 * cache that aliases could keep apart from the copy's own mapping;
	 * so is every copy strong isolation makes, and copied back too: an
	 * architecture with such caches needs flush_dcache_page() there
	 * before it may offer strong isolation.
	 */
	if (!writable)
		return NULL;
#endif
	list_for_each_entry(buf, &sbm->spare, list) {
		if (buf->nr_pages == nr_pages && buf->writable == writable &&
		    buf->nr_lent == nr_lent) {
			list_del(&buf->list);
			sbm->spare_pages -= nr_pages - nr_lent;
			return buf;
		}
	}
	return NULL;
}

/*
 * Fill a spare copy as sbm_alloc_buf() fills a new one: @src, if any, and
 * zeroes after it. The function may have written anywhere in a writable
 * copy, so all of it is zeroed: through the copy's kernel mapping with
 * weak isolation, else through the direct map. A read-only one holds
 * nothing but the last call's data, so only what is left of that is
 * zeroed, through the direct map, where its pages are writable (with
 * weak isolation, its own mapping stays read-only).
 */
static void sbm_refill_buf(struct sbm_buf *buf, const void *src, size_t size)
{
	size_t len = (size_t)buf->nr_pages << PAGE_SHIFT;
	size_t stale = buf->writable ? len : buf->size;

	buf->size = size;
	if (buf->area)
		buf->sbm_ptr = buf->copy;
	if (buf->writable && buf->area) {
		if (src)
			memcpy(buf->copy, src, size);
		memset(buf->copy + (src ? size : 0), 0, len - (src ? size : 0));
		return;
	}
	sbm_fill_pages(buf, src, src ? size : 0, stale);
}

/*
 * Strong isolation maps a buffer into the sandbox's page tables page by
 * page, so the whole pages of an input need no copy: they are lent, mapped
 * read-only for the call and unmapped when it ends. The function reads the
 * caller's bytes as it would read a copy of them, and nothing else: only
 * pages that lie entirely in the buffer are lent, and a partial last page
 * is copied as before, zero-filled after the data. SBM_LEND_OUT() lends an
 * output's pages writable, zeroed when the call starts. Only the direct
 * map, the kernel image (read-only: its pages may be read-only to the
 * kernel) and the pages vmalloc() allocated qualify, never ioremap() or
 * vmap() areas, and only pages that the architecture finds mapped as
 * ordinary memory (arch_sbm_lendable()). A buffer that overlaps a lent
 * one of the call, where either is writable, is copied: the function
 * must see an input as it was, not zeroed or written by an output.
 *
 * Return: the number of pages of @caller to lend; 0 to copy all of it.
 */
static unsigned int sbm_nr_lendable(struct sbm *sbm, const void *caller,
				    size_t size, bool writable)
{
	unsigned long addr = (unsigned long)caller, off;
	unsigned int i, nr_pages = size >> PAGE_SHIFT;
	struct sbm_buf *buf;
	struct vm_struct *vm;

	if (!sbm_strong() || !PAGE_ALIGNED(addr) || !nr_pages)
		return 0;
	if (writable && addr < (unsigned long)_end &&
	    addr + size > (unsigned long)_text)
		return 0;
	if (is_vmalloc_addr(caller)) {
		vm = find_vm_area(caller);
		if (!vm || !(vm->flags & VM_ALLOC))
			return 0;
		off = addr - (unsigned long)vm->addr;
		if (size > ((unsigned long)vm->nr_pages << PAGE_SHIFT) - off)
			return 0;
	} else if (!virt_addr_valid(caller) ||
		   !virt_addr_valid(caller + size - 1)) {
		return 0;
	}
	list_for_each_entry(buf, &sbm->bufs, list) {
		if (buf->nr_lent && (writable || buf->writable) &&
		    caller < buf->caller + buf->size &&
		    buf->caller < caller + size)
			return 0;
	}
	for (i = 0; i < nr_pages; i++)
		if (!arch_sbm_lendable(caller + i * PAGE_SIZE, writable))
			return 0;
	return nr_pages;
}

/*
 * Point the first pages of @buf at @src's and copy the rest of @src into
 * its own last page, if any, zeroing what the last call left after it. A
 * writable buffer is an output: all of its last page is zeroed, which the
 * last call may have written anywhere; the lent pages are zeroed when the
 * call starts (sbm_zero_lent()), after every input has been copied.
 */
static int sbm_lend(struct sbm_buf *buf, void *src, size_t size)
{
	size_t lent = (size_t)buf->nr_lent << PAGE_SHIFT;
	size_t tail = size - lent, stale = buf->size - lent;
	unsigned int i;
	void *page;

	for (i = 0; i < buf->nr_lent; i++) {
		page = src + i * PAGE_SIZE;
		buf->pages[i] = is_vmalloc_addr(page) ? vmalloc_to_page(page) :
							virt_to_page(page);
		if (!buf->pages[i])
			return -EINVAL;
	}
	/* The sandbox reads them: what KASAN would check in a copy. */
	if (!buf->writable)
		kasan_check_read(src, lent);
	if (buf->nr_pages > buf->nr_lent) {
		page = page_address(buf->pages[buf->nr_lent]);
		if (buf->writable) {
			memset(page, 0, PAGE_SIZE);
		} else {
			memcpy(page, src + lent, tail);
			if (stale > tail)
				memset(page + tail, 0, stale - tail);
		}
	}
	buf->size = size;
	return 0;
}

/*
 * What the function wrote goes back, through the copy's kernel mapping or
 * page by page; the lent pages have it already.
 */
static void sbm_copy_back(struct sbm_buf *buf)
{
	size_t done = (size_t)buf->nr_lent << PAGE_SHIFT;
	unsigned int i = buf->nr_lent;

	if (buf->area) {
		memcpy(buf->caller, buf->copy, buf->size);
		return;
	}
	for (; done < buf->size; i++, done += PAGE_SIZE)
		memcpy(buf->caller + done, page_address(buf->pages[i]),
		       min(buf->size - done, PAGE_SIZE));
}

/* The function never sees what a lent output held. */
static void sbm_zero_lent(struct sbm *sbm)
{
	struct sbm_buf *buf;

	list_for_each_entry(buf, &sbm->bufs, list)
		if (buf->nr_lent && buf->writable)
			memset(buf->caller, 0, (size_t)buf->nr_lent << PAGE_SHIFT);
}

/* The caller's pages are theirs again once the call is over. */
static void sbm_unlend(struct sbm_buf *buf)
{
	unsigned int i;

	for (i = 0; i < buf->nr_lent; i++)
		buf->pages[i] = NULL;
}

/*
 * @copy_in: the copy starts with @caller's content (else zero-filled);
 * @writable: the function may write the copy;
 * @copy_out: the copy goes back to @caller when the function succeeds;
 * @lend: lend @caller's whole pages where possible (inputs always are).
 */
static void *sbm_add_buf(struct sbm *sbm, void *caller, size_t size,
			 bool copy_in, bool writable, bool copy_out, bool lend)
{
	unsigned int nr_lent = 0;
	struct sbm_buf *buf;
	int err;

	/* A doomed call needs no copies: sbm_exec() will fail anyway. */
	if (sbm->error)
		return NULL;

	err = sbm_check_buf(caller, size);
	if (err)
		goto fail;

	if (lend)
		nr_lent = sbm_nr_lendable(sbm, caller, size, writable);
	buf = sbm_take_spare(sbm, size, writable, nr_lent);
	if (buf && !nr_lent)
		sbm_refill_buf(buf, copy_in ? caller : NULL, size);
	else if (!buf)
		buf = sbm_alloc_buf(copy_in && !nr_lent ? caller : NULL, size,
				    writable, nr_lent);
	if (!buf) {
		err = -ENOMEM;
		goto fail;
	}
	buf->caller = caller;
	buf->copy_out = copy_out;
	list_add_tail(&buf->list, &sbm->bufs);
	if (nr_lent) {
		err = sbm_lend(buf, caller, size);
		if (err)
			goto fail;
	}

	if (sbm_strong()) {
		err = writable ? arch_sbm_map_writable(sbm, buf) :
				 arch_sbm_map_readonly(sbm, buf);
		if (err)
			goto fail;
	}
	return buf->sbm_ptr;

fail:
	sbm_set_error(sbm, err);
	return NULL;
}

void *sbm_copy_in(struct sbm *sbm, const void *buf, size_t size)
{
	return sbm_add_buf(sbm, (void *)buf, size, true, false, false, true);
}
EXPORT_SYMBOL_GPL(sbm_copy_in);

void *sbm_copy_out(struct sbm *sbm, void *buf, size_t size)
{
	return sbm_add_buf(sbm, buf, size, false, true, true, false);
}
EXPORT_SYMBOL_GPL(sbm_copy_out);

void *sbm_copy_inout(struct sbm *sbm, void *buf, size_t size)
{
	return sbm_add_buf(sbm, buf, size, true, true, true, false);
}
EXPORT_SYMBOL_GPL(sbm_copy_inout);

void *sbm_scratch(struct sbm *sbm, void *buf, size_t size)
{
	return sbm_add_buf(sbm, buf, size, false, true, false, false);
}
EXPORT_SYMBOL_GPL(sbm_scratch);

void *sbm_lend_out(struct sbm *sbm, void *buf, size_t size)
{
	return sbm_add_buf(sbm, buf, size, false, true, true, true);
}
EXPORT_SYMBOL_GPL(sbm_lend_out);

static void sbm_free_spare(struct sbm *sbm)
{
	struct sbm_buf *buf, *next;

	list_for_each_entry_safe(buf, next, &sbm->spare, list) {
		list_del(&buf->list);
		sbm_free_buf(buf);
	}
	sbm->spare_pages = 0;
}

/*
 * After a call, or instead of one: copy back if @copy_back, and keep the
 * copies for the next call while the instance is usable.
 */
static void sbm_release_bufs(struct sbm *sbm, bool copy_back)
{
	struct sbm_buf *buf, *next;
	unsigned int own;

	/* Copies this call did not reuse are unlikely to be needed again. */
	sbm_free_spare(sbm);
	list_for_each_entry_safe(buf, next, &sbm->bufs, list) {
		if (copy_back && buf->copy_out)
			sbm_copy_back(buf);
		sbm_unlend(buf);
		list_del(&buf->list);
		own = buf->nr_pages - buf->nr_lent;
		if (!sbm->error && sbm->spare_pages + own <= SBM_SPARE_PAGES) {
			list_add(&buf->list, &sbm->spare);
			sbm->spare_pages += own;
		} else {
			sbm_free_buf(buf);
		}
	}
}

int sbm_init(struct sbm *sbm)
{
	might_sleep();
	sbm->error = 0;
	sbm->private = NULL;
	sbm->time_limit_ms = SBM_DEFAULT_TIME_LIMIT_MS;
	sbm->uninterruptible = false;
	INIT_LIST_HEAD(&sbm->bufs);
	INIT_LIST_HEAD(&sbm->spare);
	sbm->spare_pages = 0;
	if (sbm_refused())
		sbm_set_error(sbm, -EOPNOTSUPP);
	else if (sbm_strong())
		sbm_set_error(sbm, arch_sbm_init(sbm));
	return sbm->error;
}
EXPORT_SYMBOL_GPL(sbm_init);

void sbm_destroy(struct sbm *sbm)
{
	might_sleep();
	sbm_release_bufs(sbm, false);
	sbm_free_spare(sbm);
	if (sbm_strong())
		arch_sbm_destroy(sbm);
	sbm->error = SBM_DESTROYED;
}
EXPORT_SYMBOL_GPL(sbm_destroy);

int sbm_exec(struct sbm *sbm, sbm_func func, void *data)
{
	int ret;

	/* Tests of sandbox users forge what a sandbox returns. */
	KUNIT_STATIC_STUB_REDIRECT(sbm_exec, sbm, func, data);
	if (sbm->error) {
		ret = sbm->error;
	} else {
		sbm_zero_lent(sbm);
		ret = sbm_strong() ? arch_sbm_exec(sbm, func, data) :
				     func(data);
		if (sbm->error)
			ret = sbm->error;
	}
	sbm_release_bufs(sbm, !sbm->error && ret >= 0);
	return ret;
}
EXPORT_SYMBOL_GPL(sbm_exec);

static int __init sbm_announce(void)
{
	if (sbm_refused())
		pr_warn("SandBox Mode: strong isolation unavailable and sbm.strict set: every sandbox is refused\n");
	else if (IS_ENABLED(CONFIG_SANDBOX_MODE_STRONG) && !sbm_strong())
		pr_warn("SandBox Mode: strong isolation unavailable: weak isolation, which does not keep sandboxed code from kernel memory (boot with sbm.strict=1 to refuse sandboxes instead)\n");
	else
		pr_info("SandBox Mode: %s isolation\n", sbm_level_name(sbm_level()));
	return 0;
}
late_initcall(sbm_announce);
