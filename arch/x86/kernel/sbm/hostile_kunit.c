// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests of strong isolation on x86_64: hostile sandboxed functions.
 *
 * Each case runs a function that first writes its output buffer, as a
 * well-behaved function would, and then tries one way out of the sandbox.
 * The call must fail with the expected error and leave the instance
 * aborted; the kernel memory the function aimed at, the caller's output
 * buffer and the CPU state the kernel depends on must be intact; and a
 * fresh instance must work. A few cases change CPU state that CPL 3 code
 * may change: they must succeed, and the kernel must not see the change.
 */

#include <kunit/static_stub.h>
#include <kunit/test.h>
#include <linux/completion.h>
#include <linux/cpufeature.h>
#include <linux/delay.h>
#include <linux/kallsyms.h>
#include <linux/kprobes.h>
#include <linux/kthread.h>
#include <linux/limits.h>
#include <linux/moduleparam.h>
#include <linux/nmi.h>
#include <linux/objtool.h>
#include <linux/percpu.h>
#include <linux/prctl.h>
#include <linux/random.h>
#include <linux/sbm.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/sizes.h>
#include <linux/smp.h>
#include <linux/string.h>
#include <linux/timekeeping.h>
#include <linux/vmalloc.h>
#include <linux/workqueue.h>
#include <asm/apic.h>
#include <asm/debugreg.h>
#include <asm/desc.h>
#include <asm/io_bitmap.h>
#include <asm/mce.h>
#include <asm/msr-index.h>
#include <asm/processor-flags.h>
#include <asm/segment.h>
#include <asm/special_insns.h>
#include <asm/syscalls.h>
#include <asm/tlbflush.h>
#include <asm/trap_pf.h>
#include <asm/trapnr.h>

#include "sbm.h"

#define HOSTILE_LEN		64
#define HOSTILE_OUT_BYTE	0xaa
#define HOSTILE_CANARY		0x5b5b5b5b5b5b5b5bUL
/* Short, so that the runaway cases end quickly; ample for the others. */
#define HOSTILE_TIME_LIMIT_MS	100
/*
 * Expected from the alignment check case: -EFAULT, but QEMU's TCG does not
 * raise #AC, so a normal return is accepted there, checked for the rest,
 * and reported as skipped.
 */
#define HOSTILE_NO_AC		INT_MIN
/*
 * Expected: -EFAULT from a page fault with error code @pf (protection
 * violation or not-present page, write, user mode, instruction fetch) at
 * the target's address, so that a case aborted by anything else fails.
 */
#define HOSTILE_PF_BITS		(X86_PF_PROT | X86_PF_WRITE | X86_PF_USER | \
				 X86_PF_RSVD | X86_PF_INSTR | X86_PF_PK | \
				 X86_PF_SHSTK)
/* The error code bits are an enum with a 1U << 31 member: unsigned. */
#define HOSTILE_PF(pf)		(HOSTILE_NO_AC + 1 + (int)(pf))

/* Protections of the kernel that running a sandbox must leave on. */
#define HOSTILE_CR4_PROTECTIONS	(X86_CR4_SMEP | X86_CR4_SMAP | X86_CR4_UMIP)

/* What a case aims at: kernel memory of each kind, with a canary around. */
enum hostile_target {
	TARGET_NONE,
	TARGET_DATA,
	TARGET_BSS,
	TARGET_RODATA,
	TARGET_PERCPU,
	TARGET_STACK,
	TARGET_CALLER_OUT,
	TARGET_TEXT,
	TARGET_IDT,
	TARGET_GDT,
	TARGET_SBM_RODATA,
	TARGET_SBM_RET,
	TARGET_BEFORE_SBM_RODATA,
	TARGET_AFTER_SBM_RODATA,
};

static unsigned long hostile_data[3] = {
	HOSTILE_CANARY, HOSTILE_CANARY, HOSTILE_CANARY
};

static unsigned long hostile_bss[3];

static const unsigned long hostile_rodata[3] = {
	HOSTILE_CANARY, HOSTILE_CANARY, HOSTILE_CANARY
};

/* Constants of sandboxed code: mapped, for reading only. */
static const unsigned long hostile_sbm_rodata[3] __sbm_rodata = {
	HOSTILE_CANARY, HOSTILE_CANARY, HOSTILE_CANARY
};

/* A RET instruction among them, which no sandbox may execute. */
static const u8 hostile_sbm_ret[1] __sbm_rodata = { 0xc3 };

static DEFINE_PER_CPU(unsigned long [3], hostile_percpu);

/* The function every case's sandboxed function would like to call. */
static noinline void hostile_kernel_function(void)
{
	hostile_data[1]++;
}

typedef int (*hostile_call)(struct sbm *sbm, const u8 *in, u8 *out,
			    unsigned long arg);

static void hostile_fill(unsigned long *canary)
{
	canary[0] = HOSTILE_CANARY;
	canary[1] = HOSTILE_CANARY;
	canary[2] = HOSTILE_CANARY;
}

static void hostile_expect_canary(struct kunit *test, const char *what,
				  const unsigned long *canary)
{
	int i;

	for (i = 0; i < 3; i++)
		KUNIT_EXPECT_EQ_MSG(test, READ_ONCE(canary[i]), HOSTILE_CANARY,
				    "%s[%d]", what, i);
}

static SBM_DEFINE_FUNC(benign, const u8 *, in, u8 *, out, unsigned long, arg)
{
	out[0] = in[0] + arg;
	return 7;
}

/* A fresh instance still works after an abort. */
static void hostile_expect_fresh_works(struct kunit *test)
{
	u8 in = 40, out = 0;
	struct sbm sbm;

	KUNIT_ASSERT_EQ(test, sbm_init(&sbm), 0);
	KUNIT_EXPECT_EQ(test, sbm_call(&sbm, benign, SBM_COPY_IN(&sbm, &in, 1),
				       SBM_COPY_OUT(&sbm, &out, 1), 2UL), 7);
	KUNIT_EXPECT_EQ(test, out, 42);
	sbm_destroy(&sbm);
}

static void hostile_expect_fault(struct kunit *test, struct sbm *sbm,
				 unsigned long pf, unsigned long addr)
{
	const struct sbm_ctl *ctl = ((struct x86_sbm *)sbm->private)->ctl;

	KUNIT_EXPECT_EQ(test, ctl->vector, X86_TRAP_PF);
	KUNIT_EXPECT_EQ(test, ctl->regs.orig_ax & HOSTILE_PF_BITS, pf);
	KUNIT_EXPECT_EQ(test, ctl->cr2, addr);
}

static void hostile_run(struct kunit *test, hostile_call call, int want,
			enum hostile_target target)
{
	unsigned long stack_canary[3], *percpu, arg = 0;
	struct desc_ptr dt;
	struct sbm sbm;
	u8 *in, *out;
	bool no_ac = false;
	unsigned long cr4;
	u32 pkru = 0;
	int cpu, i, ret, pf = -1;

	if (want > HOSTILE_NO_AC && want <= HOSTILE_PF(HOSTILE_PF_BITS)) {
		pf = want - HOSTILE_PF(0);
		want = -EFAULT;
	}
	if (sbm_level() != SBM_LEVEL_STRONG)
		kunit_skip(test, "needs strong isolation");

	in = kunit_kmalloc(test, HOSTILE_LEN, GFP_KERNEL);
	out = kunit_kmalloc(test, HOSTILE_LEN, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, in);
	KUNIT_ASSERT_NOT_NULL(test, out);
	for (i = 0; i < HOSTILE_LEN; i++)
		in[i] = i;
	memset(out, HOSTILE_OUT_BYTE, HOSTILE_LEN);

	hostile_fill(hostile_data);
	hostile_fill(hostile_bss);
	hostile_fill(stack_canary);
	cpu = get_cpu();
	percpu = per_cpu_ptr(hostile_percpu, cpu);
	put_cpu();
	hostile_fill(percpu);

	switch (target) {
	case TARGET_NONE:
		break;
	case TARGET_DATA:
		arg = (unsigned long)&hostile_data[1];
		break;
	case TARGET_BSS:
		arg = (unsigned long)&hostile_bss[1];
		break;
	case TARGET_RODATA:
		arg = (unsigned long)&hostile_rodata[1];
		break;
	case TARGET_PERCPU:
		arg = (unsigned long)&percpu[1];
		break;
	case TARGET_STACK:
		arg = (unsigned long)&stack_canary[1];
		break;
	case TARGET_CALLER_OUT:
		arg = (unsigned long)out;
		break;
	case TARGET_TEXT:
		arg = (unsigned long)hostile_kernel_function;
		break;
	case TARGET_IDT:
		store_idt(&dt);
		arg = dt.address;
		break;
	case TARGET_GDT:
		native_store_gdt(&dt);
		arg = dt.address;
		break;
	case TARGET_SBM_RODATA:
		arg = (unsigned long)&hostile_sbm_rodata[1];
		break;
	case TARGET_SBM_RET:
		arg = (unsigned long)hostile_sbm_ret;
		break;
	case TARGET_BEFORE_SBM_RODATA:
		arg = (unsigned long)__sbm_rodata_start - 1;
		break;
	case TARGET_AFTER_SBM_RODATA:
		arg = (unsigned long)__sbm_rodata_end;
		break;
	}

	if (cpu_feature_enabled(X86_FEATURE_OSPKE))
		pkru = rdpkru();
	cr4 = native_read_cr4() & HOSTILE_CR4_PROTECTIONS;

	KUNIT_ASSERT_EQ(test, sbm_init(&sbm), 0);
	KUNIT_ASSERT_EQ(test, sbm_set_time_limit(&sbm, HOSTILE_TIME_LIMIT_MS), 0);
	ret = call(&sbm, in, out, arg);
	if (want == HOSTILE_NO_AC) {
		/* A normal return is checked below, then marked skipped. */
		no_ac = ret == 0;
		want = no_ac ? 0 : -EFAULT;
	}
	KUNIT_EXPECT_EQ(test, ret, want);
	if (want < 0) {
		KUNIT_EXPECT_EQ(test, sbm_error(&sbm), want);
		KUNIT_EXPECT_EQ(test, out[0], HOSTILE_OUT_BYTE);
		KUNIT_EXPECT_EQ(test, out[HOSTILE_LEN - 1], HOSTILE_OUT_BYTE);
		if (pf >= 0)
			hostile_expect_fault(test, &sbm, pf, arg);
	} else {
		/* Allowed at CPL 3: the call succeeds and its output lands. */
		KUNIT_EXPECT_EQ(test, sbm_error(&sbm), 0);
		KUNIT_EXPECT_EQ(test, out[0], 0x55);
	}
	sbm_destroy(&sbm);

	hostile_expect_canary(test, "data", hostile_data);
	hostile_expect_canary(test, "bss", hostile_bss);
	hostile_expect_canary(test, "rodata", hostile_rodata);
	hostile_expect_canary(test, "sbm_rodata", hostile_sbm_rodata);
	hostile_expect_canary(test, "percpu", percpu);
	hostile_expect_canary(test, "stack", stack_canary);

	/* What CPL 3 code can change, and the kernel or the task relies on. */
	preempt_disable();
	KUNIT_EXPECT_EQ(test, native_read_msr(MSR_GS_BASE),
			(u64)per_cpu_offset(smp_processor_id()));
	preempt_enable();
	if (cpu_feature_enabled(X86_FEATURE_OSPKE))
		KUNIT_EXPECT_EQ(test, rdpkru(), pkru);
	KUNIT_EXPECT_FALSE(test, native_save_fl() & X86_EFLAGS_AC);
	KUNIT_EXPECT_EQ(test, native_read_cr4() & HOSTILE_CR4_PROTECTIONS, cr4);

	hostile_expect_fresh_works(test);
	if (no_ac)
		kunit_mark_skipped(test, "the CPU does not check alignment at CPL 3 (QEMU TCG)");
}

/* What every hostile function does first, as a well-behaved one would. */
static __always_inline void hostile_begin(u8 *out)
{
	WRITE_ONCE(out[0], 0x55);
}

