/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * SandBox Mode on x86_64: the layout of a sandbox address space, shared by
 * the C and assembly halves of arch/x86/kernel/sbm.
 *
 * The low half of a sandbox address space holds only what the sandbox
 * owns: its control page (supervisor-only), its stack and its buffers.
 * Kernel addresses in the high half are used only for the sandboxed code
 * (user-executable), the entry stubs and the IDT (supervisor-only), and
 * the CPU entry area, which is shared with the kernel page tables.
 */
#ifndef _ASM_X86_SBM_H
#define _ASM_X86_SBM_H

/* Never mapped: a return to it is how the sandboxed function exits. */
#define SBM_RETURN_VA		0x1000
/* Per-sandbox control page, at an address the entry code can encode. */
#define SBM_CTL_VA		0x200000
/* The sandbox stack; everything below it down to the control page is a gap. */
#define SBM_STACK_TOP		0x300000
#define SBM_STACK_PAGES		4
/*
 * Buffers are mapped upwards from here, with an unmapped page before each:
 * right above the stack, in the page table of the stack and the control
 * page, which a call's first MiB of buffers needs no other than.
 */
#define SBM_BUF_BASE		SBM_STACK_TOP
#define SBM_BUF_LIMIT		0x7f0000000000UL

/* The control page: saved sandbox registers first, then the rest. */
#define SBM_PTREGS_SIZE		(21 * 8)
#define SBM_CTL_SCRATCH		(SBM_PTREGS_SIZE + 0 * 8)
#define SBM_CTL_VECTOR		(SBM_PTREGS_SIZE + 1 * 8)
#define SBM_CTL_CR2		(SBM_PTREGS_SIZE + 2 * 8)
#define SBM_CTL_KERNEL_SP	(SBM_PTREGS_SIZE + 3 * 8)
#define SBM_CTL_KERNEL_CR3	(SBM_PTREGS_SIZE + 4 * 8)
#define SBM_CTL_KERNEL_GSBASE	(SBM_PTREGS_SIZE + 5 * 8)
#define SBM_CTL_NMI_PENDING	(SBM_PTREGS_SIZE + 6 * 8)
#define SBM_CTL_ERROR		(SBM_PTREGS_SIZE + 7 * 8)
#define SBM_CTL_NR_FLUSH	(SBM_PTREGS_SIZE + 8 * 8)
#define SBM_CTL_MCE_IP		(SBM_PTREGS_SIZE + 9 * 8)
#define SBM_CTL_TEST_MCE	(SBM_PTREGS_SIZE + 10 * 8)
#define SBM_CTL_MCE_SCRATCH	(SBM_PTREGS_SIZE + 11 * 8)
#define SBM_CTL_NMI_FRAME	(SBM_PTREGS_SIZE + 12 * 8)
#define SBM_CTL_FLUSH		(SBM_PTREGS_SIZE + 17 * 8)
#define SBM_CTL_MAX_FLUSH	((4096 - SBM_CTL_FLUSH) / 8)

/*
 * Not a vector: entering was given up for a machine check that hit the
 * entry path (see @mce_ip below); enter again once it is handled.
 */
#define SBM_VECTOR_REENTER	256

/*
 * KUnit: raise a machine check (INT 18) in the entry or the exit path, or
 * one there and an NMI (INT 2) in the machine check's stub, or the other
 * way round, or the other way round and a second NMI right after the
 * machine check's IRET, in the exit path, or in the stub or the exit of
 * an NMI that hit the sandbox; without the kernel's #MC support, vector 18 has
 * no IST stack to take it.
 */
#define SBM_TEST_MCE		(IS_ENABLED(CONFIG_SANDBOX_MODE_KUNIT_TEST) && \
				 IS_ENABLED(CONFIG_X86_MCE))
#define SBM_TEST_MCE_ENTRY	1
#define SBM_TEST_MCE_EXIT	2
#define SBM_TEST_NMI_IN_MCE	3
#define SBM_TEST_MCE_IN_NMI	4
#define SBM_TEST_NMI_MCE_NMI	5
#define SBM_TEST_NMI_MCE_NMI_USER	6
#define SBM_TEST_NMI_MCE_NMI_EXIT	7

#ifndef __ASSEMBLER__
#include <linux/types.h>
#include <asm/ptrace.h>

/**
 * struct sbm_ctl - the control page of a sandbox
 * @regs:          the sandbox's registers while it is not running
 * @scratch:       spill slot for the exit path
 * @vector:        vector of the event that stopped the sandbox
 * @cr2:           CR2 at that event (the faulting address of a #PF)
 * @kernel_sp:     kernel stack pointer to return to
 * @kernel_cr3:    kernel CR3 to return to
 * @kernel_gsbase: kernel GS base, restored before any kernel code runs
 * @nmi_pending:   how many NMIs hit the exit path (or the NMI stub) and
 *                 await delivery
 * @error:         error code of the event, on its way to @regs.orig_ax
 * @nr_flush:      number of entries in @flush
 * @mce_ip:        where a machine check hit the entry or exit path at
 *                 CPL 0 on the sandbox page tables, or 0; the kernel's
 *                 handler runs once its page tables are back
 * @test_mce:      KUnit only: one of the %SBM_TEST_MCE_* cases, raised
 *                 once
 * @mce_scratch:   spill slot for the machine check stub
 * @nmi_frame:     the CPU's frame of an NMI that stopped the sandbox, or
 *                 of one whose stub a machine check hit, moved off the
 *                 NMI stack, which the next NMI overwrites
 * @flush:         kernel addresses the sandbox maps differently from the
 *                 kernel; their (possibly global) TLB entries are flushed
 *                 on every entry
 *
 * The page is mapped supervisor-only at %SBM_CTL_VA in the sandbox and is
 * reached there by the entry code, which runs on the sandbox page tables.
 */
struct sbm_ctl {
	struct pt_regs regs;
	unsigned long scratch;
	unsigned long vector;
	unsigned long cr2;
	unsigned long kernel_sp;
	unsigned long kernel_cr3;
	unsigned long kernel_gsbase;
	unsigned long nmi_pending;
	unsigned long error;
	unsigned long nr_flush;
	unsigned long mce_ip;
	unsigned long test_mce;
	unsigned long mce_scratch;
	unsigned long nmi_frame[5];
	unsigned long flush[SBM_CTL_MAX_FLUSH];
};

#endif /* __ASSEMBLER__ */
#endif /* _ASM_X86_SBM_H */
