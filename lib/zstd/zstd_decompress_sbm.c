// SPDX-License-Identifier: GPL-2.0
/*
 * zstd decompression in a SandBox Mode sandbox.
 *
 * zstd frames reach the kernel from outside it: file system images a user
 * mounts (squashfs, erofs, btrfs), compressed firmware and modules. The
 * decoder that runs in the sandbox is the kernel's own, compiled a second
 * time into the sections sandboxes run and read (zstd_sbm_copy.c). With
 * strong isolation a decoder bug can then reach nothing but the input,
 * output and workspace copies of the call that hit it.
 */

#include <linux/cpufeature.h>
#include <linux/export.h>
#include <linux/kernel.h>
#include <linux/sbm.h>
#include <linux/sbm_zstd.h>

#include "zstd_sbm_copy.h"

/*
 * Whether the decoder may take its BMI2 paths, which it would ask CPUID
 * about: from the kernel's CPU features (which clearcpuid= may have
 * cleared), since the copy runs no CPUID.
 */
static bool sbm_zstd_bmi2(void)
{
#ifdef CONFIG_X86
	return boot_cpu_has(X86_FEATURE_BMI1) && boot_cpu_has(X86_FEATURE_BMI2);
#else
	return false;
#endif
}

/**
 * sbm_zstd_workspace_size() - size of the workspace sbm_zstd_decompress()
 *                             needs
 *
 * Return: the size in bytes, that of zstd_dctx_workspace_bound().
 */
size_t sbm_zstd_workspace_size(void)
{
	return sbm_zstd_copy_workspace_bound();
}
EXPORT_SYMBOL_GPL(sbm_zstd_workspace_size);

/**
 * sbm_zstd_decompress() - decompress zstd frames in a sandbox
 * @sbm:       a set-up SBM instance, or NULL for one just for this call
 * @workspace: sbm_zstd_workspace_size() bytes for the decoder's context,
 *             8-byte aligned
 * @src:       the compressed frames
 * @src_len:   size of @src
 * @dst:       where the decompressed data goes
 * @dst_cap:   size of @dst
 *
 * Decompresses as zstd_init_dctx() then zstd_decompress_dctx() do, in a
 * sandbox: @src is copied in (or lent), and @dst is copied back only if
 * all of @src decompressed; with isolation all of @dst is then written:
 * the data, then what the decoder left after it (it may keep literals in
 * the tail of the output), or zeroes. With isolation the decoder works in a zeroed
 * workspace of the sandbox's own (SBM_SCRATCH()), and @workspace is not
 * touched. Without CONFIG_SANDBOX_MODE it is a plain call on the caller's
 * buffers, and the decoder works in @workspace. An instance the caller
 * keeps makes repeated calls cheaper; the sandbox's errors stick to it
 * (see sbm_error()), and it must then be destroyed and set up again, while
 * malformed data does not. What the sandbox returns is checked: a size
 * beyond @dst or any error but -EBADMSG is -EBADMSG, and @dst then holds
 * what the decoder wrote.
 *
 * Context: process context; may sleep.
 * Return: the number of decompressed bytes; -EBADMSG if the data is
 * malformed, ends early or does not fit in @dst; -EINVAL for bad sizes or
 * a bad @workspace; or the sandbox's error: -EFAULT if the decoder was
 * stopped, -ETIME past the time limit, -EINTR on a fatal signal, -ENOMEM,
 * or -EOPNOTSUPP if sandboxes are refused (sbm.strict).
 */
int sbm_zstd_decompress(struct sbm *sbm, void *workspace, const void *src,
			unsigned int src_len, void *dst, unsigned int dst_cap)
{
	size_t workspace_size = sbm_zstd_copy_workspace_bound();
	struct sbm own;
	int ret;

	might_sleep();
	/* Without isolation the decoder's context is set up in @workspace. */
	if (!src_len || !dst_cap || src_len > INT_MAX || dst_cap > INT_MAX ||
	    workspace_size > UINT_MAX || !workspace ||
	    !IS_ALIGNED((unsigned long)workspace, sizeof(u64)))
		return -EINVAL;
	if (!sbm) {
		sbm = &own;
		sbm_init(sbm);
	}
	ret = sbm_call(sbm, sbm_zstd_whole,
		       SBM_COPY_IN(sbm, (const u8 *)src, src_len), src_len,
		       SBM_COPY_OUT(sbm, (u8 *)dst, dst_cap), dst_cap,
		       SBM_SCRATCH(sbm, workspace, workspace_size),
		       workspace_size, sbm_zstd_bmi2());
	/*
	 * What a sandbox returns is the word of code crafted data may have
	 * taken over: a size beyond @dst, or any error but -EBADMSG (the
	 * arguments were checked above), makes the data malformed.
	 */
	if (!sbm_error(sbm) && (ret > (int)dst_cap ||
				(ret < 0 && ret != -EBADMSG)))
		ret = -EBADMSG;
	if (sbm == &own)
		sbm_destroy(sbm);
	return ret;
}
EXPORT_SYMBOL_GPL(sbm_zstd_decompress);