/* HOSTILE_TEST() - the test case of hostile function @name. */
#define HOSTILE_TEST(name, want, target)				\
static int name##_call(struct sbm *sbm, const u8 *in, u8 *out,		\
		       unsigned long arg)				\
{									\
	return sbm_call(sbm, name, SBM_COPY_IN(sbm, in, HOSTILE_LEN),	\
			SBM_COPY_OUT(sbm, out, HOSTILE_LEN), arg);	\
}									\
static void sbm_test_##name(struct kunit *test)			\
{									\
	hostile_run(test, name##_call, want, target);			\
}

/* Memory next to the buffers, and kernel memory of every kind. */
static SBM_DEFINE_FUNC(write_past_output, const u8 *, in, u8 *, out, unsigned long, arg)
{
	hostile_begin(out);
	WRITE_ONCE(out[PAGE_SIZE], 1);
	return 0;
}

HOSTILE_TEST(write_past_output, -EFAULT, TARGET_NONE)

static SBM_DEFINE_FUNC(write_before_output, const u8 *, in, u8 *, out, unsigned long, arg)
{
	hostile_begin(out);
	WRITE_ONCE(out[-1], 1);
	return 0;
}

HOSTILE_TEST(write_before_output, -EFAULT, TARGET_NONE)

static SBM_DEFINE_FUNC(read_past_input, const u8 *, in, u8 *, out, unsigned long, arg)
{
	hostile_begin(out);
	out[1] = READ_ONCE(in[PAGE_SIZE]);
	return 0;
}

HOSTILE_TEST(read_past_input, -EFAULT, TARGET_NONE)

static SBM_DEFINE_FUNC(read_before_input, const u8 *, in, u8 *, out, unsigned long, arg)
{
	hostile_begin(out);
	out[1] = READ_ONCE(in[-1]);
	return 0;
}

HOSTILE_TEST(read_before_input, -EFAULT, TARGET_NONE)

static SBM_DEFINE_FUNC(write_input, const u8 *, in, u8 *, out, unsigned long, arg)
{
	hostile_begin(out);
	WRITE_ONCE(*(u8 *)in, 1);
	return 0;
}

HOSTILE_TEST(write_input, -EFAULT, TARGET_NONE)

static SBM_DEFINE_FUNC(read_kernel_data, const u8 *, in, u8 *, out, unsigned long, arg)
{
	hostile_begin(out);
	out[1] = READ_ONCE(*(u8 *)arg);
	return 0;
}

HOSTILE_TEST(read_kernel_data, -EFAULT, TARGET_DATA)

static SBM_DEFINE_FUNC(write_kernel_data, const u8 *, in, u8 *, out, unsigned long, arg)
{
	hostile_begin(out);
	WRITE_ONCE(*(unsigned long *)arg, 0);
	return 0;
}

HOSTILE_TEST(write_kernel_data, -EFAULT, TARGET_DATA)

static SBM_DEFINE_FUNC(read_kernel_bss, const u8 *, in, u8 *, out, unsigned long, arg)
{
	hostile_begin(out);
	out[1] = READ_ONCE(*(u8 *)arg);
	return 0;
}

HOSTILE_TEST(read_kernel_bss, -EFAULT, TARGET_BSS)

static SBM_DEFINE_FUNC(write_kernel_bss, const u8 *, in, u8 *, out, unsigned long, arg)
{
	hostile_begin(out);
	WRITE_ONCE(*(unsigned long *)arg, 0);
	return 0;
}

HOSTILE_TEST(write_kernel_bss, -EFAULT, TARGET_BSS)

static SBM_DEFINE_FUNC(read_kernel_rodata, const u8 *, in, u8 *, out, unsigned long, arg)
{
	hostile_begin(out);
	out[1] = READ_ONCE(*(u8 *)arg);
	return 0;
}

/* Nothing of the kernel's .rodata is mapped: not-present faults. */
HOSTILE_TEST(read_kernel_rodata, HOSTILE_PF(X86_PF_USER), TARGET_RODATA)

/* Sandboxed code's own constants (.sbm.rodata) and nothing around them. */
static SBM_DEFINE_FUNC(read_sbm_rodata, const u8 *, in, u8 *, out, unsigned long, arg)
{
	hostile_begin(out);
	out[1] = READ_ONCE(*(u8 *)arg);
	return 0;
}

HOSTILE_TEST(read_sbm_rodata, 0, TARGET_SBM_RODATA)

static SBM_DEFINE_FUNC(read_before_sbm_rodata, const u8 *, in, u8 *, out, unsigned long, arg)
{
	hostile_begin(out);
	out[1] = READ_ONCE(*(u8 *)arg);
	return 0;
}

HOSTILE_TEST(read_before_sbm_rodata, HOSTILE_PF(X86_PF_USER),
	     TARGET_BEFORE_SBM_RODATA)

static SBM_DEFINE_FUNC(read_after_sbm_rodata, const u8 *, in, u8 *, out, unsigned long, arg)
{
	hostile_begin(out);
	out[1] = READ_ONCE(*(u8 *)arg);
	return 0;
}

HOSTILE_TEST(read_after_sbm_rodata, HOSTILE_PF(X86_PF_USER),
	     TARGET_AFTER_SBM_RODATA)

static SBM_DEFINE_FUNC(write_sbm_rodata, const u8 *, in, u8 *, out, unsigned long, arg)
{
	hostile_begin(out);
	WRITE_ONCE(*(unsigned long *)arg, 0);
	return 0;
}

/* Mapped, user-readable: a write is a protection fault. */
HOSTILE_TEST(write_sbm_rodata,
	     HOSTILE_PF(X86_PF_PROT | X86_PF_WRITE | X86_PF_USER),
	     TARGET_SBM_RODATA)

static SBM_DEFINE_FUNC(execute_sbm_rodata, const u8 *, in, u8 *, out, unsigned long, arg)
{
	hostile_begin(out);
	asm volatile(ANNOTATE_RETPOLINE_SAFE "\n\tcall *%0" :: "r"(arg) : "memory");
	return 0;
}

/* Mapped, not executable (NX): a fetch is a protection fault. */
HOSTILE_TEST(execute_sbm_rodata,
	     HOSTILE_PF(X86_PF_PROT | X86_PF_USER | X86_PF_INSTR),
	     TARGET_SBM_RET)

static SBM_DEFINE_FUNC(read_percpu, const u8 *, in, u8 *, out, unsigned long, arg)
{
	hostile_begin(out);
	out[1] = READ_ONCE(*(u8 *)arg);
	return 0;
}

HOSTILE_TEST(read_percpu, -EFAULT, TARGET_PERCPU)

static SBM_DEFINE_FUNC(write_percpu, const u8 *, in, u8 *, out, unsigned long, arg)
{
	hostile_begin(out);
	WRITE_ONCE(*(unsigned long *)arg, 0);
	return 0;
}

HOSTILE_TEST(write_percpu, -EFAULT, TARGET_PERCPU)

static SBM_DEFINE_FUNC(read_caller_stack, const u8 *, in, u8 *, out, unsigned long, arg)
{
	hostile_begin(out);
	out[1] = READ_ONCE(*(u8 *)arg);
	return 0;
}

HOSTILE_TEST(read_caller_stack, -EFAULT, TARGET_STACK)

static SBM_DEFINE_FUNC(write_caller_stack, const u8 *, in, u8 *, out, unsigned long, arg)
{
	hostile_begin(out);
	WRITE_ONCE(*(unsigned long *)arg, 0);
	return 0;
}

HOSTILE_TEST(write_caller_stack, -EFAULT, TARGET_STACK)

static SBM_DEFINE_FUNC(write_caller_buffer, const u8 *, in, u8 *, out, unsigned long, arg)
{
	hostile_begin(out);
	WRITE_ONCE(*(u8 *)arg, 0x55);
	return 0;
}

HOSTILE_TEST(write_caller_buffer, -EFAULT, TARGET_CALLER_OUT)

static SBM_DEFINE_FUNC(read_idt, const u8 *, in, u8 *, out, unsigned long, arg)
{
	hostile_begin(out);
	out[1] = READ_ONCE(*(u8 *)arg);
	return 0;
}

HOSTILE_TEST(read_idt, -EFAULT, TARGET_IDT)

static SBM_DEFINE_FUNC(read_gdt, const u8 *, in, u8 *, out, unsigned long, arg)
{
	hostile_begin(out);
	out[1] = READ_ONCE(*(u8 *)arg);
	return 0;
}

HOSTILE_TEST(read_gdt, -EFAULT, TARGET_GDT)

static SBM_DEFINE_FUNC(read_user_address, const u8 *, in, u8 *, out, unsigned long, arg)
{
	hostile_begin(out);
	out[1] = READ_ONCE(*(u8 *)0x7fff00000000UL);
	return 0;
}

HOSTILE_TEST(read_user_address, -EFAULT, TARGET_NONE)

static SBM_DEFINE_FUNC(read_noncanonical, const u8 *, in, u8 *, out, unsigned long, arg)
{
	hostile_begin(out);
	out[1] = READ_ONCE(*(u8 *)0x8000000000000000UL);
	return 0;
}

HOSTILE_TEST(read_noncanonical, -EFAULT, TARGET_NONE)

static SBM_DEFINE_FUNC(write_null, const u8 *, in, u8 *, out, unsigned long, arg)
{
	hostile_begin(out);
	WRITE_ONCE(*(u8 *)NULL, 1);
	return 0;
}

HOSTILE_TEST(write_null, -EFAULT, TARGET_NONE)

/*
 * Executing anything but the sandboxed code. The calls are raw indirect
 * calls, not through a retpoline thunk (which no sandbox maps): the call
 * itself is what must fault.
 */
static SBM_DEFINE_FUNC(execute_input, const u8 *, in, u8 *, out, unsigned long, arg)
{
	hostile_begin(out);
	asm volatile(ANNOTATE_RETPOLINE_SAFE "\n\tcall *%0" :: "r"(in) : "memory");
	return 0;
}

HOSTILE_TEST(execute_input, -EFAULT, TARGET_NONE)

static SBM_DEFINE_FUNC(execute_kernel_text, const u8 *, in, u8 *, out, unsigned long, arg)
{
	hostile_begin(out);
	asm volatile(ANNOTATE_RETPOLINE_SAFE "\n\tcall *%0" :: "r"(arg) : "memory");
	return 0;
}

HOSTILE_TEST(execute_kernel_text, -EFAULT, TARGET_TEXT)

static SBM_DEFINE_FUNC(call_user_address, const u8 *, in, u8 *, out, unsigned long, arg)
{
	hostile_begin(out);
	asm volatile(ANNOTATE_RETPOLINE_SAFE "\n\tcall *%0" :: "r"(0x7fff00000000UL) : "memory");
	return 0;
}

HOSTILE_TEST(call_user_address, -EFAULT, TARGET_NONE)

static SBM_DEFINE_FUNC(write_own_code, const u8 *, in, u8 *, out, unsigned long, arg)
{
	hostile_begin(out);
	asm volatile("leaq 0(%%rip), %%rax; movb $0xcc, (%%rax)" ::: "memory", "rax");
	return 0;
}

HOSTILE_TEST(write_own_code, -EFAULT, TARGET_NONE)

/* Privileged and sensitive instructions. */
static SBM_DEFINE_FUNC(cli, const u8 *, in, u8 *, out, unsigned long, arg)
{
	hostile_begin(out);
	asm volatile("cli" ::: "memory");
	return 0;
}

HOSTILE_TEST(cli, -EFAULT, TARGET_NONE)

static SBM_DEFINE_FUNC(sti, const u8 *, in, u8 *, out, unsigned long, arg)
{
	hostile_begin(out);
	asm volatile("sti" ::: "memory");
	return 0;
}

HOSTILE_TEST(sti, -EFAULT, TARGET_NONE)

static SBM_DEFINE_FUNC(hlt, const u8 *, in, u8 *, out, unsigned long, arg)
{
	hostile_begin(out);
	asm volatile("hlt" ::: "memory");
	return 0;
}

HOSTILE_TEST(hlt, -EFAULT, TARGET_NONE)

static SBM_DEFINE_FUNC(in_port, const u8 *, in, u8 *, out, unsigned long, arg)
{
	hostile_begin(out);
	asm volatile("inb $0x80, %%al" ::: "memory", "rax");
	return 0;
}

HOSTILE_TEST(in_port, -EFAULT, TARGET_NONE)

static SBM_DEFINE_FUNC(out_port, const u8 *, in, u8 *, out, unsigned long, arg)
{
	hostile_begin(out);
	asm volatile("outb %%al, $0x80" ::: "memory");
	return 0;
}

HOSTILE_TEST(out_port, -EFAULT, TARGET_NONE)

static SBM_DEFINE_FUNC(rdmsr, const u8 *, in, u8 *, out, unsigned long, arg)
{
	hostile_begin(out);
	asm volatile("rdmsr" :: "c"(MSR_EFER) : "rax", "rdx");
	return 0;
}

HOSTILE_TEST(rdmsr, -EFAULT, TARGET_NONE)

static SBM_DEFINE_FUNC(wrmsr, const u8 *, in, u8 *, out, unsigned long, arg)
{
	hostile_begin(out);
	asm volatile("wrmsr" :: "c"(MSR_LSTAR), "a"(0), "d"(0));
	return 0;
}

HOSTILE_TEST(wrmsr, -EFAULT, TARGET_NONE)

static SBM_DEFINE_FUNC(read_cr3, const u8 *, in, u8 *, out, unsigned long, arg)
{
	hostile_begin(out);
	asm volatile("mov %%cr3, %%rax" ::: "memory", "rax");
	return 0;
}

HOSTILE_TEST(read_cr3, -EFAULT, TARGET_NONE)

static SBM_DEFINE_FUNC(write_cr4, const u8 *, in, u8 *, out, unsigned long, arg)
{
	hostile_begin(out);
	asm volatile("mov %0, %%cr4" :: "r"(0UL));
	return 0;
}

HOSTILE_TEST(write_cr4, -EFAULT, TARGET_NONE)

static SBM_DEFINE_FUNC(write_dr7, const u8 *, in, u8 *, out, unsigned long, arg)
{
	hostile_begin(out);
	asm volatile("mov %0, %%dr7" :: "r"(0x3ffUL));
	return 0;
}

HOSTILE_TEST(write_dr7, -EFAULT, TARGET_NONE)

static SBM_DEFINE_FUNC(lgdt, const u8 *, in, u8 *, out, unsigned long, arg)
{
	hostile_begin(out);
	asm volatile("lgdt (%0)" :: "r"(in) : "memory");
	return 0;
}

HOSTILE_TEST(lgdt, -EFAULT, TARGET_NONE)

static SBM_DEFINE_FUNC(lidt, const u8 *, in, u8 *, out, unsigned long, arg)
{
	hostile_begin(out);
	asm volatile("lidt (%0)" :: "r"(in) : "memory");
	return 0;
}

HOSTILE_TEST(lidt, -EFAULT, TARGET_NONE)

static SBM_DEFINE_FUNC(ltr, const u8 *, in, u8 *, out, unsigned long, arg)
{
	hostile_begin(out);
	asm volatile("ltr %w0" :: "r"(GDT_ENTRY_TSS * 8));
	return 0;
}

HOSTILE_TEST(ltr, -EFAULT, TARGET_NONE)

static SBM_DEFINE_FUNC(sgdt_with_umip, const u8 *, in, u8 *, out, unsigned long, arg)
{
	hostile_begin(out);
	asm volatile("sgdt (%0)" :: "r"(out) : "memory");
	return 0;
}

HOSTILE_TEST(sgdt_with_umip, -EFAULT, TARGET_NONE)

static SBM_DEFINE_FUNC(invlpg, const u8 *, in, u8 *, out, unsigned long, arg)
{
	hostile_begin(out);
	asm volatile("invlpg (%0)" :: "r"(in) : "memory");
	return 0;
}

HOSTILE_TEST(invlpg, -EFAULT, TARGET_NONE)

static SBM_DEFINE_FUNC(wbinvd, const u8 *, in, u8 *, out, unsigned long, arg)
{
	hostile_begin(out);
	asm volatile("wbinvd" ::: "memory");
	return 0;
}

HOSTILE_TEST(wbinvd, -EFAULT, TARGET_NONE)

static SBM_DEFINE_FUNC(swapgs, const u8 *, in, u8 *, out, unsigned long, arg)
{
	hostile_begin(out);
	asm volatile("swapgs" ::: "memory");
	return 0;
}

HOSTILE_TEST(swapgs, -EFAULT, TARGET_NONE)

static SBM_DEFINE_FUNC(sysret, const u8 *, in, u8 *, out, unsigned long, arg)
{
	hostile_begin(out);
	asm volatile("sysretq" ::: "memory", "rcx", "r11");
	return 0;
}

HOSTILE_TEST(sysret, -EFAULT, TARGET_NONE)

/* objtool does not model what never returns to the sandbox. */
STACK_FRAME_NON_STANDARD(__sbm_fn_sysret);
/* An IRET frame that would land at CPL 0, on the kernel's segments. */
static __always_inline void hostile_iret_to_kernel_cs(void)
{
	asm volatile("movq %%rsp, %%rax\n\t"
		     "pushq %0\n\t"
		     "pushq %%rax\n\t"
		     "pushfq\n\t"
		     "pushq %1\n\t"
		     "leaq 1f(%%rip), %%rax\n\t"
		     "pushq %%rax\n\t"
		     "iretq\n"
		     "1:"
		     :: "i"(__KERNEL_DS), "i"(__KERNEL_CS) : "rax", "memory");
}

static SBM_DEFINE_FUNC(iret_to_kernel_cs, const u8 *, in, u8 *, out, unsigned long, arg)
{
	hostile_begin(out);
	hostile_iret_to_kernel_cs();
	return 0;
}

HOSTILE_TEST(iret_to_kernel_cs, -EFAULT, TARGET_NONE)

/* POPF cannot raise IOPL: the CLI after it still faults. */
static SBM_DEFINE_FUNC(popf_iopl_then_cli, const u8 *, in, u8 *, out, unsigned long, arg)
{
	hostile_begin(out);
	asm volatile("pushfq; orq $0x3000, (%%rsp); popfq; cli" ::: "memory", "cc");
	return 0;
}

HOSTILE_TEST(popf_iopl_then_cli, -EFAULT, TARGET_NONE)

/* POPF cannot clear IF: the timer still stops the loop. */
static SBM_DEFINE_FUNC(popf_clear_if_then_loop, const u8 *, in, u8 *, out, unsigned long, arg)
{
	hostile_begin(out);
	asm volatile("pushfq; andq $~0x200, (%%rsp); popfq; 1: jmp 1b" ::: "memory", "cc");
	return 0;
}

HOSTILE_TEST(popf_clear_if_then_loop, -ETIME, TARGET_NONE)

/* objtool: the loop never ends, so the return after it is unreachable. */
STACK_FRAME_NON_STANDARD(__sbm_fn_popf_clear_if_then_loop);

/* Ways into the kernel's system-call and interrupt handlers. */
static SBM_DEFINE_FUNC(syscall, const u8 *, in, u8 *, out, unsigned long, arg)
{
	hostile_begin(out);
	asm volatile("syscall" :: "a"(39) : "rcx", "r11", "memory");
	return 0;
}

HOSTILE_TEST(syscall, -EFAULT, TARGET_NONE)

/* objtool does not model what never returns to the sandbox. */
STACK_FRAME_NON_STANDARD(__sbm_fn_syscall);
static SBM_DEFINE_FUNC(sysenter, const u8 *, in, u8 *, out, unsigned long, arg)
{
	hostile_begin(out);
	asm volatile("sysenter" :: "a"(20) : "rcx", "r11", "memory");
	return 0;
}

HOSTILE_TEST(sysenter, -EFAULT, TARGET_NONE)

/* objtool does not model what never returns to the sandbox. */
STACK_FRAME_NON_STANDARD(__sbm_fn_sysenter);
static SBM_DEFINE_FUNC(int80, const u8 *, in, u8 *, out, unsigned long, arg)
{
	hostile_begin(out);
	asm volatile("int $0x80" :: "a"(20) : "memory");
	return 0;
}

HOSTILE_TEST(int80, -EFAULT, TARGET_NONE)

static SBM_DEFINE_FUNC(int3, const u8 *, in, u8 *, out, unsigned long, arg)
{
	hostile_begin(out);
	asm volatile("int3" ::: "memory");
	return 0;
}

HOSTILE_TEST(int3, -EFAULT, TARGET_NONE)

static SBM_DEFINE_FUNC(int_n, const u8 *, in, u8 *, out, unsigned long, arg)
{
	hostile_begin(out);
	asm volatile("int $0xf0" ::: "memory");
	return 0;
}

HOSTILE_TEST(int_n, -EFAULT, TARGET_NONE)

static SBM_DEFINE_FUNC(icebp, const u8 *, in, u8 *, out, unsigned long, arg)
{
	hostile_begin(out);
	asm volatile(".byte 0xf1" ::: "memory");
	return 0;
}

HOSTILE_TEST(icebp, -EFAULT, TARGET_NONE)

static SBM_DEFINE_FUNC(mov_ss_then_syscall, const u8 *, in, u8 *, out, unsigned long, arg)
{
	hostile_begin(out);
	asm volatile("mov %%ss, %%eax; mov %%eax, %%ss; syscall" ::: "memory", "rax", "rcx", "r11");
	return 0;
}

HOSTILE_TEST(mov_ss_then_syscall, -EFAULT, TARGET_NONE)

/* objtool does not model what never returns to the sandbox. */
STACK_FRAME_NON_STANDARD(__sbm_fn_mov_ss_then_syscall);

/* Exceptions of every kind. */
static SBM_DEFINE_FUNC(ud2, const u8 *, in, u8 *, out, unsigned long, arg)
{
	hostile_begin(out);
	asm volatile("ud2" ::: "memory");
	return 0;
}

HOSTILE_TEST(ud2, -EFAULT, TARGET_NONE)

/* objtool: UD2 does not return, so the return after it is unreachable. */
STACK_FRAME_NON_STANDARD(__sbm_fn_ud2);
static SBM_DEFINE_FUNC(divide_by_zero, const u8 *, in, u8 *, out, unsigned long, arg)
{
	hostile_begin(out);
	asm volatile("xorl %%ecx, %%ecx; divl %%ecx" ::: "memory", "rax", "rcx", "rdx");
	return 0;
}

HOSTILE_TEST(divide_by_zero, -EFAULT, TARGET_NONE)

/* INTO and BOUND do not exist in 64-bit mode: their opcodes are #UD. */
static SBM_DEFINE_FUNC(into, const u8 *, in, u8 *, out, unsigned long, arg)
{
	hostile_begin(out);
	asm volatile(".byte 0xce" ::: "memory");
	return 0;
}

HOSTILE_TEST(into, -EFAULT, TARGET_NONE)

static SBM_DEFINE_FUNC(alignment_check, const u8 *, in, u8 *, out, unsigned long, arg)
{
	hostile_begin(out);
	asm volatile("pushfq; orq $0x40000, (%%rsp); popfq; movl 1(%0), %%eax"
		     :: "r"(in) : "rax", "memory", "cc");
	return 0;
}

HOSTILE_TEST(alignment_check, HOSTILE_NO_AC, TARGET_NONE)

static SBM_DEFINE_FUNC(single_step, const u8 *, in, u8 *, out, unsigned long, arg)
{
	hostile_begin(out);
	asm volatile("pushfq; orq $0x100, (%%rsp); popfq; nop; nop" ::: "memory", "cc");
	return 0;
}

HOSTILE_TEST(single_step, -EFAULT, TARGET_NONE)

static SBM_DEFINE_FUNC(x87, const u8 *, in, u8 *, out, unsigned long, arg)
{
	hostile_begin(out);
	asm volatile("fninit" ::: "memory");
	return 0;
}

HOSTILE_TEST(x87, -EFAULT, TARGET_NONE)

static SBM_DEFINE_FUNC(sse, const u8 *, in, u8 *, out, unsigned long, arg)
{
	hostile_begin(out);
	asm volatile("xorps %%xmm0, %%xmm0" ::: "memory");
	return 0;
}

HOSTILE_TEST(sse, -EFAULT, TARGET_NONE)

static SBM_DEFINE_FUNC(kernel_data_segment, const u8 *, in, u8 *, out, unsigned long, arg)
{
	hostile_begin(out);
	asm volatile("mov %0, %%ds" :: "r"(__KERNEL_DS));
	return 0;
}

HOSTILE_TEST(kernel_data_segment, -EFAULT, TARGET_NONE)

static SBM_DEFINE_FUNC(ldt_segment, const u8 *, in, u8 *, out, unsigned long, arg)
{
	hostile_begin(out);
	asm volatile("mov %0, %%fs" :: "r"(0x7));
	return 0;
}

HOSTILE_TEST(ldt_segment, -EFAULT, TARGET_NONE)

/* The stack, and running for ever. */
static SBM_DEFINE_FUNC(stack_overflow, const u8 *, in, u8 *, out, unsigned long, arg)
{
	hostile_begin(out);
	asm volatile("subq $0x8000, %%rsp; pushq $0; addq $0x8008, %%rsp" ::: "memory");
	return 0;
}

HOSTILE_TEST(stack_overflow, -EFAULT, TARGET_NONE)

static SBM_DEFINE_FUNC(stack_underflow, const u8 *, in, u8 *, out, unsigned long, arg)
{
	hostile_begin(out);
	asm volatile("addq $0x1000, %%rsp; popq %%rax; subq $0x1008, %%rsp" ::: "memory", "rax");
	return 0;
}

HOSTILE_TEST(stack_underflow, -EFAULT, TARGET_NONE)

static __sbm_text __no_stack_protector int hostile_recurse(const u8 *frame,
							    unsigned long depth)
{
	u8 pad[64];

	pad[0] = depth;
	pad[1] = frame[0];
	/* Keep the frame: no tail call, no loop. */
	barrier_data(pad);
	if (!depth)
		return pad[0];
	return hostile_recurse(pad, depth - 1) + pad[1];
}

static SBM_DEFINE_FUNC(deep_recursion, const u8 *, in, u8 *, out, unsigned long, arg)
{
	hostile_begin(out);
	out[1] = hostile_recurse(out, 1UL << 20);
	return 0;
}

HOSTILE_TEST(deep_recursion, -EFAULT, TARGET_NONE)

static SBM_DEFINE_FUNC(endless_loop, const u8 *, in, u8 *, out, unsigned long, arg)
{
	hostile_begin(out);
	for (;;)
		cpu_relax();
	return 0;
}

HOSTILE_TEST(endless_loop, -ETIME, TARGET_NONE)

/* State CPL 3 may change: allowed, and the kernel must not notice. */
static __always_inline void hostile_write_gs_base(void)
{
	if (cpu_feature_enabled(X86_FEATURE_FSGSBASE))
		asm volatile("wrgsbase %0" :: "r"(0x1000UL));
}

static __always_inline void hostile_write_fs_base(void)
{
	if (cpu_feature_enabled(X86_FEATURE_FSGSBASE))
		asm volatile("wrfsbase %0" :: "r"(0x1000UL));
}

static __always_inline void hostile_write_pkru(void)
{
	if (cpu_feature_enabled(X86_FEATURE_OSPKE))
		asm volatile("wrpkru" :: "a"(0xfffffffcU), "c"(0), "d"(0));
}

static SBM_DEFINE_FUNC(write_gs_base, const u8 *, in, u8 *, out, unsigned long, arg)
{
	hostile_begin(out);
	hostile_write_gs_base();
	return 0;
}

HOSTILE_TEST(write_gs_base, 0, TARGET_NONE)

static SBM_DEFINE_FUNC(write_fs_base, const u8 *, in, u8 *, out, unsigned long, arg)
{
	hostile_begin(out);
	hostile_write_fs_base();
	return 0;
}

HOSTILE_TEST(write_fs_base, 0, TARGET_NONE)

static SBM_DEFINE_FUNC(load_gs_selector, const u8 *, in, u8 *, out, unsigned long, arg)
{
	hostile_begin(out);
	asm volatile("mov %0, %%gs" :: "r"(__USER_DS));
	return 0;
}

HOSTILE_TEST(load_gs_selector, 0, TARGET_NONE)

static SBM_DEFINE_FUNC(write_pkru, const u8 *, in, u8 *, out, unsigned long, arg)
{
	hostile_begin(out);
	hostile_write_pkru();
	return 0;
}

HOSTILE_TEST(write_pkru, 0, TARGET_NONE)

static SBM_DEFINE_FUNC(set_ac_and_return, const u8 *, in, u8 *, out, unsigned long, arg)
{
	hostile_begin(out);
	asm volatile("pushfq; orq $0x40000, (%%rsp); popfq" ::: "memory", "cc");
	return 0;
}

HOSTILE_TEST(set_ac_and_return, 0, TARGET_NONE)

/*
 * Stress: more kthreads than CPUs making thousands of calls each, with
 * preemption and migration between and during calls. Most calls are
 * benign and reuse one instance per thread; one in eight is hostile on a
 * fresh instance; one in sixteen spins in the sandbox long enough for
 * timer interrupts, and so preemption, to hit it there. Every result must
 * be right, and every page the sandboxes took must be given back.
 */
#define STRESS_THREADS		4
#define STRESS_CALLS		2000
#define STRESS_SPIN_ROUNDS	200000UL

struct hostile_stress {
	struct completion done;
	unsigned int id;
	int wrong;
	/* Spinning calls during which the thread was preempted, migrated. */
	unsigned int preempted, migrated;
};

/* Deterministic work that the compiler cannot fold into a formula. */
static __always_inline u64 stress_step(u64 x)
{
	return x * 6364136223846793005ULL + 1442695040888963407ULL;
}

static SBM_DEFINE_FUNC(spin, const u8 *, in, u64 *, out, unsigned long, rounds)
{
	u64 x = in[0];

	while (rounds--) {
		x = stress_step(x);
		barrier();
	}
	*out = x;
	return 0;
}

static u64 stress_spin_expected(u8 seed)
{
	unsigned long rounds = STRESS_SPIN_ROUNDS;
	u64 x = seed;

	while (rounds--)
		x = stress_step(x);
	return x;
}

static int stress_hostile_call(u8 *in, u8 *out)
{
	struct sbm sbm;
	int ret;

	if (sbm_init(&sbm))
		return 1;
	ret = write_kernel_data_call(&sbm, in, out,
				     (unsigned long)&hostile_data[1]);
	ret = ret != -EFAULT || sbm_error(&sbm) != -EFAULT ||
	      out[0] != HOSTILE_OUT_BYTE;
	sbm_destroy(&sbm);
	return ret;
}

static int stress_spin_call(struct hostile_stress *st, u8 *in)
{
	unsigned long switches = current->nivcsw;
	int cpu = raw_smp_processor_id();
	struct sbm sbm;
	u64 out = 0;
	int ret;

	if (sbm_init(&sbm))
		return 1;
	ret = sbm_call(&sbm, spin, SBM_COPY_IN(&sbm, in, 1),
		       SBM_COPY_OUT(&sbm, &out, sizeof(out)),
		       STRESS_SPIN_ROUNDS);
	sbm_destroy(&sbm);
	st->preempted += current->nivcsw != switches;
	st->migrated += raw_smp_processor_id() != cpu;
	return ret != 0 || out != stress_spin_expected(in[0]);
}

static int stress_benign_call(struct sbm *sbm, u8 *in, u8 *out,
			      unsigned int i)
{
	int ret = sbm_call(sbm, benign, SBM_COPY_IN(sbm, in, 1),
			   SBM_COPY_OUT(sbm, out, 1), 3UL);

	return ret != 7 || out[0] != (u8)(i + 3);
}

static int hostile_stress_thread(void *arg)
{
	u8 in[HOSTILE_LEN], out[HOSTILE_LEN];
	struct hostile_stress *st = arg;
	struct sbm reused;
	unsigned int i;

	if (sbm_init(&reused)) {
		st->wrong++;
		goto out;
	}
	for (i = 0; i < STRESS_CALLS; i++) {
		memset(in, i, sizeof(in));
		memset(out, HOSTILE_OUT_BYTE, sizeof(out));
		if (i % 8 == st->id % 8)
			st->wrong += stress_hostile_call(in, out);
		else if (i % 16 == (st->id + 4) % 16)
			st->wrong += stress_spin_call(st, in);
		else
			st->wrong += stress_benign_call(&reused, in, out, i);
		cond_resched();
	}
	sbm_destroy(&reused);
out:
	complete(&st->done);
	return 0;
}

/*
 * A fatal signal ends a sandbox that would otherwise run for a minute:
 * the task is killable while its sandbox runs, and the call says so.
 * Unless the caller made the instance uninterruptible: then the signal
 * waits for the time limit, which ends the call.
 */
struct hostile_signal {
	struct completion started, done;
	bool uninterruptible;
	int ret, error;
	u64 ended_ns;
	u8 out;
};

#define HOSTILE_UNINTERRUPTIBLE_LIMIT_MS	500

static int hostile_signal_thread(void *arg)
{
	u8 in[HOSTILE_LEN] = {}, out[HOSTILE_LEN];
	struct hostile_signal *hs = arg;
	struct sbm sbm;

	allow_signal(SIGKILL);
	memset(out, HOSTILE_OUT_BYTE, sizeof(out));
	hs->ret = sbm_init(&sbm) ?:
		  sbm_set_time_limit(&sbm, hs->uninterruptible ?
					   HOSTILE_UNINTERRUPTIBLE_LIMIT_MS :
					   60 * MSEC_PER_SEC);
	if (hs->uninterruptible)
		sbm_set_uninterruptible(&sbm);
	complete(&hs->started);
	if (!hs->ret)
		hs->ret = endless_loop_call(&sbm, in, out, 0);
	hs->ended_ns = ktime_get_ns();
	hs->error = sbm_error(&sbm);
	hs->out = out[0];
	sbm_destroy(&sbm);
	complete(&hs->done);
	return 0;
}

static void hostile_signal_run(struct kunit *test, bool uninterruptible)
{
	int want = uninterruptible ? -ETIME : -EINTR;
	struct hostile_signal *hs;
	struct task_struct *task;
	unsigned long left;
	u64 sent_ns;

	if (sbm_level() != SBM_LEVEL_STRONG)
		kunit_skip(test, "needs strong isolation");

	hs = kunit_kzalloc(test, sizeof(*hs), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, hs);
	hs->uninterruptible = uninterruptible;
	init_completion(&hs->started);
	init_completion(&hs->done);
	task = kthread_run(hostile_signal_thread, hs, "sbm-signal");
	KUNIT_ASSERT_FALSE(test, IS_ERR(task));
	get_task_struct(task);
	wait_for_completion(&hs->started);
	sent_ns = ktime_get_ns();
	send_sig(SIGKILL, task, 1);
	/*
	 * Killable, it ends well before its minute: at the signal. Else it
	 * runs to its half second, with the signal pending all along.
	 */
	left = wait_for_completion_timeout(&hs->done, 20 * HZ);
	put_task_struct(task);
	KUNIT_ASSERT_NE_MSG(test, left, 0, "the sandbox ran on for 20 s");
	KUNIT_EXPECT_LT(test, sent_ns, hs->ended_ns);
	KUNIT_EXPECT_EQ(test, hs->ret, want);
	KUNIT_EXPECT_EQ(test, hs->error, want);
	KUNIT_EXPECT_EQ(test, hs->out, HOSTILE_OUT_BYTE);
	hostile_expect_fresh_works(test);
}

static void sbm_test_fatal_signal(struct kunit *test)
{
	hostile_signal_run(test, false);
}

static void sbm_test_fatal_signal_uninterruptible(struct kunit *test)
{
	hostile_signal_run(test, true);
}

/*
 * SMEP, SMAP and UMIP are on wherever the CPU has them, sandboxes or not:
 * the sandbox's pages are user pages the kernel never executes or touches
 * on its own behalf, and its SGDT and friends fault (see sgdt_with_umip).
 */
static void sbm_test_cpu_protections_on(struct kunit *test)
{
	static const struct {
		unsigned int feature;
		unsigned long cr4;
		const char *name;
	} prot[] = {
		{ X86_FEATURE_SMEP, X86_CR4_SMEP, "SMEP" },
		{ X86_FEATURE_SMAP, X86_CR4_SMAP, "SMAP" },
		{ X86_FEATURE_UMIP, X86_CR4_UMIP, "UMIP" },
	};
	unsigned int i, seen = 0;

	if (sbm_level() != SBM_LEVEL_STRONG)
		kunit_skip(test, "needs strong isolation");
	hostile_expect_fresh_works(test);
	for (i = 0; i < ARRAY_SIZE(prot); i++) {
		if (!boot_cpu_has(prot[i].feature))
			continue;
		seen++;
		KUNIT_EXPECT_TRUE_MSG(test, native_read_cr4() & prot[i].cr4,
				      "%s is off", prot[i].name);
	}
	if (!seen)
		kunit_skip(test, "the CPU has none of SMEP, SMAP, UMIP");
}

/*
 * The #DB of a sandbox that single-steps never reaches the kernel's handler,
 * which is what resets DR6: the sandbox's status bits must not stay behind
 * for the kernel's next #DB to misread. DR6 belongs to the CPU, so the
 * check stays on the CPU that ran the sandbox.
 */
static void sbm_test_dr6_after_single_step(struct kunit *test)
{
	u8 *in, *out;
	unsigned long dr6;
	struct sbm sbm;
	int ret;

	if (sbm_level() != SBM_LEVEL_STRONG)
		kunit_skip(test, "needs strong isolation");
	in = kunit_kzalloc(test, HOSTILE_LEN, GFP_KERNEL);
	out = kunit_kzalloc(test, HOSTILE_LEN, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, in);
	KUNIT_ASSERT_NOT_NULL(test, out);
	KUNIT_ASSERT_EQ(test, sbm_init(&sbm), 0);
	migrate_disable();
	ret = single_step_call(&sbm, in, out, 0);
	get_debugreg(dr6, 6);
	migrate_enable();
	sbm_destroy(&sbm);
	KUNIT_EXPECT_EQ(test, ret, -EFAULT);
	KUNIT_EXPECT_EQ(test, dr6, DR6_RESERVED);
}

/* Left on the stack by one call, looked for by the next call. */
#define HOSTILE_STACK_MARK	0x5354414b4d41524bUL
/* All of the stack below the frames of the call: every page of it. */
#define HOSTILE_STACK_WORDS	(SBM_STACK_PAGES * PAGE_SIZE / 8 - 64)

static SBM_DEFINE_FUNC(stack_mark, const u8 *, in, u8 *, out, unsigned long, mark)
{
	unsigned long sp, i;

	asm volatile("mov %%rsp, %0" : "=r" (sp));
	for (i = 1; i <= HOSTILE_STACK_WORDS; i++)
		WRITE_ONCE(((unsigned long *)sp)[-i], mark);
	out[0] = 1;
	return 0;
}

static SBM_DEFINE_FUNC(stack_find, const u8 *, in, u8 *, out, unsigned long, mark)
{
	unsigned long sp, i;

	asm volatile("mov %%rsp, %0" : "=r" (sp));
	out[0] = 0;
	for (i = 1; i <= HOSTILE_STACK_WORDS; i++)
		if (READ_ONCE(((unsigned long *)sp)[-i]) == mark)
			out[0] = 1;
	return 0;
}

/*
 * One instance may parse data of different origins, one call after the
 * other: what a call leaves on its stack must be gone by the next.
 */
static void sbm_test_stack_cleared_between_calls(struct kunit *test)
{
	u8 in = 0, out = 0;
	struct sbm sbm;

	if (sbm_level() != SBM_LEVEL_STRONG)
		kunit_skip(test, "needs strong isolation");
	KUNIT_ASSERT_EQ(test, sbm_init(&sbm), 0);
	KUNIT_EXPECT_EQ(test, sbm_call(&sbm, stack_mark,
				       SBM_COPY_IN(&sbm, &in, 1),
				       SBM_COPY_OUT(&sbm, &out, 1),
				       HOSTILE_STACK_MARK), 0);
	KUNIT_EXPECT_EQ(test, out, 1);
	KUNIT_EXPECT_EQ(test, sbm_call(&sbm, stack_find,
				       SBM_COPY_IN(&sbm, &in, 1),
				       SBM_COPY_OUT(&sbm, &out, 1),
				       HOSTILE_STACK_MARK), 0);
	KUNIT_EXPECT_EQ(test, out, 0);
	sbm_destroy(&sbm);
}

#define HOSTILE_STACK_BOTTOM	(SBM_STACK_TOP - SBM_STACK_PAGES * PAGE_SIZE)

/*
 * An instance starts with the top page of its stack; the function gets each
 * of the others when it first writes or reads it, once for the instance's
 * life: three pages, after a first call that used only the top one.
 */
static void sbm_test_stack_grows(struct kunit *test)
{
	u8 in = 0, out = 0;
	struct x86_sbm *s;
	struct sbm sbm;
	unsigned int i;
	long held;

	if (sbm_level() != SBM_LEVEL_STRONG)
		kunit_skip(test, "needs strong isolation");
	KUNIT_ASSERT_EQ(test, sbm_init(&sbm), 0);
	s = sbm.private;
	KUNIT_EXPECT_EQ(test, sbm_call(&sbm, benign, SBM_COPY_IN(&sbm, &in, 1),
				       SBM_COPY_OUT(&sbm, &out, 1), 1UL), 7);
	for (i = 0; i < SBM_STACK_PAGES - 1; i++)
		KUNIT_EXPECT_NULL(test, s->stack[i]);
	held = sbm_pages_held();
	KUNIT_EXPECT_EQ(test, sbm_call(&sbm, stack_mark,
				       SBM_COPY_IN(&sbm, &in, 1),
				       SBM_COPY_OUT(&sbm, &out, 1),
				       HOSTILE_STACK_MARK), 0);
	KUNIT_EXPECT_EQ(test, out, 1);
	KUNIT_EXPECT_EQ(test, sbm_pages_held() - held, SBM_STACK_PAGES - 1);
	for (i = 0; i < SBM_STACK_PAGES; i++)
		KUNIT_EXPECT_NOT_NULL(test, s->stack[i]);
	held = sbm_pages_held();
	KUNIT_EXPECT_EQ(test, sbm_call(&sbm, stack_mark,
				       SBM_COPY_IN(&sbm, &in, 1),
				       SBM_COPY_OUT(&sbm, &out, 1),
				       HOSTILE_STACK_MARK), 0);
	KUNIT_EXPECT_EQ(test, sbm_pages_held(), held);
	sbm_destroy(&sbm);
}

/*
 * Only a stack page grows, and only for a read or write: below the stack a
 * write aborts, and so does running code on a stack page not there yet,
 * which gets no page.
 */
static void sbm_test_stack_grows_only_stack(struct kunit *test)
{
	u8 in = 0, out = 0;
	struct x86_sbm *s;
	struct sbm sbm;
	long held;

	if (sbm_level() != SBM_LEVEL_STRONG)
		kunit_skip(test, "needs strong isolation");
	KUNIT_ASSERT_EQ(test, sbm_init(&sbm), 0);
	KUNIT_EXPECT_EQ(test, sbm_call(&sbm, benign, SBM_COPY_IN(&sbm, &in, 1),
				       SBM_COPY_OUT(&sbm, &out, 1), 1UL), 7);
	held = sbm_pages_held();
	KUNIT_EXPECT_EQ(test, sbm_call(&sbm, write_kernel_data,
				       SBM_COPY_IN(&sbm, &in, 1),
				       SBM_COPY_OUT(&sbm, &out, 1),
				       HOSTILE_STACK_BOTTOM - 8), -EFAULT);
	hostile_expect_fault(test, &sbm, X86_PF_WRITE | X86_PF_USER,
			     HOSTILE_STACK_BOTTOM - 8);
	KUNIT_EXPECT_EQ(test, sbm_pages_held(), held);
	sbm_destroy(&sbm);

	KUNIT_ASSERT_EQ(test, sbm_init(&sbm), 0);
	s = sbm.private;
	KUNIT_EXPECT_EQ(test, sbm_call(&sbm, benign, SBM_COPY_IN(&sbm, &in, 1),
				       SBM_COPY_OUT(&sbm, &out, 1), 1UL), 7);
	held = sbm_pages_held();
	KUNIT_EXPECT_EQ(test, sbm_call(&sbm, execute_kernel_text,
				       SBM_COPY_IN(&sbm, &in, 1),
				       SBM_COPY_OUT(&sbm, &out, 1),
				       HOSTILE_STACK_BOTTOM), -EFAULT);
	hostile_expect_fault(test, &sbm, X86_PF_USER | X86_PF_INSTR,
			     HOSTILE_STACK_BOTTOM);
	KUNIT_EXPECT_NULL(test, s->stack[0]);
	KUNIT_EXPECT_EQ(test, sbm_pages_held(), held);
	sbm_destroy(&sbm);
}

/* A byte of each page of @in, and its last byte, summed. */
static SBM_DEFINE_FUNC(sum_pages, const u8 *, in, u8 *, out, unsigned long, len)
{
	unsigned long i, sum = in[len - 1];

	for (i = 0; i < len; i += PAGE_SIZE)
		sum += in[i];
	memcpy(out, &sum, sizeof(sum));
	return 0;
}

/* Over 2 MiB from the first buffer's start: it spans two page tables. */
#define HOSTILE_BIG_LEN		(3 * SZ_1M + 5)

/*
 * A buffer mapped across the boundary of two page tables is mapped whole,
 * and unmapped whole after the call: its pages on both sides are gone.
 */
static void sbm_test_buffer_across_page_tables(struct kunit *test)
{
	unsigned long i, sum, got = 0, va;
	struct x86_sbm *s;
	struct sbm sbm;
	u8 *in;

	if (sbm_level() != SBM_LEVEL_STRONG)
		kunit_skip(test, "needs strong isolation");
	in = vmalloc(HOSTILE_BIG_LEN);
	KUNIT_ASSERT_NOT_NULL(test, in);
	for (i = 0; i < HOSTILE_BIG_LEN; i++)
		in[i] = i * 7 + (i >> 12);
	KUNIT_ASSERT_EQ(test, sbm_init(&sbm), 0);
	s = sbm.private;
	/* Not page-aligned: copied, into pages the sandbox maps from 0x401000. */
	KUNIT_EXPECT_EQ(test, sbm_call(&sbm, sum_pages,
				       SBM_COPY_IN(&sbm, in + 1,
						   HOSTILE_BIG_LEN - 1),
				       SBM_COPY_OUT(&sbm, (u8 *)&got, sizeof(got)),
				       HOSTILE_BIG_LEN - 1UL), 0);
	sum = in[HOSTILE_BIG_LEN - 1];
	for (i = 1; i < HOSTILE_BIG_LEN; i += PAGE_SIZE)
		sum += in[i];
	KUNIT_EXPECT_EQ(test, got, sum);
	for (va = SBM_BUF_BASE; va < SBM_BUF_BASE + HOSTILE_BIG_LEN + 4 * PAGE_SIZE;
	     va += PAGE_SIZE)
		KUNIT_EXPECT_FALSE_MSG(test, sbm_user_mapped(s, va),
				       "%#lx still mapped", va);
	sbm_destroy(&sbm);
	vfree(in);
}

/*
 * A new sandbox owns its top-level table, its control page and the top
 * page of its stack, and the tables of its low half down to them, and
 * nothing more: the tables of the kernel half, which map the sandboxed
 * code, are shared between sandboxes (shared.c), so that setting one up
 * does not cost more the more sandboxed code the kernel holds. A sandbox
 * works on when another that shares them is gone, whose pages all went.
 */
static void sbm_test_instance_pages(struct kunit *test)
{
	long pages = sbm_pages(), own = 3 + (pgtable_l5_enabled() ? 4 : 3);
	unsigned int top = pgd_index((unsigned long)_text);
	struct x86_sbm *sa, *sb;
	struct sbm a, b;
	u8 in = 0, out = 0;

	if (sbm_level() != SBM_LEVEL_STRONG)
		kunit_skip(test, "needs strong isolation");
	KUNIT_ASSERT_EQ(test, sbm_init(&a), 0);
	KUNIT_EXPECT_EQ(test, sbm_pages() - pages, own);
	KUNIT_ASSERT_EQ(test, sbm_init(&b), 0);
	sa = a.private;
	sb = b.private;
	KUNIT_EXPECT_NE(test, pgd_val(sa->pgd[top]), 0);
	KUNIT_EXPECT_EQ(test, pgd_val(sa->pgd[top]), pgd_val(sb->pgd[top]));
	sbm_destroy(&a);
	KUNIT_EXPECT_EQ(test, sbm_pages() - pages, own);
	KUNIT_EXPECT_EQ(test, sbm_call(&b, stack_find,
				       SBM_COPY_IN(&b, &in, 1),
				       SBM_COPY_OUT(&b, &out, 1),
				       HOSTILE_STACK_MARK), 0);
	sbm_destroy(&b);
	KUNIT_EXPECT_EQ(test, sbm_pages(), pages);
}

/*
 * A small call's buffers go into the page table that already maps the
 * control page and the stack: running it allocates three pages, the
 * copies of its input, its output and its argument block, and no page
 * table.
 */
static void sbm_test_small_call_no_table(struct kunit *test)
{
	u8 in = 1, out = 0;
	struct sbm sbm;
	long pages;

	if (sbm_level() != SBM_LEVEL_STRONG)
		kunit_skip(test, "needs strong isolation");
	KUNIT_ASSERT_EQ(test, sbm_init(&sbm), 0);
	pages = sbm_pages();
	KUNIT_EXPECT_EQ(test, sbm_call(&sbm, benign, SBM_COPY_IN(&sbm, &in, 1),
				       SBM_COPY_OUT(&sbm, &out, 1), 41), 7);
	KUNIT_EXPECT_EQ(test, out, 42);
	KUNIT_EXPECT_EQ(test, sbm_pages() - pages, 3);
	sbm_destroy(&sbm);
}

/* What the stand-in for sbm_window_machine_check() saw. */
static unsigned long hostile_mce_ip;
static int hostile_mce_calls;

static void hostile_window_machine_check(unsigned long ip)
{
	hostile_mce_ip = ip;
	hostile_mce_calls++;
}

/*
 * A machine check (INT 18, which goes through the same IDT gate and IST
 * stack) in the entry path or the exit path, at CPL 0 on the sandbox page
 * tables, where none of the kernel's handlers is mapped: the machine must
 * not reset, the kernel's handler (here a stand-in: the real one is not
 * meant for an INT 18 with no error logged) must run exactly once, for the
 * address the machine check hit, and the call must go on and return what
 * the function returns.
 */
static void hostile_machine_check_in(struct kunit *test, unsigned long where)
{
	u8 in = 1, out = 0;
	struct sbm sbm;

	if (sbm_level() != SBM_LEVEL_STRONG)
		kunit_skip(test, "needs strong isolation");
	if (!SBM_TEST_MCE)
		kunit_skip(test, "needs CONFIG_X86_MCE");
	hostile_mce_ip = 0;
	hostile_mce_calls = 0;
	kunit_activate_static_stub(test, sbm_window_machine_check,
				   hostile_window_machine_check);
	KUNIT_ASSERT_EQ(test, sbm_init(&sbm), 0);
	sbm_test_machine_check(&sbm, where);
	KUNIT_EXPECT_EQ(test, sbm_call(&sbm, benign,
				       SBM_COPY_IN(&sbm, &in, 1),
				       SBM_COPY_OUT(&sbm, &out, 1), 41), 7);
	KUNIT_EXPECT_EQ(test, sbm_error(&sbm), 0);
	KUNIT_EXPECT_EQ(test, out, 42);
	KUNIT_EXPECT_EQ(test, hostile_mce_calls, 1);
	KUNIT_EXPECT_EQ(test, hostile_mce_ip, sbm_test_machine_check_ip(where));
	/* Once only: the next call raises nothing. */
	KUNIT_EXPECT_EQ(test, sbm_call(&sbm, benign,
				       SBM_COPY_IN(&sbm, &in, 1),
				       SBM_COPY_OUT(&sbm, &out, 1), 1), 7);
	KUNIT_EXPECT_EQ(test, hostile_mce_calls, 1);
	sbm_destroy(&sbm);
	kunit_deactivate_static_stub(test, sbm_window_machine_check);
}

static void sbm_test_machine_check_in_entry_path(struct kunit *test)
{
	hostile_machine_check_in(test, SBM_TEST_MCE_ENTRY);
}

static void sbm_test_machine_check_in_exit_path(struct kunit *test)
{
	hostile_machine_check_in(test, SBM_TEST_MCE_EXIT);
}

/*
 * The NMI the nested cases below raise, as the kernel sees it: delivered
 * by sbm_deliver_vector() on the CPU that ran the sandbox. Any other NMI
 * is left to its own handlers.
 */
static atomic_t hostile_nested_nmi_delivered;
static unsigned long hostile_deliver_start, hostile_deliver_end;
static int hostile_nested_nmi_cpu;

static int hostile_nested_nmi(unsigned int type, struct pt_regs *regs)
{
	if (smp_processor_id() != READ_ONCE(hostile_nested_nmi_cpu) ||
	    regs->ip < READ_ONCE(hostile_deliver_start) ||
	    regs->ip >= READ_ONCE(hostile_deliver_end))
		return NMI_DONE;
	atomic_inc(&hostile_nested_nmi_delivered);
	return NMI_HANDLED;
}

static void hostile_unregister_nested_nmi(void *unused)
{
	unregister_nmi_handler(NMI_LOCAL, "sbm_nested_nmi");
}

/*
 * An NMI and a machine check in the exit path, at CPL 0 on the sandbox
 * page tables, one nested in the other's stub: a machine check does not
 * block NMIs, and an NMI does not block machine checks. The inner stub
 * must not take the outer one's code for kernel code on the kernel's page
 * tables and jump to the kernel's handler, which is not mapped there: the
 * machine would reset. Each must reach the kernel once (@nmis NMIs), the
 * machine check for the address it hit, and the call must go on.
 */
static void hostile_nested_nmi_mce(struct kunit *test, unsigned long where,
				   int nmis)
{
	unsigned long size, offset;
	u8 in = 1, out = 0;
	struct sbm sbm;
	int ret;

	if (sbm_level() != SBM_LEVEL_STRONG)
		kunit_skip(test, "needs strong isolation");
	if (!SBM_TEST_MCE)
		kunit_skip(test, "needs CONFIG_X86_MCE");
	KUNIT_ASSERT_TRUE(test, kallsyms_lookup_size_offset((unsigned long)sbm_deliver_vector,
							    &size, &offset));
	hostile_deliver_start = (unsigned long)sbm_deliver_vector;
	hostile_deliver_end = hostile_deliver_start + size;
	hostile_mce_ip = 0;
	hostile_mce_calls = 0;
	kunit_activate_static_stub(test, sbm_window_machine_check,
				   hostile_window_machine_check);
	KUNIT_ASSERT_EQ(test, sbm_init(&sbm), 0);
	KUNIT_ASSERT_EQ(test, register_nmi_handler(NMI_LOCAL, hostile_nested_nmi,
						   0, "sbm_nested_nmi"), 0);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test,
							hostile_unregister_nested_nmi,
							NULL), 0);
	migrate_disable();
	WRITE_ONCE(hostile_nested_nmi_cpu, smp_processor_id());
	atomic_set(&hostile_nested_nmi_delivered, 0);
	sbm_test_machine_check(&sbm, where);
	ret = sbm_call(&sbm, benign, SBM_COPY_IN(&sbm, &in, 1),
		       SBM_COPY_OUT(&sbm, &out, 1), 41);
	migrate_enable();

	KUNIT_EXPECT_EQ(test, ret, 7);
	KUNIT_EXPECT_EQ(test, sbm_error(&sbm), 0);
	KUNIT_EXPECT_EQ(test, out, 42);
	KUNIT_EXPECT_EQ(test, atomic_read(&hostile_nested_nmi_delivered), nmis);
	KUNIT_EXPECT_EQ(test, hostile_mce_calls, 1);
	KUNIT_EXPECT_EQ(test, hostile_mce_ip, sbm_test_machine_check_ip(where));
	sbm_destroy(&sbm);
	kunit_deactivate_static_stub(test, sbm_window_machine_check);
}

