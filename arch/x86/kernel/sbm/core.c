// SPDX-License-Identifier: GPL-2.0-only
/*
 * SandBox Mode on x86_64: strong isolation.
 *
 * A sandboxed function runs at CPL 3 on page tables of its own that map
 * only its code, its buffers, its stack, and what the CPU needs to deliver
 * events (see arch/x86/include/asm/sbm.h for the layout). It leaves the
 * sandbox when it returns to %SBM_RETURN_VA, which is never mapped, and
 * on every other event. Interrupts and NMIs are delivered to the kernel
 * and the sandbox resumes, as it does after a first touch of one of its
 * stack pages (sbm_grow_stack()); every other exception aborts it with
 * -EFAULT.
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
#include <linux/module.h>
#include <linux/preempt.h>
#include <linux/sbm.h>
#include <linux/sched.h>
#include <linux/sched/clock.h>
#include <linux/sched/signal.h>
#include <linux/user-return-notifier.h>
#include <linux/slab.h>
#include <kunit/static_stub.h>
#include <kunit/visibility.h>
#include <asm/asm.h>
#include <asm/debugreg.h>
#include <asm/fpu/xstate.h>
#include <asm/gsseg.h>
#include <asm/io_bitmap.h>
#include <asm/irq_vectors.h>
#include <asm/kvm_para.h>
#include <asm/mce.h>
#include <asm/msr.h>
#include <asm/nospec-branch.h>
#include <asm/segment.h>
#include <asm/special_insns.h>
#include <asm/tlbflush.h>
#include <asm/trap_pf.h>
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
static_assert(offsetof(struct sbm_ctl, nmi_pending) == SBM_CTL_NMI_PENDING);
static_assert(offsetof(struct sbm_ctl, error) == SBM_CTL_ERROR);
static_assert(offsetof(struct sbm_ctl, nr_flush) == SBM_CTL_NR_FLUSH);
static_assert(offsetof(struct sbm_ctl, mce_ip) == SBM_CTL_MCE_IP);
static_assert(offsetof(struct sbm_ctl, test_mce) == SBM_CTL_TEST_MCE);
static_assert(offsetof(struct sbm_ctl, mce_scratch) == SBM_CTL_MCE_SCRATCH);
static_assert(offsetof(struct sbm_ctl, nmi_frame) == SBM_CTL_NMI_FRAME);
static_assert(offsetof(struct sbm_ctl, flush) == SBM_CTL_FLUSH);

long arch_sbm_pages(void)
{
	return sbm_pages_held();
}

bool arch_sbm_supported(void)
{
	return sbm_idt_ready();
}

/**
 * sbm_free_address_space() - free a sandbox's address space and its state
 * @s: the sandbox's x86 state; nothing runs on its page tables any more
 *
 * Drops its module's kernel half and its reference to the module too.
 */
void sbm_free_address_space(struct x86_sbm *s)
{
	unsigned int i;

	sbm_free_tables(s);
	sbm_put_module_half(s->module_half);
	if (s->module)
		module_put(s->module);
	for (i = 0; i < SBM_STACK_PAGES; i++)
		if (s->stack[i])
			sbm_free_page(s->stack[i]);
	if (s->ctl)
		sbm_free_page(virt_to_page(s->ctl));
	kfree(s);
}

void arch_sbm_destroy(struct sbm *sbm)
{
	struct x86_sbm *s = sbm->private;

	sbm->private = NULL;
	/* Kept for a new sandbox if it can be (pool.c), else freed. */
	if (s && !sbm_pool_put(sbm, s))
		sbm_free_address_space(s);
}

static int sbm_build_address_space(struct x86_sbm *s)
{
	unsigned long va = SBM_STACK_TOP - SBM_STACK_PAGES * PAGE_SIZE;
	unsigned int i;
	int err;

	err = sbm_use_shared(s);
	if (!err)
		err = sbm_map_page(s, SBM_CTL_VA, PHYS_PFN(__pa(s->ctl)),
				   SBM_KERN_RW);
	for (i = 0; !err && i < SBM_STACK_PAGES; i++, va += PAGE_SIZE) {
		if (s->stack[i])
			err = sbm_map_page(s, va, page_to_pfn(s->stack[i]),
					   SBM_USER_RW_CLEAN);
	}
	return err;
}

