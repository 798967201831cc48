// SPDX-License-Identifier: GPL-2.0-only
/*
 * SandBox Mode on x86_64: strong isolation.
 *
 * A sandboxed function runs at CPL 3 on page tables of its own that map
 * only its code, its buffers, its stack, and what the CPU needs to deliver
 * events (see arch/x86/include/asm/sbm.h for the layout). It leaves the
 * sandbox when it returns to %SBM_RETURN_VA, which is never mapped, and
 * on every other event. Interrupts and NMIs are delivered to the kernel
 * and the sandbox resumes; every exception aborts it with -EFAULT.
 *
 * While the sandbox runs, the CPU state that CPL 3 code could reach and
 * that the kernel or the task depends on is fenced off: SYSCALL is
 * disabled (EFER.SCE) and SYSENTER has no code segment, so both raise an
 * exception; CR0.TS makes any FPU or SIMD instruction raise #NM, so the
 * task's FPU registers are neither read nor changed; breakpoints are
 * disabled; the FS and GS bases are zero. All of it, and PKRU and the
 * data segment selectors, are restored before the kernel goes on.
 */

#define pr_fmt(fmt) "sbm: " fmt

#include <linux/cpufeature.h>
#include <linux/irq-entry-common.h>
#include <linux/mm.h>
#include <linux/preempt.h>
#include <linux/sbm.h>
#include <linux/sched.h>
#include <linux/sched/clock.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <asm/cpu_entry_area.h>
#include <asm/debugreg.h>
#include <asm/irq_vectors.h>
#include <asm/msr.h>
#include <asm/segment.h>
#include <asm/special_insns.h>
#include <asm/tlbflush.h>
#include <asm/trapnr.h>

#include "sbm.h"

static_assert(sizeof(struct sbm_ctl) <= PAGE_SIZE);
static_assert(sizeof(struct pt_regs) == SBM_PTREGS_SIZE);
static_assert(offsetof(struct sbm_ctl, scratch) == SBM_CTL_SCRATCH);
static_assert(offsetof(struct sbm_ctl, vector) == SBM_CTL_VECTOR);
static_assert(offsetof(struct sbm_ctl, cr2) == SBM_CTL_CR2);
static_assert(offsetof(struct sbm_ctl, kernel_sp) == SBM_CTL_KERNEL_SP);
static_assert(offsetof(struct sbm_ctl, kernel_cr3) == SBM_CTL_KERNEL_CR3);
static_assert(offsetof(struct sbm_ctl, kernel_gsbase) == SBM_CTL_KERNEL_GSBASE);
static_assert(offsetof(struct sbm_ctl, kernel_gssel) == SBM_CTL_KERNEL_GSSEL);
static_assert(offsetof(struct sbm_ctl, nmi_pending) == SBM_CTL_NMI_PENDING);
static_assert(offsetof(struct sbm_ctl, nr_flush) == SBM_CTL_NR_FLUSH);
static_assert(offsetof(struct sbm_ctl, flush) == SBM_CTL_FLUSH);

bool arch_sbm_supported(void)
{
	return sbm_idt_ready();
}

void arch_sbm_destroy(struct sbm *sbm)
{
	struct x86_sbm *s = sbm->private;
	unsigned int i;

	if (!s)
		return;
	sbm_free_tables(s);
	for (i = 0; i < SBM_STACK_PAGES; i++)
		if (s->stack[i])
			sbm_free_page(s->stack[i]);
	if (s->ctl)
		sbm_free_page(virt_to_page(s->ctl));
	kfree(s);
	sbm->private = NULL;
}

static int sbm_build_address_space(struct x86_sbm *s)
{
	unsigned long va = SBM_STACK_TOP - SBM_STACK_PAGES * PAGE_SIZE;
	unsigned int i;
	int err;

	err = sbm_share_kernel_p4d(s, CPU_ENTRY_AREA_BASE);
	if (!err)
		err = sbm_map_page(s, SBM_CTL_VA, PHYS_PFN(__pa(s->ctl)),
				   SBM_KERN_RW);
	for (i = 0; !err && i < SBM_STACK_PAGES; i++, va += PAGE_SIZE)
		err = sbm_map_page(s, va, page_to_pfn(s->stack[i]),
				   SBM_USER_RW);
	if (!err)
		err = sbm_map_idt(s);
	if (!err)
		err = sbm_map_text(s);
	return err;
}