/*
 * The word the NMI and machine check stubs read to tell the page tables
 * apart: 0 on the kernel's, in a page the kernel maps non-global, so that
 * no TLB entry of the kernel's outlives the CR3 write into a sandbox (a
 * CPU keeps global entries across it; QEMU's TCG does not, so only the
 * mapping can be checked here).
 */
static void sbm_test_tables_marker_nonglobal(struct kunit *test)
{
	unsigned int level;
	pte_t *pte;

	if (sbm_level() != SBM_LEVEL_STRONG)
		kunit_skip(test, "needs strong isolation");
	pte = lookup_address((unsigned long)sbm_tables_marker, &level);
	KUNIT_ASSERT_NOT_NULL(test, pte);
	KUNIT_EXPECT_EQ(test, level, PG_LEVEL_4K);
	KUNIT_EXPECT_TRUE(test, pte_present(*pte));
	KUNIT_EXPECT_EQ(test, pte_flags(*pte) & _PAGE_GLOBAL, 0);
	KUNIT_EXPECT_EQ(test, READ_ONCE(sbm_tables_marker[0]), 0);
}

/*
 * No byte of the entry text may take a kprobe: its INT3 would trap at
 * CPL 0 on the sandbox page tables, where none of the kernel's handlers is
 * mapped, and reset the machine. The NOKPROBE markers on its symbols are
 * not enough: each covers only up to the next label kallsyms knows. Nor
 * may the sandboxed code: an INT3 there would abort every call.
 */
