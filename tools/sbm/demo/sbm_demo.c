// SPDX-License-Identifier: GPL-2.0-only
/*
 * SandBox Mode demonstration, built as an external module by `sbm demo`:
 * one well-behaved sandboxed parser and misbehaving ones, with what
 * happened to the caller's memory each time.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/sbm.h>
#include <linux/string.h>

struct point {
	int x, y;
};

/* Parses "x,y" from untrusted text. */
static SBM_DEFINE_FUNC(parse_point, const char *, text, size_t, len,
		       struct point *, out)
{
	int val[2] = { 0, 0 }, i = 0;
	size_t pos;

	for (pos = 0; pos < len && i < 2; pos++) {
		if (text[pos] == ',')
			i++;
		else if (text[pos] >= '0' && text[pos] <= '9')
			val[i] = val[i] * 10 + text[pos] - '0';
		else
			return -EINVAL;
	}
	out->x = val[0];
	out->y = val[1];
	return 0;
}

/* Buggy: writes far more than its output buffer holds. */
static SBM_DEFINE_FUNC(overrun_point, struct point *, out)
{
	memset(out, 0xff, 4 * sizeof(*out));
	return 0;
}

/* Hostile: writes straight to a kernel address it was given. */
static SBM_DEFINE_FUNC(scribble, unsigned long, addr, struct point *, out)
{
	out->x = 0;
	*(int *)addr = 0;
	return 0;
}

/* Hostile: never returns. */
static SBM_DEFINE_FUNC(spin, struct point *, out)
{
	for (;;)
		out->x++;
	return 0;
}

/* Writes its output, then fails: a failed call must not leak it. */
static SBM_DEFINE_FUNC(fail_point, struct point *, out)
{
	out->x = -1;
	out->y = -1;
	return -EBADMSG;
}

static void show(const char *what, int ret, struct sbm *sbm,
		 const struct point *p, const struct point *canary)
{
	pr_info("%s: returned %d, sbm_error() %d, result (%d,%d), caller memory after the result %s\n",
		what, ret, sbm_error(sbm), p->x, p->y,
		canary->x == 7 && canary->y == 7 ? "intact" : "CORRUPTED");
}

static int __init sbm_demo_init(void)
{
	static const char input[] = "12,34";
	struct point buf[4];	/* room for the overrun without isolation */
	struct sbm sbm;
	int ret;

	pr_info("isolation level in effect: %s\n",
		sbm_level_name(sbm_level()));

	memset(buf, 0, sizeof(buf));
	buf[1] = (struct point){ 7, 7 };
	sbm_init(&sbm);
	ret = sbm_call(&sbm, parse_point,
		       SBM_COPY_IN(&sbm, input, strlen(input)), strlen(input),
		       SBM_COPY_OUT(&sbm, &buf[0], sizeof(buf[0])));
	show("parse \"12,34\"", ret, &sbm, &buf[0], &buf[1]);
	sbm_destroy(&sbm);

	buf[0] = (struct point){ 1, 2 };
	sbm_init(&sbm);
	ret = sbm_call(&sbm, overrun_point,
		       SBM_COPY_OUT(&sbm, &buf[0], sizeof(buf[0])));
	show("overrun of the output buffer", ret, &sbm, &buf[0], &buf[1]);
	sbm_destroy(&sbm);

	buf[0] = (struct point){ 1, 2 };
	sbm_init(&sbm);
	ret = sbm_call(&sbm, fail_point,
		       SBM_COPY_OUT(&sbm, &buf[0], sizeof(buf[0])));
	show("write, then fail", ret, &sbm, &buf[0], &buf[1]);
	sbm_destroy(&sbm);

	/* Below, only strong isolation can stop the function. */
	if (sbm_level() != SBM_LEVEL_STRONG)
		return 0;

	buf[0] = (struct point){ 1, 2 };
	sbm_init(&sbm);
	ret = sbm_call(&sbm, scribble, (unsigned long)&buf[1],
		       SBM_COPY_OUT(&sbm, &buf[0], sizeof(buf[0])));
	show("write to the caller's stack", ret, &sbm, &buf[0], &buf[1]);
	sbm_destroy(&sbm);

	buf[0] = (struct point){ 1, 2 };
	sbm_init(&sbm);
	sbm_set_time_limit(&sbm, 100);
	ret = sbm_call(&sbm, spin, SBM_COPY_OUT(&sbm, &buf[0], sizeof(buf[0])));
	show("endless loop, 100 ms limit", ret, &sbm, &buf[0], &buf[1]);
	sbm_destroy(&sbm);
	return 0;
}

static void __exit sbm_demo_exit(void)
{
}

module_init(sbm_demo_init);
module_exit(sbm_demo_exit);
MODULE_DESCRIPTION("SandBox Mode demonstration");
MODULE_LICENSE("GPL");
