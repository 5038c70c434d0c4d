#!/usr/bin/env bash
# libFuzzer runs of PortraitCL's parsers of untrusted input (docs/robustness.md).
#
#   scripts/fuzz.sh build                 build the six targets with -sanitize=fuzzer,address
#   scripts/fuzz.sh run TARGET [SECONDS] [LIBFUZZER FLAGS...]
#                                         fuzz one target from its committed corpus (default 60 s)
#   scripts/fuzz.sh all [SECONDS]         fuzz all six at once, in the background, logs in $FUZZ_LOGS
#
# TARGET is one of: safetensors avatar config pose-csv image video. New interesting inputs go
# to $FUZZ_WORK/<target> (not to the committed corpus), crashes to $FUZZ_WORK/crashes/<target>.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
targets=(safetensors avatar config pose-csv image video)
build="${FUZZ_BUILD:-$root/Fuzz/.build}"
work="${FUZZ_WORK:-/tmp/portrait-fuzz}"
logs="${FUZZ_LOGS:-$work/logs}"
bin="$build/release"

build() {
    swift build --package-path "$root/Fuzz" --build-path "$build" -c release \
        -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library
}

run() {
    local target="$1" seconds="${2:-60}"
    shift 2 || shift $#
    mkdir -p "$work/$target" "$work/crashes/$target"
    # -rss_limit_mb also caps single allocations: an input that makes a parser allocate 2 GB is a bug.
    "$bin/fuzz-$target" "$work/$target" "$root/Fuzz/Corpus/$target" \
        -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 \
        -artifact_prefix="$work/crashes/$target/" "$@"
}

case "${1:-}" in
    build) build ;;
    run) shift; run "${1:?target}" "${2:-60}" "${@:3}" ;;
    all)
        mkdir -p "$logs"
        for t in "${targets[@]}"; do
            # -fork keeps fuzzing after a crash, so one bug does not end a long run early.
            (run "$t" "${2:-1800}" -fork=1 -ignore_crashes=1 >"$logs/$t.log" 2>&1 || true) &
            echo "fuzz-$t: log $logs/$t.log"
        done
        wait ;;
    *) sed -n '2,11p' "$0"; exit 2 ;;
esac