static void hostile_expect_range_unprobed(struct kunit *test,
					  unsigned long start,
					  unsigned long end)
{
	unsigned long first = sbm_first_probeable(start, end);

	KUNIT_EXPECT_EQ_MSG(test, first, 0, "first at %pS", (void *)first);
}

static void sbm_test_entry_text_not_probed(struct kunit *test)
{
	if (sbm_level() != SBM_LEVEL_STRONG)
		kunit_skip(test, "needs strong isolation");
	if (!IS_ENABLED(CONFIG_KPROBES))
		kunit_skip(test, "needs CONFIG_KPROBES");
	hostile_expect_range_unprobed(test,
				      (unsigned long)__sbm_entry_text_start,
				      (unsigned long)__sbm_entry_text_end);
	hostile_expect_range_unprobed(test, (unsigned long)__sbm_text_start,
				      (unsigned long)__sbm_text_end);
}

/*
 * Nor may the kernel functions that sandboxed code calls: the helpers and
 * the return thunk, and what memcpy() and memset() jump to on CPUs without
 * fast short string operations. A kprobe there would abort every sandbox
 * that runs them.
 */
static const char *const hostile_helper_bodies[] = {
	"memcpy_orig", "memset_orig",
};

static void hostile_expect_unprobed(struct kunit *test, unsigned long fn)
{
	unsigned long size, offset;

	KUNIT_ASSERT_TRUE(test, kallsyms_lookup_size_offset(fn, &size, &offset));
	KUNIT_EXPECT_GT_MSG(test, size, 0, "%pS", (void *)fn);
	hostile_expect_range_unprobed(test, fn - offset, fn - offset + size);
}

