/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * SandBox Mode: entering and leaving a sandbox.
 *
 * __sbm_enter() switches to the sandbox's page tables and IDT and IRETs to
 * the sandbox at CPL 3. Every event the sandbox raises arrives at one of
 * the stubs below, on the CPU entry area stack (or an IST stack), still on
 * the sandbox page tables. sbm_exit saves the sandbox registers in the
 * control page, restores the kernel's GS, CR3, stack and IDT, and returns
 * from __sbm_enter(). The C side decides what the event means.
 *
 * The stubs and sbm_exit up to the CR3 switch, and __sbm_enter() from its
 * CR3 switch to the IRET, run at CPL 0 on the sandbox page tables. An NMI
 * or a machine check hitting them is recorded, or makes the entry give
 * up, and the C side hands it to the kernel once the kernel is back (see
 * sbm_vector_2 and sbm_mce_kernel); one that finds the kernel's page
 * tables live under the sandbox IDT goes straight to the kernel's entry
 * point. Which page tables are live is read from sbm_tables_marker, which
 * they map to different pages (see shared.c), not guessed from the
 * interrupted address: the same stubs run on both.
 *
 * Nothing here may be probed: a kprobe's INT3 at CPL 0 on the sandbox page
 * tables would find none of the kernel's handlers mapped.
 */

#include <linux/linkage.h>
#include <asm/asm.h>
#include <asm/msr-index.h>
#include <asm/nospec-branch.h>
#include <asm/percpu.h>
#include <asm/page_types.h>
#include <asm/processor-flags.h>
#include <asm/sbm.h>
#include <asm/segment.h>
#include <asm/trapnr.h>
#include <asm/unwind_hints.h>

/* The kernel's entry macros: IBRS_ENTER, IBRS_EXIT. */
#include "../../entry/calling.h"

	.pushsection .rodata
	.balign 8
SYM_DATA_START(sbm_exception_stubs)
	.popsection

	.pushsection .sbm.entry.text, "ax"
	.balign PAGE_SIZE

/*
 * Branch to @sandbox if the sandbox page tables are live, with no register
 * used: sbm_tables_marker reads 0 on the kernel's and 1 on every sandbox's
 * (see shared.c). The kernel maps it non-global, so no TLB entry of its
 * own outlives the CR3 write into the sandbox; the sandbox's goes with
 * the CR3 write back, or is tagged with PCID 0, which the kernel never
 * uses.
 */
.macro SBM_IF_SANDBOX_TABLES sandbox
	cmpq	$0, sbm_tables_marker(%rip)
	jne	\sandbox
.endm

/*
 * Branch to @entry if the CPU frame on the stack says the event hit the
 * entry path on the sandbox page tables: from the CR3 write to the IRET.
 */
.macro SBM_IF_ENTRY_PATH entry
	cmpq	$sbm_enter_sandbox_cr3, (%rsp)
	jb	.Lnot_entry_\@
	cmpq	$sbm_enter_end, (%rsp)
	jb	\entry
.Lnot_entry_\@:
.endm

/*
 * Branch to @nmi if the CPU frame on the stack says the event hit the NMI
 * stub (which pushes nothing: its own frame is at the interrupted RSP).
 */
.macro SBM_IF_NMI_STUB nmi
	cmpq	$sbm_vector_2, (%rsp)
	jb	.Lnot_nmi_\@
	cmpq	$.Lsbm_nmi_end, (%rsp)
	jb	\nmi
.Lnot_nmi_\@:
.endm

/*
 * The NMI stub, in one piece for the machine check stub to recognise (see
 * sbm_mce_kernel). Nothing is pushed: the kernel's NMI bookkeeping is below
 * the frame.
 *
 * From CPL 3 it leaves the sandbox, with the CPU's frame copied to the
 * control page first: NMIs stay blocked until the kernel delivers this one,
 * but a machine check's IRET would let the next one in, onto this frame.
 *
 * At CPL 0 under the sandbox IDT: on the kernel's page tables, the kernel's
 * NMI entry takes it, frame as is. On the sandbox's, where none of the
 * kernel's code is mapped: in the entry path, entering is given up
 * (sbm_enter_abandon), and the C side delivers the NMI and enters again,
 * so that it does not wait for the sandbox's next exit; anywhere else (the
 * exit path, the exception stubs, the machine check stub, this stub after
 * a machine check moved its frame) the NMI is counted, and the C side
 * delivers it as soon as the kernel is back.
 *
 * On the kernel's page tables the window before asm_exc_nmi is the
 * kernel's own, a few instructions longer: the control page is not at
 * SBM_CTL_VA there, so a machine check in it cannot move the frame.
 */