int arch_sbm_init(struct sbm *sbm)
{
	struct page *pgd, *ctl;
	struct x86_sbm *s;
	unsigned int i;
	int err;

	s = kzalloc_obj(*s, GFP_KERNEL);
	if (!s)
		return -ENOMEM;
	INIT_LIST_HEAD(&s->tables);
	s->next_buf = SBM_BUF_BASE;
	sbm->private = s;

	pgd = sbm_alloc_page();
	ctl = sbm_alloc_page();
	s->pgd = pgd ? page_address(pgd) : NULL;
	s->ctl = ctl ? page_address(ctl) : NULL;
	err = pgd && ctl ? 0 : -ENOMEM;
	for (i = 0; !err && i < SBM_STACK_PAGES; i++) {
		s->stack[i] = sbm_alloc_page();
		if (!s->stack[i])
			err = -ENOMEM;
	}
	if (!err)
		err = sbm_build_address_space(s);
	if (err)
		arch_sbm_destroy(sbm);
	return err;
}

/* Buffers go one after the other, an unmapped guard page before each. */
static int sbm_map_buf(struct sbm *sbm, struct sbm_buf *buf,
		       pgprotval_t prot)
{
	struct x86_sbm *s = sbm->private;
	unsigned long va = s->next_buf + PAGE_SIZE;
	unsigned long len = (unsigned long)buf->nr_pages << PAGE_SHIFT;
	unsigned int i;
	int err;

	if (len > SBM_BUF_LIMIT - PAGE_SIZE - va)
		return -E2BIG;
	for (i = 0; i < buf->nr_pages; i++) {
		err = sbm_map_page(s, va + i * PAGE_SIZE,
				   page_to_pfn(buf->pages[i]), prot);
		if (err)
			return err;
	}
	s->next_buf = va + len;
	buf->sbm_ptr = (void *)va;
	return 0;
}

int arch_sbm_map_readonly(struct sbm *sbm, struct sbm_buf *buf)
{
	return sbm_map_buf(sbm, buf, SBM_USER_RO);
}

int arch_sbm_map_writable(struct sbm *sbm, struct sbm_buf *buf)
{
	return sbm_map_buf(sbm, buf, SBM_USER_RW);
}

/*
 * Run the sandbox until it raises an event; return the event's vector.
 * Interrupts are off, so nothing runs between here and the sandbox.
 */
static unsigned int sbm_run(struct x86_sbm *s, u64 *ran)
{
	struct sbm_ctl *ctl = s->ctl;
	unsigned long cr0, dr7, efer, sysenter_cs = 0, fsbase;
	unsigned short ds, es, fs;
	u32 pkru = 0;
	u64 start;

	savesegment(ds, ds);
	savesegment(es, es);
	savesegment(fs, fs);
	savesegment(gs, ctl->kernel_gssel);
	rdmsrq(MSR_FS_BASE, fsbase);
	rdmsrq(MSR_GS_BASE, ctl->kernel_gsbase);
	/* The kernel's TLB entries stay valid: with PCID, keep them. */
	ctl->kernel_cr3 = __read_cr3();
	if (cpu_feature_enabled(X86_FEATURE_PCID))
		ctl->kernel_cr3 |= X86_CR3_PCID_NOFLUSH;

	rdmsrq(MSR_EFER, efer);
	if (efer & EFER_SCE)
		wrmsrq(MSR_EFER, efer & ~EFER_SCE);
	if (boot_cpu_has(X86_FEATURE_SEP)) {
		rdmsrq(MSR_IA32_SYSENTER_CS, sysenter_cs);
		if (sysenter_cs)
			wrmsrq(MSR_IA32_SYSENTER_CS, 0);
	}
	if (cpu_feature_enabled(X86_FEATURE_OSPKE))
		pkru = rdpkru();
	dr7 = local_db_save();
	cr0 = read_cr0();
	write_cr0(cr0 | X86_CR0_TS);

	start = local_clock();
	/* PCID 0 is never the kernel's: the CR3 write flushes the sandbox's. */
	__sbm_enter(ctl, __pa(s->pgd));
	*ran += local_clock() - start;

	write_cr0(cr0);
	local_db_restore(dr7);
	if (cpu_feature_enabled(X86_FEATURE_OSPKE))
		wrpkru(pkru);
	if (sysenter_cs)
		wrmsrq(MSR_IA32_SYSENTER_CS, sysenter_cs);
	if (efer & EFER_SCE)
		wrmsrq(MSR_EFER, efer);
	loadsegment(fs, fs);
	wrmsrq(MSR_FS_BASE, fsbase);
	loadsegment(ds, ds);
	loadsegment(es, es);
	return ctl->vector;
}

