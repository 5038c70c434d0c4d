#!/usr/bin/env python3
"""Time to a studio preview: the first one (the network loaded, the face found, the source
encoded) and a slider move after it, through a running `portrait serve` (in-process previews,
docs/studio.md), against the same one-frame `portrait render` run as a child process (what every
preview cost before).

    python3 Benchmarks/studio_preview.py --bin .build/release/portrait --config liveportrait-tiny \
        --device cpu --source assets/astronaut-512.png [--rounds 3]

Random weights (seed 0) unless --weights-dir holds the config's weights as weights.safetensors.
Prints the load average with the figures; on a shared machine compare only rows of one run.
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request


def call(address, method, path, body=None, headers=None):
    request = urllib.request.Request(address + path, data=body, method=method, headers=headers or {})
    with urllib.request.urlopen(request, timeout=900) as reply:
        return json.loads(reply.read() or b"{}")


def preview(address, fields):
    job = call(address, "POST", "/api/jobs", json.dumps(fields).encode(), {"Content-Type": "application/json"})
    while job["state"] not in ("done", "failed", "cancelled"):
        time.sleep(0.05)
        job = call(address, "GET", "/api/jobs/" + job["id"])
    if job["state"] != "done":
        sys.exit("preview %s: %s" % (job["state"], job.get("message")))
    return job


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bin", default=".build/release/portrait")
    parser.add_argument("--config", default="liveportrait-tiny")
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--source", default="assets/astronaut-512.png")
    parser.add_argument("--rounds", type=int, default=3, help="slider moves timed after the first preview")
    args = parser.parse_args()
    work = tempfile.mkdtemp(prefix="studio-bench-")
    edit_name = "smile" if args.config.startswith("liveportrait") else None
    fields = {"kind": "preview", "config": args.config, "device": args.device, "randomWeights": 0}
    cli = [args.bin, "render", "--source", args.source, "--frames", "1", "-o", os.path.join(work, "cli.png"),
           "--config", args.config, "--random-weights", "0", "--device", args.device]
    if edit_name:
        cli += ["--edit", "smile=0.5"]
    else:  # MegaPortraits previews a head pose; the page drives it with a picture: the source itself
        cli += ["--driver", args.source]
    print("load average %.1f %.1f %.1f" % os.getloadavg())
    started = time.time()
    subprocess.run(cli, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    print("%-34s %7.2f s" % ("child process (before): a preview", time.time() - started), flush=True)

    server = subprocess.Popen([args.bin, "serve", "--port", "0", "--work", os.path.join(work, "studio")],
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        line = server.stdout.readline()
        address = line.split("listening on ")[1].split(" ")[0].rstrip("/")
        with open(args.source, "rb") as f:
            upload = call(address, "POST", "/api/uploads", f.read(), {"X-File-Name": "source.png"})
        fields["source"] = upload["id"]
        if not edit_name:
            fields["driver"] = upload["id"]
        for index in range(args.rounds + 1):
            if edit_name:
                fields["edit"] = {edit_name: 0.5 + 0.1 * index}
            started = time.time()
            job = preview(address, fields)
            what = "in process: first preview" if index == 0 else "in process: slider move %d" % index
            print("%-34s %7.2f s (job %.2f s, source reused: %s)" % (what, time.time() - started, job.get("elapsedSeconds") or 0,
                                                                    job.get("sourceReused")), flush=True)
    finally:
        server.terminate()
        server.wait()
        shutil.rmtree(work, ignore_errors=True)
    print("load average %.1f %.1f %.1f" % os.getloadavg())


if __name__ == "__main__":
    main()
