/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * SandBox Mode (SBM): run a function with access to nothing but the
 * buffers its caller hands over. See Documentation/security/sandbox-mode.rst.
 */
#ifndef __LINUX_SBM_H
#define __LINUX_SBM_H

#include <linux/args.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/limits.h>
#include <linux/list.h>
#include <linux/minmax.h>
#include <linux/string.h>
#include <linux/syscalls.h>
#include <linux/types.h>

/**
 * enum sbm_level - isolation level of SandBox Mode in this kernel
 * @SBM_LEVEL_NONE:   the target function is called directly on the
 *                    caller's buffers (CONFIG_SANDBOX_MODE is not set)
 * @SBM_LEVEL_WEAK:   the target function runs on guarded copies of the
 *                    buffers, but with full kernel privileges
 * @SBM_LEVEL_STRONG: the target function runs deprivileged, in an address
 *                    space of its own, and any violation aborts it
 */
enum sbm_level {
	SBM_LEVEL_NONE,
	SBM_LEVEL_WEAK,
	SBM_LEVEL_STRONG,
};

/**
 * struct sbm - a SandBox Mode instance
 * @error: sticky error state; zero while the instance is usable
 * @bufs:  buffers prepared for the next sbm_exec() on this instance
 * @spare: copies of the last call, for the next one to reuse
 * @spare_pages: pages held in @spare
 * @private: architecture data for strong isolation
 * @time_limit_ms: run-time budget of one sbm_exec(), see sbm_set_time_limit()
 * @uninterruptible: fatal signals do not abort calls, see
 *                   sbm_set_uninterruptible()
 *
 * Declare one on the stack or embed it, set it up with sbm_init() and
 * release it with sbm_destroy(). An instance is not thread-safe: one
 * caller at a time. Once @error is set, every further sbm_exec() on the
 * instance fails with that error until it is destroyed and set up again.
 */
struct sbm {
	int error;
#ifdef CONFIG_SANDBOX_MODE
	struct list_head bufs;
	struct list_head spare;
	unsigned int spare_pages;
	void *private;
	unsigned int time_limit_ms;
	bool uninterruptible;
#endif
};

/* Default budget of one call; strong isolation enforces it. */
#define SBM_DEFAULT_TIME_LIMIT_MS	1000
#define SBM_MAX_TIME_LIMIT_MS		(3600 * 1000)
/* An uninterruptible instance keeps a dying task for at most this long. */
#define SBM_MAX_UNINTERRUPTIBLE_MS	(10 * 1000)

/**
 * typedef sbm_func - the signature of a sandbox thunk
 * @data: argument block built by sbm_call()
 *
 * Return: the target function's result.
 */
typedef int (*sbm_func)(void *data);

/*
 * Largest buffer a caller may hand to a sandbox. Beyond this the request is
 * nonsense (and page rounding could overflow), so it fails with -E2BIG
 * before anything is allocated.
 */
#define SBM_MAX_BUF_SIZE	((size_t)INT_MAX)

/*
 * Shared by every level so that bad input gets the same answer whatever
 * the kernel configuration: NULL or empty buffers are -EINVAL, oversized
 * ones -E2BIG.
 */
static inline int sbm_check_buf(const void *buf, size_t size)
{
	if (!buf || !size)
		return -EINVAL;
	if (size > SBM_MAX_BUF_SIZE)
		return -E2BIG;
	return 0;
}

/* Instance state left behind by sbm_destroy(): any further use fails. */
#define SBM_DESTROYED	(-EINVAL)

/**
 * sbm_error() - tell why the last sbm_call() on an instance failed
 * @sbm: SBM instance
 *
 * When sbm_call() or sbm_exec() returns a negative value, a zero result
 * here means the target function itself returned that value. A non-zero
 * result means the sandbox could not run or was aborted; that error
 * sticks to the instance.
 *
 * Return: zero or the instance's negative error code.
 */
static inline int sbm_error(const struct sbm *sbm)
{
	return sbm->error;
}

#ifdef CONFIG_SANDBOX_MODE

/**
 * struct sbm_buf - a buffer handed to a sandbox
 * @list:     link in &struct sbm.bufs
 * @caller:   the caller's buffer
 * @sbm_ptr:  the address of the copy that the target function gets; with
 *            strong isolation the architecture chooses it
 * @copy:     the kernel's mapping of the copy (weak isolation; NULL with
 *            strong isolation, where the kernel uses the direct map)
 * @size:     size of the buffer in bytes (on a spare buffer, that of the
 *            call that used it last)
 * @copy_out: copy the copy back to @caller when the target function
 *            succeeds
 * @writable: the function may write the copy (output, in/out, scratch)
 * @area:     vmalloc area holding the copy, with a guard page each side
 *            (weak isolation)
 * @nr_lent:  number of leading @pages that are the caller's own, lent to
 *            a strong sandbox for the call rather than copied (inputs and
 *            SBM_LEND_OUT()); the copy is then only the rest, and @copy is
 *            NULL
 * @nr_pages: number of pages in @pages
 * @pages:    the pages the sandbox sees: the caller's lent ones, then
 *            those of the copy
 */