.macro SBM_NMI_STUB
SYM_CODE_START_LOCAL(sbm_vector_2)
	UNWIND_HINT_IRET_ENTRY
	ENDBR
	testb	$3, 8(%rsp)
	jz	.Lsbm_nmi_kernel
	movq	%rax, SBM_CTL_VA + SBM_CTL_SCRATCH
	movq	$X86_TRAP_NMI, SBM_CTL_VA + SBM_CTL_VECTOR
	movq	$0, SBM_CTL_VA + SBM_CTL_ERROR
#if SBM_TEST_MCE
	cmpq	$SBM_TEST_NMI_MCE_NMI_USER, SBM_CTL_VA + SBM_CTL_TEST_MCE
	jne	5f
	movq	$0, SBM_CTL_VA + SBM_CTL_TEST_MCE
	int	$X86_TRAP_MC
SYM_INNER_LABEL(sbm_test_mce_nmi_user_ip, SYM_L_GLOBAL)
	ANNOTATE_NOENDBR
	int	$X86_TRAP_NMI
5:
#endif
	.irp word, 0, 1, 2, 3, 4
	movq	\word * 8(%rsp), %rax
	movq	%rax, SBM_CTL_VA + SBM_CTL_NMI_FRAME + \word * 8
	.endr
	movq	$(SBM_CTL_VA + SBM_CTL_NMI_FRAME), %rax
	jmp	sbm_exit_frame

.Lsbm_nmi_kernel:
	SBM_IF_SANDBOX_TABLES 1f
	jmp	asm_exc_nmi
1:	SBM_IF_ENTRY_PATH 3f
	incq	SBM_CTL_VA + SBM_CTL_NMI_PENDING
#if SBM_TEST_MCE
	cmpq	$SBM_TEST_MCE_IN_NMI, SBM_CTL_VA + SBM_CTL_TEST_MCE
	je	2f
	cmpq	$SBM_TEST_NMI_MCE_NMI, SBM_CTL_VA + SBM_CTL_TEST_MCE
	jne	4f
2:	int	$X86_TRAP_MC
SYM_INNER_LABEL(sbm_test_mce_nmi_ip, SYM_L_GLOBAL)
	ANNOTATE_NOENDBR
	/* A MOV leaves the flags alone. */
	cmpq	$SBM_TEST_NMI_MCE_NMI, SBM_CTL_VA + SBM_CTL_TEST_MCE
	movq	$0, SBM_CTL_VA + SBM_CTL_TEST_MCE
	jne	4f
	/* The earliest a second NMI can come: right after the #MC's IRET. */
	int	$X86_TRAP_NMI
4:
#endif
	iretq
3:	movq	$sbm_enter_abandon, (%rsp)
	iretq
.Lsbm_nmi_end:
SYM_CODE_END(sbm_vector_2)
_ASM_NOKPROBE(sbm_vector_2)
.endm

/*
 * An exception stub: from CPL 3 it leaves the sandbox with the vector and
 * error code pushed. At CPL 0 see sbm_kernel_vector_* below. NMIs have
 * their own (SBM_NMI_STUB).
 */
.macro SBM_EXCEPTION vector has_error_code
	.if \vector == X86_TRAP_NMI
	SBM_NMI_STUB
	.else
SYM_CODE_START_LOCAL(sbm_vector_\vector)
	UNWIND_HINT_IRET_ENTRY offset=\has_error_code*8
	ENDBR
	testb	$3, (8 + \has_error_code * 8)(%rsp)
	jz	sbm_kernel_vector_\vector
	.if \has_error_code == 0
	pushq	$0
	.endif
	pushq	$\vector
	jmp	sbm_exit
SYM_CODE_END(sbm_vector_\vector)
_ASM_NOKPROBE(sbm_vector_\vector)
	.endif
	.pushsection .rodata
	.quad	sbm_vector_\vector
	.popsection
.endm

