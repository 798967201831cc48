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

#include <kunit/test.h>
#include <linux/objtool.h>
#include <linux/percpu.h>
#include <linux/sbm.h>
#include <linux/smp.h>
#include <linux/string.h>
#include <asm/cpufeature.h>
#include <asm/desc.h>
#include <asm/msr-index.h>
#include <asm/processor-flags.h>
#include <asm/segment.h>
#include <asm/special_insns.h>

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
#define HOSTILE_NO_AC		(-EFAULT)

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
};

static unsigned long hostile_data[3] = {
	HOSTILE_CANARY, HOSTILE_CANARY, HOSTILE_CANARY
};
static unsigned long hostile_bss[3];
static const unsigned long hostile_rodata[3] = {
	HOSTILE_CANARY, HOSTILE_CANARY, HOSTILE_CANARY
};
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

static void hostile_run(struct kunit *test, hostile_call call, int want,
			enum hostile_target target)
{
	unsigned long stack_canary[3], *percpu, arg = 0;
	struct desc_ptr dt;
	struct sbm sbm;
	u8 *in, *out;
	bool no_ac = false;
	u32 pkru = 0;
	int cpu, i, ret;

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
	}

	if (cpu_feature_enabled(X86_FEATURE_OSPKE))
		pkru = rdpkru();

	KUNIT_ASSERT_EQ(test, sbm_init(&sbm), 0);
	KUNIT_ASSERT_EQ(test, sbm_set_time_limit(&sbm, HOSTILE_TIME_LIMIT_MS), 0);
	ret = call(&sbm, in, out, arg);
	if (want == HOSTILE_NO_AC && ret == 0) {
		/* Checked below, and then marked skipped. */
		want = 0;
		no_ac = true;
	}
	KUNIT_EXPECT_EQ(test, ret, want);
	if (want < 0) {
		KUNIT_EXPECT_EQ(test, sbm_error(&sbm), want);
		KUNIT_EXPECT_EQ(test, out[0], HOSTILE_OUT_BYTE);
		KUNIT_EXPECT_EQ(test, out[HOSTILE_LEN - 1], HOSTILE_OUT_BYTE);
	} else {
		/* Allowed at CPL 3: the call succeeds and its output lands. */
		KUNIT_EXPECT_EQ(test, sbm_error(&sbm), 0);
		KUNIT_EXPECT_EQ(test, out[0], 0x55);
	}
	sbm_destroy(&sbm);

	hostile_expect_canary(test, "data", hostile_data);
	hostile_expect_canary(test, "bss", hostile_bss);
	hostile_expect_canary(test, "rodata", hostile_rodata);
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

	hostile_expect_fresh_works(test);
	if (no_ac)
		kunit_mark_skipped(test, "the CPU does not check alignment at CPL 3 (QEMU TCG)");
}

/*
 * HOSTILE_CASE() - a sandboxed function doing @body, and its test case
 * expecting @want from the call. @body sees in, out and arg (the address
 * of @target).
 */
#define HOSTILE_CASE(name, want, target, body)				\
static SBM_DEFINE_FUNC(name, const u8 *, in, u8 *, out,		\
		       unsigned long, arg)				\
{									\
	WRITE_ONCE(out[0], 0x55);					\
	body;								\
	return 0;							\
}									\
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

#define ASM(insns, ...)	asm volatile(insns ::: "memory", ##__VA_ARGS__)

/* Memory next to the buffers, and kernel memory of every kind. */
HOSTILE_CASE(write_past_output, -EFAULT, TARGET_NONE,
	     WRITE_ONCE(out[PAGE_SIZE], 1))
HOSTILE_CASE(write_before_output, -EFAULT, TARGET_NONE,
	     WRITE_ONCE(out[-1], 1))
HOSTILE_CASE(read_past_input, -EFAULT, TARGET_NONE,
	     out[1] = READ_ONCE(in[PAGE_SIZE]))
HOSTILE_CASE(read_before_input, -EFAULT, TARGET_NONE,
	     out[1] = READ_ONCE(in[-1]))
HOSTILE_CASE(write_input, -EFAULT, TARGET_NONE,
	     WRITE_ONCE(*(u8 *)in, 1))
HOSTILE_CASE(read_kernel_data, -EFAULT, TARGET_DATA,
	     out[1] = READ_ONCE(*(u8 *)arg))
