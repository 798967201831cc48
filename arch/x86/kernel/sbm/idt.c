// SPDX-License-Identifier: GPL-2.0-only
/*
 * SandBox Mode: the interrupt descriptor table a sandbox runs under.
 *
 * Every vector leads to a stub in entry_64.S that leaves the sandbox, so
 * no kernel handler ever runs on sandbox page tables. All gates have DPL 0:
 * INT n, INT3 and INTO from the sandbox raise #GP instead of reaching a
 * handler. IST stacks are the kernel's, so that an NMI, #DB, #MC or #DF at
 * CPL 0 finds the stack the kernel's handler expects when it is forwarded.
 */

#define pr_fmt(fmt) "sbm: " fmt

#include <linux/cache.h>
#include <linux/cc_platform.h>
#include <linux/cpufeature.h>
#include <linux/init.h>
#include <linux/kprobes.h>
#include <linux/printk.h>
#include <asm/desc.h>
#include <asm/irq_vectors.h>
#include <asm/segment.h>
#include <asm/trapnr.h>

#include "sbm.h"

/* A page of its own: it is mapped into every sandbox. */
static gate_desc sbm_idt[IDT_ENTRIES] __aligned(PAGE_SIZE) __ro_after_init;
static_assert(sizeof(sbm_idt) == PAGE_SIZE);

/* Used by entry_64.S. */
struct desc_ptr sbm_idt_descr __ro_after_init;
unsigned long sbm_kernel_entry[NUM_EXCEPTION_VECTORS] __ro_after_init;

static bool sbm_ready __ro_after_init;

static const gate_desc *sbm_kernel_idt(void)
{
	struct desc_ptr idtr;

	store_idt(&idtr);
	return (const gate_desc *)idtr.address;
}

static void __init sbm_set_gate(unsigned int vector, unsigned long stub,
				const gate_desc *kernel)
{
	struct idt_data data = {
		.vector = vector,
		.segment = __KERNEL_CS,
		.bits.type = GATE_INTERRUPT,
		.bits.dpl = 0,
		.bits.p = 1,
		.bits.ist = kernel->bits.ist,
		.addr = (const void *)stub,
	};

	idt_init_desc(&sbm_idt[vector], &data);
}

/**
 * sbm_idt_ready() - tell whether strong isolation can run on this system
 *
 * Return: true once the sandbox IDT is built, i.e. unless the CPU runs a
 * form of event delivery or address checking the entry code does not
 * handle.
 */
bool sbm_idt_ready(void)
{
	return sbm_ready;
}

/**
 * sbm_deliver_vector() - run the kernel's handler of an interrupt or NMI
 * @vector: what stopped the sandbox
 *
 * The CPU took the event under the sandbox IDT, so the kernel's handler has
 * not run yet. Interrupts must be off.
 */
void sbm_deliver_vector(unsigned int vector)
{
	if (vector == X86_TRAP_NMI) {
		/* Through the gate, for the NMI stack; its IRET unblocks NMIs. */
		asm volatile("int $2" ::: "memory");
		return;
	}
	sbm_run_irq_handler(gate_offset(&sbm_kernel_idt()[vector]));
}

/*
 * What this system runs that strong isolation does not handle, if anything.
 * Each would make sandboxes crash the kernel or fail every call, so the
 * strong level is refused as a whole, loudly; the core then falls back or
 * refuses sandboxes (see the sbm.strict boot option).
 */
static const char *__init sbm_refusal(void)
{
	/* FRED replaces the IDT the entry stubs rely on. */
	if (cpu_feature_enabled(X86_FEATURE_FRED))
		return "FRED event delivery";
	/* LASS forbids the CPL 3 accesses to kernel-half addresses it makes. */
	if (cpu_feature_enabled(X86_FEATURE_LASS))
		return "LASS";
	/* A PV guest's page tables and IDT belong to the hypervisor. */
	if (cpu_feature_enabled(X86_FEATURE_XENPV))
		return "Xen PV";
	/* Sandbox page tables are built without the encryption bit. */
	if (cc_platform_has(CC_ATTR_MEM_ENCRYPT))
		return "memory encryption (SME/SEV)";
	/* Buffers and the stack would be executable. */
	if (!boot_cpu_has(X86_FEATURE_NX))
		return "no NX";
	/* Its return thunk and call accounting use per-CPU data through GS. */
	if (cpu_feature_enabled(X86_FEATURE_CALL_DEPTH))
		return "call depth tracking (retbleed=stuff)";
	return NULL;
}

