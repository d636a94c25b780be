#!/bin/sh
# setup-aarch64.sh — prepares this Debian (bookworm, amd64) machine to build coremod for AArch64
# with cross/aarch64-linux-gnu.ini and run the result under qemu-user-static. Idempotent; needs
# root (or sudo) and Debian's package archive. Usage: cross/setup-aarch64.sh [SYSROOT]
#
# Why Criterion goes into a private sysroot instead of `apt-get install libcriterion-dev:arm64`:
# libcriterion3 depends on libnanomsg5, which is not Multi-Arch: same, so apt can only install
# the arm64 Criterion by REMOVING the amd64 libcriterion-dev/libcriterion3 (and libnanomsg5,
# libnanomsg-dev, libgit2-dev, libhttp-parser-dev) — the native build would lose its test
# framework. The arm64 runtime libraries that are Multi-Arch: same (libc6, libffi8, libgit2-1.5
# and their dependencies) are installed normally; only libcriterion3, libcriterion-dev and
# libnanomsg5 are unpacked under SYSROOT, which the cross file points pkg-config, the linker
# (-rpath-link) and the run-time loader (-rpath) at; the unpacked criterion.pc loses its
# static-link-only lines (below).
set -eu

SYSROOT=${1:-/opt/coremod-aarch64}
SUDO=
[ "$(id -u)" -eq 0 ] || SUDO=sudo

# 1. qemu-user through binfmt_misc, so meson (exe_wrapper) and plain exec can run AArch64 binaries.
if [ ! -e /proc/sys/fs/binfmt_misc/register ]; then
    $SUDO mount binfmt_misc -t binfmt_misc /proc/sys/fs/binfmt_misc
fi

# 2. The cross compiler, qemu, and arm64 as a foreign architecture.
if ! dpkg --print-foreign-architectures | grep -qx arm64; then
    $SUDO dpkg --add-architecture arm64
    $SUDO apt-get update
fi
need=""
# libcapstone-dev:arm64 and libcapstone4:arm64 (the debugger's disassembler) are Multi-Arch: same:
# they install beside the amd64 ones without removing anything.
for pkg in gcc-aarch64-linux-gnu qemu-user-static binfmt-support libc6:arm64 libffi8:arm64 libgit2-1.5:arm64 \
    libcapstone4:arm64 libcapstone-dev:arm64; do
    dpkg-query -W -f='${Status}\n' "$pkg" 2>/dev/null | grep -q '^install ok installed$' || need="$need $pkg"
done
if [ -n "$need" ]; then
    $SUDO apt-get update
    # shellcheck disable=SC2086
    $SUDO apt-get install -y --no-install-recommends $need
fi
$SUDO update-binfmts --enable qemu-aarch64 2>/dev/null || true
[ -e /proc/sys/fs/binfmt_misc/qemu-aarch64 ] || { echo "setup-aarch64: qemu-aarch64 binfmt not registered" >&2; exit 1; }

# 3. Criterion for arm64, unpacked (see above).
if [ ! -e "$SYSROOT/usr/lib/aarch64-linux-gnu/pkgconfig/criterion.pc" ]; then
    work=$(mktemp -d)
    chmod 755 "$work"                   # apt downloads as the _apt user when it can
    trap 'rm -rf "$work"' EXIT
    (cd "$work" && apt-get download libcriterion3:arm64 libcriterion-dev:arm64 libnanomsg5:arm64)
    $SUDO mkdir -p "$SYSROOT"
    for deb in "$work"/*.deb; do
        $SUDO dpkg-deb -x "$deb" "$SYSROOT"
    done
    # Debian's criterion.pc lists Requires.private (boxfort, libffi, libgit2, nanomsg) and
    # Libs.private, which only a static link uses, and which would need arm64 -dev packages that
    # conflict with their amd64 versions. We link Criterion dynamically: drop those two lines.
    pc="$SYSROOT/usr/lib/aarch64-linux-gnu/pkgconfig/criterion.pc"
    $SUDO sed -i -e '/^Requires.private:/d' -e '/^Libs.private:/d' \
        -e '1i # Edited by coremod cross/setup-aarch64.sh: private (static-link) requirements removed.' "$pc"
fi

# 4. Check: an AArch64 program linked against that Criterion runs.
check=$(mktemp -d)
cat > "$check/t.c" <<'C'
#include <criterion/criterion.h>
Test(setup, runs) { cr_assert_eq(1 + 1, 2); }
C
PKG_CONFIG_LIBDIR="$SYSROOT/usr/lib/aarch64-linux-gnu/pkgconfig" PKG_CONFIG_SYSROOT_DIR="$SYSROOT" \
    pkg-config --cflags --libs criterion > "$check/flags"
# shellcheck disable=SC2046
aarch64-linux-gnu-gcc "$check/t.c" -o "$check/t" $(cat "$check/flags") \
    -Wl,--disable-new-dtags -Wl,-rpath,"$SYSROOT/usr/lib/aarch64-linux-gnu" -Wl,-rpath-link,"$SYSROOT/usr/lib/aarch64-linux-gnu" \
    -Wl,-rpath-link,/usr/lib/aarch64-linux-gnu
"$check/t" --jobs=1 > "$check/out" 2>&1 || { cat "$check/out" >&2; echo "setup-aarch64: check failed" >&2; exit 1; }
rm -rf "$check"
echo "setup-aarch64: ready (sysroot $SYSROOT)"