static void sbm_test_borrowed_text_not_probed(struct kunit *test)
{
	unsigned long fn[SBM_NR_BORROWED], body;
	unsigned int i, n;

	if (sbm_level() != SBM_LEVEL_STRONG)
		kunit_skip(test, "needs strong isolation");
	if (!IS_ENABLED(CONFIG_KPROBES))
		kunit_skip(test, "needs CONFIG_KPROBES");
	n = sbm_borrowed_text(fn);
	/* At least memcpy(), memset(), memmove(), memcmp() and bcmp(). */
	KUNIT_ASSERT_GE(test, n, 5);
	if (n == 5)
		kunit_info(test, "no return thunk in use: none checked");
	for (i = 0; i < n; i++)
		hostile_expect_unprobed(test, fn[i]);
	for (i = 0; i < ARRAY_SIZE(hostile_helper_bodies); i++) {
		body = kallsyms_lookup_name(hostile_helper_bodies[i]);
		if (body)
			hostile_expect_unprobed(test, body);
	}
}

static void sbm_test_nmi_in_machine_check_stub(struct kunit *test)
{
	hostile_nested_nmi_mce(test, SBM_TEST_NMI_IN_MCE, 1);
}

static void sbm_test_machine_check_in_nmi_stub(struct kunit *test)
{
	hostile_nested_nmi_mce(test, SBM_TEST_MCE_IN_NMI, 1);
}