int arch_sbm_init(struct sbm *sbm)
{
	struct page *pgd, *ctl;
	struct x86_sbm *s;
	int err;

	/* The address space of a sandbox destroyed before, if one was kept. */
	s = sbm_pool_take();
	if (s) {
		sbm->private = s;
		return 0;
	}
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
	/* The rest of the stack comes when it is touched (sbm_grow_stack()). */
	s->stack[SBM_STACK_PAGES - 1] = sbm_alloc_page();
	if (!s->stack[SBM_STACK_PAGES - 1])
		err = -ENOMEM;
	if (!err)
		err = sbm_build_address_space(s);
	if (err)
		arch_sbm_destroy(sbm);
	else
		s->nr_base_tables = s->nr_tables;
	return err;
}

/* Buffers go one after the other, an unmapped guard page before each. */
static int sbm_map_buf(struct sbm *sbm, struct sbm_buf *buf,
		       pgprotval_t prot)
{
	struct x86_sbm *s = sbm->private;
	unsigned long va = s->next_buf + PAGE_SIZE;
	unsigned long len = (unsigned long)buf->nr_pages << PAGE_SHIFT;
	int err;

	if (va > SBM_BUF_LIMIT - PAGE_SIZE || len > SBM_BUF_LIMIT - PAGE_SIZE - va)
		return -E2BIG;
	err = sbm_map_pages(s, va, buf->pages, buf->nr_pages, prot);
	if (err) {
		/*
		 * What was mapped of this buffer goes with it, although the
		 * instance, failed now, never runs again and is not kept
		 * (see pool.c).
		 */
		sbm_unmap_range(s, va, va + len);
		return err;
	}
	s->next_buf = va + len;
	buf->sbm_ptr = (void *)va;
	return 0;
}

/*
 * The sandbox maps a lent page as write-back memory (PAT index 0), not
 * encrypted (memory encryption refuses strong isolation), at CPL 3. A
 * second mapping with other cache attributes would be undefined, so only
 * a page that the kernel maps present and write-back, as RAM of its own
 * rather than a device's, may be lent; writable only if the kernel may
 * write it too.
 */
