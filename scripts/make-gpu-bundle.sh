#!/usr/bin/env bash
# Packs a self-contained `portrait` for a machine without Swift or the Debian libraries (the GPU
# runner): static Swift stdlib, plus every shared library it links that is not part of glibc.
# The bundle is compute-only (no Media: render needs libav*, which would not fit the carry limit).
# Build it on the GPU machine's architecture (x86_64 or aarch64: CPU flags from scripts/cpu-flags.sh).
# Usage: scripts/make-gpu-bundle.sh [OUT_DIR]   (default gpu-bundle/)
set -euo pipefail
out=${1:-gpu-bundle}
read -ra cpu_flags <<< "$(bash "$(dirname "$0")/cpu-flags.sh")"
if [[ ${SKIP_BUILD:-0} != 1 ]]; then
  mkdir -p .build-static
  PORTRAIT_COMPUTE_ONLY=1 swift build -c release --static-swift-stdlib "${cpu_flags[@]}" \
    --scratch-path .build-static --product portrait > .build-static/bundle-build.log 2>&1 \
    || { tail -30 .build-static/bundle-build.log >&2; echo "static build failed; full log: .build-static/bundle-build.log" >&2; exit 1; }
fi
rm -rf "$out"; mkdir -p "$out/lib"
cp .build-static/release/portrait "$out/"; strip "$out/portrait"
ldd "$out/portrait" | awk '/=> \// {print $3}' | while read -r lib; do
  case "$(basename "$lib")" in
    libc.so*|libm.so*|libpthread.so*|libdl.so*|librt.so*|ld-linux*|libresolv.so*) ;;
    *) cp -L "$lib" "$out/lib/" ;;
  esac
done
cat > "$out/run.sh" <<'RUN'
#!/usr/bin/env bash
# Runs the bundled portrait with its libraries; finds the NVIDIA OpenCL driver when no ICD is registered.
here=$(cd "$(dirname "$0")" && pwd)
export LD_LIBRARY_PATH="$here/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
if [[ -z ${OCL_ICD_VENDORS:-} && ! -d /etc/OpenCL/vendors ]]; then
  nv=$(ldconfig -p 2>/dev/null | awk '/libnvidia-opencl.so.1/ {print $NF; exit}')
  [[ -z $nv ]] && nv=$(find / -name 'libnvidia-opencl.so.1' 2>/dev/null | head -1)
  if [[ -n $nv ]]; then
    mkdir -p "$here/icd"; echo "$nv" > "$here/icd/nvidia.icd"; export OCL_ICD_VENDORS="$here/icd"
  fi
fi
exec "$here/portrait" "$@"
RUN
chmod +x "$out/run.sh"
du -sh "$out"
