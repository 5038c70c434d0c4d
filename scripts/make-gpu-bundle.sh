#!/usr/bin/env bash
# Packs a self-contained `portrait` for a machine without Swift or the Debian libraries (the GPU
# runner): static Swift stdlib and static libstdc++, linked against a Debian 11 sysroot
# (scripts/gpu-sysroot.sh, glibc 2.31) so that it runs on Ubuntu 20.04 / Debian 11 and later; the
# shared libraries it links (OpenCL ICD loader, OpenBLAS and theirs) come from that sysroot too and
# are used only where the host lacks them (run.sh puts the host's first). Every binary and library
# is checked (scripts/gpu-glibc-check.sh: nothing needs glibc > 2.31 or an outside libstdc++).
# The bundle is compute-only (no Media: render needs libav*, which would not fit the carry limit).
# x86_64 only (the sysroot is amd64).
# Usage: scripts/make-gpu-bundle.sh [OUT_DIR]   (default gpu-bundle/; relative or absolute)
#   SKIP_BUILD=1   reuse the last static build (.build-static)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-gpu-bundle}
[[ $out == /* ]] || out="$PWD/$out"
cd "$root"
[[ $(uname -m) == x86_64 ]] || { echo "make-gpu-bundle: the glibc-2.31 sysroot is amd64; build on x86_64" >&2; exit 2; }
read -ra cpu_flags <<< "$(bash scripts/cpu-flags.sh)"
scratch=.build-static
mkdir -p "$scratch"
sysroot=$(cd "$(bash scripts/gpu-sysroot.sh "$scratch/sysroot-bullseye")" && pwd)
# libstdc++ statically: a folder holding only libstdc++.a, searched first, so -lstdc++ (from the
# Swift runtime's link line) takes the archive: the compiler's own (the headers the Swift runtime
# was built with). Swift compiles against the host's headers; only the link uses the sysroot, with
# the two glibc 2.32+ symbols that libstdc++ and the Swift runtime reference defined by
# scripts/gpu-glibc-compat.c.
cxx=$root/$scratch/static-libstdcxx
mkdir -p "$cxx"
ln -sfn "$(g++ -print-file-name=libstdc++.a)" "$cxx/libstdc++.a"
compat=$root/$scratch/gpu-glibc-compat.o
gcc -O2 -c --sysroot="$sysroot" scripts/gpu-glibc-compat.c -o "$compat"
# pkg-config answers for the system-library targets: the host's headers (Cflags, as for every
# other compile) but the sysroot's libraries (Libs), so the first -L of the link is the sysroot's
# and -lc, -lm, -lpthread resolve to glibc 2.31 there.
pc=$root/$scratch/pkgconfig
mkdir -p "$pc"
lib=$sysroot/usr/lib/x86_64-linux-gnu
printf 'Name: OpenCL\nDescription: OpenCL ICD loader (sysroot)\nVersion: 3.0\nLibs: -L%s -lOpenCL\nCflags: %s\n' \
  "$lib" "$(pkg-config --cflags OpenCL 2>/dev/null)" > "$pc/OpenCL.pc"
printf 'Name: openblas\nDescription: OpenBLAS (sysroot)\nVersion: 0.3\nLibs: -L%s -lopenblas\nCflags: %s\n' \
  "$lib/openblas-pthread" "$(pkg-config --cflags openblas 2>/dev/null)" > "$pc/openblas.pc"
if [[ ${SKIP_BUILD:-0} != 1 ]]; then
  PKG_CONFIG_PATH=$pc PORTRAIT_COMPUTE_ONLY=1 swift build -c release --static-swift-stdlib "${cpu_flags[@]}" --pkg-config-path "$pc" \
    --scratch-path "$scratch" --product portrait \
    -Xswiftc -Xclang-linker -Xswiftc --sysroot="$sysroot" -Xswiftc -L"$cxx" -Xlinker "$compat" \
    > "$scratch/bundle-build.log" 2>&1 \
    || { tail -30 "$scratch/bundle-build.log" >&2; echo "static build failed; full log: $scratch/bundle-build.log" >&2; exit 1; }
fi
rm -rf "$out"; mkdir -p "$out/lib"
cp "$scratch/release/portrait" "$out/"; strip "$out/portrait"
# The shared libraries it needs, taken from the sysroot (never the build host's newer ones).
needed() { objdump -p "$1" | awk '/NEEDED/ {print $2}'; }
declare -A seen=()
queue=("$out/portrait")
while ((${#queue[@]})); do
  file=${queue[0]}; queue=("${queue[@]:1}")
  for lib in $(needed "$file"); do
    case $lib in
      libc.so*|libm.so*|libpthread.so*|libdl.so*|librt.so*|libutil.so*|ld-linux*|libresolv.so*|libgcc_s.so*) continue ;;   # glibc and libgcc: the host's
    esac
    [[ -n ${seen[$lib]:-} ]] && continue
    seen[$lib]=1
    path=$(find "$sysroot/lib/x86_64-linux-gnu" "$sysroot/usr/lib/x86_64-linux-gnu" -name "$lib" \( -type f -o -type l \) 2>/dev/null | head -1)
    [[ -n $path ]] || { echo "make-gpu-bundle: $lib (needed by $(basename "$file")) is not in the sysroot" >&2; exit 1; }
    cp -L "$path" "$out/lib/$lib"
    queue+=("$out/lib/$lib")
  done
done
cp scripts/gpu-run.sh "$out/run.sh"
chmod +x "$out/run.sh"
bash scripts/gpu-glibc-check.sh "$out" 2.31 > "$out/glibc-check.txt" || { cat "$out/glibc-check.txt" >&2; exit 1; }
du -sh "$out"
