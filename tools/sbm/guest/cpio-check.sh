#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Runs in the guest: feeds /dev/sbm-cpio a real archive made by cpio(1)
# and a damaged one, and prints one "USERSPACE ok|not ok <name>" line per
# check for tools/sbm/sbm test to count. $1: the ldt-gs program (ldt-gs.c).
ldt_gs=$1
dev=/dev/sbm-cpio
work=$(mktemp -d)

check() {
	if [ "$2" = "$3" ]; then
		echo "USERSPACE ok $1"
	else
		echo "USERSPACE not ok $1: got '$2', want '$3'"
	fi
}

if [ ! -c "$dev" ]; then
	echo "USERSPACE not ok device: $dev missing"
	exit 0
fi

mkdir -p "$work/tree/etc"
printf 'hello' > "$work/tree/etc/motd"
chmod 644 "$work/tree/etc/motd"
(cd "$work/tree" && printf 'etc/motd\n' | cpio -o -H newc --quiet) > "$work/good.cpio"

# One open file: write the archive, then read the listing back.
got=$(exec 3<>"$dev"; cat "$work/good.cpio" >&3; cat <&3)
check listing "$got" "100644 5 etc/motd"

# A stream: reading before writing is end of file at once, and small reads
# go through the listing whatever the file position says.
got=$(cat "$dev")
check empty-read "$got" ""
got=$(exec 3<>"$dev"; cat "$work/good.cpio" >&3; dd bs=3 <&3 2>/dev/null)
check small-reads "$got" "100644 5 etc/motd"

# The same from a task whose GS holds an LDT selector: the sandbox's exit
# must restore it where its descriptor can be read.
got=$("$ldt_gs" "$work/good.cpio" 2>&1)
check ldt-gs "$got" "100644 5 etc/motd gs ok"

head -c 100 "$work/good.cpio" > "$work/bad.cpio"
got=$(exec 3<>"$dev"; cat "$work/bad.cpio" >&3; cat <&3)
check truncated "$got" "error: rejected -74"

rm -rf "$work"
