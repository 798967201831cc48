/* SPDX-License-Identifier: GPL-2.0 */
/*
 * LZ4 decompression in a SandBox Mode sandbox (lib/lz4/lz4_decompress_sbm.c).
 */
#ifndef __LINUX_SBM_LZ4_H
#define __LINUX_SBM_LZ4_H

struct sbm;

int sbm_lz4_decompress_safe(struct sbm *sbm, const char *source, char *dest,
			    int compressed_size, int max_decompressed_size);

#endif /* __LINUX_SBM_LZ4_H */