/*
 * The machine check's IRET lets NMIs in again while the NMI stub it hit
 * still needs its frame: a second NMI right then, on the same NMI stack,
 * must not overwrite it (the stub would return through the second NMI's
 * frame, to itself, for ever). Both NMIs must reach the kernel.
 */
static void sbm_test_second_nmi_after_machine_check_in_nmi_stub(struct kunit *test)
{
	hostile_nested_nmi_mce(test, SBM_TEST_NMI_MCE_NMI, 2);
}

/*
 * The same in the stub of an NMI that hit the sandbox, before it copied
 * the CPU's frame off the NMI stack: the sandbox must go on where that NMI
 * stopped it, with its registers, and every NMI must reach the kernel
 * once. NMIs are sent from another CPU, one at a time, until one hits the
 * sandbox while it spins.
 */
#define NMI_USER_SPIN_ROUNDS	2000000
#define NMI_USER_MAX_CALLS	50
#define NMI_USER_WAIT_NS	(200 * NSEC_PER_MSEC)

struct hostile_nmi_user {
	struct kunit *test;
	int cpu;
	atomic_t seen;
	struct sbm sbm;
	u64 out;
	int ret;
	bool done;
	struct completion finished;
};

static struct hostile_nmi_user *hostile_nmi_user;

static int hostile_nmi_user_handler(unsigned int type, struct pt_regs *regs)
{
	struct hostile_nmi_user *t = READ_ONCE(hostile_nmi_user);

	if (!t || smp_processor_id() != t->cpu)
		return NMI_DONE;
	atomic_inc(&t->seen);
	return NMI_HANDLED;
}

static void hostile_unregister_nmi_user(void *unused)
{
	unregister_nmi_handler(NMI_LOCAL, "sbm_nmi_user");
	WRITE_ONCE(hostile_nmi_user, NULL);
}

static int hostile_nmi_user_thread(void *arg)
{
	struct hostile_nmi_user *t = arg;
	u8 in = 5;
	int calls;

	/* For the machine check's stand-in (a KUnit static stub). */
	current->kunit_test = t->test;
	for (calls = 0; calls < NMI_USER_MAX_CALLS &&
	     !READ_ONCE(hostile_mce_calls); calls++) {
		t->out = 0;
		t->ret = sbm_call(&t->sbm, spin, SBM_COPY_IN(&t->sbm, &in, 1),
				  SBM_COPY_OUT(&t->sbm, &t->out, sizeof(t->out)),
				  NMI_USER_SPIN_ROUNDS);
		if (t->ret)
			break;
	}
	current->kunit_test = NULL;
	WRITE_ONCE(t->done, true);
	complete(&t->finished);
	return 0;
}

/* Wait for @n NMIs sent, and the test's own once its machine check ran. */
static void hostile_wait_nmis(struct hostile_nmi_user *t, unsigned int n)
{
	u64 start = ktime_get_ns();
	unsigned int seen;

	for (;;) {
		seen = atomic_read(&t->seen);
		/* The stand-in counts before either NMI is delivered. */
		smp_rmb();
		if (seen >= n + READ_ONCE(hostile_mce_calls) ||
		    ktime_get_ns() - start >= NMI_USER_WAIT_NS)
			return;
		cpu_relax();
	}
}

static void hostile_destroy_sbm(void *sbm)
{
	sbm_destroy(sbm);
}

static void hostile_nmi_mce_nmi_from_sandbox(struct kunit *test,
					     unsigned long where)
{
	struct hostile_nmi_user *t;
	struct task_struct *task;
	unsigned int sent = 0;
	unsigned long i;
	u64 expect = 5;

	if (sbm_level() != SBM_LEVEL_STRONG)
		kunit_skip(test, "needs strong isolation");
	if (!SBM_TEST_MCE)
		kunit_skip(test, "needs CONFIG_X86_MCE");
	t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, t);
	init_completion(&t->finished);
	t->test = test;
	/* The sender stays off the sandbox's CPU: a self-NMI hits no sandbox. */
	migrate_disable();
	t->cpu = cpumask_any_but(cpu_online_mask, smp_processor_id());
	if (t->cpu >= nr_cpu_ids) {
		migrate_enable();
		kunit_skip(test, "needs a second CPU");
	}

	hostile_mce_ip = 0;
	hostile_mce_calls = 0;
	kunit_activate_static_stub(test, sbm_window_machine_check,
				   hostile_window_machine_check);
	if (sbm_init(&t->sbm) ||
	    kunit_add_action_or_reset(test, hostile_destroy_sbm, &t->sbm) ||
	    register_nmi_handler(NMI_LOCAL, hostile_nmi_user_handler, 0,
				 "sbm_nmi_user") ||
	    kunit_add_action_or_reset(test, hostile_unregister_nmi_user, NULL)) {
		migrate_enable();
		KUNIT_FAIL(test, "set-up failed");
		return;
	}
	WRITE_ONCE(hostile_nmi_user, t);
	sbm_test_machine_check(&t->sbm, where);
	task = kthread_create(hostile_nmi_user_thread, t, "sbm-nmi-user");
	if (IS_ERR(task)) {
		migrate_enable();
		KUNIT_FAIL(test, "no thread");
		return;
	}
	kthread_bind(task, t->cpu);
	wake_up_process(task);

	while (!READ_ONCE(t->done)) {
		__apic_send_IPI(t->cpu, NMI_VECTOR);
		sent++;
		/*
		 * One at a time, or two could meet while NMIs are blocked and
		 * be taken as one. The test's own second NMI (INT 2) comes
		 * with the machine check, which the stand-in counts first.
		 */
		hostile_wait_nmis(t, sent);
		usleep_range(500, 1000);
	}
	migrate_enable();
	wait_for_completion(&t->finished);
	hostile_wait_nmis(t, sent);

	for (i = 0; i < NMI_USER_SPIN_ROUNDS; i++)
		expect = stress_step(expect);
	kunit_info(test, "%u NMIs sent", sent);
	KUNIT_EXPECT_EQ(test, hostile_mce_calls, 1);
	KUNIT_EXPECT_EQ(test, hostile_mce_ip, sbm_test_machine_check_ip(where));
	KUNIT_EXPECT_EQ(test, t->ret, 0);
	KUNIT_EXPECT_EQ(test, sbm_error(&t->sbm), 0);
	KUNIT_EXPECT_EQ(test, t->out, expect);
	/* Each NMI sent once, and the test's own second NMI. */
	KUNIT_EXPECT_EQ(test, atomic_read(&t->seen), sent + 1);
	kunit_deactivate_static_stub(test, sbm_window_machine_check);
}

static void sbm_test_nmi_machine_check_nmi_from_sandbox(struct kunit *test)
{
	hostile_nmi_mce_nmi_from_sandbox(test, SBM_TEST_NMI_MCE_NMI_USER);
}

/*
 * The same where the exit that NMI leads to has not read the frame yet: it
 * reads the copy in the control page, which no NMI writes.
 */
static void sbm_test_nmi_machine_check_nmi_in_sandbox_exit(struct kunit *test)
{
	hostile_nmi_mce_nmi_from_sandbox(test, SBM_TEST_NMI_MCE_NMI_EXIT);
}

