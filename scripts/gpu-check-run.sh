#!/usr/bin/env bash
# The GPU check, run inside a bundle made by scripts/gpu-check.sh (copied there as check.sh):
# devices, compare --ops (every kernel variant), tune (when this build has it), profile --ops, the
# convolutions again with the other algorithm (conv.algorithm=direct: on GPUs the default is the
# implicit GEMM) and the full-model profiles (MegaPortraits, then LivePortrait at the released sizes)
# on one OpenCL device, each step under its own time limit (470 s in all, so the whole check ends
# within 8 minutes), results as JSON plus summary.md in OUT_DIR (at most 8 files, no subfolders:
# the two model profiles are joined into profile-models.json once summary.md is written).
# Usage: check.sh [OUT_DIR]     (default gpu-check-HOST-DATE)
# Env:   GPU_CHECK_DEVICE (default opencl: the fastest GPU, else the first OpenCL device),
#        GPU_CHECK_CONFIG (default megaportraits-512), GPU_CHECK_FRAMES (default 3),
#        GPU_CHECK_ALT_CONV (default direct: the conv.algorithm of the extra convolution profile),
#        GPU_CHECK_LP_CONFIG (default liveportrait),
#        GPU_CHECK_LIMITS="devices compare tune ops conv model lp" seconds (default "20 90 60 110 50 90 50").
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-gpu-check-$(hostname)-$(date +%Y%m%d-%H%M%S)}
mkdir -p "$out"
out=$(cd "$out" && pwd)
device=${GPU_CHECK_DEVICE:-opencl}
config=${GPU_CHECK_CONFIG:-megaportraits-512}
frames=${GPU_CHECK_FRAMES:-3}
lp_config=${GPU_CHECK_LP_CONFIG:-liveportrait}
read -r t_devices t_compare t_tune t_ops t_conv t_model t_lp <<< "${GPU_CHECK_LIMITS:-20 90 60 110 50 90 50}"
alt_conv=${GPU_CHECK_ALT_CONV:-direct}
portrait=("$here/run.sh")
log="$out/log.txt"
: > "$log"
steps="$out/steps.tsv"
printf 'step\tstatus\tseconds\tlimit\tnote\n' > "$steps"   # folded into summary.md at the end

# step NAME LIMIT OUTFILE -- ARGS...: runs portrait ARGS with stdout to OUTFILE, stderr to the log.
step() {
  local name=$1 limit=$2 file=$3; shift 4
  echo "== $name: portrait $* (limit ${limit}s)" | tee -a "$log"
  local start=$SECONDS
  timeout --kill-after=5 "$limit" "${portrait[@]}" "$@" > "$out/$file" 2>> "$log"
  local rc=$? took=$((SECONDS - start)) note=""
  case $rc in
    0) note="ok" ;;
    124|137) note="stopped at the ${limit}s limit" ;;
    1) note="ran; reported failures (exit 1)" ;;
    *) note="error (exit $rc; see log.txt)" ;;
  esac
  printf '%s\t%s\t%s\t%s\t%s\n' "$name" "$rc" "$took" "$limit" "$note" >> "$steps"
  echo "   $note after ${took}s" | tee -a "$log"
}

total_start=$SECONDS
step devices "$t_devices" devices.json -- devices --json --verbose
step compare "$t_compare" compare-ops.json -- compare --ops --all-variants --json --device "$device"
if "${portrait[@]}" --help 2>/dev/null | grep -qE '^ +tune( |$)'; then   # listed among the subcommands
  step tune "$t_tune" tune.json -- tune --json --budget $((t_tune * 2 / 3)) --device "$device"
else
  echo "== tune: skipped: this build of portrait has no 'tune' subcommand (issue 8, item 3, not built yet)" | tee -a "$log"
  printf 'tune\tskipped\t0\t%s\tno tune subcommand in this build\n' "$t_tune" >> "$steps"
fi
step ops "$t_ops" profile-ops.json -- profile --ops --repeat 3 --json --device "$device"
PORTRAIT_VARIANTS="conv.algorithm=$alt_conv${PORTRAIT_VARIANTS:+,$PORTRAIT_VARIANTS}" \
  step conv "$t_conv" profile-conv-alt.json -- profile --ops --only conv2d,conv3d --repeat 1 --json --device "$device"
step model "$t_model" profile-model.json -- profile --random-weights 1 --config "$config" --frames "$frames" --json --device "$device"
step lp "$t_lp" profile-lp.json -- profile --model liveportrait --random-weights 1 --config "$lp_config" --frames "$frames" --json --device "$device"
echo "== total $((SECONDS - total_start))s" | tee -a "$log"

if command -v python3 > /dev/null 2>&1; then
  python3 "$here/gpu-report.py" "$out" > "$out/summary.md" 2>> "$log" || echo "report failed; see log.txt" | tee -a "$log"
else
  { echo "# GPU check"; echo; echo "python3 is not installed here: no tables; the JSON files are the results."; echo;
    echo '```'; cat "$steps"; echo '```'; } > "$out/summary.md"
fi
rm -f "$steps"   # its table is in summary.md (and the steps in log.txt): 8 files at most come back from a device run
if command -v python3 > /dev/null 2>&1; then   # one file for both model profiles (the raw JSON, as written)
  python3 - "$out" <<'PY' && rm -f "$out/profile-model.json" "$out/profile-lp.json"
import json, os, sys
def read(name):
    try:
        with open(os.path.join(sys.argv[1], name)) as f: return json.load(f)
    except (OSError, ValueError) as e: return {"_missing": f"{name}: {e.__class__.__name__}"}
with open(os.path.join(sys.argv[1], "profile-models.json"), "w") as f:
    json.dump({"megaportraits": read("profile-model.json"), "liveportrait": read("profile-lp.json")}, f, indent=1)
PY
fi
echo "results in $out:"; ls -1 "$out"