struct sbm_buf {
	struct list_head list;
	void *caller;
	void *sbm_ptr;
	void *copy;
	size_t size;
	bool copy_out;
	bool writable;
	struct vm_struct *area;
	unsigned int nr_lent;
	unsigned int nr_pages;
	struct page *pages[] __counted_by(nr_pages);
};

/**
 * sbm_init() - set up an SBM instance
 * @sbm: SBM instance
 *
 * An error is also recorded in @sbm, so a caller may ignore the return
 * value and rely on sbm_call() failing with it.
 *
 * Context: Process context; may sleep.
 *
 * Return: zero or a negative error code: -ENOMEM, or -EOPNOTSUPP where
 * strong isolation is built in, unavailable on this system and the kernel
 * was booted with sbm.strict=1 (refuse rather than fall back to weak).
 */
int sbm_init(struct sbm *sbm);

/**
 * sbm_destroy() - release an SBM instance
 * @sbm: SBM instance
 *
 * Frees the buffers of a call that was prepared but never made, and the
 * copies kept from the last call. Any later use of @sbm other than
 * sbm_init() fails with -EINVAL.
 *
 * Context: Process context; may sleep.
 */
void sbm_destroy(struct sbm *sbm);

/**
 * sbm_exec() - run a thunk in a sandbox
 * @sbm:  SBM instance
 * @func: thunk, as defined by SBM_DEFINE_THUNK()
 * @data: its argument block; with strong isolation it must be NULL or a
 *        buffer of this call, as sbm_pass_args() makes it
 *
 * Runs @func unless @sbm already has an error. If @func returns zero or
 * more, the output and in/out buffers prepared for this call are copied
 * back to the caller (the pages SBM_LEND_OUT() lent hold the output
 * already). Whatever happens, the buffers are then released.
 *
 * Context: Process context; may sleep.
 *
 * Return: the value returned by @func, or the error of @sbm.
 */
int sbm_exec(struct sbm *sbm, sbm_func func, void *data);

/**
 * sbm_copy_in() - prepare an input buffer; see SBM_COPY_IN()
 * @sbm:  SBM instance
 * @buf:  caller's buffer
 * @size: size of @buf in bytes
 *
 * Return: the sandbox copy of @buf, or NULL with the error set in @sbm.
 */
void *sbm_copy_in(struct sbm *sbm, const void *buf, size_t size);

/**
 * sbm_copy_out() - prepare an output buffer; see SBM_COPY_OUT()
 * @sbm:  SBM instance
 * @buf:  caller's buffer
 * @size: size of @buf in bytes
 *
 * Return: the (zeroed) sandbox copy, or NULL with the error set in @sbm.
 */
void *sbm_copy_out(struct sbm *sbm, void *buf, size_t size);

/**
 * sbm_copy_inout() - prepare an in/out buffer; see SBM_COPY_INOUT()
 * @sbm:  SBM instance
 * @buf:  caller's buffer
 * @size: size of @buf in bytes
 *
 * Return: the sandbox copy of @buf, or NULL with the error set in @sbm.
 */
void *sbm_copy_inout(struct sbm *sbm, void *buf, size_t size);

/**
 * sbm_lend_out() - prepare an output buffer written in place where it can
 * be; see SBM_LEND_OUT()
 * @sbm:  SBM instance
 * @buf:  caller's buffer
 * @size: size of @buf in bytes
 *
 * Return: the address the function writes to, or NULL with the error set
 * in @sbm.
 */
void *sbm_lend_out(struct sbm *sbm, void *buf, size_t size);

/**
 * sbm_scratch() - prepare a scratch buffer; see SBM_SCRATCH()
 * @sbm:  SBM instance
 * @buf:  caller's buffer, which the function gets without isolation
 * @size: size of @buf in bytes
 *
 * Return: the (zeroed) sandbox copy, or NULL with the error set in @sbm.
 */
void *sbm_scratch(struct sbm *sbm, void *buf, size_t size);

/**
 * sbm_level() - isolation level in effect
 *
 * Return: %SBM_LEVEL_WEAK or %SBM_LEVEL_STRONG with CONFIG_SANDBOX_MODE,
 * %SBM_LEVEL_NONE without.
 */
enum sbm_level sbm_level(void);

