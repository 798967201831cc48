// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel's zstd decoder, a second copy for SandBox Mode sandboxes.
 *
 * The decoder is compiled a second time from the same unmodified sources,
 * the way the boot decompressors build it (all of it in one unit,
 * decompress_sources.h, with xxhash.c for the frame checksum), into the
 * sections sandboxes run and read: its code into .sbm.text, its constant
 * tables into .sbm.rodata. It needs no allocator: its context lives in a
 * workspace the caller provides, which the sandbox gets as a buffer.
 *
 * The copy keeps zstd's own function names: the Makefile makes every
 * symbol of this object local but sbm_zstd_copy_workspace_bound() and the
 * sandbox's entry point, so that they clash with nothing of the kernel's
 * zstd and xxhash. This object exports nothing; zstd_decompress_sbm.c is
 * the interface.
 *
 * The headers of the decoder and of the kernel functions it inlines are
 * first included inside the section pragma, so that out-of-line copies of
 * their inline functions land in .sbm.text too.
 */

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
#include <linux/math64.h>
#include <linux/unaligned.h>
#include <linux/xxhash.h>
#define ZSTD_STATIC_LINKING_ONLY
#include <linux/zstd.h>
#include "common/compiler.h"

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

#include "../xxhash.c"
#include "decompress_sources.h"
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
	       unsigned int dst_cap, void *workspace, unsigned int workspace_size)
{
	zstd_dctx *dctx = zstd_init_dctx(workspace, workspace_size);
	size_t ret;

	if (!dctx)
		return -EINVAL;
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
