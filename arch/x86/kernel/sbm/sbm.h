/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * SandBox Mode on x86_64: what the files of arch/x86/kernel/sbm share.
 */
#ifndef _X86_KERNEL_SBM_H
#define _X86_KERNEL_SBM_H

#include <linux/list.h>
#include <linux/types.h>
#include <asm/pgtable_types.h>
#include <asm/sbm.h>

struct module;
struct sbm;
struct sbm_ctl;
struct sbm_module_half;

/* entry_64.S */
void __sbm_enter(struct sbm_ctl *ctl, unsigned long sandbox_cr3);
void sbm_run_irq_handler(unsigned long entry);
extern const unsigned long sbm_exception_stubs[];
extern const char sbm_irq_stubs[];

/* core.c: machine checks in the entry and exit paths, and their test */
void sbm_window_machine_check(unsigned long ip);
void sbm_test_machine_check(struct sbm *sbm, unsigned long where);
unsigned long sbm_test_machine_check_ip(unsigned long where);
extern const char sbm_test_mce_entry_ip[], sbm_test_mce_exit_ip[];
extern const char sbm_test_mce_nmi_ip[], sbm_test_mce_nmi_user_ip[];
extern const char sbm_test_mce_nmi_exit_ip[];

/* The linker scripts' .sbm.text, .sbm.rodata and .sbm.entry.text bounds. */
extern char __sbm_text_start[], __sbm_text_end[];
extern char __sbm_rodata_start[], __sbm_rodata_end[];
extern char __sbm_entry_text_start[], __sbm_entry_text_end[];

/**
 * enum sbm_text_pass - what mapping code that the kernel may map global does
 * @SBM_MAP_AND_LIST: map it, and list the pages the kernel maps global for
 *                    INVLPG on every entry (a module's, into its kernel half)
 * @SBM_MAP_ONLY:     map it (the shared kernel half, built at boot)
 * @SBM_LIST_ONLY:    only list the global pages (see shared.c)
 */
enum sbm_text_pass {
	SBM_MAP_AND_LIST,
	SBM_MAP_ONLY,
	SBM_LIST_ONLY,
};

/**
 * struct x86_sbm - the x86 state of one sandbox, at &sbm->private
 * @pgd:        top-level page table of the sandbox address space
 * @tables:     every page-table page below @pgd that this sandbox owns, to
 *              free them (the kernel half's may be shared, see shared.c)
 * @ctl:        the control page, see &struct sbm_ctl
 * @stack:      the sandbox stack pages, the lower ones %NULL until the
 *              function first touches them
 * @next_buf:   where the next buffer goes in the sandbox address space
 * @module:     module whose text is mapped, if any
 * @module_half: the kernel half of @module's sandboxes, which this one
 *              uses and holds a reference to, or %NULL (see text.c)
 * @module_text_start: start of the sandboxed code of @module, as mapped
 * @module_text_end:   its end; both 0 until it is mapped
 * @machine_check: a machine check hit one of its calls, in the sandbox or
 *              on the way in or out (see pool.c)
 * @nr_tables:  how many pages @tables holds
 * @nr_base_tables: how many it held once the sandbox was set up; 0 until
 *              it is (see pool.c)
 * @text_pass:  what sbm_map_text() and the module mapping do, see
 *              &enum sbm_text_pass
 */
struct x86_sbm {
	pgd_t *pgd;
	struct list_head tables;
	struct sbm_ctl *ctl;
	struct page *stack[SBM_STACK_PAGES];
	unsigned long next_buf;
	struct module *module;
	struct sbm_module_half *module_half;
	unsigned long module_text_start, module_text_end;
	bool machine_check;
	unsigned int nr_tables, nr_base_tables;
	enum sbm_text_pass text_pass;
};

/* pgtable.c */
struct page *sbm_alloc_page(void);
void sbm_free_page(struct page *page);
int sbm_map_page(struct x86_sbm *s, unsigned long va, unsigned long pfn,
		 pgprotval_t prot);
int sbm_map_pages(struct x86_sbm *s, unsigned long va, struct page **pages,
		  unsigned int nr, pgprotval_t prot);
void sbm_unmap_range(struct x86_sbm *s, unsigned long start,
		     unsigned long end);
int __init sbm_share_kernel_p4d(struct x86_sbm *s, unsigned long va);
void sbm_share_kernel_half(struct x86_sbm *s, const struct x86_sbm *from);
void sbm_reset_kernel_half(struct x86_sbm *s, const struct x86_sbm *from);
void sbm_free_tables(struct x86_sbm *s);
bool sbm_test_and_clean(struct x86_sbm *s, unsigned long va);
bool sbm_user_mapped(struct x86_sbm *s, unsigned long va);

