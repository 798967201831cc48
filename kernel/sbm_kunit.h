/* SPDX-License-Identifier: GPL-2.0-only */
/* SandBox Mode internals that the KUnit tests replace with static stubs. */
#ifndef _KERNEL_SBM_KUNIT_H
#define _KERNEL_SBM_KUNIT_H

#include <linux/sbm.h>

#if IS_ENABLED(CONFIG_KUNIT) && IS_ENABLED(CONFIG_SANDBOX_MODE)
struct sbm_buf *sbm_alloc_buf(const void *src, size_t size, bool writable,
			      unsigned int nr_lent);
#endif

#endif /* _KERNEL_SBM_KUNIT_H */
