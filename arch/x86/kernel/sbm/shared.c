// SPDX-License-Identifier: GPL-2.0-only
/*
 * SandBox Mode: the kernel half that all sandboxes share.
 *
 * What a sandbox maps at kernel addresses is the same for every sandbox:
 * the CPU entry area, the sandbox IDT, the entry stubs, and the sandboxed
 * code of the kernel image with its constants and helpers (text.c). Those
 * page tables are built once, when strong isolation is set up, and a new
 * sandbox points its top-level entries at them instead of mapping every
 * page again: it then costs only pages of its own (its top-level table,
 * control page and stack, and the tables of its low half). A sandbox that
 * also runs a module's code gets copies of the tables on the way to it
 * before they are written (see sbm_map_page()); the shared ones never
 * change once the system runs.
 */

#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/string.h>
#include <asm/cpu_entry_area.h>

#include "sbm.h"

struct x86_sbm sbm_shared = {
	.tables = LIST_HEAD_INIT(sbm_shared.tables),
};

/* Taken to read or rebuild the INVLPG list of the shared pages. */
static DEFINE_MUTEX(sbm_shared_lock);
static bool sbm_shared_final;

/**
 * sbm_shared_init() - build the kernel half that all sandboxes share
 *
 * Its control page is never mapped: it only holds the INVLPG list of the
 * shared pages, which every sandbox copies into its own.
 *
 * Return: 0, or a negative error code; strong isolation is then refused.
 */
int __init sbm_shared_init(void)
{
	struct page *pgd = sbm_alloc_page(), *ctl = sbm_alloc_page();
	int err = -ENOMEM;

	sbm_shared.pgd = pgd ? page_address(pgd) : NULL;
	sbm_shared.ctl = ctl ? page_address(ctl) : NULL;
	if (pgd && ctl) {
		err = sbm_share_kernel_p4d(&sbm_shared, CPU_ENTRY_AREA_BASE);
		if (!err)
			err = sbm_map_idt(&sbm_shared);
		if (!err)
			err = sbm_map_text(&sbm_shared);
	}
	if (err) {
		sbm_free_tables(&sbm_shared);
		sbm_free_page(ctl);
		sbm_shared.ctl = NULL;
	}
	return err;
}

/*
 * Once the system runs, the kernel maps sandboxed code and constants
 * non-global (see sbm_make_own_pages_nonglobal()), and the INVLPG list is
 * made again from the same pages, without writing to the shared tables,
 * which sandboxes may be running on: it lists only the pages that are
 * still global. Sandboxes set up before keep the longer list they copied.
 */
static int sbm_shared_finalize(void)
{
	int err;

	lockdep_assert_held(&sbm_shared_lock);
	if (sbm_shared_final || system_state != SYSTEM_RUNNING)
		return 0;
	sbm_make_own_pages_nonglobal();
	sbm_shared.ctl->nr_flush = 0;
	sbm_shared.list_only = true;
	err = sbm_map_text(&sbm_shared);
	sbm_shared.list_only = false;
	/* If it failed, the list is incomplete: the next sandbox tries again. */
	sbm_shared_final = !err;
	return err;
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

	guard(mutex)(&sbm_shared_lock);
	err = sbm_shared_finalize();
	if (err)
		return err;
	sbm_share_kernel_half(s, &sbm_shared);
	s->ctl->nr_flush = sbm_shared.ctl->nr_flush;
	memcpy(s->ctl->flush, sbm_shared.ctl->flush,
	       s->ctl->nr_flush * sizeof(s->ctl->flush[0]));
	return 0;
}
