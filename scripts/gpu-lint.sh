#!/usr/bin/env bash
# make gpu-lint: every kernel of Kernels.cl under Oclgrind (an OpenCL device simulator that flags
# out-of-bounds accesses, data races, barrier divergence and API misuse), as a device cut to
# 256-item work-groups and 16 KiB of local memory, once with the CPU variant table and once with
# the GPU one (PORTRAIT_VARIANT_TABLE): `portrait lint-kernels` runs the op catalog's small cases
# under every kernel variant against the CPU reference, then the kernels outside the catalog, and
# fails when a kernel was never launched. Oclgrind's runtime is preloaded (LD_PRELOAD of
# liboclgrind-rt.so): through the ICD loader it hangs in queue creation.
# Usage: scripts/gpu-lint.sh [--quick] [BINARY]      (default .build/release/portrait)
#   --quick   the make-test subset: the GPU table with the whole variant sweep on the smallest
#             cases (inputs <= GPU_LINT_QUICK_ELEMENTS values, default 1024), then each table
#             alone on the cases up to GPU_LINT_MAX_ELEMENTS; every kernel must run in one of them
# Env: GPU_LINT_MAX_ELEMENTS (default 4096), GPU_LINT_TABLES (default "cpu gpu"),
#      GPU_LINT_LOG_DIR (default .build/gpu-lint), OCLGRIND_RT (the runtime library's path).
# Exit 0: clean; 1: a kernel error, a mismatch or an unlaunched kernel; 3: Oclgrind is not installed.
set -uo pipefail
cd "$(dirname "$0")/.."
quick=0
if [[ ${1:-} == --quick ]]; then quick=1; shift; fi
bin=${1:-.build/release/portrait}
[[ -x $bin ]] || { echo "gpu-lint: $bin is not built (make build first)" >&2; exit 2; }
rt=${OCLGRIND_RT:-}
if [[ -z $rt ]]; then
  for candidate in /usr/lib/oclgrind/liboclgrind-rt.so /usr/lib/x86_64-linux-gnu/oclgrind/liboclgrind-rt.so \
                   /usr/local/lib/liboclgrind-rt.so /usr/lib/liboclgrind-rt.so; do
    [[ -f $candidate ]] && { rt=$candidate; break; }
  done
fi
if [[ -z $rt || ! -f $rt ]]; then
  echo "gpu-lint: Oclgrind is not installed (no liboclgrind-rt.so): apt-get install oclgrind, or run scripts/install-deps.sh" >&2
  exit 3
fi
elements=${GPU_LINT_MAX_ELEMENTS:-4096}
logs=${GPU_LINT_LOG_DIR:-.build/gpu-lint}
mkdir -p "$logs"
# Runs: NAME TABLE MAX_ELEMENTS [lint-kernels flags...]
if [[ $quick == 1 ]]; then
  small=${GPU_LINT_QUICK_ELEMENTS:-1024}
  runs=("gpu-sweep gpu $small --no-coverage" "gpu gpu $elements --no-sweep" "cpu cpu $elements --no-sweep")
else
  runs=()
  for table in ${GPU_LINT_TABLES:-cpu gpu}; do runs+=("$table $table $elements"); done
fi
status=0
launched=""
total=0
for run in "${runs[@]}"; do
  read -r name table max flags <<< "$run"
  log="$logs/oclgrind-$name.log" out="$logs/lint-$name.txt"
  rm -f "$log"
  start=$SECONDS
  # PORTRAIT_CACHE_DIR="": no program-binary cache for the simulated device.
  # shellcheck disable=SC2086
  env LD_PRELOAD="$rt" OCLGRIND_CHECK_API=1 OCLGRIND_DATA_RACES=1 OCLGRIND_MAX_WGSIZE=256 OCLGRIND_LOCAL_MEM_SIZE=16384 \
      OCLGRIND_LOG="$log" PORTRAIT_VARIANT_TABLE="$table" PORTRAIT_CACHE_DIR="" PORTRAIT_TUNING=off PORTRAIT_VARIANTS= \
      "$bin" lint-kernels --device opencl:0 --max-elements "$max" $flags > "$out" 2>&1
  rc=$?
  # Oclgrind reports on its log and carries on: any diagnostic there fails the lint.
  diagnostics=0
  [[ -s $log ]] && diagnostics=$(grep -cE 'Invalid (read|write)|data race|divergence|Uninitialized|runtime error|error|Error' "$log")
  took=$((SECONDS - start))
  launched+=" $(sed -n 's/^launched kernels: //p' "$out")"
  total=$(sed -n 's/.* of \([0-9]*\) kernels launched$/\1/p' "$out" | tail -1)
  if [[ $rc == 0 && $diagnostics == 0 ]]; then
    echo "gpu-lint [$table table, inputs <= $max values${flags:+, $flags}]: ok in ${took}s: $(tail -1 "$out")"
  else
    status=1
    echo "gpu-lint [$table table, inputs <= $max values${flags:+, $flags}]: FAILED in ${took}s (portrait exit $rc, $diagnostics Oclgrind diagnostics)"
    grep -E '^(FAIL|NOT LAUNCHED|portrait: error)' "$out" | head -20
    [[ -s $log ]] && head -40 "$log"
    echo "  full output: $out; Oclgrind log: $log"
  fi
done
if [[ $quick == 1 ]]; then
  covered=$(tr ' ' '\n' <<< "$launched" | sed '/^$/d' | sort -u | wc -l)
  if [[ -n $total && $covered == "$total" ]]; then
    echo "gpu-lint: every kernel ($covered of $total) ran under Oclgrind in these runs"
  else
    status=1
    echo "gpu-lint: FAILED: only $covered of ${total:-?} kernels ran under Oclgrind in these runs"
  fi
fi
exit $status
