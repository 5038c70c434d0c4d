#!/usr/bin/env bash
# run.sh of the GPU bundle (copied there by scripts/make-gpu-bundle.sh): runs the bundled portrait
# with the host's libraries first and the bundle's lib/ only for what the host lacks, and finds an
# OpenCL GPU driver the ICD loader would miss. Works from any folder and under `env -i`.
#  - Libraries: each lib/ entry the host's loader cannot resolve (ldconfig -p, LD_LIBRARY_PATH) is
#    linked into a private fallback folder appended after LD_LIBRARY_PATH.
#  - Drivers: the vendor files of /etc/OpenCL/vendors (or $OCL_ICD_VENDORS) are kept when the
#    library they name resolves; NVIDIA's, AMD's and Intel's OpenCL libraries are looked for by
#    name (ldconfig -p, LD_LIBRARY_PATH, the drivers' usual folders); one wider search of /usr,
#    /opt, /run and /lib* runs only when all that finds no GPU driver, and its answer is cached.
#    When a usable driver has no vendor file, a private vendors folder (the usable existing files
#    plus one per driver found) is passed as OCL_ICD_VENDORS.
#  - Everything it writes goes under $PORTRAIT_BUNDLE_CACHE, else $XDG_CACHE_HOME or $HOME/.cache
#    (portraitcl-bundle), else the bundle's own .cache folder.
# Env: PORTRAIT_BUNDLE_VERBOSE=1 prints what was chosen; OCL_ICD_VENDORS set by the caller is
# respected as it is.
set -uo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
export PATH=${PATH:-/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin}
say() { [[ ${PORTRAIT_BUNDLE_VERBOSE:-0} == 1 ]] && echo "run.sh: $*" >&2; return 0; }

cache=${PORTRAIT_BUNDLE_CACHE:-}
if [[ -z $cache ]]; then
  if [[ -n ${XDG_CACHE_HOME:-} ]]; then cache=$XDG_CACHE_HOME/portraitcl-bundle
  elif [[ -n ${HOME:-} && -d ${HOME:-} && -w ${HOME:-} ]]; then cache=$HOME/.cache/portraitcl-bundle
  else cache=$here/.cache; fi
fi
mkdir -p "$cache" 2>/dev/null || { cache=$here/.cache; mkdir -p "$cache"; }
# portrait's own caches (program binaries, tuning) follow $HOME / $XDG_CACHE_HOME; give them a home
# under the cache when the caller has none (env -i).
if [[ -z ${HOME:-} && -z ${XDG_CACHE_HOME:-} ]]; then export XDG_CACHE_HOME=$cache/xdg; fi

ldcache=$(ldconfig -p 2>/dev/null || /sbin/ldconfig -p 2>/dev/null || true)
# resolves NAME: prints the path the host would load (LD_LIBRARY_PATH, then the loader cache,
# then the usual folders), nothing when the host does not have it.
resolve() {
  local name=$1 dir
  IFS=: read -ra dirs <<< "${LD_LIBRARY_PATH:-}"
  for dir in "${dirs[@]}"; do [[ -n $dir && -e $dir/$name ]] && { echo "$dir/$name"; return; }; done
  local hit
  hit=$(awk -v n="$name" '$1 == n && /x86-64|x86_64|64bit/ {print $NF; exit}' <<< "$ldcache")
  [[ -z $hit ]] && hit=$(awk -v n="$name" '$1 == n {print $NF; exit}' <<< "$ldcache")
  [[ -n $hit ]] && { echo "$hit"; return; }
  for dir in /lib/x86_64-linux-gnu /usr/lib/x86_64-linux-gnu /lib64 /usr/lib64 /usr/lib; do
    [[ -e $dir/$name ]] && { echo "$dir/$name"; return; }
  done
}

# 1. Libraries: the host's first, the bundle's for what is missing.
fallback=$cache/lib-fallback
rm -rf "$fallback"; mkdir -p "$fallback"
for lib in "$here"/lib/*; do
  [[ -e $lib ]] || continue
  name=$(basename "$lib")
  if [[ -z $(resolve "$name") ]]; then ln -sf "$lib" "$fallback/$name"; say "library $name: the bundle's"; else say "library $name: the host's"; fi
done
export LD_LIBRARY_PATH="${LD_LIBRARY_PATH:+$LD_LIBRARY_PATH:}$fallback"

# 2. OpenCL drivers.
if [[ -z ${OCL_ICD_VENDORS:-} ]]; then
  vendors=/etc/OpenCL/vendors
  usable=()          # existing vendor files whose library resolves
  covered=" "        # library basenames they name
  for icd in "$vendors"/*.icd; do
    [[ -f $icd ]] || continue
    lib=$(head -1 "$icd" | tr -d '[:space:]')
    [[ -z $lib ]] && continue
    if [[ $lib == /* && -e $lib ]] || [[ $lib != /* && -n $(resolve "$lib") ]]; then
      usable+=("$icd"); covered+="$(basename "$lib") "; say "vendor file $(basename "$icd"): $lib usable"
    else
      say "vendor file $(basename "$icd"): $lib not found, skipped"
    fi
  done
  drivers=(libnvidia-opencl.so.1 libamdocl64.so libigdrcl.so)
  driver_dirs=(/usr/lib/x86_64-linux-gnu /usr/lib64 /usr/lib /usr/local/nvidia/lib64 /usr/local/nvidia/lib
               /run/nvidia/driver/usr/lib/x86_64-linux-gnu /usr/lib/x86_64-linux-gnu/nvidia/current /opt/rocm/lib
               /opt/rocm/opencl/lib /opt/amdgpu/lib/x86_64-linux-gnu /usr/lib/x86_64-linux-gnu/intel-opencl)
  found=()
  for name in "${drivers[@]}"; do
    path=$(resolve "$name")
    if [[ -z $path ]]; then
      for dir in "${driver_dirs[@]}"; do [[ -e $dir/$name ]] && { path=$dir/$name; break; }; done
    fi
    [[ -n $path ]] && found+=("$path")
  done
  if ((${#found[@]} == 0)) && [[ $covered != *nvidia* && $covered != *amdocl* && $covered != *igdrcl* ]]; then
    search=$cache/driver-search.txt     # one wide search per machine; delete the file to search again
    if [[ ! -f $search ]]; then
      say "no GPU OpenCL driver in the usual places: searching /usr /opt /run /lib* once (cached in $search)"
      find /usr /opt /run /lib /lib64 -xdev \( -name libnvidia-opencl.so.1 -o -name libamdocl64.so -o -name libigdrcl.so \) \
        2>/dev/null | sort -u > "$search.tmp" && mv "$search.tmp" "$search"
    fi
    while IFS= read -r path; do [[ -e $path ]] && found+=("$path"); done < "$search"
  fi
  extra=()
  for path in "${found[@]}"; do
    [[ $covered == *" $(basename "$path") "* ]] || extra+=("$path")
  done
  if ((${#extra[@]})); then
    icddir=$cache/vendors
    rm -rf "$icddir"; mkdir -p "$icddir"
    for icd in "${usable[@]}"; do cp "$icd" "$icddir/"; done
    for path in "${extra[@]}"; do
      echo "$path" > "$icddir/portrait-$(basename "$path" | sed 's/\.so.*//').icd"; say "driver $path: added (no vendor file named it)"
    done
    export OCL_ICD_VENDORS=$icddir
  elif ((${#usable[@]} == 0)); then
    say "no usable OpenCL driver found: portrait will say so (and use the CPU when --device opencl)"
  fi
fi
exec "$here/portrait" "$@"
