/* SPDX-License-Identifier: GPL-2.0 */
/*
 * zstd decompression in a SandBox Mode sandbox (lib/zstd/zstd_decompress_sbm.c).
 */
#ifndef __LINUX_SBM_ZSTD_H
#define __LINUX_SBM_ZSTD_H

#include <linux/types.h>

struct sbm;

size_t sbm_zstd_workspace_size(void);
int sbm_zstd_decompress(struct sbm *sbm, void *workspace, const void *src,
			unsigned int src_len, void *dst, unsigned int dst_cap);

#endif /* __LINUX_SBM_ZSTD_H */
