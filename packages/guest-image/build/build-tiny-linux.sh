#!/usr/bin/env bash
# Builds the tiny-linux guest images from the Debian packages installed on this machine, and
# nothing else: the kernel of linux-image-amd64, busybox-static, qemu-guest-agent and e2fsprogs
# (with the libraries they link). Two variants:
#   tiny-linux          with qemu-guest-agent
#   tiny-linux-noagent  without it (a guest without integration services)
# Output: $HYPERV_GUEST_IMAGE_DIR (default <repo>/.cache/guest-images)/<variant>/
#   vmlinuz, initrd.img, manifest.json
# A variant is rebuilt only when its inputs change (this script, the guest files, the package
# versions). --force rebuilds anyway; --out DIR overrides the output folder. The last line printed,
# "HVM-GUEST-IMAGES <folder>", names the output folder (ensureGuestImage reads it).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../../.." && pwd)
out=${HYPERV_GUEST_IMAGE_DIR:-$repo/.cache/guest-images}
force=0
while [ $# -gt 0 ]; do
  case "$1" in
    --force) force=1 ;;
    --out)
      [ $# -ge 2 ] || { echo "build-tiny-linux: --out needs a folder" >&2; exit 2; }
      out=$2
      shift
      ;;
    *) echo "usage: build-tiny-linux.sh [--force] [--out DIR]" >&2; exit 2 ;;
  esac
  shift
done
cmdline="console=ttyS0 panic=-1 quiet"

die() {
  echo "build-tiny-linux: $*" >&2
  exit 1
}
need() {
  command -v "$1" >/dev/null || die "$1 is missing; install the Debian package $2"
}
need dpkg-query dpkg
need cpio cpio
need gzip gzip
need ldd libc-bin
need flock util-linux
installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep 'ok installed' >/dev/null; }
# busybox-static: the initramfs has no C library for a dynamically linked busybox.
installed busybox-static || die "busybox-static is not installed"
[ -x /usr/sbin/qemu-ga ] || die "/usr/sbin/qemu-ga is missing; install qemu-guest-agent"
[ -x /sbin/mke2fs ] || die "/sbin/mke2fs is missing; install e2fsprogs"

# The kernel linux-image-amd64 depends on, e.g. linux-image-6.1.0-57-amd64.
kernel_pkg=$(dpkg-query -W -f='${Depends}' linux-image-amd64 2>/dev/null | tr ',|' '\n\n' |
  sed -n 's/^ *\(linux-image-[0-9][^ ]*\).*/\1/p' | head -n 1) ||
  true
