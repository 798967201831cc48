#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Runs in the guest: mounts squashfs images made on the host (a real user
# of SandBox Mode: squashfs with CONFIG_SQUASHFS_LZ4_SANDBOXED,
# CONFIG_SQUASHFS_ZLIB_SANDBOXED or CONFIG_SQUASHFS_ZSTD_SANDBOXED
# decompresses every block in a sandbox)
# and prints one "USERSPACE ok|not ok squashfs-<name>-<check>" line per
# check.
# $1: the directory with good.sqfs, bad.sqfs and good.md5.
# $2: the compressor's name in the checks' names (lz4, zlib, zstd).
dir=$1
name=$2
mnt=$(mktemp -d)
stats=/sys/kernel/debug/sbm/stats
level=$(cat /sys/module/sbm/parameters/level 2>/dev/null || echo none)

calls() {
	sed -n 's/^calls: //p' "$stats" 2>/dev/null || echo 0
}

mount -t debugfs none /sys/kernel/debug 2>/dev/null
before=$(calls)
if mount -t squashfs -o loop,ro "$dir/good.sqfs" "$mnt"; then
	got=$(cd "$mnt" && find . -type f | sort | xargs cat | md5sum | cut -d' ' -f1)
	umount "$mnt"
else
	got="mount failed"
fi
want=$(cat "$dir/good.md5")
if [ "$got" = "$want" ]; then
	echo "USERSPACE ok squashfs-$name-read"
else
	echo "USERSPACE not ok squashfs-$name-read: got '$got', want '$want'"
fi

# With strong isolation every block went through a sandbox, which the
# counters show; the other levels keep no count.
after=$(calls)
if [ "$level" != strong ]; then
	echo "USERSPACE ok squashfs-$name-sandboxed # level $level: not counted"
elif [ "$after" -gt "$before" ]; then
	echo "USERSPACE ok squashfs-$name-sandboxed"
else
	echo "USERSPACE not ok squashfs-$name-sandboxed: $before -> $after sandbox calls"
fi

# A damaged data block: the read fails cleanly (the kernel log is checked
# for oopses and warnings afterwards).
if mount -t squashfs -o loop,ro "$dir/bad.sqfs" "$mnt"; then
	if cat "$mnt/big.txt" > /dev/null 2>&1; then
		echo "USERSPACE not ok squashfs-$name-damaged: the damaged file read fine"
	else
		echo "USERSPACE ok squashfs-$name-damaged"
	fi
	umount "$mnt"
else
	echo "USERSPACE not ok squashfs-$name-damaged: mount failed"
fi
rmdir "$mnt"
