// SPDX-License-Identifier: GPL-2.0-only
/*
 * SandBox Mode: violation reports and counters.
 *
 * Each aborted call prints one report, rate-limited, that names the
 * sandboxed function and says what it did. The counters are in
 * /sys/kernel/debug/sbm/stats.
 */

#define pr_fmt(fmt) "sbm: " fmt

#include <kunit/visibility.h>
#include <linux/atomic.h>
#include <linux/debugfs.h>
#include <linux/export.h>
#include <linux/init.h>
#include <linux/kallsyms.h>
#include <linux/printk.h>
#include <linux/ratelimit.h>
#include <linux/sbm.h>
#include <linux/seq_file.h>
#include <asm/trap_pf.h>
#include <asm/trapnr.h>

#include "sbm.h"

static atomic_long_t sbm_calls, sbm_irqs, sbm_timeouts, sbm_arch_pages;
static atomic_long_t sbm_mce_resumed;
static atomic_long_t sbm_aborts[NUM_EXCEPTION_VECTORS + 1];

/* Slot of the counters for anything that is not an exception. */
#define SBM_OTHER	NUM_EXCEPTION_VECTORS

static const char *const sbm_vector_names[NUM_EXCEPTION_VECTORS] = {
	[X86_TRAP_DE] = "#DE", [X86_TRAP_DB] = "#DB", [X86_TRAP_NMI] = "NMI",
	[X86_TRAP_BP] = "#BP", [X86_TRAP_OF] = "#OF", [X86_TRAP_BR] = "#BR",
	[X86_TRAP_UD] = "#UD", [X86_TRAP_NM] = "#NM", [X86_TRAP_DF] = "#DF",
	[X86_TRAP_OLD_MF] = "#CSO", [X86_TRAP_TS] = "#TS",
	[X86_TRAP_NP] = "#NP", [X86_TRAP_SS] = "#SS", [X86_TRAP_GP] = "#GP",
	[X86_TRAP_PF] = "#PF", [X86_TRAP_SPURIOUS] = "spurious",
	[X86_TRAP_MF] = "#MF", [X86_TRAP_AC] = "#AC", [X86_TRAP_MC] = "#MC",
	[X86_TRAP_XF] = "#XM", [X86_TRAP_VE] = "#VE", [X86_TRAP_CP] = "#CP",
	[X86_TRAP_VC] = "#VC",
};

static const char *sbm_vector_name(unsigned int vector)
{
	if (vector < NUM_EXCEPTION_VECTORS && sbm_vector_names[vector])
		return sbm_vector_names[vector];
	return vector < NUM_EXCEPTION_VECTORS ? "reserved" : "other";
}

#if IS_ENABLED(CONFIG_SANDBOX_MODE_BENCH)
static atomic_long_t sbm_entries, sbm_invlpg, sbm_asm_msr_writes;
static atomic_long_t sbm_writes[SBM_WRITES];

void sbm_count_entry(unsigned long invlpg)
{
	/*
	 * entry_64.S writes the GS and FS bases on entry and the GS base on
	 * exit, and the speculation control MSR on both where the kernel
	 * enters with IBRS; its exit's UNTRAIN_RET issues an IBPB where the
	 * kernel does on entry. Counted here, from the same features its
	 * alternatives are patched by.
	 */
	long msrs = 3;

	if (cpu_feature_enabled(X86_FEATURE_KERNEL_IBRS))
		msrs += 2;
	if (cpu_feature_enabled(X86_FEATURE_ENTRY_IBPB))
		msrs++;
	atomic_long_inc(&sbm_entries);
	atomic_long_add(invlpg, &sbm_invlpg);
	atomic_long_add(msrs, &sbm_asm_msr_writes);
}

void sbm_count_write(enum sbm_write what)
{
	atomic_long_inc(&sbm_writes[what]);
}

/**
 * sbm_events() - read the counters of expensive operations
 * @ev: where to store them
 *
 * For the benchmark module only (CONFIG_SANDBOX_MODE_BENCH), which is
 * what makes the kernel count them.
 */
void sbm_events(struct sbm_events *ev)
{
	ev->entries = atomic_long_read(&sbm_entries);
	ev->invlpg = atomic_long_read(&sbm_invlpg);
	/* entry_64.S writes CR3 and loads an IDT on entry and on exit. */
	ev->cr3_writes = 2 * ev->entries;
	ev->idt_loads = 2 * ev->entries;
	ev->msr_writes = atomic_long_read(&sbm_asm_msr_writes) +
			 atomic_long_read(&sbm_writes[SBM_WRITE_MSR]);
	ev->cr_writes = atomic_long_read(&sbm_writes[SBM_WRITE_CR]);
	ev->pkru_writes = atomic_long_read(&sbm_writes[SBM_WRITE_PKRU]);
}
EXPORT_SYMBOL_GPL(sbm_events);
#endif

void sbm_count_call(void)
{
	atomic_long_inc(&sbm_calls);
}

void sbm_count_irq(void)
{
	atomic_long_inc(&sbm_irqs);
}

void sbm_count_mce_resumed(void)
{
	atomic_long_inc(&sbm_mce_resumed);
}

/**
 * sbm_mce_resumes() - how many machine checks sandboxes resumed after
 *
 * Return: the count debugfs shows: machine checks raised in a sandbox that
 * the kernel's handler recovered from without the call's fixup.
 */