/**
 * sbm_pages() - pages that SBM instances hold
 *
 * Counts the pages of buffer copies, those kept for the next call
 * included, and with strong isolation the architecture's own: page
 * tables, stacks, control pages (and on x86 the page tables all instances
 * share, which stay). Tests compare it before and after, to find leaks.
 *
 * Return: the number of pages all instances hold.
 */
long sbm_pages(void);

/*
 * Arch hooks, implemented by an architecture that selects HAVE_ARCH_SBM.
 * The core calls them only with CONFIG_SANDBOX_MODE_STRONG.
 */

/**
 * arch_sbm_supported() - tell whether strong isolation works on this system
 *
 * Return: false to fall back to weak isolation, e.g. on a CPU feature the
 * implementation does not handle.
 */
bool arch_sbm_supported(void);

/**
 * arch_sbm_init() - set up the architecture part of an SBM instance
 * @sbm: SBM instance, with @sbm->private still NULL
 *
 * Return: zero or a negative error code, which becomes the instance's
 * sticky error.
 */
int arch_sbm_init(struct sbm *sbm);

/**
 * arch_sbm_destroy() - release what arch_sbm_init() and the map hooks set up
 * @sbm: SBM instance; may be one whose arch_sbm_init() failed
 */
void arch_sbm_destroy(struct sbm *sbm);

/**
 * arch_sbm_map_readonly() - make an input buffer readable in the sandbox
 * @sbm: SBM instance
 * @buf: buffer; the hook sets @buf->sbm_ptr to where the sandbox sees it
 *
 * Return: zero or a negative error code.
 */
int arch_sbm_map_readonly(struct sbm *sbm, struct sbm_buf *buf);

/**
 * arch_sbm_map_writable() - make an output buffer writable in the sandbox
 * @sbm: SBM instance
 * @buf: buffer; the hook sets @buf->sbm_ptr to where the sandbox sees it
 *
 * Return: zero or a negative error code.
 */
int arch_sbm_map_writable(struct sbm *sbm, struct sbm_buf *buf);

/**
 * arch_sbm_lendable() - tell whether a page of the caller can be lent
 * @addr:     page-aligned address of the page, in the direct map, the
 *            kernel image or a vmalloc() area
 * @writable: the sandbox would write it (SBM_LEND_OUT())
 *
 * A lent page is mapped into the sandbox as ordinary memory: the kernel
 * must map it present, as ordinary RAM with the attributes the sandbox's
 * mapping would have, and writable if @writable.
 *
 * Return: true if the page may be lent, false to copy it instead.
 */
bool arch_sbm_lendable(const void *addr, bool writable);

/**
 * arch_sbm_exec() - run a thunk in the sandbox
 * @sbm:  SBM instance
 * @func: thunk to run
 * @data: its argument block, a buffer of this call (see sbm_pass_args())
 *
 * If the sandbox has to be aborted, the implementation sets @sbm->error
 * to a negative error code (-EFAULT for a memory access violation) and
 * returns it.
 *
 * Return: the value returned by @func, or the abort error.
 */
int arch_sbm_exec(struct sbm *sbm, sbm_func func, void *data);

/**
 * arch_sbm_pages() - pages the architecture holds for all sandboxes
 *
 * Return: the number of pages, for sbm_pages().
 */
long arch_sbm_pages(void);

#else /* !CONFIG_SANDBOX_MODE */

/*
 * No isolation: the target function runs on the caller's own buffers.
 * Validation and sticky errors still behave as with isolation, so code
 * written against one level behaves the same on the others.
 */

static inline int sbm_init(struct sbm *sbm)
{
	might_sleep();
	sbm->error = 0;
	return 0;
}

static inline void sbm_destroy(struct sbm *sbm)
{
	might_sleep();
	sbm->error = SBM_DESTROYED;
}

static inline int sbm_exec(struct sbm *sbm, sbm_func func, void *data)
{
	if (sbm->error)
		return sbm->error;
	return func(data);
}

static inline void *sbm_pass_buf(struct sbm *sbm, const void *buf,
				 size_t size)
{
	int err = sbm_check_buf(buf, size);

	if (sbm->error)
		return NULL;
	if (err) {
		sbm->error = err;
		return NULL;
	}
	return (void *)buf;
}

static inline void *sbm_copy_in(struct sbm *sbm, const void *buf,
				size_t size)
{
	return sbm_pass_buf(sbm, buf, size);
}

static inline void *sbm_copy_out(struct sbm *sbm, void *buf, size_t size)
{
	return sbm_pass_buf(sbm, buf, size);
}

static inline void *sbm_copy_inout(struct sbm *sbm, void *buf, size_t size)
{
	return sbm_pass_buf(sbm, buf, size);
}

static inline void *sbm_lend_out(struct sbm *sbm, void *buf, size_t size)
{
	return sbm_pass_buf(sbm, buf, size);
}

static inline void *sbm_scratch(struct sbm *sbm, void *buf, size_t size)
{
	return sbm_pass_buf(sbm, buf, size);
}