/*
 * At CPL 0 the sandbox IDT is live only in the entry and exit paths and in
 * kernel handlers they forwarded to: the event goes to the kernel's own
 * entry point with the CPU's frame untouched. Machine checks first look at
 * which page tables are live (as the NMI stub does).
 */
.macro SBM_FORWARD vector has_error_code
	.if \vector != X86_TRAP_NMI
SYM_CODE_START_LOCAL(sbm_kernel_vector_\vector)
	UNWIND_HINT_IRET_ENTRY offset=\has_error_code*8
	.if \vector == X86_TRAP_MC
	jmp	sbm_mce_kernel
	.else
	ANNOTATE_RETPOLINE_SAFE
	jmp	*(sbm_kernel_entry + \vector * 8)(%rip)
	.endif
SYM_CODE_END(sbm_kernel_vector_\vector)
_ASM_NOKPROBE(sbm_kernel_vector_\vector)
	.endif
.endm

.macro SBM_ALL_EXCEPTIONS m
	\m 0 0
	\m 1 0
	\m 2 0
	\m 3 0
	\m 4 0
	\m 5 0
	\m 6 0
	\m 7 0
	\m 8 1
	\m 9 0
	\m 10 1
	\m 11 1
	\m 12 1
	\m 13 1
	\m 14 1
	\m 15 0
	\m 16 0
	\m 17 1
	\m 18 0
	\m 19 0
	\m 20 0
	\m 21 1
	\m 22 0
	\m 23 0
	\m 24 0
	\m 25 0
	\m 26 0
	\m 27 0
	\m 28 0
	\m 29 1
	\m 30 1
	\m 31 0
.endm

SBM_ALL_EXCEPTIONS SBM_EXCEPTION

	.pushsection .rodata
SYM_DATA_END(sbm_exception_stubs)
	.popsection

/*
 * Interrupt stubs, 16 bytes apart from vector 32 on. Interrupts are off
 * whenever the sandbox IDT is live at CPL 0, so these come from CPL 3.
 */
	.balign 16
SYM_CODE_START(sbm_irq_stubs)
	vector = 32
	.rept 256 - 32
	UNWIND_HINT_IRET_ENTRY
0:	ENDBR
	pushq	$0
	.byte	0x6a, vector
	jmp	sbm_exit
	.fill	0b + 16 - ., 1, 0xcc
	vector = vector + 1
	.endr
SYM_CODE_END(sbm_irq_stubs)
_ASM_NOKPROBE(sbm_irq_stubs)


/*
 * Entering the sandbox was interrupted by an NMI (see sbm_vector_2): leave
 * with the NMI as the event, the sandbox's registers as they were saved.
 */
SYM_CODE_START_LOCAL(sbm_enter_abandon)
	UNWIND_HINT_UNDEFINED
	ANNOTATE_NOENDBR
	movq	$2, SBM_CTL_VA + SBM_CTL_VECTOR
	jmp	sbm_exit_restore
SYM_CODE_END(sbm_enter_abandon)
_ASM_NOKPROBE(sbm_enter_abandon)

/*
 * Entering the sandbox was interrupted by a machine check (see
 * sbm_mce_kernel): leave with no event, for the C side to run the kernel's
 * handler and enter again.
 */
SYM_CODE_START_LOCAL(sbm_enter_abandon_mce)
	UNWIND_HINT_UNDEFINED
	ANNOTATE_NOENDBR
	movq	$SBM_VECTOR_REENTER, SBM_CTL_VA + SBM_CTL_VECTOR
	jmp	sbm_exit_restore
SYM_CODE_END(sbm_enter_abandon_mce)
_ASM_NOKPROBE(sbm_enter_abandon_mce)

/*
 * Leave the sandbox. On entry: vector, error code and the CPU's frame on
 * the stack the CPU picked, sandbox registers live, sandbox page tables.
 * At sbm_exit_frame: RAX saved in the scratch slot, vector and error code
 * in the control page, RAX pointing to the CPU's frame.
 */
SYM_CODE_START_LOCAL(sbm_exit)
	UNWIND_HINT_UNDEFINED
	movq	%rax, SBM_CTL_VA + SBM_CTL_SCRATCH
	movzbl	(%rsp), %eax
	movq	%rax, SBM_CTL_VA + SBM_CTL_VECTOR
	movq	8(%rsp), %rax
	movq	%rax, SBM_CTL_VA + SBM_CTL_ERROR
	leaq	16(%rsp), %rax