long sbm_mce_resumes(void)
{
	return atomic_long_read(&sbm_mce_resumed);
}
EXPORT_SYMBOL_IF_KUNIT(sbm_mce_resumes);

void sbm_count_timeout(void)
{
	atomic_long_inc(&sbm_timeouts);
}

void sbm_count_pages(long delta)
{
	atomic_long_add(delta, &sbm_arch_pages);
}

/**
 * sbm_pages_held() - pages that live sandboxes hold, and the page tables
 * they all share (built once at boot, never freed)
 *
 * Return: how many pages sbm_alloc_page() gave out and sbm_free_page()
 * has not taken back, less those kept for new sandboxes (see
 * sbm_pool_pages()).
 */
long sbm_pages_held(void)
{
	return atomic_long_read(&sbm_arch_pages);
}
EXPORT_SYMBOL_IF_KUNIT(sbm_pages_held);

void sbm_count_abort(unsigned int vector)
{
	atomic_long_inc(&sbm_aborts[min(vector, SBM_OTHER)]);
}

/**
 * sbm_aborted() - how many calls an event with @vector has aborted so far
 * @vector: an exception vector
 *
 * Return: the count debugfs shows for @vector.
 */
long sbm_aborted(unsigned int vector)
{
	return atomic_long_read(&sbm_aborts[min(vector, SBM_OTHER)]);
}
EXPORT_SYMBOL_IF_KUNIT(sbm_aborted);

static const char *sbm_pf_access(unsigned long error_code)
{
	if (error_code & X86_PF_INSTR)
		return "execute";
	if (error_code & X86_PF_WRITE)
		return "write";
	return "read";
}

/*
 * A Rust function that panics calls into core::panicking, which is kernel
 * text the sandbox cannot execute: the abort is an instruction fetch at the
 * entry of one of its functions. Knowing that, the report can say that the
 * function panicked, which the address alone hides behind a mangled name.
 */
static bool sbm_rust_panicked(const struct sbm_ctl *ctl, char *name)
{
	if (!IS_ENABLED(CONFIG_RUST) || ctl->vector != X86_TRAP_PF ||
	    !(ctl->regs.orig_ax & X86_PF_INSTR))
		return false;
	return !lookup_symbol_name(ctl->cr2, name) &&
	       strstr(name, "9panicking");
}

/**
 * sbm_report() - report why a sandbox was aborted
 * @s:    the sandbox, stopped by an exception
 * @func: the function it was running
 */
void sbm_report(const struct x86_sbm *s, unsigned long func)
{
	static DEFINE_RATELIMIT_STATE(rs, DEFAULT_RATELIMIT_INTERVAL,
				      DEFAULT_RATELIMIT_BURST);
	static DEFINE_RATELIMIT_STATE(panic_rs, DEFAULT_RATELIMIT_INTERVAL,
				      DEFAULT_RATELIMIT_BURST);
	const struct sbm_ctl *ctl = s->ctl;
	char name[KSYM_NAME_LEN];

	/* Rate-limited on its own: a burst of other reports cannot hide it. */
	if (sbm_rust_panicked(ctl, name) && __ratelimit(&panic_rs))
		pr_err("the sandboxed Rust function panicked (%s); the sandbox was aborted\n",
		       name);
	if (!__ratelimit(&rs))
		return;

	pr_err("==================================================================\n");
	pr_err("BUG: sandbox violation: %s in %ps\n",
	       sbm_vector_name(ctl->vector), (void *)func);
	/* Addresses are hashed (%p), as the kernel prints pointers. */
	if (ctl->vector == X86_TRAP_PF)
		pr_err("invalid %s at 0x%p\n", sbm_pf_access(ctl->regs.orig_ax),
		       (void *)ctl->cr2);
	pr_err("vector %lu, error code 0x%lx, ip 0x%p (%pS), sp 0x%p, flags 0x%lx\n",
	       ctl->vector, ctl->regs.orig_ax, (void *)ctl->regs.ip,
	       (void *)ctl->regs.ip, (void *)ctl->regs.sp, ctl->regs.flags);
	pr_err("the sandbox was aborted; the kernel is unaffected\n");
	pr_err("==================================================================\n");
}

static int sbm_stats_show(struct seq_file *m, void *v)
{
	unsigned int i;

	seq_printf(m, "calls: %ld\n", atomic_long_read(&sbm_calls));
	seq_printf(m, "interrupts: %ld\n", atomic_long_read(&sbm_irqs));
	seq_printf(m, "timeouts: %ld\n", atomic_long_read(&sbm_timeouts));
	seq_printf(m, "machine checks resumed: %ld\n",
		   atomic_long_read(&sbm_mce_resumed));
	seq_printf(m, "pages: %ld\n", sbm_pages_held());
	seq_printf(m, "pages kept for new sandboxes: %ld\n", sbm_pool_pages());
	for (i = 0; i <= SBM_OTHER; i++)
		if (atomic_long_read(&sbm_aborts[i]))
			seq_printf(m, "aborts %s: %ld\n", sbm_vector_name(i),
				   atomic_long_read(&sbm_aborts[i]));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(sbm_stats);

static int __init sbm_stats_init(void)
{
	struct dentry *dir = debugfs_create_dir("sbm", NULL);

	debugfs_create_file("stats", 0400, dir, NULL, &sbm_stats_fops);
	return 0;
}
late_initcall(sbm_stats_init);
