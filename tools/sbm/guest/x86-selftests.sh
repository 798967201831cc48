#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Runs in the guest: the kernel's x86 entry selftests named on the command
# line, from directory $1, printing one "USERSPACE ok|not ok selftest-NAME"
# line each for tools/sbm/sbm test to count. Exit status 4 is kselftest's
# "skip", which counts as not ok here: every listed test must run.
dir=$1
shift
for name in "$@"; do
	out=$(timeout 150 "$dir/$name" 2>&1)
	status=$?
	if [ $status -eq 0 ]; then
		echo "USERSPACE ok selftest-$name"
	else
		echo "USERSPACE not ok selftest-$name: exit $status"
		printf '%s\n' "$out" | tail -5
	fi
done