HOSTILE_CASE(write_kernel_data, -EFAULT, TARGET_DATA,
	     WRITE_ONCE(*(unsigned long *)arg, 0))
HOSTILE_CASE(read_kernel_bss, -EFAULT, TARGET_BSS,
	     out[1] = READ_ONCE(*(u8 *)arg))
HOSTILE_CASE(write_kernel_bss, -EFAULT, TARGET_BSS,
	     WRITE_ONCE(*(unsigned long *)arg, 0))
HOSTILE_CASE(read_kernel_rodata, -EFAULT, TARGET_RODATA,
	     out[1] = READ_ONCE(*(u8 *)arg))
HOSTILE_CASE(read_percpu, -EFAULT, TARGET_PERCPU,
	     out[1] = READ_ONCE(*(u8 *)arg))
HOSTILE_CASE(write_percpu, -EFAULT, TARGET_PERCPU,
	     WRITE_ONCE(*(unsigned long *)arg, 0))
HOSTILE_CASE(read_caller_stack, -EFAULT, TARGET_STACK,
	     out[1] = READ_ONCE(*(u8 *)arg))
HOSTILE_CASE(write_caller_stack, -EFAULT, TARGET_STACK,
	     WRITE_ONCE(*(unsigned long *)arg, 0))
HOSTILE_CASE(write_caller_buffer, -EFAULT, TARGET_CALLER_OUT,
	     WRITE_ONCE(*(u8 *)arg, 0x55))
HOSTILE_CASE(read_idt, -EFAULT, TARGET_IDT,
	     out[1] = READ_ONCE(*(u8 *)arg))
HOSTILE_CASE(read_gdt, -EFAULT, TARGET_GDT,
	     out[1] = READ_ONCE(*(u8 *)arg))
HOSTILE_CASE(read_user_address, -EFAULT, TARGET_NONE,
	     out[1] = READ_ONCE(*(u8 *)0x7fff00000000UL))
HOSTILE_CASE(read_noncanonical, -EFAULT, TARGET_NONE,
	     out[1] = READ_ONCE(*(u8 *)0x8000000000000000UL))
HOSTILE_CASE(write_null, -EFAULT, TARGET_NONE,
	     WRITE_ONCE(*(u8 *)NULL, 1))

/* Executing anything but the sandboxed code. */
HOSTILE_CASE(execute_input, -EFAULT, TARGET_NONE,
	     asm volatile("call *%0" :: "r"(in) : "memory"))
HOSTILE_CASE(execute_kernel_text, -EFAULT, TARGET_TEXT,
	     asm volatile("call *%0" :: "r"(arg) : "memory"))
HOSTILE_CASE(call_user_address, -EFAULT, TARGET_NONE,
	     asm volatile("call *%0" :: "r"(0x7fff00000000UL) : "memory"))
HOSTILE_CASE(write_own_code, -EFAULT, TARGET_NONE,
	     ASM("leaq 0(%%rip), %%rax; movb $0xcc, (%%rax)", "rax"))

/* Privileged and sensitive instructions. */
HOSTILE_CASE(cli, -EFAULT, TARGET_NONE, ASM("cli"))
HOSTILE_CASE(sti, -EFAULT, TARGET_NONE, ASM("sti"))
HOSTILE_CASE(hlt, -EFAULT, TARGET_NONE, ASM("hlt"))
HOSTILE_CASE(inb, -EFAULT, TARGET_NONE, ASM("inb $0x80, %%al", "rax"))
HOSTILE_CASE(outb, -EFAULT, TARGET_NONE, ASM("outb %%al, $0x80"))
HOSTILE_CASE(rdmsr, -EFAULT, TARGET_NONE,
	     asm volatile("rdmsr" :: "c"(MSR_EFER) : "rax", "rdx"))
HOSTILE_CASE(wrmsr, -EFAULT, TARGET_NONE,
	     asm volatile("wrmsr" :: "c"(MSR_LSTAR), "a"(0), "d"(0)))
HOSTILE_CASE(read_cr3, -EFAULT, TARGET_NONE, ASM("mov %%cr3, %%rax", "rax"))
HOSTILE_CASE(write_cr4, -EFAULT, TARGET_NONE,
	     asm volatile("mov %0, %%cr4" :: "r"(0UL)))