/*
 * Real machine checks, which the host injects (sbm test's strong+mce row:
 * QEMU's "mce -b" every few seconds on every CPU, an uncorrected error
 * that needs no action in the bank of the CPU this parameter names, a
 * bare one the kernel ignores in the others'; with an Intel CPU model,
 * since QEMU's AMD model lacks the recovery feature and the kernel panics
 * on any uncorrected error there). One that hits a sandbox must reach the
 * kernel's handler, and the sandbox must resume: nothing was consumed.
 */
static int inject_mce = -1;
module_param(inject_mce, int, 0444);
MODULE_PARM_DESC(inject_mce, "CPU in whose bank the host injects machine checks");

#define INJECTED_MCE_WAIT_S	120
#define INJECTED_MCE_ROUNDS	2000000

struct hostile_injected_mce {
	int cpu;
	atomic_t from_sandbox;
	unsigned long sbm_exec_start, sbm_exec_end;
	unsigned long calls;
	unsigned long wrong;
	bool stop;
	struct completion done;
};

static struct hostile_injected_mce *hostile_injected;

/*
 * The kernel logs one that hit a sandbox with the registers the sandbox
 * code gave its handler: an address in arch_sbm_exec(), into which that
 * code is inlined, or in sbm_machine_check() if it is not.
 */
static int hostile_mce_logged(struct notifier_block *nb, unsigned long val,
			      void *data)
{
	struct hostile_injected_mce *t = READ_ONCE(hostile_injected);
	char name[KSYM_NAME_LEN];
	struct mce *m = data;

	if (!t || m->extcpu != t->cpu || m->bank != 1 ||
	    !(m->status & MCI_STATUS_UC))
		return NOTIFY_DONE;
	if ((m->ip >= t->sbm_exec_start && m->ip < t->sbm_exec_end) ||
	    (!lookup_symbol_name(m->ip, name) &&
	     !strcmp(name, "sbm_machine_check")))
		atomic_inc(&t->from_sandbox);
	return NOTIFY_DONE;
}

static struct notifier_block hostile_mce_nb = {
	.notifier_call = hostile_mce_logged,
	.priority = MCE_PRIO_LOWEST,
};

static void hostile_unregister_mce(void *unused)
{
	mce_unregister_decode_chain(&hostile_mce_nb);
	WRITE_ONCE(hostile_injected, NULL);
}

static int hostile_injected_mce_thread(void *arg)
{
	struct hostile_injected_mce *t = arg;
	u64 expect = 9, out;
	unsigned long i;
	struct sbm sbm;
	u8 in = 9;
	int ret;

	for (i = 0; i < INJECTED_MCE_ROUNDS; i++)
		expect = stress_step(expect);
	while (!READ_ONCE(t->stop)) {
		if (sbm_init(&sbm)) {
			WRITE_ONCE(t->wrong, t->wrong + 1);
			break;
		}
		out = 0;
		ret = sbm_call(&sbm, spin, SBM_COPY_IN(&sbm, &in, 1),
			       SBM_COPY_OUT(&sbm, &out, sizeof(out)),
			       INJECTED_MCE_ROUNDS);
		if (ret || out != expect)
			WRITE_ONCE(t->wrong, t->wrong + 1);
		sbm_destroy(&sbm);
		WRITE_ONCE(t->calls, t->calls + 1);
		cond_resched();
	}
	complete(&t->done);
	return 0;
}

static void sbm_test_injected_machine_check(struct kunit *test)
{
	struct hostile_injected_mce *t;
	struct task_struct *task;
	unsigned long size, offset;
	long mce_aborts, mce_resumes;
	u64 start;

	if (sbm_level() != SBM_LEVEL_STRONG)
		kunit_skip(test, "needs strong isolation");
	if (!SBM_TEST_MCE)
		kunit_skip(test, "needs CONFIG_X86_MCE");
	if (inject_mce < 0)
		kunit_skip(test, "needs machine checks from the host (sbm test's strong+mce row)");
	if (inject_mce >= nr_cpu_ids || !cpu_online(inject_mce))
		kunit_skip(test, "CPU %d is not online", inject_mce);
	t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, t);
	init_completion(&t->done);
	t->cpu = inject_mce;
	KUNIT_ASSERT_TRUE(test, kallsyms_lookup_size_offset((unsigned long)arch_sbm_exec,
							    &size, &offset));
	t->sbm_exec_start = (unsigned long)arch_sbm_exec;
	t->sbm_exec_end = t->sbm_exec_start + size;

	mce_aborts = sbm_aborted(X86_TRAP_MC);
	mce_resumes = sbm_mce_resumes();
	WRITE_ONCE(hostile_injected, t);
	mce_register_decode_chain(&hostile_mce_nb);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, hostile_unregister_mce,
							NULL), 0);
	task = kthread_create(hostile_injected_mce_thread, t, "sbm-mce");
	KUNIT_ASSERT_FALSE(test, IS_ERR(task));
	kthread_bind(task, t->cpu);
	wake_up_process(task);

	start = ktime_get_ns();
	while (!atomic_read(&t->from_sandbox) && !completion_done(&t->done) &&
	       ktime_get_ns() - start < INJECTED_MCE_WAIT_S * NSEC_PER_SEC)
		msleep(100);
	WRITE_ONCE(t->stop, true);
	wait_for_completion(&t->done);

	kunit_info(test, "%lu calls, %d machine checks in sandboxes on CPU %d",
		   READ_ONCE(t->calls), atomic_read(&t->from_sandbox), t->cpu);
	KUNIT_EXPECT_GE_MSG(test, atomic_read(&t->from_sandbox), 1,
			    "no machine check hit a sandbox in %d s", INJECTED_MCE_WAIT_S);
	/* Nothing was consumed: no call may have been aborted, some resumed. */
	KUNIT_EXPECT_EQ(test, sbm_aborted(X86_TRAP_MC) - mce_aborts, 0);
	KUNIT_EXPECT_GE(test, sbm_mce_resumes() - mce_resumes, 1);
	KUNIT_EXPECT_EQ(test, READ_ONCE(t->wrong), 0);
}

/*
 * Poison a sandbox consumes: the host watches the CPU this parameter names
 * and, when it finds it running the sandbox below (the mark in RDX, at
 * CPL 3), injects there a machine check that says the read of the page
 * whose physical address is in RBX consumed poison (action required). The
 * call must be aborted, the task must not be killed, and the page must be
 * retired (PageHWPoison), so that neither its owner nor the page allocator
 * hands it out again. memory_failure() cannot isolate a page the kernel
 * holds, as this one is: it marks it and fails, so the case does not
 * reach set_mce_nospec(), which only follows a success.
 */
#define HOSTILE_POISON_MARK	0x53424d706f69736eULL	/* "SBMpoisn" */
#define HOSTILE_POISON_WAIT_MS	(60 * MSEC_PER_SEC)
#define HOSTILE_RETIRE_WAIT_MS	(10 * MSEC_PER_SEC)

static SBM_DEFINE_FUNC(poisoned_read, const u8 *, in, unsigned long, pa,
		       unsigned long, rounds)
{
	asm volatile("1:	movb (%[in]), %%al\n"
		     "	dec %[n]\n"
		     "	jnz 1b\n"
		     : [n] "+c" (rounds)
		     : [in] "S" (in), "b" (pa), "d" (HOSTILE_POISON_MARK)
		     : "rax", "memory");
	return 0;
}

struct hostile_poison {
	struct page *page;
	int err;
};

static long hostile_poisoned_call(void *arg)
{
	struct hostile_poison *p = arg;
	struct sbm sbm;
	int ret;

	ret = sbm_init(&sbm);
	if (!ret)
		ret = sbm_set_time_limit(&sbm, HOSTILE_POISON_WAIT_MS);
	if (!ret)
		ret = sbm_call(&sbm, poisoned_read,
			       SBM_COPY_IN(&sbm, page_address(p->page),
					   PAGE_SIZE),
			       page_to_phys(p->page), ULONG_MAX);
	p->err = sbm_error(&sbm);
	sbm_destroy(&sbm);
	return ret;
}

static void sbm_test_injected_poison_consumed(struct kunit *test)
{
	struct hostile_poison p = {};
	long aborts, ret;
	unsigned int ms;

	if (sbm_level() != SBM_LEVEL_STRONG)
		kunit_skip(test, "needs strong isolation");
	if (!SBM_TEST_MCE || !IS_ENABLED(CONFIG_MEMORY_FAILURE))
		kunit_skip(test, "needs CONFIG_X86_MCE and CONFIG_MEMORY_FAILURE");
	if (inject_mce < 0)
		kunit_skip(test, "needs machine checks from the host (sbm test's strong+mce row)");
	if (inject_mce >= nr_cpu_ids || !cpu_online(inject_mce))
		kunit_skip(test, "CPU %d is not online", inject_mce);
	p.page = alloc_page(GFP_KERNEL | __GFP_ZERO);
	KUNIT_ASSERT_NOT_NULL(test, p.page);

	aborts = sbm_aborted(X86_TRAP_MC);
	ret = work_on_cpu(inject_mce, hostile_poisoned_call, &p);
	KUNIT_EXPECT_EQ(test, ret, -EFAULT);
	KUNIT_EXPECT_EQ(test, p.err, -EFAULT);
	KUNIT_EXPECT_EQ(test, sbm_aborted(X86_TRAP_MC) - aborts, 1);
	/* The error's notifiers run from a work item. */
	for (ms = 0; !PageHWPoison(p.page) && ms < HOSTILE_RETIRE_WAIT_MS;
	     ms += 100)
		msleep(100);
	KUNIT_EXPECT_TRUE_MSG(test, PageHWPoison(p.page),
			      "the page the sandbox read poison in was not retired");
	/* A poisoned page is kept off the free lists. */
	__free_page(p.page);
}

/*
 * NMIs sent one at a time to a CPU that runs sandboxes, short and long
 * calls: wherever each hits (in a sandbox, in its entry or exit path, in
 * the kernel between calls), the kernel's NMI handlers must see it exactly
 * once, and soon: none lost, none doubled, none held back until the
 * sandbox's next exit.
 */
#define NMI_STORM_NMIS		300
#define NMI_STORM_WAIT_NS	(200 * NSEC_PER_MSEC)
#define NMI_STORM_SPIN_ROUNDS	20000

struct hostile_nmi_storm {
	int cpu;
	atomic_t pending;
	atomic_t seen;
	bool stop;
	unsigned long calls;
	unsigned long bad;
	struct completion done;
};

static struct hostile_nmi_storm *hostile_storm;

static int hostile_nmi_handler(unsigned int type, struct pt_regs *regs)
{
	struct hostile_nmi_storm *st = READ_ONCE(hostile_storm);

	if (!st || smp_processor_id() != st->cpu)
		return NMI_DONE;
	atomic_inc(&st->seen);
	return atomic_add_unless(&st->pending, -1, 0) ? NMI_HANDLED : NMI_DONE;
}

static int hostile_nmi_storm_thread(void *arg)
{
	struct hostile_nmi_storm *st = arg;
	u8 in = 3, out;
	u64 spun;
	struct sbm sbm;
	int ret;

	while (!READ_ONCE(st->stop)) {
		if (sbm_init(&sbm)) {
			st->bad++;
			break;
		}
		out = 0;
		ret = sbm_call(&sbm, benign, SBM_COPY_IN(&sbm, &in, 1),
			       SBM_COPY_OUT(&sbm, &out, 1), 2UL);
		st->bad += ret != 7 || out != 5;
		ret = sbm_call(&sbm, spin, SBM_COPY_IN(&sbm, &in, 1),
			       SBM_COPY_OUT(&sbm, &spun, sizeof(spun)),
			       NMI_STORM_SPIN_ROUNDS);
		st->bad += ret != 0;
		sbm_destroy(&sbm);
		st->calls += 2;
		cond_resched();
	}
	complete(&st->done);
	return 0;
}

static void sbm_test_nmi_storm(struct kunit *test)
{
	struct hostile_nmi_storm *st;
	struct task_struct *task;
	unsigned int sent, lost = 0;
	u64 start;

	if (sbm_level() != SBM_LEVEL_STRONG)
		kunit_skip(test, "needs strong isolation");
	st = kunit_kzalloc(test, sizeof(*st), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, st);
	init_completion(&st->done);
	migrate_disable();
	st->cpu = cpumask_any_but(cpu_online_mask, smp_processor_id());
	migrate_enable();
	if (st->cpu >= nr_cpu_ids)
		kunit_skip(test, "needs a second CPU");

	WRITE_ONCE(hostile_storm, st);
	KUNIT_ASSERT_EQ(test, register_nmi_handler(NMI_LOCAL, hostile_nmi_handler,
						   0, "sbm_nmi_storm"), 0);
	task = kthread_create(hostile_nmi_storm_thread, st, "sbm-nmi-storm");
	KUNIT_ASSERT_FALSE(test, IS_ERR(task));
	kthread_bind(task, st->cpu);
	wake_up_process(task);

	for (sent = 0; sent < NMI_STORM_NMIS; sent++) {
		/* Up to 200 us apart, to hit the other CPU anywhere. */
		start = ktime_get_ns() + get_random_u32_below(200 * NSEC_PER_USEC);
		while (ktime_get_ns() < start)
			cpu_relax();
		atomic_inc(&st->pending);
		__apic_send_IPI(st->cpu, NMI_VECTOR);
		while (atomic_read(&st->pending) &&
		       ktime_get_ns() - start < NMI_STORM_WAIT_NS)
			cpu_relax();
		if (atomic_read(&st->pending)) {
			lost++;
			break;
		}
	}
	WRITE_ONCE(st->stop, true);
	wait_for_completion(&st->done);
	unregister_nmi_handler(NMI_LOCAL, "sbm_nmi_storm");
	WRITE_ONCE(hostile_storm, NULL);

	kunit_info(test, "%u NMIs during %lu sandboxed calls", sent, st->calls);
	KUNIT_EXPECT_EQ(test, lost, 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&st->seen), sent);
	KUNIT_EXPECT_EQ(test, st->bad, 0);
	KUNIT_EXPECT_GT(test, st->calls, 0);
}

