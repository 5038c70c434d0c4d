#!/usr/bin/env bash
# The GPU check, run inside a bundle made by scripts/gpu-check.sh (copied there as check.sh):
# devices, compare --ops (every kernel variant), tune (when this build has it), profile --ops, the
# convolutions again with the other algorithm (conv.algorithm=direct: on GPUs the default is the
# implicit GEMM), the PyTorch anchor (torch/anchor.py: our PyTorch references of both networks on
# CUDA, fp32 eager and fp16, per avatar and per frame, on seeded weights it writes as our files)
# and the full-model profiles (MegaPortraits, then LivePortrait at the released sizes) on one
# OpenCL device on those same weights, each step under its own time limit (485 s in all, about 8
# minutes), results as JSON plus summary.md in OUT_DIR (at most 8 files, no subfolders: the model
# profiles and the anchor are joined into profile-models.json once summary.md is written).
# Usage: check.sh [OUT_DIR]     (default gpu-check-HOST-DATE; relative to the current folder)
# Env:   GPU_CHECK_DEVICE (default opencl: the fastest GPU, else the first OpenCL device),
#        GPU_CHECK_CONFIG (default megaportraits-512), GPU_CHECK_FRAMES (default 3),
#        GPU_CHECK_ALT_CONV (default direct: the conv.algorithm of the extra convolution profile),
#        GPU_CHECK_LP_CONFIG (default liveportrait), GPU_CHECK_TORCH_DEVICE (default auto: CUDA,
#        else the CPU as a smoke test), GPU_CHECK_PYTHON (default python3),
#        GPU_CHECK_LIMITS="devices compare tune ops conv torch model lp" seconds
#        (default "20 75 45 80 50 75 90 50").
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-gpu-check-$(hostname)-$(date +%Y%m%d-%H%M%S)}
mkdir -p "$out"
out=$(cd "$out" && pwd)
device=${GPU_CHECK_DEVICE:-opencl}
config=${GPU_CHECK_CONFIG:-megaportraits-512}
frames=${GPU_CHECK_FRAMES:-3}
lp_config=${GPU_CHECK_LP_CONFIG:-liveportrait}
read -r t_devices t_compare t_tune t_ops t_conv t_torch t_model t_lp <<< "${GPU_CHECK_LIMITS:-20 75 45 80 50 75 90 50}"
alt_conv=${GPU_CHECK_ALT_CONV:-direct}
python=${GPU_CHECK_PYTHON:-python3}
# The anchor's weight files: large, so outside OUT_DIR (at most 8 files come back), under the
# user's cache (or the bundle when there is no home).
weights_dir=${XDG_CACHE_HOME:-${HOME:+$HOME/.cache}}
weights_dir=${weights_dir:-$here/.cache}/portraitcl-bundle/anchor-weights
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
# The PyTorch anchor: same configs, seeded weights written for the two profiles below.
echo "== torch: $python torch/anchor.py (limit ${t_torch}s)" | tee -a "$log"
torch_start=$SECONDS
rm -rf "$weights_dir"; mkdir -p "$weights_dir"
timeout --kill-after=5 "$t_torch" "$python" "$here/torch/anchor.py" --json "$out/torch.json" --weights-dir "$weights_dir" \
  --device "${GPU_CHECK_TORCH_DEVICE:-auto}" --mp-config "$config" --lp-config "$lp_config" --frames "$frames" >> "$log" 2>&1
rc=$?
printf 'torch\t%s\t%s\t%s\t%s\n' "$rc" "$((SECONDS - torch_start))" "$t_torch" \
  "$([[ $rc == 0 ]] && echo ok || echo "exit $rc (see log.txt)")" >> "$steps"
mp_weights=(--random-weights 1); lp_weights=(--random-weights 1)
export GPU_CHECK_WEIGHTS_NOTE="seeded random weights of our own generator (the anchor's were not available)"
if [[ -f $weights_dir/megaportraits.safetensors && -f $weights_dir/liveportrait.safetensors ]]; then
  mp_weights=(--weights "$weights_dir/megaportraits.safetensors"); lp_weights=(--weights "$weights_dir/liveportrait.safetensors")
  export GPU_CHECK_WEIGHTS_NOTE="the PyTorch anchor's seeded weights"
fi
step model "$t_model" profile-model.json -- profile "${mp_weights[@]}" --config "$config" --frames "$frames" --json --device "$device"
step lp "$t_lp" profile-lp.json -- profile --model liveportrait "${lp_weights[@]}" --config "$lp_config" --frames "$frames" --json --device "$device"
echo "== total $((SECONDS - total_start))s" | tee -a "$log"

if command -v python3 > /dev/null 2>&1; then
  python3 "$here/gpu-report.py" "$out" > "$out/summary.md" 2>> "$log" || echo "report failed; see log.txt" | tee -a "$log"
else
  { echo "# GPU check"; echo; echo "python3 is not installed here: no tables; the JSON files are the results."; echo;
    echo '```'; cat "$steps"; echo '```'; } > "$out/summary.md"
fi
rm -f "$steps"   # its table is in summary.md (and the steps in log.txt): 8 files at most come back from a device run
if command -v python3 > /dev/null 2>&1; then   # one file for both model profiles and the anchor (the raw JSON, as written)
  python3 - "$out" <<'PY' && rm -f "$out/profile-model.json" "$out/profile-lp.json" "$out/torch.json"
import json, os, sys
def read(name):
    try:
        with open(os.path.join(sys.argv[1], name)) as f: return json.load(f)
    except (OSError, ValueError) as e: return {"_missing": f"{name}: {e.__class__.__name__}"}
with open(os.path.join(sys.argv[1], "profile-models.json"), "w") as f:
    json.dump({"megaportraits": read("profile-model.json"), "liveportrait": read("profile-lp.json"),
               "pytorch": read("torch.json")}, f, indent=1)
PY
fi
echo "results in $out:"; ls -1 "$out"
