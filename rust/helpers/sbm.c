// SPDX-License-Identifier: GPL-2.0

#include <linux/sbm.h>

__rust_helper int rust_helper_sbm_error(const struct sbm *sbm)
{
	return sbm_error(sbm);
}

__rust_helper int rust_helper_sbm_set_time_limit(struct sbm *sbm,
						 unsigned int msecs)
{
	return sbm_set_time_limit(sbm, msecs);
}

__rust_helper void *rust_helper_sbm_pass_args(struct sbm *sbm, void *args,
					      size_t size)
{
	return sbm_pass_args(sbm, args, size);
}

/* Without CONFIG_SANDBOX_MODE the whole API is inline. */
#ifndef CONFIG_SANDBOX_MODE
__rust_helper int rust_helper_sbm_init(struct sbm *sbm)
{
	return sbm_init(sbm);
}

__rust_helper void rust_helper_sbm_destroy(struct sbm *sbm)
{
	sbm_destroy(sbm);
}

__rust_helper int rust_helper_sbm_exec(struct sbm *sbm, sbm_func func,
				       void *data)
{
	return sbm_exec(sbm, func, data);
}

__rust_helper void *rust_helper_sbm_copy_in(struct sbm *sbm, const void *buf,
					    size_t size)
{
	return sbm_copy_in(sbm, buf, size);
}

__rust_helper void *rust_helper_sbm_copy_out(struct sbm *sbm, void *buf,
					     size_t size)
{
	return sbm_copy_out(sbm, buf, size);
}

__rust_helper void *rust_helper_sbm_copy_inout(struct sbm *sbm, void *buf,
					       size_t size)
{
	return sbm_copy_inout(sbm, buf, size);
}

__rust_helper long rust_helper_sbm_pages(void)
{
	return sbm_pages();
}

__rust_helper enum sbm_level rust_helper_sbm_level(void)
{
	return sbm_level();
}
#endif
