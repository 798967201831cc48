// SPDX-License-Identifier: GPL-2.0
/*
 * zlib inflate in a SandBox Mode sandbox.
 *
 * Deflate streams reach the kernel from outside it: file system images a
 * user mounts (squashfs, cramfs, ...), compressed firmware and modules,
 * network protocols. This is the kernel's own inflate (inflate.c,
 * inffast.c and inftrees.c in this directory), compiled a second time,
 * from the same unmodified sources, into the sections sandboxes run and
 * read: its code into .sbm.text, its constant tables into .sbm.rodata.
 * It needs no allocator: its state and window live in a workspace the
 * caller provides, which the sandbox gets as a scratch buffer. With strong
 * isolation an inflate bug can then reach nothing but the input, output
 * and workspace copies of the call that hit it.
 *
 * The headers with inline functions that inflate uses (<linux/zutil.h>)
 * are first included inside the section pragma, so that their out-of-line
 * copies land in .sbm.text too. String literals escape the pragma: inflate
 * stores the addresses of its messages in z_stream.msg and never reads
 * them, so they stay in .rodata, out of the sandbox's reach.
 */

/*
 * The second copy's functions, under names of their own, not exported;
 * <linux/zlib.h> and the local headers declare them under these names too.
 */
#define zlib_inflate_workspacesize	sbm_zlib_copy_workspacesize
#define zlib_inflateReset		sbm_zlib_copy_reset
#define zlib_inflateInit2		sbm_zlib_copy_init2
#define zlib_inflate			sbm_zlib_copy_inflate
#define zlib_inflateEnd			sbm_zlib_copy_end
#define zlib_inflateIncomp		sbm_zlib_copy_incomp
#define zlib_inflate_table		sbm_zlib_copy_table
#define inflate_fast			sbm_zlib_copy_fast

#include <linux/export.h>
#include <linux/kernel.h>
#include <linux/sbm.h>
#include <linux/sbm_zlib.h>
#include <linux/unaligned.h>
#include <linux/zlib.h>

#ifdef CONFIG_SANDBOX_MODE_STRONG
#pragma clang section text = ".sbm.text" rodata = ".sbm.rodata"
#endif
#include "inflate.c"
#include "inffast.c"
#include "inftrees.c"
#ifdef CONFIG_SANDBOX_MODE_STRONG
#pragma clang section text = "" rodata = ""
#endif

/*
 * One whole stream in one call: the stream state holds pointers into the
 * workspace and the buffers, so it is set up here, in the sandbox, on its
 * stack, and dropped before the call returns.
 */
static SBM_DEFINE_FUNC(sbm_zlib_whole, const u8 *, src, unsigned int, src_len,
		       u8 *, dst, unsigned int, dst_cap, void *, workspace,
		       int, window_bits)
{
	z_stream strm;

	memset(&strm, 0, sizeof(strm));
	strm.workspace = workspace;
	if (sbm_zlib_copy_init2(&strm, window_bits) != Z_OK)
		return -EINVAL;
	strm.next_in = src;
	strm.avail_in = src_len;
	strm.next_out = dst;
	strm.avail_out = dst_cap;
	if (sbm_zlib_copy_inflate(&strm, Z_FINISH) != Z_STREAM_END)
		return -EBADMSG;
	return strm.total_out;
}

/**
 * sbm_zlib_inflate() - inflate one whole zlib or raw deflate stream in a
 *                      sandbox
 * @sbm:         a set-up SBM instance, or NULL for one just for this call
 * @workspace:   zlib_inflate_workspacesize() bytes for inflate's state
 * @src:         the compressed stream
 * @src_len:     size of @src
 * @dst:         where the decompressed data goes
 * @dst_cap:     size of @dst
 * @window_bits: as for zlib_inflateInit2(): 8 to 15 for a zlib stream,
 *               -8 to -15 for raw deflate data
 *
 * Inflates as zlib_inflateInit2() then zlib_inflate() with Z_FINISH do, in
 * a sandbox: @src is copied in (or lent), and @dst is copied back only if
 * the whole stream was inflated; with isolation all of @dst is then
 * written, zeroes after the data. With isolation inflate works in a zeroed workspace of
 * the sandbox's own (SBM_SCRATCH()), and @workspace is not touched.
 * Without CONFIG_SANDBOX_MODE it is a plain call on the caller's buffers,
 * and inflate works in @workspace. An instance the caller keeps makes
 * repeated calls cheaper; the sandbox's errors (a bad buffer among them)
 * stick to it (see sbm_error()), and it must then be destroyed and set up
 * again, while a malformed stream does not. What the sandbox returns is
 * checked: a size beyond @dst or any error but -EBADMSG is -EBADMSG, and
 * @dst then holds what inflate wrote.
 *
 * Context: process context; may sleep.
 * Return: the number of decompressed bytes; -EBADMSG if the stream is
 * malformed, ends early or does not fit in @dst; -EINVAL for bad sizes or
 * @window_bits; or the sandbox's error: -EFAULT if inflate was stopped,
 * -ETIME past the time limit, -EINTR on a fatal signal, -ENOMEM, or
 * -EOPNOTSUPP if sandboxes are refused (sbm.strict).
 */
int sbm_zlib_inflate(struct sbm *sbm, void *workspace, const void *src,
		     unsigned int src_len, void *dst, unsigned int dst_cap,
		     int window_bits)
{
	struct sbm own;
	int ret;

	if (!src_len || !dst_cap || src_len > INT_MAX || dst_cap > INT_MAX ||
	    abs(window_bits) < 8 || abs(window_bits) > MAX_WBITS)
		return -EINVAL;
	if (!sbm) {
		sbm = &own;
		sbm_init(sbm);
	}
	ret = sbm_call(sbm, sbm_zlib_whole,
		       SBM_COPY_IN(sbm, (const u8 *)src, src_len), src_len,
		       SBM_COPY_OUT(sbm, (u8 *)dst, dst_cap), dst_cap,
		       SBM_SCRATCH(sbm, workspace,
				   zlib_inflate_workspacesize()),
		       window_bits);
	/*
	 * What a sandbox returns is the word of code a crafted stream may
	 * have taken over: a size beyond @dst, or any error but -EBADMSG
	 * (the arguments were checked above), makes the stream a malformed
	 * one.
	 */
	if (!sbm_error(sbm) && (ret > (int)dst_cap ||
				(ret < 0 && ret != -EBADMSG)))
		ret = -EBADMSG;
	if (sbm == &own)
		sbm_destroy(sbm);
	return ret;
}
EXPORT_SYMBOL_GPL(sbm_zlib_inflate);