static inline enum sbm_level sbm_level(void)
{
	return SBM_LEVEL_NONE;
}

static inline long sbm_pages(void)
{
	return 0;
}

#endif /* CONFIG_SANDBOX_MODE */

/**
 * sbm_set_time_limit() - set how long one sbm_exec() may run
 * @sbm:   SBM instance
 * @msecs: the budget in milliseconds, from 1 to %SBM_MAX_TIME_LIMIT_MS
 *         (%SBM_MAX_UNINTERRUPTIBLE_MS on an uninterruptible instance)
 *
 * With strong isolation a function that runs longer, counting only the
 * time it spends in the sandbox, is aborted with -ETIME. Other levels
 * cannot stop a running function and ignore the budget. The default is
 * %SBM_DEFAULT_TIME_LIMIT_MS.
 *
 * Return: zero, or -EINVAL if @msecs is out of range.
 */
static inline int sbm_set_time_limit(struct sbm *sbm, unsigned int msecs)
{
	if (!msecs || msecs > SBM_MAX_TIME_LIMIT_MS)
		return -EINVAL;
#ifdef CONFIG_SANDBOX_MODE
	if (sbm->uninterruptible && msecs > SBM_MAX_UNINTERRUPTIBLE_MS)
		return -EINVAL;
	sbm->time_limit_ms = msecs;
#endif
	return 0;
}

/**
 * sbm_set_uninterruptible() - let fatal signals not abort calls
 * @sbm: SBM instance
 *
 * With strong isolation a call is aborted with -EINTR once its task has
 * a fatal signal pending, so that a dying task does not wait for a
 * runaway function. A caller whose result other tasks share, such as a
 * file system filling a cache, must not fail because the task that
 * happened to fill it is dying: after this, calls on @sbm end only when
 * the function returns, by a violation, or at the time limit, which is
 * cut to %SBM_MAX_UNINTERRUPTIBLE_MS if it was longer, so that a dying
 * task waits for a runaway no more than that per call.
 */
static inline void sbm_set_uninterruptible(struct sbm *sbm)
{
#ifdef CONFIG_SANDBOX_MODE
	sbm->uninterruptible = true;
	sbm->time_limit_ms = min_t(unsigned int, sbm->time_limit_ms,
				   SBM_MAX_UNINTERRUPTIBLE_MS);
#endif
}

/**
 * sbm_pass_args() - hand an argument block to a sandbox
 * @sbm:  SBM instance
 * @args: the argument block of the next sbm_exec()
 * @size: its size in bytes
 *
 * A strongly isolated function cannot read the caller's stack, so the
 * argument block becomes an input buffer of the call. Elsewhere it is
 * passed as it is.
 *
 * Return: what to pass to sbm_exec() as its data, or NULL on error, which
 * is then recorded in @sbm.
 */
static inline void *sbm_pass_args(struct sbm *sbm, void *args, size_t size)
{
	if (!IS_ENABLED(CONFIG_SANDBOX_MODE_STRONG))
		return args;
	return sbm_copy_in(sbm, args, size);
}

/*
 * __sbm_text - marks a function that runs in a sandbox
 *
 * Strong isolation executes only functions in the .sbm.text section (and
 * a few compiler helpers), so a sandboxed function and every function it
 * calls that is not inlined must carry this. Instrumentation is off: it
 * would call into or read kernel data, which the sandbox cannot reach.
 * So must the stack protector be, whose canary is per-CPU data: the
 * functions SBM_DEFINE_FUNC() and SBM_DEFINE_THUNK() define have
 * __no_stack_protector too, and so must other such functions with
 * CONFIG_STACKPROTECTOR.
 */
#ifdef CONFIG_SANDBOX_MODE_STRONG
#define __sbm_text	__noinstr_section(".sbm.text")
#else
#define __sbm_text
#endif

/*
 * __sbm_rodata - marks constant data that sandboxed code reads
 *
 * Besides its buffers and stack, strong isolation lets a sandbox read
 * only the .sbm.rodata section: the lookup tables and other constants of
 * sandboxed code must carry this, and nothing else of the kernel's
 * read-only data is mapped, string literals included. The data must be
 * const (sbm check rejects a writable .sbm.rodata); pointers
 * in it may lead only to sandboxed code and to .sbm.rodata, as anything
 * else would fault in the sandbox.
 */
#ifdef CONFIG_SANDBOX_MODE_STRONG
#define __sbm_rodata	__section(".sbm.rodata")
#else
#define __sbm_rodata
#endif

/**
 * sbm_level_name() - name of an isolation level, for messages
 * @level: isolation level
 *
 * Return: "none", "weak" or "strong".
 */
