#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Runs in the guest: the isolation level this boot runs at must be $1
# (none, weak or strong); with $2 = strict, writing 1 to sbm.strict must
# then refuse new sandboxes: the level reads "refused" and /dev/sbm-cpio,
# whose parser runs in a sandbox, fails with EOPNOTSUPP. Prints one
# "USERSPACE ok|not ok <name>" line per check.
param=/sys/module/sbm/parameters

level() {
	if [ -r $param/level ]; then cat $param/level; else echo none; fi
}

check() {
	if [ "$2" = "$3" ]; then
		echo "USERSPACE ok $1"
	else
		echo "USERSPACE not ok $1: got '$2', want '$3'"
	fi
}

check level "$(level)" "$1"

if [ "$2" = strict ]; then
	echo 1 > $param/strict
	got=$(level)
	err=$(exec 3<>/dev/sbm-cpio; printf 'x' >&3; cat <&3 2>&1 >/dev/null)
	echo 0 > $param/strict
	case "$err" in
	*"not supported"*) refused=yes ;;
	*) refused="no ($err)" ;;
	esac
	check strict "$got, sandbox refused: $refused" "refused, sandbox refused: yes"
fi