/*
 * All of the entry text runs at CPL 0 on the sandbox page tables, where a
 * kprobe's INT3 would find none of the kernel's handlers: keep kprobes off
 * every byte of it, as x86 does with its own entry text. Its NOKPROBE
 * markers cover a symbol only up to the next label kallsyms knows. The
 * sandboxed code runs at CPL 3 in a sandbox, where a kprobe's INT3 would
 * abort every call and an optimized probe's jump would leave the code the
 * sandbox maps: keep them off that too. The blacklist is a static list
 * that init_kprobes() only adds to, and no kprobe can be registered
 * before early initcalls run.
 */
static int __init sbm_forbid_kprobes(void)
{
#ifdef CONFIG_KPROBES
	int err;

	err = kprobe_add_area_blacklist((unsigned long)__sbm_entry_text_start,
					(unsigned long)__sbm_entry_text_end);
	if (err)
		return err;
	return kprobe_add_area_blacklist((unsigned long)__sbm_text_start,
					 (unsigned long)__sbm_text_end);
#else
	return 0;
#endif
}

/*
 * The same for the kernel functions sandboxed code calls: memcmp() and
 * bcmp() can take probes, and so can the return thunks; init_kprobes(),
 * which runs later, adds the noinstr ones (memcpy(), memset(), memmove()).
 * A probe there only makes the sandboxes that reach it abort, so failing
 * here is no reason to refuse strong isolation.
 */
static void __init sbm_forbid_kprobes_borrowed(void)
{
#ifdef CONFIG_KPROBES
	unsigned long fn[SBM_NR_BORROWED];
	unsigned int i, n;
	int ret;

	n = sbm_borrowed_text(fn);
	for (i = 0; i < n; i++) {
		if (fn[i] >= (unsigned long)__noinstr_text_start &&
		    fn[i] < (unsigned long)__noinstr_text_end)
			continue;
		ret = kprobe_add_ksym_blacklist(fn[i]);
		if (ret < 0)
			pr_warn("kprobes stay allowed on %pS, which sandboxes run (%d)\n",
				(void *)fn[i], ret);
	}
#endif
}

static int __init sbm_idt_init(void)
{
	const gate_desc *kernel = sbm_kernel_idt();
	unsigned int v;
	int err;

	const char *why = sbm_refusal();

	if (why) {
		pr_warn("strong isolation refused: %s\n", why);
		return 0;
	}
	err = sbm_forbid_kprobes();
	if (err) {
		pr_warn("strong isolation refused: kprobes could not be kept off its code (%d)\n",
			err);
		return 0;
	}
	sbm_forbid_kprobes_borrowed();

	for (v = 0; v < NUM_EXCEPTION_VECTORS; v++) {
		sbm_kernel_entry[v] = gate_offset(&kernel[v]);
		sbm_set_gate(v, sbm_exception_stubs[v], &kernel[v]);
	}
	for (; v < IDT_ENTRIES; v++)
		sbm_set_gate(v, (unsigned long)sbm_irq_stubs +
				(v - FIRST_EXTERNAL_VECTOR) * 16, &kernel[v]);

	sbm_idt_descr.size = sizeof(sbm_idt) - 1;
	sbm_idt_descr.address = (unsigned long)sbm_idt;
	err = sbm_shared_init();
	if (err) {
		pr_warn("strong isolation refused: its shared page tables could not be built (%d)\n",
			err);
		return 0;
	}
	sbm_poison_init();
	sbm_ready = true;
	return 0;
}

/* Before any initcall that could sandbox; the kernel IDT is final by now. */
early_initcall(sbm_idt_init);

/**
 * sbm_map_idt() - map the sandbox IDT into a sandbox, supervisor-only
 * @s: the sandbox
 *
 * Return: 0, or -ENOMEM.
 */
int __init sbm_map_idt(struct x86_sbm *s)
{
	return sbm_map_page(s, (unsigned long)sbm_idt,
			    __pa_symbol(sbm_idt) >> PAGE_SHIFT, SBM_KERN_RO);
}