bool arch_sbm_lendable(const void *addr, bool writable)
{
	unsigned int level;
	pte_t *pte = lookup_address((unsigned long)addr, &level);
	u64 val, pat;
	struct page *page;

	if (!pte)
		return false;
	val = pte_val(*pte);
	pat = level == PG_LEVEL_4K ? _PAGE_PAT : _PAGE_PAT_LARGE;
	if (!(val & _PAGE_PRESENT) || (val & (_PAGE_PWT | _PAGE_PCD | pat)))
		return false;
	if (writable && !(val & _PAGE_RW))
		return false;
	page = is_vmalloc_addr(addr) ? vmalloc_to_page(addr) :
				       virt_to_page(addr);
	return page && !is_zone_device_page(page);
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
 * The writes of the entry and exit below, counted where the benchmark is
 * built: they are what a call costs beyond its CR3 writes.
 */
static __always_inline void sbm_wrmsr(u32 msr, u64 val)
{
	sbm_count_write(SBM_WRITE_MSR);
	wrmsrq(msr, val);
}

static __always_inline void sbm_write_cr0(unsigned long val)
{
	sbm_count_write(SBM_WRITE_CR);
	write_cr0(val);
}

static __always_inline void sbm_wrpkru(u32 pkru)
{
	sbm_count_write(SBM_WRITE_PKRU);
	wrpkru(pkru);
}

/*
 * The sandbox may load another GS selector (the exit path restored only the
 * GS base). The task's selector is loaded again here, on the kernel's page
 * tables, where its descriptor (an LDT one, say) can be read, with the
 * kernel's fault-safe helper. As on a context switch, loading it also sets
 * the task's inactive GS base, which is written back.
 */
static void sbm_restore_gs(unsigned short gs)
{
	unsigned short now;
	unsigned long base;

	savesegment(gs, now);
	if (now == gs)
		return;
	rdmsrq(MSR_KERNEL_GS_BASE, base);
	load_gs_index(gs);
	sbm_wrmsr(MSR_KERNEL_GS_BASE, base);
}

/*
 * PKRU inside a sandbox: its pages all have protection key 0, which it may
 * read and write; every other key is access-disabled. A known value, so
 * that a task denying itself key 0 still gets working sandboxes.
 */
#define SBM_PKRU	0x55555554U

/* Dynamically enabled XSAVE features (AMX): armed, so that they fault. */
#define SBM_XFD		XFEATURE_MASK_USER_DYNAMIC

/* CR4 bits that user space may have set for its task. */
#define SBM_CR4_TASK	(X86_CR4_TSD | X86_CR4_PCE)

/**
 * struct sbm_task_state - CPU state of the task that a sandbox must neither
 * inherit nor change, saved by sbm_fence() and restored by sbm_unfence()
 * @cr0:         CR0 (TS is set in the sandbox: FPU/SIMD raise #NM)
 * @cr4:         CR4 (no RDTSC faulting nor RDPMC by the task's choice)
 * @dr7:         DR7 (breakpoints are off in the sandbox)
 * @efer:        EFER (SYSCALL is off in the sandbox)
 * @sysenter_cs: SYSENTER code segment (none in the sandbox)
 * @fsbase:      FS base (zero in the sandbox, as is the GS base)
 * @u_cet:       user CET: no shadow stack nor IBT of the task's
 * @xfd:         extended feature disable: AMX armed
 * @pkru:        protection keys, %SBM_PKRU in the sandbox
 * @ds:          data segment selectors, which the sandbox may load
 * @es:          ditto
 * @fs:          ditto
 * @gs:          ditto
 */
struct sbm_task_state {
	unsigned long cr0, cr4, dr7, efer, sysenter_cs, fsbase;
	u64 u_cet, xfd;
	u32 pkru;
	unsigned short ds, es, fs, gs;
};

/*
 * To the CPU a sandbox is user mode: do what the kernel does on every
 * return to user mode that concerns the CPU rather than the task -- put
 * back the host's user MSRs a KVM guest left behind, and the IBPB owed
 * after a guest ran -- and hide the task's I/O permissions, which the TSS
 * keeps while the task is in the kernel (the next return to user mode
 * installs them again).
 */
static void sbm_exit_to_user(void)
{
	if (test_thread_flag(TIF_USER_RETURN_NOTIFY))
		fire_user_return_notifiers();
#ifdef CONFIG_X86_IOPL_IOPERM
	if (test_thread_flag(TIF_IO_BITMAP))
		tss_invalidate_io_bitmap();
#endif
	if (cpu_feature_enabled(X86_FEATURE_IBPB_EXIT_TO_USER) &&
	    this_cpu_read(x86_ibpb_exit_to_user)) {
		indirect_branch_prediction_barrier();
		this_cpu_write(x86_ibpb_exit_to_user, false);
	}
}

/* Interrupts are off; only what differs from the sandbox's state is written. */
static void sbm_fence(struct sbm_task_state *t)
{
	sbm_exit_to_user();
	savesegment(ds, t->ds);
	savesegment(es, t->es);
	savesegment(fs, t->fs);
	savesegment(gs, t->gs);
	rdmsrq(MSR_FS_BASE, t->fsbase);

	rdmsrq(MSR_EFER, t->efer);
	if (t->efer & EFER_SCE)
		sbm_wrmsr(MSR_EFER, t->efer & ~EFER_SCE);
	t->sysenter_cs = 0;
	if (boot_cpu_has(X86_FEATURE_SEP)) {
		rdmsrq(MSR_IA32_SYSENTER_CS, t->sysenter_cs);
		if (t->sysenter_cs)
			sbm_wrmsr(MSR_IA32_SYSENTER_CS, 0);
	}
	t->u_cet = 0;
	if (cpu_feature_enabled(X86_FEATURE_USER_SHSTK)) {
		rdmsrq(MSR_IA32_U_CET, t->u_cet);
		if (t->u_cet)
			sbm_wrmsr(MSR_IA32_U_CET, 0);
	}
	t->xfd = SBM_XFD;
	if (fpu_state_size_dynamic()) {
		rdmsrq(MSR_IA32_XFD, t->xfd);
		if ((t->xfd & SBM_XFD) != SBM_XFD)
			sbm_wrmsr(MSR_IA32_XFD, t->xfd | SBM_XFD);
	}
	t->cr4 = cr4_read_shadow();
	if (t->cr4 & SBM_CR4_TASK) {
		sbm_count_write(SBM_WRITE_CR);
		cr4_clear_bits_irqsoff(t->cr4 & SBM_CR4_TASK);
	}
	if (cpu_feature_enabled(X86_FEATURE_OSPKE)) {
		t->pkru = rdpkru();
		if (t->pkru != SBM_PKRU)
			sbm_wrpkru(SBM_PKRU);
	}
	t->dr7 = local_db_save();
	t->cr0 = read_cr0();
	sbm_write_cr0(t->cr0 | X86_CR0_TS);
	/* Last, as on a return to user mode: no division follows. */
	amd_clear_divider();
}

/*
 * The sandbox and the task are two user contexts to the CPU. Where the
 * kernel separates user contexts with IBPB (spectre_v2_user=on, or the task
 * asked for it with prctl or seccomp), so are these: the sandbox's branch
 * training must not steer the task's user space, nor another task sharing
 * its mm, nor the next sandbox.
 */
static void sbm_ibpb(void)
{
	if (static_branch_unlikely(&switch_mm_always_ibpb) ||
	    (static_branch_likely(&switch_mm_cond_ibpb) &&
	     test_thread_flag(TIF_SPEC_IB))) {
		sbm_count_write(SBM_WRITE_MSR);
		indirect_branch_prediction_barrier();
	}
}

static void sbm_unfence(struct sbm_task_state *t, unsigned int vector)
{
	sbm_ibpb();
	sbm_restore_gs(t->gs);
	sbm_write_cr0(t->cr0);
	/* The #DB or #NM the sandbox raised never reached the kernel's handler. */
	if (vector == X86_TRAP_DB)
		set_debugreg(DR6_RESERVED, 6);
	if (vector == X86_TRAP_NM && fpu_state_size_dynamic())
		sbm_wrmsr(MSR_IA32_XFD_ERR, 0);
	local_db_restore(t->dr7);
	/* WRPKRU is allowed at CPL 3. */
	if (cpu_feature_enabled(X86_FEATURE_OSPKE) && rdpkru() != t->pkru)
		sbm_wrpkru(t->pkru);
	if (t->cr4 & SBM_CR4_TASK) {
		sbm_count_write(SBM_WRITE_CR);
		cr4_set_bits_irqsoff(t->cr4 & SBM_CR4_TASK);
	}
	if ((t->xfd & SBM_XFD) != SBM_XFD)
		sbm_wrmsr(MSR_IA32_XFD, t->xfd);
	if (t->u_cet)
		sbm_wrmsr(MSR_IA32_U_CET, t->u_cet);
	if (t->sysenter_cs)
		sbm_wrmsr(MSR_IA32_SYSENTER_CS, t->sysenter_cs);
	if (t->efer & EFER_SCE)
		sbm_wrmsr(MSR_EFER, t->efer);
	loadsegment(fs, t->fs);
	sbm_wrmsr(MSR_FS_BASE, t->fsbase);
	loadsegment(ds, t->ds);
	loadsegment(es, t->es);
}

/*
 * Under KVM, the host tells a guest that a page of its memory is swapped
 * out with a #PF at CPL 3 (an asynchronous page fault): not the sandbox's
 * doing. Read with interrupts off, right after the exit, as the kernel's
 * #PF entry does; the task then waits for the page and the sandbox resumes.
 */
static bool sbm_async_pf(unsigned long vector)
{
#ifdef CONFIG_KVM_GUEST
	return vector == X86_TRAP_PF &&
	       static_branch_unlikely(&kvm_async_pf_enabled) &&
	       (kvm_read_and_reset_apf_flags() & KVM_PV_REASON_PAGE_NOT_PRESENT);
#else
	return false;
#endif
}

/*
 * Run the sandbox until it raises an event; return the event's vector, and
 * in @async_pf whether it was a KVM asynchronous page fault. Interrupts are
 * off, so nothing runs between here and the sandbox.
 */
static unsigned int sbm_run(struct x86_sbm *s, u64 *ran, bool *async_pf)
{
	struct sbm_ctl *ctl = s->ctl;
	struct sbm_task_state task;
	u64 start;

	rdmsrq(MSR_GS_BASE, ctl->kernel_gsbase);
	/* The kernel's TLB entries stay valid: with PCID, keep them. */
	ctl->kernel_cr3 = __read_cr3();
	if (cpu_feature_enabled(X86_FEATURE_PCID))
		ctl->kernel_cr3 |= X86_CR3_PCID_NOFLUSH;
	sbm_fence(&task);

	sbm_count_entry(ctl->nr_flush);
	start = local_clock();
	/* PCID 0 is never the kernel's: the CR3 write flushes the sandbox's. */
	__sbm_enter(ctl, __pa(s->pgd));
	/* Before anything could fault on its own: the flags are the host's. */
	*async_pf = sbm_async_pf(ctl->vector);
	/* MCIP is still set: right after the async page fault flags. */
	if (unlikely(ctl->mce_ip)) {
		sbm_window_machine_check(ctl->mce_ip);
		ctl->mce_ip = 0;
		s->machine_check = true;
	}
	*ran += local_clock() - start;

	sbm_unfence(&task, ctl->vector);
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
	unsigned int i;

	/*
	 * Nothing of the kernel's registers reaches the sandbox, and nothing
	 * an earlier call of this instance left on its stack: the pages it
	 * wrote, as their dirty bits tell, are cleared (the others still are).
	 */
	memset(regs, 0, sizeof(*regs));
	for (i = 0; i < SBM_STACK_PAGES; i++)
		if (s->stack[i] &&
		    sbm_test_and_clean(s, SBM_STACK_TOP -
				       (SBM_STACK_PAGES - i) * PAGE_SIZE))
			clear_page(page_address(s->stack[i]));
	top[-1] = SBM_RETURN_VA;
	regs->sp = SBM_STACK_TOP - sizeof(unsigned long);
	regs->ip = (unsigned long)func;
	regs->di = (unsigned long)data;
	regs->cs = __USER_CS;
	regs->ss = __USER_DS;
	regs->flags = X86_EFLAGS_IF | X86_EFLAGS_FIXED;
}

#ifdef CONFIG_X86_MCE
/*
 * The address sbm_machine_check() gives the kernel's handler, which the
 * error log records: poison.c finds the errors sandboxes consumed by it.
 * It is always the same; a variable spares a global label in inline asm.
 */
unsigned long sbm_mce_recover_ip;
#endif

/*
 * A machine check raised in the sandbox reached the sandbox IDT, not the
 * kernel's handler. Hand it over on the same CPU with interrupts still
 * off, as KVM does with one raised by a guest, so that the rendezvous of
 * a broadcast machine check, MCG_STATUS and the error log go as for any
 * machine check. The memory the sandbox touches is the kernel's, not the
 * task's: the context given is kernel code that recovers from machine
 * checks, as copy_mc_to_kernel() does (an exception-table entry of type
 * EX_TYPE_DEFAULT_MCE_SAFE), rather than user mode, which would have the
 * task killed for the kernel's memory.
 *
 * Return: true if the handler took that entry's fixup: the error needed
 * action (the sandbox consumed poison), and the call must be aborted; or
 * if the CPU said the interrupted code cannot restart (MCG_STATUS.RIPV
 * clear) and the handler still returned (no valid bank to judge by).
 * Otherwise (an error that needs no action, or one another CPU's bank
 * holds, which Intel CPUs broadcast to all) the sandbox may resume.
 */
static bool sbm_machine_check(void)
{
#ifdef CONFIG_X86_MCE
	struct pt_regs regs = {
		.cs = __KERNEL_CS,
		.ss = __KERNEL_DS,
		.flags = X86_EFLAGS_IF,
	};
	unsigned long fixup;
	u64 mcgstatus;

	/* Read before the handler clears it: can the sandbox go on at all? */
	rdmsrq(MSR_IA32_MCG_STATUS, mcgstatus);
	asm volatile("1:	lea 1b(%%rip), %0\n"
		     "	lea 2f(%%rip), %1\n"
		     "2:\n"
		     _ASM_EXTABLE_TYPE(1b, 2b, EX_TYPE_DEFAULT_MCE_SAFE)
		     : "=r" (regs.ip), "=r" (fixup));
	regs.sp = current_stack_pointer;
	WRITE_ONCE(sbm_mce_recover_ip, regs.ip);
	do_machine_check(&regs);
	return regs.ip == fixup || !(mcgstatus & MCG_STATUS_RIPV);
#else
	return true;
#endif
}

/**
 * sbm_window_machine_check() - run the kernel's #MC handler for a machine
 * check that hit the entry or exit path
 * @ip: where it hit, in code that runs at CPL 0 on the sandbox page tables
 *
 * The stub could not run the handler there (none of the kernel's code is
 * mapped); it recorded @ip, and the handler runs now, on the kernel's page
 * tables, for kernel code at @ip with interrupts off: code that has no
 * exception-table fixup, so that an error that needs one panics, as it
 * would in the kernel's own entry code. The registers it is given are not
 * those of the interrupted code, which nothing saved.
 */
void sbm_window_machine_check(unsigned long ip)
{
	KUNIT_STATIC_STUB_REDIRECT(sbm_window_machine_check, ip);
#ifdef CONFIG_X86_MCE
	struct pt_regs regs = {
		.ip = ip,
		.cs = __KERNEL_CS,
		.ss = __KERNEL_DS,
		.flags = X86_EFLAGS_FIXED,
		.sp = current_stack_pointer,
	};

	do_machine_check(&regs);
#endif
}
EXPORT_SYMBOL_IF_KUNIT(sbm_window_machine_check);

/**
 * sbm_test_machine_check() - make the next entry or exit of a sandbox raise
 * a machine check (INT 18) at CPL 0 on the sandbox page tables, once
 * @sbm:   the sandbox
 * @where: %SBM_TEST_MCE_ENTRY or %SBM_TEST_MCE_EXIT; or
 *         %SBM_TEST_NMI_IN_MCE: one in the exit path, and an NMI (INT 2) in
 *         the machine check's stub; or %SBM_TEST_MCE_IN_NMI: an NMI in the
 *         exit path, and a machine check in the NMI's stub; or
 *         %SBM_TEST_NMI_MCE_NMI: the same, and a second NMI in the first
 *         one's stub right after the machine check's IRET; or
 *         %SBM_TEST_NMI_MCE_NMI_USER: the same in the stub of the next
 *         (real) NMI that hits the sandbox, before it copied its frame; or
 *         %SBM_TEST_NMI_MCE_NMI_EXIT: the same in the exit it leads to,
 *         before the exit reads the frame
 *
 * For KUnit only; the kernel then goes to sbm_window_machine_check(),
 * which a test replaces.
 */
#if SBM_TEST_MCE
void sbm_test_machine_check(struct sbm *sbm, unsigned long where)
{
	((struct x86_sbm *)sbm->private)->ctl->test_mce = where;
}
EXPORT_SYMBOL_IF_KUNIT(sbm_test_machine_check);

/**
 * sbm_test_machine_check_ip() - where the test's machine check hits
 * @where: one of the cases of sbm_test_machine_check()
 *
 * Return: the address right after the INT 18 of that case, which the
 * machine check's frame holds.
 */
unsigned long sbm_test_machine_check_ip(unsigned long where)
{
	switch (where) {
	case SBM_TEST_MCE_ENTRY:
		return (unsigned long)sbm_test_mce_entry_ip;
	case SBM_TEST_MCE_IN_NMI:
	case SBM_TEST_NMI_MCE_NMI:
		return (unsigned long)sbm_test_mce_nmi_ip;
	case SBM_TEST_NMI_MCE_NMI_USER:
		return (unsigned long)sbm_test_mce_nmi_user_ip;
	case SBM_TEST_NMI_MCE_NMI_EXIT:
		return (unsigned long)sbm_test_mce_nmi_exit_ip;
	default:
		return (unsigned long)sbm_test_mce_exit_ip;
	}
}
EXPORT_SYMBOL_IF_KUNIT(sbm_test_machine_check_ip);
#endif

/*
 * Most calls use less than a page of stack, so an instance starts with the
 * top page only, and the others are added when the function first touches
 * them, as the kernel grows a user stack: a not-present fault at CPL 3 on
 * one of them maps a zeroed page there and the function resumes. Pages
 * stay with the instance for its next calls.
 *
 * Return: 1 if the page is there now, 0 if the fault was something else,
 * or -ENOMEM.
 */
static int sbm_grow_stack(struct x86_sbm *s)
{
	unsigned long base = SBM_STACK_TOP - SBM_STACK_PAGES * PAGE_SIZE;
	const struct sbm_ctl *ctl = s->ctl;
	struct page *page;
	unsigned int i;

	/* A read or write at CPL 3 of a page not there, nothing else. */
	if (ctl->regs.cs != __USER_CS ||
	    (ctl->regs.orig_ax & (X86_PF_PROT | X86_PF_USER | X86_PF_RSVD |
				  X86_PF_INSTR | X86_PF_SHSTK)) != X86_PF_USER ||
	    ctl->cr2 < base || ctl->cr2 >= SBM_STACK_TOP)
		return 0;
	i = (ctl->cr2 - base) >> PAGE_SHIFT;
	if (s->stack[i])
		return 0;
	page = sbm_alloc_page();
	if (!page)
		return -ENOMEM;
	if (sbm_map_page(s, base + i * PAGE_SIZE, page_to_pfn(page),
			 SBM_USER_RW_CLEAN)) {
		sbm_free_page(page);
		return -ENOMEM;
	}
	s->stack[i] = page;
	return 1;
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
	bool async_pf, consumed;
	int ret, err, grown;

	might_sleep();
	err = sbm_map_module_text(s, (unsigned long)func);
	if (err)
		goto abort;

	sbm_count_call();
	sbm_start(s, func, data);
	for (;;) {
		local_irq_disable();
		vector = sbm_run(s, &ran, &async_pf);
		consumed = vector == X86_TRAP_MC && sbm_machine_check();
		if ((vector >= FIRST_EXTERNAL_VECTOR &&
		     vector != SBM_VECTOR_REENTER) || vector == X86_TRAP_NMI)
			sbm_deliver_vector(vector);
		for (; ctl->nmi_pending; ctl->nmi_pending--)
			sbm_deliver_vector(X86_TRAP_NMI);
		/*
		 * The interrupt hit code that ran with interrupts on, and they
		 * go back on now: finish as the kernel's irqentry_exit() does,
		 * re-arming the hrtimer the timer interrupt may have deferred.
		 */
		irqentry_hrtimer_rearm_deferred();
		local_irq_enable();

		grown = 0;
		if (vector == X86_TRAP_PF && !async_pf)
			grown = sbm_grow_stack(s);
		if (grown < 0) {
			err = grown;
			goto abort;
		}
		if (async_pf)
			kvm_async_pf_task_wait_schedule((u32)ctl->cr2);
		else if (!grown && vector < FIRST_EXTERNAL_VECTOR &&
			 vector != X86_TRAP_NMI &&
			 (vector != X86_TRAP_MC || consumed))
			break;
		if (vector == X86_TRAP_MC) {
			s->machine_check = true;
			sbm_count_mce_resumed();
		} else if (vector != SBM_VECTOR_REENTER && !grown) {
			sbm_count_irq();
		}
		/* It left 64-bit mode (a far jump to a compat segment). */
		if (ctl->regs.cs != __USER_CS)
			break;
		if (ran > limit) {
			sbm_count_timeout();
			err = -ETIME;
			goto abort;
		}
		if (!sbm->uninterruptible && fatal_signal_pending(current)) {
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
