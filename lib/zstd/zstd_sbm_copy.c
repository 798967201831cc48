// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel's zstd decoder, a second copy for SandBox Mode sandboxes.
 *
 * The decoder is compiled a second time from the same unmodified sources,
 * the way the boot decompressors build it (all of it in one unit,
 * decompress_sources.h, with xxhash.c for the frame checksum), into the
 * sections sandboxes run and read: its code into .sbm.text, its constant
 * tables into .sbm.rodata. It needs no allocator: its context lives in a
 * workspace the caller provides, which the sandbox gets as a scratch buffer.
 *
 * The copy keeps zstd's own names, with internal linkage (clang's
 * attribute, applied to every function of the sources by a pragma; they
 * have no global variables), so that they clash with nothing of the
 * kernel's zstd and xxhash; only the sandbox's entry point and
 * sbm_zstd_copy_workspace_bound() are global. This object exports
 * nothing; zstd_decompress_sbm.c is the interface.
 *
 * The headers of the decoder and of the kernel functions it inlines are
 * first included inside the section pragma, so that out-of-line copies of
 * their inline functions land in .sbm.text too; "sbm check" proves that
 * nothing of the copy refers to anything a sandbox does not map.
 */

#include <linux/module.h>
#include <linux/sbm.h>
#include "zstd_sbm_copy.h"

#undef EXPORT_SYMBOL
#define EXPORT_SYMBOL(sym)
#undef MODULE_LICENSE
#define MODULE_LICENSE(license)
#undef MODULE_DESCRIPTION
#define MODULE_DESCRIPTION(description)

#ifdef CONFIG_SANDBOX_MODE_STRONG
#pragma clang section text = ".sbm.text" rodata = ".sbm.rodata"
#endif
/*
 * Internal linkage also lets the compiler drop what the entry point does
 * not reach (compression declarations, the streaming and dictionary
 * interfaces): unused, which is the point, not a warning.
 */
#pragma clang attribute push(__attribute__((internal_linkage)), \
			     apply_to = function)
#pragma clang diagnostic push
#pragma clang diagnostic ignored "-Wunused-function"
#pragma clang diagnostic ignored "-Wunused-variable"
#include <linux/unaligned.h>
#include <linux/xxhash.h>
#define ZSTD_STATIC_LINKING_ONLY
#include <linux/zstd.h>
#include "common/compiler.h"
#include "common/mem.h"

/*
 * The copy has no allocator: its context is set up in the workspace, and
 * zstd's allocation functions are replaced by ones that allocate nothing
 * and call no function pointer (a caller's allocator would be kernel code
 * that no sandbox maps). zstd's own header is then left out.
 */
#define ZSTD_ALLOCATIONS_H

MEM_STATIC void *ZSTD_customMalloc(size_t size, zstd_custom_mem mem)
{
	return NULL;
}

MEM_STATIC void *ZSTD_customCalloc(size_t size, zstd_custom_mem mem)
{
	return NULL;
}

MEM_STATIC void ZSTD_customFree(void *ptr, zstd_custom_mem mem)
{
}

/*
 * Nor does it run CPUID, which zstd runs to choose its BMI2 code: a task
 * may make CPUID fault for itself (arch_prctl(ARCH_SET_CPUID)), which
 * would stop every call it makes, and a block's error is shared with
 * other readers. The caller tells from the kernel's CPU features instead
 * (sbm_zstd_whole() below); zstd's own header is left out.
 */
#define ZSTD_COMMON_CPU_H

struct sbm_zstd_no_cpuid {
	U32 unused;
};

#define ZSTD_cpuid_t struct sbm_zstd_no_cpuid

MEM_STATIC ZSTD_cpuid_t ZSTD_cpuid(void)
{
	ZSTD_cpuid_t none = { 0 };

	return none;
}

MEM_STATIC int ZSTD_cpuid_bmi1(ZSTD_cpuid_t cpuid)
{
	return 0;
}

MEM_STATIC int ZSTD_cpuid_bmi2(ZSTD_cpuid_t cpuid)
{
	return 0;
}

#include "../xxhash.c"
#include "decompress_sources.h"
#pragma clang diagnostic pop
#pragma clang attribute pop
#ifdef CONFIG_SANDBOX_MODE_STRONG
#pragma clang section text = "" rodata = ""
#endif

/*
 * One whole frame (or several concatenated) in one call: the context holds
 * pointers into the workspace, so it is set up here, in the sandbox, and
 * dropped before the call returns.
 */
static __sbm_text __no_stack_protector int
sbm_zstd_whole(const u8 *src, unsigned int src_len, u8 *dst,
	       unsigned int dst_cap, void *workspace, unsigned int workspace_size,
	       bool bmi2)
{
	zstd_dctx *dctx = zstd_init_dctx(workspace, workspace_size);
	size_t ret;

	if (!dctx)
		return -EINVAL;
	dctx->bmi2 = bmi2;
	ret = zstd_decompress_dctx(dctx, dst, dst_cap, src, src_len);
	if (zstd_is_error(ret) || ret > INT_MAX)
		return -EBADMSG;
	return ret;
}

SBM_DEFINE_THUNK(sbm_zstd_whole, SBM_ZSTD_WHOLE_PARAMS)

size_t sbm_zstd_copy_workspace_bound(void)
{
	return zstd_dctx_workspace_bound();
}