SYM_INNER_LABEL(sbm_exit_frame, SYM_L_LOCAL)
	ANNOTATE_NOENDBR
	UNWIND_HINT_UNDEFINED
#if SBM_TEST_MCE
	/*
	 * KUnit: leaving for an NMI from the sandbox, a machine check before
	 * the frame is read, and a second NMI right after its IRET.
	 */
	cmpq	$SBM_TEST_NMI_MCE_NMI_EXIT, SBM_CTL_VA + SBM_CTL_TEST_MCE
	jne	6f
	cmpq	$X86_TRAP_NMI, SBM_CTL_VA + SBM_CTL_VECTOR
	jne	6f
	movq	$0, SBM_CTL_VA + SBM_CTL_TEST_MCE
	int	$X86_TRAP_MC
SYM_INNER_LABEL(sbm_test_mce_nmi_exit_ip, SYM_L_GLOBAL)
	ANNOTATE_NOENDBR
	int	$X86_TRAP_NMI
6:
#endif
	/* Build struct pt_regs at the start of the control page. */
	movq	$(SBM_CTL_VA + SBM_PTREGS_SIZE), %rsp
	pushq	4*8(%rax)		/* ss */
	pushq	3*8(%rax)		/* sp */
	pushq	2*8(%rax)		/* flags */
	pushq	1*8(%rax)		/* cs */
	pushq	0*8(%rax)		/* ip */
	pushq	SBM_CTL_VA + SBM_CTL_ERROR	/* error code, as orig_ax */
	pushq	%rdi
	pushq	%rsi
	pushq	%rdx
	pushq	%rcx
	pushq	SBM_CTL_VA + SBM_CTL_SCRATCH	/* ax */
	pushq	%r8
	pushq	%r9
	pushq	%r10
	pushq	%r11
	pushq	%rbx
	pushq	%rbp
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
	movq	%cr2, %rax
	movq	%rax, SBM_CTL_VA + SBM_CTL_CR2
#if SBM_TEST_MCE
	/*
	 * KUnit: a machine check, or an NMI, in the exit path on the sandbox's
	 * tables; for two of the cases the stub it reaches raises the other.
	 */
	cmpq	$SBM_TEST_MCE_IN_NMI, SBM_CTL_VA + SBM_CTL_TEST_MCE
	je	0f
	cmpq	$SBM_TEST_NMI_MCE_NMI, SBM_CTL_VA + SBM_CTL_TEST_MCE
	jne	1f
0:	int	$X86_TRAP_NMI		/* whose stub clears it, raises INT 18 */
	jmp	3f
1:	cmpq	$SBM_TEST_NMI_IN_MCE, SBM_CTL_VA + SBM_CTL_TEST_MCE
	je	2f			/* whose stub clears it, raises INT 2 */
	cmpq	$SBM_TEST_MCE_EXIT, SBM_CTL_VA + SBM_CTL_TEST_MCE
	jne	3f
	movq	$0, SBM_CTL_VA + SBM_CTL_TEST_MCE
2:	int	$X86_TRAP_MC
SYM_INNER_LABEL(sbm_test_mce_exit_ip, SYM_L_GLOBAL)
	ANNOTATE_NOENDBR
3:
#endif

