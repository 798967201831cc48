#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Runs in the guest after everything else: has kmemleak scan memory and
# prints its report between markers, for tools/sbm/sbm test to judge
# (sbmtool/logcheck.py). kmemleak leaves objects younger than 5 s alone,
# so wait that long past the suites first.
k=/sys/kernel/debug/kmemleak
[ -e $k ] || mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
if [ ! -w $k ]; then
	echo "SBM-KMEMLEAK unavailable"
	exit 0
fi
sleep 6
# A second scan drops objects that were only in flight during the first.
echo scan > $k
echo scan > $k
echo "SBM-KMEMLEAK begin"
cat $k
echo "SBM-KMEMLEAK end"
