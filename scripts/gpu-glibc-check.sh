#!/usr/bin/env bash
# Checks that no ELF binary or shared library under DIR needs a glibc newer than MAX (default
# 2.31: Ubuntu 20.04, Debian 11) and that none needs libstdc++ from outside DIR: prints each ELF
# with the newest GLIBC_ version its dynamic symbols ask for, then "glibc check: ok" or the
# offenders, exit 1 on any. Uses objdump -T (binutils).
# Usage: scripts/gpu-glibc-check.sh DIR [MAX]
set -euo pipefail
dir=${1:?usage: gpu-glibc-check.sh DIR [MAX]}
max=${2:-2.31}
command -v objdump > /dev/null || { echo "glibc check: objdump (binutils) is not installed" >&2; exit 2; }
newer() { [[ $(printf '%s\n%s\n' "$1" "$2" | sort -V | tail -1) == "$1" && $1 != "$2" ]]; }   # $1 > $2
bad=0; count=0
while IFS= read -r -d '' file; do
  head -c 4 "$file" 2>/dev/null | grep -q $'\x7fELF' || continue
  count=$((count + 1))
  versions=$(objdump -T "$file" 2>/dev/null | grep -o 'GLIBC_[0-9][0-9.]*' | sed 's/GLIBC_//' | sort -uV)
  newest=$(tail -1 <<< "$versions")
  cxx=$(objdump -p "$file" 2>/dev/null | awk '/NEEDED/ && /libstdc\+\+/ {print $2}')
  note=""
  if [[ -n $newest ]] && newer "$newest" "$max"; then
    note=" NEEDS GLIBC $newest > $max: $(objdump -T "$file" | awk -v v="GLIBC_$newest" '$0 ~ v {print $NF}' | sort -u | head -5 | tr '\n' ' ')"
    bad=1
  fi
  if [[ -n $cxx && ! -e $(dirname "$file")/$cxx && ! -e $dir/lib/$cxx ]]; then
    note+=" NEEDS $cxx (not in the bundle: link libstdc++ statically)"; bad=1
  fi
  printf '%-48s glibc %-6s%s\n' "${file#"$dir"/}" "${newest:-none}" "$note"
done < <(find "$dir" -type f -print0)
if [[ $count == 0 ]]; then echo "glibc check: no ELF file under $dir" >&2; exit 2; fi
if [[ $bad == 0 ]]; then echo "glibc check: ok ($count ELF files need glibc <= $max)"; else echo "glibc check: FAILED (glibc > $max or libstdc++ needed; see above)"; exit 1; fi