/* The sandbox returned to %SBM_RETURN_VA, which is how a call ends. */
static bool sbm_returned(const struct sbm_ctl *ctl)
{
	return ctl->vector == X86_TRAP_PF && ctl->cr2 == SBM_RETURN_VA &&
	       ctl->regs.ip == SBM_RETURN_VA && ctl->regs.cs == __USER_CS;
}

static void sbm_start(struct x86_sbm *s, sbm_func func, void *data)
{
	struct pt_regs *regs = &s->ctl->regs;
	unsigned long *top = page_address(s->stack[SBM_STACK_PAGES - 1]) +
			     PAGE_SIZE;

	/* Nothing of the kernel's registers reaches the sandbox. */
	memset(regs, 0, sizeof(*regs));
	top[-1] = SBM_RETURN_VA;
	regs->sp = SBM_STACK_TOP - sizeof(unsigned long);
	regs->ip = (unsigned long)func;
	regs->di = (unsigned long)data;
	regs->cs = __USER_CS;
	regs->ss = __USER_DS;
	regs->flags = X86_EFLAGS_IF | X86_EFLAGS_FIXED;
}

/* Where an interrupt that hit the sandbox would have preempted it. */
static void sbm_preempt_point(void)
{
	preempt_disable();
	preempt_enable();
	cond_resched();
}

int arch_sbm_exec(struct sbm *sbm, sbm_func func, void *data)
{
	struct x86_sbm *s = sbm->private;
	struct sbm_ctl *ctl = s->ctl;
	u64 limit = (u64)sbm->time_limit_ms * NSEC_PER_MSEC, ran = 0;
	unsigned int vector;
	int ret, err;

	might_sleep();
	err = sbm_map_module_text(s, (unsigned long)func);
	if (err)
		goto abort;

	sbm_count_call();
	sbm_start(s, func, data);
	for (;;) {
		local_irq_disable();
		vector = sbm_run(s, &ran);
		if (vector >= FIRST_EXTERNAL_VECTOR || vector == X86_TRAP_NMI)
			sbm_deliver_vector(vector);
		if (ctl->nmi_pending) {
			ctl->nmi_pending = 0;
			sbm_deliver_vector(X86_TRAP_NMI);
		}
		/*
		 * The interrupt hit code that ran with interrupts on, and they
		 * go back on now: finish as the kernel's irqentry_exit() does,
		 * re-arming the hrtimer the timer interrupt may have deferred.
		 */
		irqentry_hrtimer_rearm_deferred();
		local_irq_enable();

		if (vector < FIRST_EXTERNAL_VECTOR && vector != X86_TRAP_NMI)
			break;
		sbm_count_irq();
		/* It left 64-bit mode (a far jump to a compat segment). */
		if (ctl->regs.cs != __USER_CS)
			break;
		if (ran > limit) {
			sbm_count_timeout();
			err = -ETIME;
			goto abort;
		}
		if (fatal_signal_pending(current)) {
			err = -EINTR;
			goto abort;
		}
		sbm_preempt_point();
		/* Whatever the sandbox did to them, IF stays on and IOPL 0. */
		ctl->regs.flags = (ctl->regs.flags & ~X86_EFLAGS_IOPL) |
				  X86_EFLAGS_IF;
	}

	if (sbm_returned(ctl)) {
		ret = (int)ctl->regs.ax;
		goto out;
	}
	sbm_count_abort(vector);
	sbm_report(s, (unsigned long)func);
	err = -EFAULT;
abort:
	/* An aborted instance stays unusable, like any failed one. */
	if (!sbm->error)
		sbm->error = err;
	ret = err;
out:
	sbm_unmap_range(s, SBM_BUF_BASE, s->next_buf);
	s->next_buf = SBM_BUF_BASE;
	return ret;
}
