#!/usr/bin/env bash
# Makes (once, then reuses) a Debian 11 "bullseye" sysroot (glibc 2.31) for the GPU bundle:
# the static build of scripts/make-gpu-bundle.sh links against it, so no binary or library of the
# bundle needs a glibc newer than 2.31 (Ubuntu 20.04, Debian 11 and every later distribution run
# it). Only packages are unpacked (debootstrap --foreign, then dpkg-deb -x): no chroot, no
# package scripts. Needs debootstrap (installed here when missing, as root) and Debian's mirror.
# Usage: scripts/gpu-sysroot.sh [DIR]    (default .build-static/sysroot-bullseye); prints DIR.
set -euo pipefail
dir=${1:-.build-static/sysroot-bullseye}
mirror=${GPU_SYSROOT_MIRROR:-http://deb.debian.org/debian}
stamp="$dir/.portrait-sysroot-complete"
if [[ -f $stamp ]]; then echo "$dir"; exit 0; fi
if ! command -v debootstrap > /dev/null; then
  [[ $(id -u) == 0 ]] || { echo "gpu-sysroot: debootstrap is missing; install it (apt-get install debootstrap) and rerun" >&2; exit 2; }
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap > /dev/null
fi
packages=libc6-dev,linux-libc-dev,libgcc-10-dev,libstdc++-10-dev,libopenblas-dev,libopenblas0-pthread,libgfortran5,libpng-dev,zlib1g-dev,ocl-icd-opencl-dev,opencl-c-headers
rm -rf "$dir"; mkdir -p "$dir"
debootstrap --foreign --variant=minbase --arch=amd64 --include="$packages" bullseye "$dir" "$mirror" > "$dir.log" 2>&1 \
  || { tail -20 "$dir.log" >&2; echo "gpu-sysroot: debootstrap failed; full log: $dir.log" >&2; exit 1; }
# --foreign unpacks only the base system: unpack every downloaded package (the included ones too).
for deb in "$dir"/var/cache/apt/archives/*.deb; do dpkg-deb -x "$deb" "$dir"; done
# Absolute symlinks inside the sysroot (libfoo.so -> /lib/...) must point into it.
find "$dir" -type l -lname '/*' | while read -r link; do
  target=$(readlink "$link"); ln -sfn "$(realpath -m --relative-to="$(dirname "$link")" "$dir$target")" "$link"
done
# Debian's alternatives (libblas.so.3, libopenblas.so) are made by package scripts, which do not run here.
lib="$dir/usr/lib/x86_64-linux-gnu"
for name in libopenblas.so libopenblas.so.0 libblas.so libblas.so.3 libcblas.so libcblas.so.3; do
  src=$(ls "$lib"/openblas-pthread/"$name" 2>/dev/null || true)
  [[ -n $src && ! -e $lib/$name ]] && ln -s "openblas-pthread/$name" "$lib/$name"
done
touch "$stamp"
echo "$dir"