static inline const char *sbm_level_name(enum sbm_level level)
{
	switch (level) {
	case SBM_LEVEL_STRONG:
		return "strong";
	case SBM_LEVEL_WEAK:
		return "weak";
	default:
		return "none";
	}
}

/**
 * struct sbm_events - expensive CPU operations of strong isolation
 * @entries:    sandbox entries (and as many exits)
 * @invlpg:     TLB entries of kernel pages flushed on those entries
 * @cr3_writes: CR3 writes, two per entry
 * @idt_loads:  LIDT, two per entry
 * @msr_writes: WRMSR, including the speculation-control MSRs the kernel's
 *              entry mitigations write (IBRS, IBPB)
 * @cr_writes:  CR0 and CR4 writes
 * @pkru_writes: WRPKRU
 *
 * Counted only when the benchmark (CONFIG_SANDBOX_MODE_BENCH) is built.
 */
struct sbm_events {
	unsigned long entries;
	unsigned long invlpg;
	unsigned long cr3_writes;
	unsigned long idt_loads;
	unsigned long msr_writes;
	unsigned long cr_writes;
	unsigned long pkru_writes;
};

#if IS_ENABLED(CONFIG_SANDBOX_MODE_BENCH) && defined(CONFIG_SANDBOX_MODE_STRONG)
void sbm_events(struct sbm_events *ev);
#else
static inline void sbm_events(struct sbm_events *ev)
{
}
#endif

/**
 * SBM_COPY_IN() - hand a read-only input buffer to the sandbox
 * @sbm:  SBM instance
 * @buf:  caller's buffer
 * @size: size of @buf in bytes
 *
 * With isolation, @buf is copied into sandbox memory that the target
 * function can read but not write, and nothing is copied back. The copy
 * lives until the next sbm_exec() on @sbm returns. Strong isolation lends
 * the pages that lie entirely in a page-aligned @buf of the direct map,
 * the kernel image or vmalloc() instead of copying them (where the kernel
 * maps them as ordinary memory): they are mapped read-only into the
 * sandbox for the call, which reads them as they are while it runs. @buf
 * must stay valid and unchanged until sbm_exec() returns.
 *
 * Return: pointer to use inside the sandbox, with the type of @buf, or
 * NULL after setting the sticky error of @sbm (-EINVAL, -E2BIG, -ENOMEM).
 */
#define SBM_COPY_IN(sbm, buf, size) ({					\
	__auto_type __sbm_buf = (buf);					\
	(__typeof__(__sbm_buf))sbm_copy_in((sbm), __sbm_buf, (size));	\
})

/**
 * SBM_COPY_OUT() - hand a write-only output buffer to the sandbox
 * @sbm:  SBM instance
 * @buf:  caller's buffer
 * @size: size of @buf in bytes
 *
 * With isolation, the target function gets a zero-filled buffer of @size
 * bytes. It is copied to @buf only if the target function returns a value
 * of zero or more; after an error or an abort @buf is left untouched.
 *
 * Return: pointer to use inside the sandbox, with the type of @buf, or
 * NULL after setting the sticky error of @sbm.
 */
#define SBM_COPY_OUT(sbm, buf, size) ({					\
	__auto_type __sbm_buf = (buf);					\
	(__typeof__(__sbm_buf))sbm_copy_out((sbm), __sbm_buf, (size));	\
})

/**
 * SBM_COPY_INOUT() - hand a read-write buffer to the sandbox
 * @sbm:  SBM instance
 * @buf:  caller's buffer
 * @size: size of @buf in bytes
 *
 * Like SBM_COPY_OUT(), but the sandbox copy starts with the content of
 * @buf.
 *
 * Return: pointer to use inside the sandbox, with the type of @buf, or
 * NULL after setting the sticky error of @sbm.
 */
#define SBM_COPY_INOUT(sbm, buf, size) ({				\
	__auto_type __sbm_buf = (buf);					\
	(__typeof__(__sbm_buf))sbm_copy_inout((sbm), __sbm_buf, (size));	\
})

/**
 * SBM_LEND_OUT() - hand the sandbox an output buffer to write in place
 * @sbm:  SBM instance
 * @buf:  caller's buffer
 * @size: size of @buf in bytes
 *
 * Like SBM_COPY_OUT(), for large outputs whose copy back would cost as
 * much as producing them (a decompressor's), and for callers that do not
 * need @buf as it was after a failure. Strong isolation zeroes the pages
 * that lie entirely in a page-aligned @buf of the direct map or of
 * vmalloc() (not the kernel image) when the call starts, and lends them
 * writable to the sandbox for the call; the rest is copied back as by
 * SBM_COPY_OUT(). A buffer that overlaps another lent one of the call is
 * copied.
 * The function never sees what @buf held. After an error or an abort,
 * those pages hold zeroes and whatever the function wrote: nothing else
 * may read @buf until the call has returned, and the caller must treat
 * its content as undefined when the call fails. Weak isolation copies.
 *
 * Return: pointer to use inside the sandbox, with the type of @buf, or
 * NULL after setting the sticky error of @sbm.
 */
