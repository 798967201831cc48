// SPDX-License-Identifier: GPL-2.0
/*
 * LZ4 decompression in a SandBox Mode sandbox.
 *
 * LZ4 blocks often come from outside the kernel: a file system image a
 * user mounts, a compressed firmware or module file. The decompressor
 * is the kernel's own (lz4_decompress.c), compiled a second time, from
 * the same unmodified source, into the sections sandboxes run and read:
 * its code into .sbm.text, its constant tables into .sbm.rodata. With
 * strong isolation a decompressor bug can then reach nothing but the
 * input and output copies of the call that hit it.
 */

/*
 * The second copy's functions, under names of their own, not exported;
 * <linux/lz4.h> declares them under these names too.
 */
#define LZ4_decompress_safe		sbm_lz4_copy_safe
#define LZ4_decompress_safe_partial	sbm_lz4_copy_safe_partial
#define LZ4_decompress_fast		sbm_lz4_copy_fast
#define LZ4_setStreamDecode		sbm_lz4_copy_set_stream_decode
#define LZ4_decompress_safe_continue	sbm_lz4_copy_safe_continue
#define LZ4_decompress_fast_continue	sbm_lz4_copy_fast_continue
#define LZ4_decompress_safe_usingDict	sbm_lz4_copy_safe_using_dict
#define LZ4_decompress_fast_usingDict	sbm_lz4_copy_fast_using_dict

#include <linux/export.h>
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/lz4.h>
#include <linux/module.h>
#include <linux/sbm.h>
#include <linux/sbm_lz4.h>
#include <linux/unaligned.h>

#undef EXPORT_SYMBOL
#define EXPORT_SYMBOL(sym)
#undef MODULE_LICENSE
#define MODULE_LICENSE(license)
#undef MODULE_DESCRIPTION
#define MODULE_DESCRIPTION(description)

#ifdef CONFIG_SANDBOX_MODE_STRONG
#pragma clang section text = ".sbm.text" rodata = ".sbm.rodata"
#endif
#include "lz4_decompress.c"
#ifdef CONFIG_SANDBOX_MODE_STRONG
#pragma clang section text = "" rodata = ""
#endif

static SBM_DEFINE_FUNC(sbm_lz4_safe, const char *, src, char *, dst,
		       int, src_len, int, dst_cap)
{
	int ret = sbm_lz4_copy_safe(src, dst, src_len, dst_cap);

	return ret < 0 ? -EBADMSG : ret;
}

/**
 * sbm_lz4_decompress_safe() - LZ4_decompress_safe() in a sandbox
 * @sbm:    a set-up SBM instance, or NULL for one just for this call
 * @source: the compressed block
 * @dest:   where the decompressed data goes
 * @compressed_size: size of @source
 * @max_decompressed_size: size of @dest
 *
 * Decompresses as LZ4_decompress_safe() does, in a sandbox: @source is
 * copied in (or lent) and @dest is written in place where it can be (see
 * SBM_LEND_OUT()), the rest copied back only if the block decompresses;
 * with isolation all of @dest is then written, zeroes after the data. As
 * with LZ4_decompress_safe(), @dest is undefined after an error. Without
 * CONFIG_SANDBOX_MODE it is a plain call on the caller's buffers, as with
 * any sandboxed function. An instance the caller keeps makes repeated
 * calls cheaper; an error other than -EBADMSG sticks to it (see
 * sbm_error()), and it must then be destroyed and set up again. What the
 * sandbox returns is checked: a size beyond @dest or an error the
 * decompressor does not return is -EBADMSG, and @dest then holds what
 * the decompressor wrote.
 *
 * Context: process context; may sleep.
 * Return: the number of decompressed bytes, -EBADMSG for a malformed
 * block, -EINVAL for bad sizes (including an empty @dest), or the
 * sandbox's error: -EFAULT if the decompressor was stopped, -ETIME past
 * the time limit, -EINTR on a fatal signal, -ENOMEM, or -EOPNOTSUPP if
 * sandboxes are refused (sbm.strict).
 */
int sbm_lz4_decompress_safe(struct sbm *sbm, const char *source, char *dest,
			    int compressed_size, int max_decompressed_size)
{
	struct sbm own;
	int ret;

	might_sleep();
	if (compressed_size <= 0 || max_decompressed_size <= 0)
		return -EINVAL;
	if (!sbm) {
		sbm = &own;
		sbm_init(sbm);
	}
	ret = sbm_call(sbm, sbm_lz4_safe,
		       SBM_COPY_IN(sbm, source, compressed_size),
		       SBM_LEND_OUT(sbm, dest, max_decompressed_size),
		       compressed_size, max_decompressed_size);
	/*
	 * What a sandbox returns is the word of code a crafted block may
	 * have taken over: a size beyond @dest, or an error the
	 * decompressor does not return, makes the block a malformed one.
	 */
	if (!sbm_error(sbm) && (ret > max_decompressed_size ||
				(ret < 0 && ret != -EBADMSG)))
		ret = -EBADMSG;
	if (sbm == &own)
		sbm_destroy(sbm);
	return ret;
}
EXPORT_SYMBOL_GPL(sbm_lz4_decompress_safe);