/*
 * A task allowed to use I/O ports (ioperm(), iopl()) has its I/O bitmap in
 * the TSS while it is in the kernel, installed by its last return to user
 * mode: a sandbox it runs must not inherit it.
 */
static void sbm_test_in_port_with_ioperm(struct kunit *test)
{
#if defined(CONFIG_X86_IOPL_IOPERM) && IS_BUILTIN(CONFIG_SANDBOX_MODE_KUNIT_TEST)
	if (sbm_level() != SBM_LEVEL_STRONG)
		kunit_skip(test, "needs strong isolation");
	KUNIT_ASSERT_EQ(test, ksys_ioperm(0x80, 1, 1), 0);
	/* What the return to user mode would do. */
	preempt_disable();
	tss_update_io_bitmap();
	preempt_enable();
	hostile_run(test, in_port_call, -EFAULT, TARGET_NONE);
	KUNIT_EXPECT_EQ(test, ksys_ioperm(0x80, 1, 0), 0);
	preempt_disable();
	tss_invalidate_io_bitmap();
	preempt_enable();
#else
	kunit_skip(test, "needs CONFIG_X86_IOPL_IOPERM and the tests built in");
#endif
}

static SBM_DEFINE_FUNC(read_tsc, const u8 *, in, u8 *, out, unsigned long, arg)
{
	u32 lo, hi;

	asm volatile("rdtsc" : "=a" (lo), "=d" (hi));
	out[0] = 1;
	return 0;
}

/*
 * A task may make RDTSC fault for itself (prctl(PR_SET_TSC)), which sets
 * CR4.TSD while it runs: its sandboxes run with the sandbox's own CPU state
 * all the same, and the task gets its setting back.
 */
static void sbm_test_task_tsc_setting(struct kunit *test)
{
	u8 in = 0, out = 0;
	struct sbm sbm;
	int ret;

	if (sbm_level() != SBM_LEVEL_STRONG)
		kunit_skip(test, "needs strong isolation");
	KUNIT_ASSERT_EQ(test, sbm_init(&sbm), 0);
	KUNIT_ASSERT_EQ(test, set_tsc_mode(PR_TSC_SIGSEGV), 0);
	ret = sbm_call(&sbm, read_tsc, SBM_COPY_IN(&sbm, &in, 1),
		       SBM_COPY_OUT(&sbm, &out, 1), 0UL);
	preempt_disable();
	KUNIT_EXPECT_TRUE(test, cr4_read_shadow() & X86_CR4_TSD);
	preempt_enable();
	KUNIT_EXPECT_EQ(test, set_tsc_mode(PR_TSC_ENABLE), 0);
	sbm_destroy(&sbm);
	KUNIT_EXPECT_EQ(test, ret, 0);
	KUNIT_EXPECT_EQ(test, out, 1);
}

/* Access and write disable for protection key 0, in PKRU. */
#define HOSTILE_PKEY0_DENIED	0x3U

/*
 * A task may deny itself protection key 0, the key of every user page,
 * sandbox pages included: its sandboxes must still work, and it must get
 * its PKRU back.
 */
static void sbm_test_pkru_denying_task(struct kunit *test)
{
	u8 in = 40, out = 0;
	struct sbm sbm;
	u32 pkru, during;
	int ret;

	if (sbm_level() != SBM_LEVEL_STRONG)
		kunit_skip(test, "needs strong isolation");
	if (!cpu_feature_enabled(X86_FEATURE_OSPKE))
		kunit_skip(test, "the CPU has no protection keys");
	KUNIT_ASSERT_EQ(test, sbm_init(&sbm), 0);
	/* PKRU is per task: it follows this thread across CPUs. */
	pkru = rdpkru();
	wrpkru(pkru | HOSTILE_PKEY0_DENIED);
	ret = sbm_call(&sbm, benign, SBM_COPY_IN(&sbm, &in, 1),
		       SBM_COPY_OUT(&sbm, &out, 1), 2UL);
	during = rdpkru();
	wrpkru(pkru);
	KUNIT_EXPECT_EQ(test, ret, 7);
	KUNIT_EXPECT_EQ(test, out, 42);
	KUNIT_EXPECT_EQ(test, sbm_error(&sbm), 0);
	KUNIT_EXPECT_EQ(test, during, pkru | HOSTILE_PKEY0_DENIED);
	sbm_destroy(&sbm);
}

static void sbm_test_stress(struct kunit *test)
{
	unsigned int preempted = 0, migrated = 0;
	struct hostile_stress *st;
	struct task_struct *task;
	long pages;
	int i;

	if (sbm_level() != SBM_LEVEL_STRONG)
		kunit_skip(test, "needs strong isolation");

	st = kunit_kcalloc(test, STRESS_THREADS, sizeof(*st), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, st);
	hostile_fill(hostile_data);
	pages = sbm_pages();
	for (i = 0; i < STRESS_THREADS; i++) {
		st[i].id = i;
		init_completion(&st[i].done);
		task = kthread_run(hostile_stress_thread, &st[i], "sbm-stress/%d",
				   i);
		KUNIT_ASSERT_FALSE(test, IS_ERR(task));
	}
	for (i = 0; i < STRESS_THREADS; i++) {
		KUNIT_ASSERT_NE_MSG(test,
				    wait_for_completion_timeout(&st[i].done,
								300 * HZ),
				    0, "thread %d did not finish", i);
		KUNIT_EXPECT_EQ_MSG(test, st[i].wrong, 0, "thread %d", i);
		preempted += st[i].preempted;
		migrated += st[i].migrated;
	}
	kunit_info(test, "spinning calls preempted: %u, migrated: %u\n",
		   preempted, migrated);
	/* Without it, the test would not have tested what it says. */
	KUNIT_EXPECT_GT(test, preempted, 0);
	/* Buffer copies too, not only page tables and stacks. */
	KUNIT_EXPECT_EQ_MSG(test, sbm_pages(), pages,
			    "pages of sandboxes not given back");
	hostile_expect_canary(test, "data", hostile_data);
	hostile_expect_fresh_works(test);
}

static struct kunit_case sbm_hostile_cases[] = {
	KUNIT_CASE(sbm_test_cpu_protections_on),
	KUNIT_CASE(sbm_test_fatal_signal),
	KUNIT_CASE(sbm_test_fatal_signal_uninterruptible),
	KUNIT_CASE(sbm_test_write_past_output),
	KUNIT_CASE(sbm_test_write_before_output),
	KUNIT_CASE(sbm_test_read_past_input),
	KUNIT_CASE(sbm_test_read_before_input),
	KUNIT_CASE(sbm_test_write_input),
	KUNIT_CASE(sbm_test_read_kernel_data),
	KUNIT_CASE(sbm_test_write_kernel_data),
	KUNIT_CASE(sbm_test_read_kernel_bss),
	KUNIT_CASE(sbm_test_write_kernel_bss),
	KUNIT_CASE(sbm_test_read_kernel_rodata),
	KUNIT_CASE(sbm_test_read_sbm_rodata),
	KUNIT_CASE(sbm_test_read_before_sbm_rodata),
	KUNIT_CASE(sbm_test_read_after_sbm_rodata),
	KUNIT_CASE(sbm_test_write_sbm_rodata),
	KUNIT_CASE(sbm_test_execute_sbm_rodata),
	KUNIT_CASE(sbm_test_read_percpu),
	KUNIT_CASE(sbm_test_write_percpu),
	KUNIT_CASE(sbm_test_read_caller_stack),
	KUNIT_CASE(sbm_test_write_caller_stack),
	KUNIT_CASE(sbm_test_write_caller_buffer),
	KUNIT_CASE(sbm_test_read_idt),
	KUNIT_CASE(sbm_test_read_gdt),
	KUNIT_CASE(sbm_test_read_user_address),
	KUNIT_CASE(sbm_test_read_noncanonical),
	KUNIT_CASE(sbm_test_write_null),
	KUNIT_CASE(sbm_test_execute_input),
	KUNIT_CASE(sbm_test_execute_kernel_text),
	KUNIT_CASE(sbm_test_call_user_address),
	KUNIT_CASE(sbm_test_write_own_code),
	KUNIT_CASE(sbm_test_cli),
	KUNIT_CASE(sbm_test_sti),
	KUNIT_CASE(sbm_test_hlt),
	KUNIT_CASE(sbm_test_in_port),
	KUNIT_CASE(sbm_test_out_port),
	KUNIT_CASE(sbm_test_rdmsr),
	KUNIT_CASE(sbm_test_wrmsr),
	KUNIT_CASE(sbm_test_read_cr3),
	KUNIT_CASE(sbm_test_write_cr4),
	KUNIT_CASE(sbm_test_write_dr7),
	KUNIT_CASE(sbm_test_lgdt),
	KUNIT_CASE(sbm_test_lidt),
	KUNIT_CASE(sbm_test_ltr),
	KUNIT_CASE(sbm_test_sgdt_with_umip),
	KUNIT_CASE(sbm_test_invlpg),
	KUNIT_CASE(sbm_test_wbinvd),
	KUNIT_CASE(sbm_test_swapgs),
	KUNIT_CASE(sbm_test_sysret),
	KUNIT_CASE(sbm_test_iret_to_kernel_cs),
	KUNIT_CASE(sbm_test_popf_iopl_then_cli),
	KUNIT_CASE(sbm_test_popf_clear_if_then_loop),
	KUNIT_CASE(sbm_test_syscall),
	KUNIT_CASE(sbm_test_sysenter),
	KUNIT_CASE(sbm_test_int80),
	KUNIT_CASE(sbm_test_int3),
	KUNIT_CASE(sbm_test_int_n),
	KUNIT_CASE(sbm_test_icebp),
	KUNIT_CASE(sbm_test_mov_ss_then_syscall),
	KUNIT_CASE(sbm_test_ud2),
	KUNIT_CASE(sbm_test_divide_by_zero),
	KUNIT_CASE(sbm_test_into),
	KUNIT_CASE(sbm_test_alignment_check),
	KUNIT_CASE(sbm_test_single_step),
	KUNIT_CASE(sbm_test_x87),
	KUNIT_CASE(sbm_test_sse),
	KUNIT_CASE(sbm_test_kernel_data_segment),
	KUNIT_CASE(sbm_test_ldt_segment),
	KUNIT_CASE(sbm_test_stack_overflow),
	KUNIT_CASE(sbm_test_stack_underflow),
	KUNIT_CASE(sbm_test_deep_recursion),
	KUNIT_CASE(sbm_test_endless_loop),
	KUNIT_CASE(sbm_test_write_gs_base),
	KUNIT_CASE(sbm_test_write_fs_base),
	KUNIT_CASE(sbm_test_load_gs_selector),
	KUNIT_CASE(sbm_test_write_pkru),
	KUNIT_CASE(sbm_test_set_ac_and_return),
	KUNIT_CASE(sbm_test_pkru_denying_task),
	KUNIT_CASE(sbm_test_in_port_with_ioperm),
	KUNIT_CASE(sbm_test_task_tsc_setting),
	KUNIT_CASE(sbm_test_dr6_after_single_step),
	KUNIT_CASE(sbm_test_stack_cleared_between_calls),
	KUNIT_CASE(sbm_test_stack_grows),
	KUNIT_CASE(sbm_test_stack_grows_only_stack),
	KUNIT_CASE(sbm_test_instance_pages),
	KUNIT_CASE(sbm_test_small_call_no_table),
	KUNIT_CASE(sbm_test_buffer_across_page_tables),
	KUNIT_CASE(sbm_test_machine_check_in_entry_path),
	KUNIT_CASE(sbm_test_machine_check_in_exit_path),
	KUNIT_CASE(sbm_test_tables_marker_nonglobal),
	KUNIT_CASE(sbm_test_entry_text_not_probed),
	KUNIT_CASE(sbm_test_borrowed_text_not_probed),
	KUNIT_CASE(sbm_test_nmi_in_machine_check_stub),
	KUNIT_CASE(sbm_test_machine_check_in_nmi_stub),
	KUNIT_CASE(sbm_test_second_nmi_after_machine_check_in_nmi_stub),
	KUNIT_CASE(sbm_test_nmi_machine_check_nmi_from_sandbox),
	KUNIT_CASE(sbm_test_nmi_machine_check_nmi_in_sandbox_exit),
	KUNIT_CASE_SLOW(sbm_test_injected_machine_check),
	KUNIT_CASE_SLOW(sbm_test_injected_poison_consumed),
	KUNIT_CASE_SLOW(sbm_test_nmi_storm),
	KUNIT_CASE_SLOW(sbm_test_stress),
	{}
};

static struct kunit_suite sbm_hostile_suite = {
	.name = "sbm_x86_hostile",
	.test_cases = sbm_hostile_cases,
};

kunit_test_suites(&sbm_hostile_suite);

MODULE_DESCRIPTION("KUnit tests of SandBox Mode strong isolation on x86_64");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS("EXPORTED_FOR_KUNIT_TESTING");