#define SBM_LEND_OUT(sbm, buf, size) ({					\
	__auto_type __sbm_buf = (buf);					\
	(__typeof__(__sbm_buf))sbm_lend_out((sbm), __sbm_buf, (size));	\
})

/**
 * SBM_SCRATCH() - hand the sandbox memory that is neither copied in nor out
 * @sbm:  SBM instance
 * @buf:  caller's buffer, used only without isolation
 * @size: size of @buf in bytes
 *
 * For a workspace the target function needs only while it runs, such as a
 * decompressor's state. With isolation, the target function gets a
 * zero-filled, writable buffer of @size bytes that is never copied back:
 * @buf is not touched, and an instance that keeps its copies does not pay
 * for a copy back on every call. Without isolation the function works in
 * @buf itself, as it is (not zeroed), as with SBM_COPY_OUT().
 *
 * Return: pointer to use inside the sandbox, with the type of @buf, or
 * NULL after setting the sticky error of @sbm.
 */
#define SBM_SCRATCH(sbm, buf, size) ({					\
	__auto_type __sbm_buf = (buf);					\
	(__typeof__(__sbm_buf))sbm_scratch((sbm), __sbm_buf, (size));	\
})

/*
 * Type/name pairs to an argument count: SBM_DEFINE_* take 1 to 7 pairs (as
 * many as COUNT_ARGS() counts), so an odd number of arguments or too many
 * pairs has no expansion here and fails to compile.
 */
#define __SBM_PAIRS_2	1
#define __SBM_PAIRS_4	2
#define __SBM_PAIRS_6	3
#define __SBM_PAIRS_8	4
#define __SBM_PAIRS_10	5
#define __SBM_PAIRS_12	6
#define __SBM_PAIRS_14	7
#define __SBM_PAIRS(...) CONCATENATE(__SBM_PAIRS_, COUNT_ARGS(__VA_ARGS__))

/*
 * Lists made of the pairs: @family1 to @family7 each take that many pairs
 * and use each type and name once. (A list macro that took the macro to
 * apply to each pair would use it more than once.)
 */
#define __SBM_EACH(family, ...) \
	CONCATENATE(family, __SBM_PAIRS(__VA_ARGS__))(__VA_ARGS__)
#define __SBM_LIST(...)		__VA_ARGS__

/* The parameter list: "t a, ..." */
#define __SBM_DECL1(t, a)	__SC_DECL(t, a)
#define __SBM_DECL2(t, a, ...)	__SBM_LIST(__SC_DECL(t, a), __SBM_DECL1(__VA_ARGS__))
#define __SBM_DECL3(t, a, ...)	__SBM_LIST(__SC_DECL(t, a), __SBM_DECL2(__VA_ARGS__))
#define __SBM_DECL4(t, a, ...)	__SBM_LIST(__SC_DECL(t, a), __SBM_DECL3(__VA_ARGS__))
#define __SBM_DECL5(t, a, ...)	__SBM_LIST(__SC_DECL(t, a), __SBM_DECL4(__VA_ARGS__))
#define __SBM_DECL6(t, a, ...)	__SBM_LIST(__SC_DECL(t, a), __SBM_DECL5(__VA_ARGS__))
#define __SBM_DECL7(t, a, ...)	__SBM_LIST(__SC_DECL(t, a), __SBM_DECL6(__VA_ARGS__))

/* The stores into the argument block, one expression. */
#define __SBM_STORE(t, a)	(__sbm_args.__sbm_arg_##a = (__typeof__(t))(a))
#define __SBM_STORE1(t, a)	__SBM_STORE(t, a)
#define __SBM_STORE2(t, a, ...)	__SBM_LIST(__SBM_STORE(t, a), __SBM_STORE1(__VA_ARGS__))
#define __SBM_STORE3(t, a, ...)	__SBM_LIST(__SBM_STORE(t, a), __SBM_STORE2(__VA_ARGS__))
#define __SBM_STORE4(t, a, ...)	__SBM_LIST(__SBM_STORE(t, a), __SBM_STORE3(__VA_ARGS__))
#define __SBM_STORE5(t, a, ...)	__SBM_LIST(__SBM_STORE(t, a), __SBM_STORE4(__VA_ARGS__))
#define __SBM_STORE6(t, a, ...)	__SBM_LIST(__SBM_STORE(t, a), __SBM_STORE5(__VA_ARGS__))
#define __SBM_STORE7(t, a, ...)	__SBM_LIST(__SBM_STORE(t, a), __SBM_STORE6(__VA_ARGS__))
/* The type of a member of the argument block: @t, assignable if const. */
#define __SBM_MEMBER(t)		__unqual_scalar_typeof(*(__typeof__(t) *)NULL)

