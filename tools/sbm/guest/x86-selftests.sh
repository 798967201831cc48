#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Runs in the guest: the kernel's x86 entry selftests named on the command
# line, from directory $1; those after a "--" are only compared between
# configurations, not required to pass. For each test that must pass it
# prints one "USERSPACE ok|not ok selftest-NAME" line for
# tools/sbm/sbm test to count; for every test, its verdict lines ([RUN], [OK], [FAIL], [SKIP], KTAP ok and
# not ok) and exit status as "SELFTEST NAME | ..." lines, which the tool
# compares between configurations. Exit status 4 is kselftest's "skip",
# which counts as not ok here: every listed test must run.
dir=$1
shift
must_pass=1
for name in "$@"; do
	if [ "$name" = "--" ]; then
		must_pass=0
		continue
	fi
	out=$(timeout 150 stdbuf -o0 -e0 "$dir/$name" 2>&1)
	status=$?
	if [ $must_pass -eq 1 ] && [ $status -eq 0 ]; then
		echo "USERSPACE ok selftest-$name"
	elif [ $must_pass -eq 1 ]; then
		echo "USERSPACE not ok selftest-$name: exit $status"
	fi
	printf '%s\n' "$out" |
		grep -E '^\[(RUN|OK|FAIL|SKIP)\]|^(not )?ok [0-9]' |
		sed "s/^/SELFTEST $name | /"
	echo "SELFTEST $name | exit $status"
done
