/* SPDX-License-Identifier: GPL-2.0 */
/*
 * zlib inflate in a SandBox Mode sandbox (lib/zlib_inflate/inflate_sbm.c).
 */
#ifndef __LINUX_SBM_ZLIB_H
#define __LINUX_SBM_ZLIB_H

struct sbm;

int sbm_zlib_inflate(struct sbm *sbm, void *workspace, const void *src,
		     unsigned int src_len, void *dst, unsigned int dst_cap,
		     int window_bits);

#endif /* __LINUX_SBM_ZLIB_H */
