// SPDX-License-Identifier: GPL-2.0-only
/*
 * SandBox Mode: retire memory whose poison a sandbox consumed.
 *
 * A sandbox that reads poisoned memory raises a machine check that needs
 * action. sbm_machine_check() hands it to the kernel's handler as a
 * recoverable fault in kernel code, so the handler takes the fixup and the
 * call is aborted; but, as for copy_mc_to_kernel(), the handler leaves the
 * page to whoever called the recoverable copy, and the kernel's own
 * notifier only retires errors that needed no action. The caller of
 * sbm_call() cannot do it: it does not learn the address. This notifier
 * does, from the error log, after the fact (the log is read from a work
 * item), so that the page is marked poisoned: freed, an order-0 page stays
 * off the free lists, and an instance that holds one is not kept for reuse.
 */

#include <linux/init.h>
#include <linux/mm.h>
#include <linux/notifier.h>
#include <linux/printk.h>
#include <linux/set_memory.h>
#include <asm/mce.h>

/* The grades of errors (severity_level) are private to the MCE core. */
#include "../cpu/mce/internal.h"
#include "sbm.h"

#undef pr_fmt
#define pr_fmt(fmt) "sbm: " fmt

static int sbm_poison_notify(struct notifier_block *nb, unsigned long val,
			     void *data)
{
	struct mce *m = data;
	unsigned long pfn;
	int ret;

	/*
	 * Only the handover in sbm_machine_check() reports this IP. Every
	 * bank logged by that machine check carries it, and the kernel's
	 * notifier retires those that need no action: take the one that
	 * needed action, the poison the sandbox consumed.
	 */
	if (!m || !(m->kflags & MCE_IN_KERNEL_RECOV) ||
	    m->ip != READ_ONCE(sbm_mce_recover_ip) ||
	    m->severity != MCE_AR_SEVERITY)
		return NOTIFY_DONE;
	if (!mce_usable_address(m)) {
		pr_err("CPU %u: a sandbox consumed poison the error gives no page of\n",
		       m->extcpu);
		return NOTIFY_DONE;
	}

	pfn = (m->addr & MCI_ADDR_PHYSADDR) >> PAGE_SHIFT;
	/* As the kernel's notifier does for errors that need no action. */
	ret = memory_failure(pfn, 0);
	pr_err("CPU %u: a sandbox consumed poison in pfn %#lx: %s (%d)\n",
	       m->extcpu, pfn, ret ? "marked, not isolated" : "retired", ret);
	if (!ret) {
		set_mce_nospec(pfn);
		/* Handled as the kernel's notifier would have: say so. */
		m->kflags |= MCE_HANDLED_UC;
	}
	return NOTIFY_OK;
}

static struct notifier_block sbm_poison_nb = {
	.notifier_call	= sbm_poison_notify,
	.priority	= MCE_PRIO_UC,
};

/**
 * sbm_poison_init() - retire the pages of errors sandboxes consume
 *
 * Called once strong isolation is ready, before any sandbox can run.
 */
void __init sbm_poison_init(void)
{
	mce_register_decode_chain(&sbm_poison_nb);
}