[ -n "$kernel_pkg" ] || die "linux-image-amd64 is not installed"
kver=${kernel_pkg#linux-image-}
vmlinuz=/boot/vmlinuz-$kver
moddir=/lib/modules/$kver
[ -r "$vmlinuz" ] || die "$vmlinuz is missing; install $kernel_pkg"
[ -r "$moddir/modules.dep" ] || die "$moddir/modules.dep is missing; install $kernel_pkg"

# Modules init loads: virtio transport, disk, console (virtio-serial), network (virtio-net), ext4,
# the ACPI power button and evdev (to see it pressed). Dependencies come first, from modules.dep.
wanted="virtio_pci virtio_blk virtio_console virtio_net crc32c_generic crc32c-intel ext4 button evdev"
declare -A seen=()
order=()
add_module() {
  local name=$1 line path deps dep
  line=$(grep -E "(^|/)${name}\.ko(\.[a-z]+)?:" "$moddir/modules.dep" | head -n 1) ||
    die "kernel module $name is not in $moddir"
  path=${line%%:*}
  [ -n "${seen[$path]:-}" ] && return
  deps=${line#*:}
  for dep in $deps; do
    dep=${dep##*/}
    add_module "${dep%%.ko*}"
  done
  seen[$path]=1
  order+=("$path")
}
for m in $wanted; do add_module "$m"; done
for path in "${order[@]}"; do
  case "$path" in *.ko) ;; *) die "compressed module $path: not supported" ;; esac
done

# Shared libraries of a program, as ldd resolves them.
libs_of() {
  ldd "$1" | sed -n 's/.*=> \(\/[^ ]*\).*/\1/p; s/^[[:space:]]*\(\/[^ ]*\) (.*/\1/p'
}
agent_libs=$(libs_of /usr/sbin/qemu-ga)
mke2fs_libs=$(libs_of /sbin/mke2fs)

# Inputs: this script, the guest's files, and the versions of the packages every copied file
# belongs to.
# Packages (as JSON name: version) that hold the given files. One dpkg-query call: it answers for
# each path as given and as resolved (merged /usr).
packages_of() {
  local f paths owners
  paths=$(for f in "$@"; do printf '%s\n%s\n' "$f" "$(readlink -f "$f")"; done | sort -u)
  owners=$( (dpkg-query -S $paths 2>/dev/null || true) | sed 's/: .*//' | tr ',' '\n' |
    sed 's/^ *//; s/:.*//' | sort -u)
  [ -n "$owners" ] || die "cannot tell which packages hold the guest's files"
  dpkg-query -W -f='${Package}\t${Version}\n' $owners | sort |
    awk -F'\t' 'BEGIN { printf "{" } { printf "%s\"%s\":\"%s\"", (NR > 1 ? "," : ""), $1, $2 } END { printf "}" }'
}
base_files="$vmlinuz /bin/busybox /sbin/mke2fs $mke2fs_libs"
packages_json=$(packages_of $base_files /usr/sbin/qemu-ga $agent_libs)
noagent_packages_json=$(packages_of $base_files)
inputs=$( (
  cat "$0"
  cd "$here/rootfs" && find . -type f | LC_ALL=C sort | xargs sha256sum
  echo "$packages_json $kver $cmdline"
) | sha256sum | cut -c1-64)

mkdir -p "$out"
out=$(cd "$out" && pwd)
exec 9>"$out/.lock"
flock 9

build_variant() {
  local name=$1 agent=$2 packages=$3 dest=$out/$1 tmp root
  if [ $force -eq 0 ] && [ -f "$dest/manifest.json" ] &&
    grep -q "\"inputs\": \"$inputs\"" "$dest/manifest.json"; then
    echo "build-tiny-linux: $name is up to date ($dest)"
    return
  fi
  echo "build-tiny-linux: building $name (kernel $kver)"
  tmp=$(mktemp -d "$out/.build-$name.XXXXXX")
  chmod 755 "$tmp"
  root=$tmp/root
  mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,proc,sys,dev,run,data,tmp,etc,lib/modules}
  cp -a "$here/rootfs/." "$root/"
  cp /bin/busybox "$root/bin/busybox"
  local applet
  for applet in $(/bin/busybox --list-full); do
    [ -e "$root/$applet" ] || ln -s /bin/busybox "$root/$applet"
  done
  ln -s /bin/busybox "$root/init"
  # e2fsprogs' mke2fs makes ext4 (busybox's makes ext2 only).
  rm -f "$root/sbin/mke2fs"
  cp /sbin/mke2fs "$root/sbin/mke2fs"
  [ -f /etc/mke2fs.conf ] && cp /etc/mke2fs.conf "$root/etc/mke2fs.conf"
  local libs=$mke2fs_libs
  if [ "$agent" = true ]; then
    cp /usr/sbin/qemu-ga "$root/usr/sbin/qemu-ga"
    libs="$libs $agent_libs"
  fi
  local lib
  for lib in $(printf '%s\n' $libs | sort -u); do
    mkdir -p "$root$(dirname "$lib")"
    cp -L "$lib" "$root$lib"
  done
  : >"$root/lib/modules/load-order"
  local path
  for path in "${order[@]}"; do
    mkdir -p "$root/lib/modules/$(dirname "$path")"
    cp "$moddir/$path" "$root/lib/modules/$path"
    echo "$path" >>"$root/lib/modules/load-order"
  done
  echo "root:x:0:0:root:/:/bin/sh" >"$root/etc/passwd"
  echo "root:x:0:" >"$root/etc/group"
  (cd "$root" && find . | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet | gzip -6 >"$tmp/initrd.img")
  cp "$vmlinuz" "$tmp/vmlinuz"
  cat >"$tmp/manifest.json" <<JSON
{
  "name": "$name",
  "agent": $agent,
  "kernel": "vmlinuz",
  "initrd": "initrd.img",
  "cmdline": "$cmdline",
  "kernelVersion": "$kver",
  "inputs": "$inputs",
  "packages": $packages
}
JSON
  rm -rf "$root" "$dest.old"
  [ -d "$dest" ] && mv "$dest" "$dest.old"
  mv "$tmp" "$dest"
  rm -rf "$dest.old"
  echo "build-tiny-linux: $name ready in $dest"
}

build_variant tiny-linux true "$packages_json"
build_variant tiny-linux-noagent false "$noagent_packages_json"
echo "HVM-GUEST-IMAGES $out"
