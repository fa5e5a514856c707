#!/usr/bin/env bash
# Builds the CowGuard guest kernel: Debian's own kernel source (linux-source-6.12 by default) configured as
# `make tinyconfig` + guest.config, so that /sys/kernel/debug/gup_test (R/O pins) and soft-dirty (clear_refs) exist,
# which this machine's kernel lacks. The result is cached outside the repository, keyed by the source package's
# version and a hash of the config fragment and of this recipe:
#
#   ${COWGUARD_GUEST_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/cowguard/guest}/<key>/
#     bzImage       the kernel QEMU boots
#     config        the final .config (every guest.config line verified)
#     include/      the kernel's UAPI headers (make headers), to compile guest programs against
#     gup_test.h    mm/gup_test.h: the ioctl ABI of /sys/kernel/debug/gup_test (not part of the UAPI headers)
#     info          key, source version, build time
#
# On the host it changes nothing but the installed packages (apt-get, as root, only for missing ones) and the cache.
#
# Usage: build.sh [--check] [--kernel 6.12] [--cache DIR] [--jobs N]
#   --kernel   the kernel series (linux-source-SERIES); default $COWGUARD_GUEST_KERNEL, else 6.12
#   (default)  install what is missing, build unless cached; print the cache directory on stdout
#   --check    install and build nothing: print the cache directory if the kernel is built, else say why on
#              stderr and exit 3 (not built) or 4 (packages missing) — the C# runner (GuestKernel.Locate) uses this
#              to decide whether the guest is available
# Progress and timings go to stderr; the only stdout line is the cache directory.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
fragment="$here/guest.config"
# Bump when the steps below change what ends up in the cache (the key then changes).
recipe=1
# COWGUARD_GUEST_KERNEL picks the series for the runner too (GuestKernel.Locate runs --check without --kernel).
kernel=${COWGUARD_GUEST_KERNEL:-6.12}
check=0
jobs=$(nproc)
cache="${COWGUARD_GUEST_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/cowguard/guest}"

while [ $# -gt 0 ]; do
  case "$1" in
    --check) check=1 ;;
    --kernel) kernel=$2; shift ;;
    --cache) cache=$2; shift ;;
    --jobs) jobs=$2; shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "build.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
  shift
done

say() { echo "guest-kernel: $*" >&2; }
unavailable() { local code=$1; shift; echo "guest-kernel: $*" >&2; exit "$code"; }
started=$(date +%s.%N)
elapsed() { printf '%.1f' "$(echo "$(date +%s.%N) - $1" | bc)"; }

source_package="linux-source-$kernel"
# Everything the build and the runner need: the kernel source and its build tools, QEMU (TCG; with seabios and
# the option ROMs it depends on), a static busybox for the guest's /init, liburing's static library for io_uring
# programs, gcc and glibc's static libraries for the guest programs.
packages=("$source_package" qemu-system-x86 busybox-static liburing-dev bc flex bison libelf-dev libssl-dev
  cpio xz-utils make gcc libc6-dev)