HOSTILE_CASE(write_dr7, -EFAULT, TARGET_NONE,
	     asm volatile("mov %0, %%dr7" :: "r"(0x3ffUL)))
HOSTILE_CASE(lgdt, -EFAULT, TARGET_NONE,
	     asm volatile("lgdt (%0)" :: "r"(in) : "memory"))
HOSTILE_CASE(lidt, -EFAULT, TARGET_NONE,
	     asm volatile("lidt (%0)" :: "r"(in) : "memory"))
HOSTILE_CASE(ltr, -EFAULT, TARGET_NONE,
	     asm volatile("ltr %w0" :: "r"(GDT_ENTRY_TSS * 8)))
HOSTILE_CASE(sgdt_with_umip, -EFAULT, TARGET_NONE,
	     asm volatile("sgdt (%0)" :: "r"(out) : "memory"))
HOSTILE_CASE(invlpg, -EFAULT, TARGET_NONE,
	     asm volatile("invlpg (%0)" :: "r"(in) : "memory"))
HOSTILE_CASE(wbinvd, -EFAULT, TARGET_NONE, ASM("wbinvd"))
HOSTILE_CASE(swapgs, -EFAULT, TARGET_NONE, ASM("swapgs"))
HOSTILE_CASE(sysret, -EFAULT, TARGET_NONE, ASM("sysretq", "rcx", "r11"))
/* objtool does not model what never returns to the sandbox. */
STACK_FRAME_NON_STANDARD(__sbm_fn_sysret);
HOSTILE_CASE(iret_to_kernel_cs, -EFAULT, TARGET_NONE,
	     asm volatile("movq %%rsp, %%rax\n\t"
			  "pushq %0\n\t"
			  "pushq %%rax\n\t"
			  "pushfq\n\t"
			  "pushq %1\n\t"
			  "leaq 1f(%%rip), %%rax\n\t"
			  "pushq %%rax\n\t"
			  "iretq\n"
			  "1:"
			  :: "i"(__KERNEL_DS), "i"(__KERNEL_CS)
			  : "rax", "memory"))
/* POPF cannot raise IOPL: the CLI after it still faults. */
HOSTILE_CASE(popf_iopl_then_cli, -EFAULT, TARGET_NONE,
	     ASM("pushfq; orq $0x3000, (%%rsp); popfq; cli", "cc"))
/* POPF cannot clear IF: the timer still stops the loop. */
HOSTILE_CASE(popf_clear_if_then_loop, -ETIME, TARGET_NONE,
	     ASM("pushfq; andq $~0x200, (%%rsp); popfq; 1: jmp 1b", "cc"))
/* objtool: the loop never ends, so the return after it is unreachable. */
STACK_FRAME_NON_STANDARD(__sbm_fn_popf_clear_if_then_loop);

/* Ways into the kernel's system-call and interrupt handlers. */
HOSTILE_CASE(syscall, -EFAULT, TARGET_NONE,
	     asm volatile("syscall" :: "a"(39) : "rcx", "r11", "memory"))
/* objtool does not model what never returns to the sandbox. */
STACK_FRAME_NON_STANDARD(__sbm_fn_syscall);
HOSTILE_CASE(sysenter, -EFAULT, TARGET_NONE,
	     asm volatile("sysenter" :: "a"(20) : "rcx", "r11", "memory"))
/* objtool does not model what never returns to the sandbox. */
STACK_FRAME_NON_STANDARD(__sbm_fn_sysenter);
HOSTILE_CASE(int80, -EFAULT, TARGET_NONE,
	     asm volatile("int $0x80" :: "a"(20) : "memory"))
HOSTILE_CASE(int3, -EFAULT, TARGET_NONE, ASM("int3"))
HOSTILE_CASE(int_n, -EFAULT, TARGET_NONE, ASM("int $0xf0"))
HOSTILE_CASE(icebp, -EFAULT, TARGET_NONE, ASM(".byte 0xf1"))
HOSTILE_CASE(mov_ss_then_syscall, -EFAULT, TARGET_NONE,
	     ASM("mov %%ss, %%eax; mov %%eax, %%ss; syscall",
		 "rax", "rcx", "r11"))
/* objtool does not model what never returns to the sandbox. */
STACK_FRAME_NON_STANDARD(__sbm_fn_mov_ss_then_syscall);