/* What the entry and exit write, besides what entry_64.S always does. */
enum sbm_write {
	SBM_WRITE_MSR,
	SBM_WRITE_CR,
	SBM_WRITE_PKRU,
	SBM_WRITES
};

/* stats.c: counted for the benchmark only */
#if IS_ENABLED(CONFIG_SANDBOX_MODE_BENCH)
void sbm_count_entry(unsigned long invlpg);
void sbm_count_write(enum sbm_write what);
#else
static inline void sbm_count_entry(unsigned long invlpg)
{
}

static inline void sbm_count_write(enum sbm_write what)
{
}
#endif

/* core.c */
void sbm_free_address_space(struct x86_sbm *s);

/* pool.c */
struct x86_sbm *sbm_pool_take(void);
bool sbm_pool_put(struct sbm *sbm, struct x86_sbm *s);
long sbm_pool_pages(void);

/* shared.c */
extern struct x86_sbm sbm_shared;
extern unsigned long sbm_tables_marker[];
int sbm_shared_init(void);
int sbm_use_shared(struct x86_sbm *s);
bool sbm_shared_is_final(void);
void sbm_copy_kernel_half(struct x86_sbm *s, const struct x86_sbm *tmpl);

/* text.c */
#define SBM_NR_BORROWED	7
unsigned int sbm_borrowed_text(unsigned long fn[SBM_NR_BORROWED]);
int sbm_map_text(struct x86_sbm *s);
void sbm_make_user_pages_nonglobal(void);
int sbm_map_module_text(struct x86_sbm *s, unsigned long func);
#ifdef CONFIG_MODULES
void sbm_put_module_half(struct sbm_module_half *half);
void sbm_forget_module(struct module *mod);
#else
static inline void sbm_put_module_half(struct sbm_module_half *half)
{
}
#endif
int sbm_module_rodata(struct module *mod, unsigned long *start,
		      unsigned long *end);
int sbm_module_text(struct module *mod, unsigned long *start,
		    unsigned long *end);
#if IS_ENABLED(CONFIG_KUNIT)
#ifdef CONFIG_KPROBES
unsigned long sbm_first_probeable(unsigned long start, unsigned long end);
#else
/* Without kprobes, no address can take a probe. */
static inline unsigned long sbm_first_probeable(unsigned long start,
						unsigned long end)
{
	return 0;
}
#endif
#endif

/* core.c */
extern unsigned long sbm_mce_recover_ip;

/* poison.c */
#if defined(CONFIG_X86_MCE) && defined(CONFIG_MEMORY_FAILURE)
void __init sbm_poison_init(void);
#else
static inline void sbm_poison_init(void) { }
#endif

/* idt.c */
int __init sbm_map_idt(struct x86_sbm *s);
void sbm_deliver_vector(unsigned int vector);
bool sbm_idt_ready(void);

/* stats.c */
void sbm_count_call(void);
void sbm_count_irq(void);
void sbm_count_abort(unsigned int vector);
long sbm_aborted(unsigned int vector);
void sbm_count_mce_resumed(void);
long sbm_mce_resumes(void);
void sbm_count_timeout(void);
void sbm_count_pages(long delta);
long sbm_pages_held(void);
void sbm_report(const struct x86_sbm *s, unsigned long func);

/* Page protections, built from _PAGE_* bits without _PAGE_GLOBAL. */
#define SBM_PROT_BASE	(_PAGE_PRESENT | _PAGE_ACCESSED)
#define SBM_PROT_RW	(_PAGE_RW | _PAGE_DIRTY)
#define SBM_USER_CODE	(SBM_PROT_BASE | _PAGE_USER)
#define SBM_USER_RO	(SBM_PROT_BASE | _PAGE_USER | _PAGE_NX)
#define SBM_USER_RW	(SBM_USER_RO | SBM_PROT_RW)
/* Writable, with the dirty bit left for the CPU to set on a first write. */
#define SBM_USER_RW_CLEAN	(SBM_USER_RO | _PAGE_RW)
#define SBM_KERN_CODE	(SBM_PROT_BASE)
#define SBM_KERN_RO	(SBM_PROT_BASE | _PAGE_NX)
#define SBM_KERN_RW	(SBM_KERN_RO | SBM_PROT_RW)

#endif /* _X86_KERNEL_SBM_H */