/* The arguments, read back from the argument block in the thunk. */
#define __SBM_UNPACK(t, a)	((__typeof__(t))__sbm_args->__sbm_arg_##a)
#define __SBM_UNPACK1(t, a)	__SBM_UNPACK(t, a)
#define __SBM_UNPACK2(t, a, ...) \
	__SBM_LIST(__SBM_UNPACK(t, a), __SBM_UNPACK1(__VA_ARGS__))
#define __SBM_UNPACK3(t, a, ...) \
	__SBM_LIST(__SBM_UNPACK(t, a), __SBM_UNPACK2(__VA_ARGS__))
#define __SBM_UNPACK4(t, a, ...) \
	__SBM_LIST(__SBM_UNPACK(t, a), __SBM_UNPACK3(__VA_ARGS__))
#define __SBM_UNPACK5(t, a, ...) \
	__SBM_LIST(__SBM_UNPACK(t, a), __SBM_UNPACK4(__VA_ARGS__))
#define __SBM_UNPACK6(t, a, ...) \
	__SBM_LIST(__SBM_UNPACK(t, a), __SBM_UNPACK5(__VA_ARGS__))
#define __SBM_UNPACK7(t, a, ...) \
	__SBM_LIST(__SBM_UNPACK(t, a), __SBM_UNPACK6(__VA_ARGS__))

/*
 * The argument block of a sandboxed function, one definition per number
 * of parameters because struct members are not a comma-separated list.
 * @key names everything defined for one function.
 */
#define __SBM_ARGS1(key, t1, a1)					\
	struct key##_args {						\
		__SBM_MEMBER(t1) __sbm_arg_##a1;			\
	}
#define __SBM_ARGS2(key, t1, a1, t2, a2)				\
	struct key##_args {						\
		__SBM_MEMBER(t1) __sbm_arg_##a1;			\
		__SBM_MEMBER(t2) __sbm_arg_##a2;			\
	}
#define __SBM_ARGS3(key, t1, a1, t2, a2, t3, a3)			\
	struct key##_args {						\
		__SBM_MEMBER(t1) __sbm_arg_##a1;			\
		__SBM_MEMBER(t2) __sbm_arg_##a2;			\
		__SBM_MEMBER(t3) __sbm_arg_##a3;			\
	}
#define __SBM_ARGS4(key, t1, a1, t2, a2, t3, a3, t4, a4)		\
	struct key##_args {						\
		__SBM_MEMBER(t1) __sbm_arg_##a1;			\
		__SBM_MEMBER(t2) __sbm_arg_##a2;			\
		__SBM_MEMBER(t3) __sbm_arg_##a3;			\
		__SBM_MEMBER(t4) __sbm_arg_##a4;			\
	}
#define __SBM_ARGS5(key, t1, a1, t2, a2, t3, a3, t4, a4, t5, a5)	\
	struct key##_args {						\
		__SBM_MEMBER(t1) __sbm_arg_##a1;			\
		__SBM_MEMBER(t2) __sbm_arg_##a2;			\
		__SBM_MEMBER(t3) __sbm_arg_##a3;			\
		__SBM_MEMBER(t4) __sbm_arg_##a4;			\
		__SBM_MEMBER(t5) __sbm_arg_##a5;			\
	}
#define __SBM_ARGS6(key, t1, a1, t2, a2, t3, a3, t4, a4, t5, a5, t6, a6) \
	struct key##_args {						\
		__SBM_MEMBER(t1) __sbm_arg_##a1;			\
		__SBM_MEMBER(t2) __sbm_arg_##a2;			\
		__SBM_MEMBER(t3) __sbm_arg_##a3;			\
		__SBM_MEMBER(t4) __sbm_arg_##a4;			\
		__SBM_MEMBER(t5) __sbm_arg_##a5;			\
		__SBM_MEMBER(t6) __sbm_arg_##a6;			\
	}
#define __SBM_ARGS7(key, t1, a1, t2, a2, t3, a3, t4, a4, t5, a5, t6, a6, \
		    t7, a7)						\
	struct key##_args {						\
		__SBM_MEMBER(t1) __sbm_arg_##a1;			\
		__SBM_MEMBER(t2) __sbm_arg_##a2;			\
		__SBM_MEMBER(t3) __sbm_arg_##a3;			\
		__SBM_MEMBER(t4) __sbm_arg_##a4;			\
		__SBM_MEMBER(t5) __sbm_arg_##a5;			\
		__SBM_MEMBER(t6) __sbm_arg_##a6;			\
		__SBM_MEMBER(t7) __sbm_arg_##a7;			\
	}
