#!/usr/bin/env bash
# `portrait live` over each stream protocol on loopback, two processes, for docs/live.md:
# a sender (`--driver lavfi:testsrc2`, 25 fps, 256×256, paced like a camera) streams its rendered
# frames to PROTOCOL; a receiver reads that stream as its driver and writes a file. Both are tiny,
# CPU fallback, centred crop. Needs libavdevice (scripts/install-deps.sh) and a release build.
#
#   Benchmarks/live_protocols.sh [SECONDS] [PROTOCOL...]     (default: 20 s; srt tcp rtmp rtsp rist udp)
#
# Prints, per protocol, the receiver's summary line and JSON figures (frames captured/written/
# dropped, output fps, latency decoder → output); writes them to Benchmarks/results/live-proto-*.json.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-20}; shift || true
protocols=("$@"); [ ${#protocols[@]} -gt 0 ] || protocols=(srt tcp rtmp rtsp rist udp)
bin=.build/release/portrait
common=(--source Tests/Fixtures/face/astronaut-96.png --config tiny --random-weights 3 --device cpu --crop none --quiet)
mkdir -p Benchmarks/results
port=$(( 20000 + RANDOM % 10000 )); port=$(( port & ~1 ))
echo "load before: $(uptime)"
for proto in "${protocols[@]}"; do
  port=$(( port + 2 ))
  in_opts=(); out_opts=(); sender_first=1
  case $proto in
    srt)  out=("srt://127.0.0.1:$port?mode=listener"); in=("srt://127.0.0.1:$port") ;;
    tcp)  out=("tcp://127.0.0.1:$port?listen=1"); in=("tcp://127.0.0.1:$port") ;;
    rtmp) out=("rtmp://127.0.0.1:$port/live/cam"); in=("rtmp://127.0.0.1:$port/live/cam"); in_opts=(--driver-option listen=1); sender_first=0 ;;
    rtsp) out=("rtsp://127.0.0.1:$port/cam"); in=("rtsp://127.0.0.1:$port/cam"); in_opts=(--driver-option rtsp_flags=listen); sender_first=0 ;;
    rist) out=("rist://127.0.0.1:$port"); in=("rist://@127.0.0.1:$port"); sender_first=0 ;;
    udp)  out=("udp://127.0.0.1:$port"); in=("udp://127.0.0.1:$port"); sender_first=0 ;;
    *) echo "unknown protocol $proto" >&2; exit 2 ;;
  esac
  stats="$PWD/Benchmarks/results/live-proto-$proto.json"
  sender=("$bin" live "${common[@]}" --driver lavfi:testsrc2=size=256x256:rate=25 -o "${out[0]}" "${out_opts[@]}" --duration "$seconds")
  receiver=("$bin" live "${common[@]}" --driver "${in[0]}" "${in_opts[@]}" -o "/tmp/live-proto-$proto.mkv" --stats "$stats" --timeout 10)
  if [ $sender_first = 1 ]; then
    "${sender[@]}" >/dev/null 2>&1 & pid=$!; sleep 2
    "${receiver[@]}" 2>&1 | grep -v watermark || true
  else
    "${receiver[@]}" > "/tmp/live-proto-$proto.log" 2>&1 & rpid=$!; sleep 2
    "${sender[@]}" >/dev/null 2>&1 & pid=$!
    wait $rpid || true; grep -v watermark "/tmp/live-proto-$proto.log" || true
  fi
  wait $pid || true
  python3 -c "import json,sys; d=json.load(open(sys.argv[1])); f=d['frames']; l=d['latency_ms']; print(f\"{sys.argv[2]}: captured {f['captured']} written {f['written']} dropped {f['dropped']} fps {d['output_fps']} latency mean {l['mean']} p50 {l['p50']} p95 {l['p95']} max {l['max']} ms; driver end: {d.get('driver_end')}\")" "$stats" "$proto" || echo "$proto: no summary (the receiver failed)"
done
echo "load after: $(uptime)"