/* Exceptions of every kind. */
HOSTILE_CASE(ud2, -EFAULT, TARGET_NONE, ASM("ud2"))
/* objtool: UD2 does not return, so the return after it is unreachable. */
STACK_FRAME_NON_STANDARD(__sbm_fn_ud2);
HOSTILE_CASE(divide_by_zero, -EFAULT, TARGET_NONE,
	     ASM("xorl %%ecx, %%ecx; divl %%ecx", "rax", "rcx", "rdx"))
/* INTO and BOUND do not exist in 64-bit mode: their opcodes are #UD. */
HOSTILE_CASE(into, -EFAULT, TARGET_NONE, ASM(".byte 0xce"))
HOSTILE_CASE(alignment_check, HOSTILE_NO_AC, TARGET_NONE,
	     asm volatile("pushfq; orq $0x40000, (%%rsp); popfq\n\t"
			  "movl 1(%0), %%eax"
			  :: "r"(in) : "rax", "memory", "cc"))
HOSTILE_CASE(single_step, -EFAULT, TARGET_NONE,
	     ASM("pushfq; orq $0x100, (%%rsp); popfq; nop; nop", "cc"))
HOSTILE_CASE(x87, -EFAULT, TARGET_NONE, ASM("fninit"))
HOSTILE_CASE(sse, -EFAULT, TARGET_NONE, ASM("xorps %%xmm0, %%xmm0"))
HOSTILE_CASE(kernel_data_segment, -EFAULT, TARGET_NONE,
	     asm volatile("mov %0, %%ds" :: "r"(__KERNEL_DS)))
HOSTILE_CASE(ldt_segment, -EFAULT, TARGET_NONE,
	     asm volatile("mov %0, %%fs" :: "r"(0x7)))

/* The stack, and running for ever. */
HOSTILE_CASE(stack_overflow, -EFAULT, TARGET_NONE,
	     ASM("subq $0x8000, %%rsp; pushq $0; addq $0x8008, %%rsp"))
HOSTILE_CASE(stack_underflow, -EFAULT, TARGET_NONE,
	     ASM("addq $0x1000, %%rsp; popq %%rax; subq $0x1008, %%rsp",
		 "rax"))

static __sbm_text int hostile_recurse(volatile u8 *frame, unsigned long depth)
{
	volatile u8 pad[64];

	pad[0] = depth;
	if (!depth)
		return pad[0];
	return hostile_recurse(pad, depth - 1) + pad[1] + frame[0];
}

HOSTILE_CASE(deep_recursion, -EFAULT, TARGET_NONE,
	     out[1] = hostile_recurse(out, 1UL << 20))
HOSTILE_CASE(endless_loop, -ETIME, TARGET_NONE, for (;;) cpu_relax())

/* State CPL 3 may change: allowed, and the kernel must not notice. */
HOSTILE_CASE(write_gs_base, 0, TARGET_NONE,
	     if (cpu_feature_enabled(X86_FEATURE_FSGSBASE))
		     asm volatile("wrgsbase %0" :: "r"(0x1000UL)))
HOSTILE_CASE(write_fs_base, 0, TARGET_NONE,
	     if (cpu_feature_enabled(X86_FEATURE_FSGSBASE))
		     asm volatile("wrfsbase %0" :: "r"(0x1000UL)))
HOSTILE_CASE(load_gs_selector, 0, TARGET_NONE,
	     asm volatile("mov %0, %%gs" :: "r"(__USER_DS)))
HOSTILE_CASE(write_pkru, 0, TARGET_NONE,
	     if (cpu_feature_enabled(X86_FEATURE_OSPKE))
		     asm volatile("wrpkru" :: "a"(0xfffffffcU), "c"(0), "d"(0)))
HOSTILE_CASE(set_ac_and_return, 0, TARGET_NONE,
	     ASM("pushfq; orq $0x40000, (%%rsp); popfq", "cc"))

static struct kunit_case sbm_hostile_cases[] = {
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
	KUNIT_CASE(sbm_test_inb),
	KUNIT_CASE(sbm_test_outb),
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
	{}
};

static struct kunit_suite sbm_hostile_suite = {
	.name = "sbm_x86_hostile",
	.test_cases = sbm_hostile_cases,
};

kunit_test_suites(&sbm_hostile_suite);

MODULE_DESCRIPTION("KUnit tests of SandBox Mode strong isolation on x86_64");
MODULE_LICENSE("GPL");