#define __SBM_ARGS(key, ...) \
	CONCATENATE(__SBM_ARGS, __SBM_PAIRS(__VA_ARGS__))(key, __VA_ARGS__)

/*
 * The argument block, and the helper sbm_call() expands to. The block is
 * cleared before the arguments are stored: an initializer would leave its
 * padding undefined, and bytes of the caller's stack could reach the
 * sandbox in it.
 */
#define __SBM_DEFINE_CALL(storage, key, ...)				\
	storage __sbm_text __no_stack_protector				\
	int key##_thunk(void *__sbm_data);				\
	__SBM_ARGS(key, __VA_ARGS__);					\
	static __always_inline int					\
	key##_call(struct sbm *__sbm, __SBM_EACH(__SBM_DECL, __VA_ARGS__))	\
	{								\
		struct key##_args __sbm_args;				\
									\
		memset(&__sbm_args, 0, sizeof(__sbm_args));		\
		__SBM_EACH(__SBM_STORE, __VA_ARGS__);			\
		return sbm_exec(__sbm, key##_thunk,			\
				sbm_pass_args(__sbm, &__sbm_args,	\
					      sizeof(__sbm_args)));	\
	}

/* The thunk: unpack the argument block and call @target. */
#define __SBM_DEFINE_THUNK(target, key, ...)				\
	int key##_thunk(void *__sbm_data)				\
	{								\
		struct key##_args *__sbm_args = __sbm_data;		\
									\
		return target(__SBM_EACH(__SBM_UNPACK, __VA_ARGS__));	\
	}

/**
 * SBM_DEFINE_CALL() - define how to call an existing function in a sandbox
 * @f:   target function
 * @...: its parameters as type/name pairs, e.g. ``const u8 *, in, u8 *, out``
 *
 * Defines the argument block of @f and the helper sbm_call() expands to.
 * Use it where @f is called, e.g. in a header; SBM_DEFINE_THUNK() must be
 * used where @f is defined. SBM_DEFINE_FUNC() does both. Parameters are
 * stored by value in the argument block: scalars and pointers (a const
 * one of a type other than an integer needs a compiler with
 * typeof_unqual, such as GCC 14 or clang 19), and only buffers from
 * SBM_COPY_IN() and friends are reachable in the sandbox.
 */
#define SBM_DEFINE_CALL(f, ...)	__SBM_DEFINE_CALL(, __sbm_##f, __VA_ARGS__)

/**
 * SBM_DEFINE_THUNK() - define the entry point that runs @f in a sandbox
 * @f:   target function
 * @...: its parameters as type/name pairs, exactly as for SBM_DEFINE_CALL()
 *
 * The thunk unpacks the argument block built by sbm_call() and calls @f.
 * It must follow SBM_DEFINE_CALL() for the same function, e.g. from a
 * shared header, so that the call and the thunk may live in different
 * files.
 */
#define SBM_DEFINE_THUNK(f, ...) \
	__SBM_DEFINE_THUNK(f, __sbm_##f, __VA_ARGS__)

/**
 * SBM_DEFINE_FUNC() - define a function meant to run in a sandbox
 * @f:   function name
 * @...: its parameters as type/name pairs (one to seven pairs)
 *
 * Expands to what sbm_call() needs and to the head of the function, so
 * that its body follows the macro. It may be preceded by ``static``. The
 * function is meant to be called through sbm_call() only; its symbol is
 * __sbm_fn_@f, and its thunk is local to the file.
 */
#define SBM_DEFINE_FUNC(f, ...)						\
	__sbm_text __no_stack_protector					\
	int __sbm_fn_##f(__SBM_EACH(__SBM_DECL, __VA_ARGS__));		\
	__SBM_DEFINE_CALL(static, __sbm_##f, __VA_ARGS__)		\
	static __SBM_DEFINE_THUNK(__sbm_fn_##f, __sbm_##f, __VA_ARGS__)	\
	int __sbm_fn_##f(__SBM_EACH(__SBM_DECL, __VA_ARGS__))

/**
 * sbm_call() - call a function in a sandbox
 * @sbm: SBM instance
 * @f:   function defined with SBM_DEFINE_FUNC() or SBM_DEFINE_CALL()
 * @...: its arguments, usually built with SBM_COPY_IN(), SBM_COPY_OUT()
 *       and SBM_COPY_INOUT()
 *
 * The arguments are evaluated (and buffers copied) before the sandbox is
 * entered. See sbm_exec() for what happens next.
 *
 * Return: the value returned by @f, or a negative error code if the
 * sandbox could not run or was aborted (then sbm_error() is non-zero).
 */
#define sbm_call(sbm, f, ...)	__sbm_##f##_call(sbm, __VA_ARGS__)

#endif /* __LINUX_SBM_H */
