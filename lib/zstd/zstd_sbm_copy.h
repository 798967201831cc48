/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What zstd_decompress_sbm.c calls of the decoder's sandbox copy
 * (zstd_sbm_copy.c), whose other symbols are all local.
 */
#ifndef __ZSTD_SBM_COPY_H
#define __ZSTD_SBM_COPY_H

#include <linux/sbm.h>
#include <linux/types.h>

#define SBM_ZSTD_WHOLE_PARAMS						\
	const u8 *, src, unsigned int, src_len, u8 *, dst,		\
	unsigned int, dst_cap, void *, workspace,			\
	unsigned int, workspace_size, bool, bmi2

SBM_DEFINE_CALL(sbm_zstd_whole, SBM_ZSTD_WHOLE_PARAMS)

/* zstd_dctx_workspace_bound() of the copy. */
size_t sbm_zstd_copy_workspace_bound(void);

#endif /* __ZSTD_SBM_COPY_H */