# One dpkg-query for all (a cache hit should cost well under a second).
mapfile -t missing < <(dpkg-query -W -f='${Package} ${Status}\n' "${packages[@]}" 2>/dev/null |
  awk -v want="${packages[*]}" '$NF == "installed" && $(NF-1) == "ok" {ok[$1] = 1}
    END {n = split(want, w, " "); for (i = 1; i <= n; i++) if (!ok[w[i]]) print w[i]}')

if [ ${#missing[@]} -gt 0 ]; then
  [ $check -eq 1 ] && unavailable 4 "not installed: ${missing[*]} (run $0 as root to install and build)"
  [ "$(id -u)" -eq 0 ] || unavailable 4 "not root: cannot install ${missing[*]} (run $0 as root, or install them)"
  say "installing ${missing[*]}"
  t=$(date +%s.%N)
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
  say "packages installed in $(elapsed "$t") s"
fi

tarball="/usr/src/$source_package.tar.xz"
[ -f "$tarball" ] || unavailable 4 "$tarball is missing although $source_package is installed"
version=$(dpkg-query -W -f='${Version}' "$source_package")
hash=$( { cat "$fragment"; echo "recipe=$recipe"; } | sha256sum | cut -c1-12)
key="$kernel-$version-$hash"
out="$cache/$key"

if [ -f "$out/bzImage" ] && [ -f "$out/info" ]; then
  say "cached: $out ($(elapsed "$started") s)"
  echo "$out"
  exit 0
fi
[ $check -eq 1 ] && unavailable 3 "not built: no $out (run $0 to build it, ~8 min on 2 cores)"

mkdir -p "$cache"
# One build per cache at a time; a second caller waits, then finds the result.
exec 9>"$cache/.lock"
flock 9
if [ -f "$out/bzImage" ] && [ -f "$out/info" ]; then
  say "built meanwhile by another run: $out"
  echo "$out"
  exit 0
fi

work=$(mktemp -d "$cache/.work-$key.XXXXXX")
trap 'rm -rf "$work"' EXIT
log="$cache/$key.log"
: >"$log"
step() { say "$1"; echo "=== $1" >>"$log"; }
run() { "$@" >>"$log" 2>&1 || { say "failed: $* (last lines of $log follow)"; tail -n 30 "$log" >&2; exit 1; }; }

t=$(date +%s.%N)
step "unpacking $tarball"
run tar -xJf "$tarball" -C "$work"
tree="$work/$source_package"
say "unpacked in $(elapsed "$t") s"

t=$(date +%s.%N)
step "configuring (tinyconfig + guest.config)"
run make -C "$tree" tinyconfig
run env -C "$tree" scripts/kconfig/merge_config.sh -m .config "$fragment"
run make -C "$tree" olddefconfig
# Every line of the fragment must have survived olddefconfig as written.
wrong=()
while IFS= read -r line; do
  case "$line" in
    CONFIG_*=*) grep -qxF "$line" "$tree/.config" || wrong+=("$line (got: $(grep -E "^(# )?${line%%=*}[= ]" "$tree/.config" || echo absent))") ;;
    "# CONFIG_"*" is not set")
      option=${line#\# }; option=${option%% *}
      ! grep -q "^$option=" "$tree/.config" || wrong+=("$line (got: $(grep "^$option=" "$tree/.config"))") ;;
  esac
done <"$fragment"
if [ ${#wrong[@]} -gt 0 ]; then
  say "options that did not come out as guest.config asks (a dependency is missing):"
  printf '  %s\n' "${wrong[@]}" >&2
  exit 1
fi
say "configured in $(elapsed "$t") s (all $(grep -cE '^(CONFIG_|# CONFIG_)' "$fragment") options verified)"

t=$(date +%s.%N)
step "make -j$jobs bzImage"
run make -C "$tree" -j"$jobs" bzImage
build_seconds=$(elapsed "$t")
say "bzImage built in $build_seconds s"

t=$(date +%s.%N)
step "make headers"
run make -C "$tree" headers
say "headers in $(elapsed "$t") s"

staging="$work/out"
mkdir -p "$staging/include"
cp "$tree/arch/x86/boot/bzImage" "$staging/bzImage"
cp "$tree/.config" "$staging/config"
cp "$tree/mm/gup_test.h" "$staging/gup_test.h"
(cd "$tree/usr/include" && find . -name '*.h' | cpio -pdm --quiet "$staging/include")
{
  echo "key=$key"
  echo "source=$source_package $version"
  echo "fragment_sha256=$hash"
  echo "bzimage_seconds=$build_seconds"
  echo "total_seconds=$(elapsed "$started")"
  echo "built=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
} >"$staging/info"
rm -rf "$out"
mv "$staging" "$out"
rm -f "$log"
say "done: $out (total $(elapsed "$started") s)"
echo "$out"