SYM_INNER_LABEL(sbm_exit_restore, SYM_L_LOCAL)
	ANNOTATE_NOENDBR

	/*
	 * The sandbox may have changed the GS base: no kernel code runs
	 * before it is the kernel's again. The GS selector is left to C, on
	 * the kernel's page tables, where its descriptor can be read.
	 */
	movl	$MSR_GS_BASE, %ecx
	movl	SBM_CTL_VA + SBM_CTL_KERNEL_GSBASE, %eax
	movl	SBM_CTL_VA + SBM_CTL_KERNEL_GSBASE + 4, %edx
	wrmsr

	movq	SBM_CTL_VA + SBM_CTL_KERNEL_CR3, %rax
	movq	SBM_CTL_VA + SBM_CTL_KERNEL_SP, %rsp
	movq	%rax, %cr3
	/* Back on the kernel stack, as __sbm_enter() left it: its IDT first. */
	lidt	(%rsp)
	addq	$16, %rsp
	/*
	 * No sandbox value is left in a register for kernel code to use, even
	 * speculatively, from here on: the mitigations below call and return.
	 * The callee-saved registers are popped from the kernel stack below.
	 */
	xorl	%eax, %eax
	xorl	%ecx, %ecx
	xorl	%edx, %edx
	xorl	%ebx, %ebx
	xorl	%ebp, %ebp
	xorl	%esi, %esi
	xorl	%edi, %edi
	xorl	%r8d, %r8d
	xorl	%r9d, %r9d
	xorl	%r10d, %r10d
	xorl	%r11d, %r11d
	xorl	%r12d, %r12d
	xorl	%r13d, %r13d
	xorl	%r14d, %r14d
	xorl	%r15d, %r15d
	/*
	 * Leaving the sandbox is entering the kernel from user mode: the
	 * kernel's entry mitigations, in the order its entry code applies
	 * them, before the first RET. The return stack buffer is full of the
	 * sandbox's return addresses, which are kernel text here, out of
	 * SMEP's reach: fill it wherever the kernel mitigates Spectre v2 by
	 * retpolines or IBRS (which fill it on context switches), and where
	 * enhanced or automatic IBRS leaves the RSB uncovered.
	 */
	IBRS_ENTER
	UNTRAIN_RET
	FILL_RETURN_BUFFER %rcx, RSB_CLEAR_LOOPS, X86_FEATURE_RSB_CTXSW
	FILL_RETURN_BUFFER %rcx, RSB_CLEAR_LOOPS, X86_FEATURE_IBRS_ENHANCED
	CLEAR_BRANCH_HISTORY
	popfq
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%rbx
	popq	%rbp
	UNWIND_HINT_FUNC
	RET
SYM_CODE_END(sbm_exit)
_ASM_NOKPROBE(sbm_exit)

/*
 * void __sbm_enter(struct sbm_ctl *ctl, unsigned long sandbox_cr3)
 *
 * @ctl is the control page's kernel address. Called with interrupts off;
 * returns, with interrupts still off, when the sandbox raised an event.
 */
SYM_CODE_START(__sbm_enter)
	UNWIND_HINT_FUNC
	ANNOTATE_NOENDBR
	pushq	%rbp
	movq	%rsp, %rbp
	pushq	%rbx
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
	pushfq
	subq	$16, %rsp
	sidt	(%rsp)
	movq	%rsp, SBM_CTL_KERNEL_SP(%rdi)
	/* As on a return to user mode, after the last RET. */
	IBRS_EXIT
	UNWIND_HINT_UNDEFINED
	lidt	sbm_idt_descr(%rip)
	movq	$SBM_CTL_VA, %rsp
	movq	%rsi, %cr3
SYM_INNER_LABEL(sbm_enter_sandbox_cr3, SYM_L_LOCAL)
	ANNOTATE_NOENDBR
	/* Kernel TLB entries may be global: drop those the sandbox maps differently. */
	movq	SBM_CTL_VA + SBM_CTL_NR_FLUSH, %rcx
	movq	$(SBM_CTL_VA + SBM_CTL_FLUSH), %rdx
	testq	%rcx, %rcx
	jz	2f
1:	movq	(%rdx), %rax
	invlpg	(%rax)
	addq	$8, %rdx
	decq	%rcx
	jnz	1b
2:
#if SBM_TEST_MCE
	/* KUnit: a machine check in the entry path, on the sandbox's tables. */
	cmpq	$SBM_TEST_MCE_ENTRY, SBM_CTL_VA + SBM_CTL_TEST_MCE
	jne	3f
	movq	$0, SBM_CTL_VA + SBM_CTL_TEST_MCE
	int	$X86_TRAP_MC
SYM_INNER_LABEL(sbm_test_mce_entry_ip, SYM_L_GLOBAL)
	ANNOTATE_NOENDBR
3:
#endif
	/* Neither the kernel's GS base nor the task's FS base is shown. */
	xorl	%eax, %eax
	xorl	%edx, %edx
	movl	$MSR_GS_BASE, %ecx
	wrmsr
	movl	$MSR_FS_BASE, %ecx
	wrmsr

	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%rbp
	popq	%rbx
	popq	%r11
	popq	%r10
	popq	%r9
	popq	%r8
	popq	%rax
	popq	%rcx
	popq	%rdx
	popq	%rsi
	popq	%rdi
	addq	$8, %rsp		/* orig_ax */
	/* After the last kernel data access, as on a return to user mode. */
	CLEAR_CPU_BUFFERS
	iretq
SYM_INNER_LABEL(sbm_enter_end, SYM_L_LOCAL)
	ANNOTATE_NOENDBR
	int3
SYM_CODE_END(__sbm_enter)
_ASM_NOKPROBE(__sbm_enter)

SBM_ALL_EXCEPTIONS SBM_FORWARD

/*
 * A machine check at CPL 0 under the sandbox IDT, on the kernel's #MC
 * stack. On the kernel's page tables its #MC entry takes it, frame as is.
 * On the sandbox's, where none of the kernel's handlers is mapped, the
 * interrupted RIP is recorded in the control page (through the stack: no
 * register is free; nothing lies below an #MC frame) and the interrupted
 * code goes on, or, in the entry path, gives up entering
 * (sbm_enter_abandon_mce): the C side then runs the kernel's handler for
 * kernel code at that RIP, on the kernel's page tables, a few
 * instructions later, with MCIP still set meanwhile. An NMI is not
 * blocked here unless this hit an NMI's stub or exit; one that arrives
 * before the IRET finds the sandbox page tables and is recorded too. If
 * this hit the NMI stub, the NMI's frame is moved out of the next NMI's
 * way first (into one slot: a second machine check before the C side
 * runs the handler would find MCIP set, and shut the machine down).
 */
SYM_CODE_START_LOCAL(sbm_mce_kernel)
	UNWIND_HINT_IRET_ENTRY
	SBM_IF_SANDBOX_TABLES 1f
	ANNOTATE_RETPOLINE_SAFE
	jmp	*(sbm_kernel_entry + X86_TRAP_MC * 8)(%rip)
1:	pushq	(%rsp)
	popq	SBM_CTL_VA + SBM_CTL_MCE_IP
#if SBM_TEST_MCE
	cmpq	$SBM_TEST_NMI_IN_MCE, SBM_CTL_VA + SBM_CTL_TEST_MCE
	jne	2f
	movq	$0, SBM_CTL_VA + SBM_CTL_TEST_MCE
	int	$X86_TRAP_NMI
2:
#endif
	SBM_IF_ENTRY_PATH 3f
	SBM_IF_NMI_STUB 4f
	iretq
3:	movq	$sbm_enter_abandon_mce, (%rsp)
	iretq
	/*
	 * The NMI stub was running: NMIs are blocked until its IRET, or for
	 * one from the sandbox until the kernel delivers it, but this IRET
	 * lets the next one in, onto the NMI stack, where the stub's frame
	 * is. Move the frame to the control page and the stub's stack with
	 * it: the stub goes on, on the copy, and returns through it (or, for
	 * an NMI from the sandbox, leaves with it).
	 */
4:	movq	%rax, SBM_CTL_VA + SBM_CTL_MCE_SCRATCH
	movq	3*8(%rsp), %rax
	.irp word, 0, 1, 2, 3, 4
	pushq	\word * 8(%rax)
	popq	SBM_CTL_VA + SBM_CTL_NMI_FRAME + \word * 8
	.endr
	movq	$(SBM_CTL_VA + SBM_CTL_NMI_FRAME), 3*8(%rsp)
	movq	SBM_CTL_VA + SBM_CTL_MCE_SCRATCH, %rax
	iretq
SYM_CODE_END(sbm_mce_kernel)
_ASM_NOKPROBE(sbm_mce_kernel)

	.balign PAGE_SIZE, 0xcc
	.popsection

/*
 * void sbm_run_irq_handler(unsigned long entry)
 *
 * Run the kernel's IDT entry point @entry as if the interrupt had hit
 * here: build the frame the CPU would have built, then call it; its IRET
 * comes back. Interrupts must be off.
 */
SYM_FUNC_START(sbm_run_irq_handler)
	pushq	%rbp
	movq	%rsp, %rbp
	andq	$-16, %rsp
	pushq	$__KERNEL_DS
	pushq	%rbp
	pushfq
	pushq	$__KERNEL_CS
	CALL_NOSPEC rdi
	leave
	RET
SYM_FUNC_END(sbm_run_irq_handler)
