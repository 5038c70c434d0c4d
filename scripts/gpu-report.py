#!/usr/bin/env python3
"""Markdown summary of a GPU check folder (scripts/gpu-check-run.sh): steps, device and its kernel
variants, compare --ops verdict and failures, profile --ops, ours vs PyTorch on the same machine
(torch.json from gpu-torch-anchor.py) and the two full-model profiles.
Usage: gpu-report.py DIR > DIR/summary.md   (standard library only; a missing or partial JSON
file, e.g. from a step stopped at its time limit, is reported as such)."""
import json
import os
import sys


def load(folder, name):
    path = os.path.join(folder, name)
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError) as e:
        return {"_missing": f"{name}: {e.__class__.__name__}"}


def table(header, rows):
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(str(c) for c in r) + " |" for r in rows]
    return "\n".join(lines)


def main(folder):
    out = ["# GPU check", ""]
    with open(os.path.join(folder, "steps.tsv")) as f:
        steps = [line.rstrip("\n").split("\t") for line in f][1:]
    out += ["## Steps", "", table(["step", "exit", "seconds", "limit s", "note"], steps), ""]

    devices = load(folder, "devices.json")
    out += ["## Devices", ""]
    for d in devices.get("devices", []):
        pick = " (picked by --device opencl)" if d.get("picked_by_opencl") else ""
        out.append(f"- opencl:{d['index']} **{d['name']}**{pick}: {'GPU' if d['gpu'] else 'CPU'}, "
                   f"{d['compute_units']} compute units @ {d['clock_mhz']} MHz, driver {d['driver']}, {d['version']}")
        if d.get("variants"):
            out.append("  - variants: " + ", ".join(f"`{k}={v}`" for k, v in sorted(d["variants"].items())))
    if "_missing" in devices:
        out.append(f"- (no result: {devices['_missing']})")
    out.append("")

    compare = load(folder, "compare-ops.json")
    out += ["## compare --ops --all-variants (CPU reference vs device)", ""]
    if "_missing" in compare:
        out.append(f"no result: {compare['_missing']}")
    else:
        cases = compare["cases"]
        failed = [c for c in cases if not c["passed"]]
        variants = sorted({c["variant"] for c in cases if c.get("variant")})
        out.append(f"{len(cases) - len(failed)}/{len(cases)} cases pass ({len(variants)} variant overrides swept).")
        if failed:
            out += ["", table(["op", "case", "variant", "max abs err", "rel err", "tolerance abs + rel"],
                              [[c["op"], c["case"], c.get("variant") or "-", f"{c['max_abs_error']:.2e}",
                                f"{c['relative_error']:.2e}", f"{c['tolerance_abs']} + {c['tolerance_rel']}"] for c in failed])]
    out.append("")

    if os.path.exists(os.path.join(folder, "tune.json")):
        tune = load(folder, "tune.json")
        out += ["## tune", "", "```json", json.dumps(tune, indent=1)[:4000], "```", ""]
    else:
        out += ["## tune", "", "skipped: this build has no `portrait tune`.", ""]

    for name, title in [("profile-ops.json", "profile --ops (full MegaPortraits shapes, the device's variants)"),
                        ("profile-conv-alt.json", "convolutions with the other algorithm (GPU_CHECK_ALT_CONV, default conv.algorithm=direct)")]:
        ops = load(folder, name)
        out += [f"## {title}", ""]
        if "_missing" in ops:
            out.append(f"no result: {ops['_missing']}")
        else:
            peak = ops.get("peak_gflops_measured")
            out.append(f"device {ops['device']}; measured fp32 peak {peak:.0f} GFLOP/s" if peak else f"device {ops['device']}")
            out += ["", table(["op", "case", "ms", "GFLOP/s", "GB/s", "% peak", "kernels"],
                              [[c["op"], c["case"], f"{c['ms']:.3f}", f"{c['gflops']:.1f}", f"{c['gbps']:.1f}",
                                f"{100 * c['gflops'] / peak:.1f}" if peak else "-", " ".join(sorted(set(c["kernels"])))]
                               for c in ops["cases"]])]
        out.append("")

    models = {"megaportraits": load(folder, "profile-model.json"), "liveportrait": load(folder, "profile-lp.json")}
    out += anchor_section(load(folder, "torch.json"), models)
    for key, title in [("megaportraits", "Full-model profile"), ("liveportrait", "LivePortrait profile (released sizes)")]:
        out += model_section(models[key], title)
    print("\n".join(out))


def anchor_section(torch_report, models):
    """Ours against our PyTorch references on the same machine (gpu-torch-anchor.py): per avatar
    and per frame, fp32 eager and fp16, with the ratio PyTorch time / ours (> 1: ours is faster)."""
    out = ["## Ours vs PyTorch on this machine (same configs, same seeded weights)", ""]
    if "_missing" in torch_report:
        return out + [f"no PyTorch result: {torch_report['_missing']}", ""]
    out.append(f"PyTorch {torch_report.get('torch')} on {torch_report.get('device')} ({torch_report.get('note')}): "
               "best of one timed pass after a warm-up. Ours (`portrait profile`): per avatar = kernel time of the avatar "
               "pass (its wall time, in brackets, includes building the kernels on first use), per frame = mean wall "
               "time per frame after one warm-up frame.")
    rows = []
    for key, label in [("megaportraits", "MegaPortraits"), ("liveportrait", "LivePortrait")]:
        ours = models.get(key, {})
        if "_missing" not in ours:
            rows.append([label, f"PortraitCL {ours.get('device', '?')}", f"{ours['avatar_kernel_s'] * 1e3:.1f} ({ours['avatar_wall_s'] * 1e3:.0f})",
                         f"{ours['frame_wall_ms']:.2f}", "1.00", "1.00"])
        for r in torch_report.get("results", []):
            if r.get("model") != key:
                continue
            name = f"PyTorch {r.get('device')} {r.get('dtype')}" + (" eager" if r.get("dtype") == "fp32" else "")
            if "error" in r:
                rows.append([label, name, "-", "-", "-", r["error"][:80]])
                continue
            ratio = lambda theirs, mine: f"{theirs / mine:.2f}" if mine else "-"   # noqa: E731
            rows.append([label, name, f"{r['avatar_ms']:.1f}", f"{r['frame_ms']:.2f}",
                         ratio(r["avatar_ms"], ours.get("avatar_kernel_s", 0) * 1e3) if "_missing" not in ours else "-",
                         ratio(r["frame_ms"], ours.get("frame_wall_ms", 0)) if "_missing" not in ours else "-"])
    out += ["", table(["model", "engine", "per avatar ms", "per frame ms", "avatar: time / ours", "frame: time / ours"], rows), ""]
    return out


def model_section(model, title):
    """The markdown of one `portrait profile --json` result."""
    out = [f"## {title}", ""]
    if "_missing" in model:
        out.append(f"no result: {model['_missing']}")
    else:
        frames = model["frames"]
        out.append(f"{model['config']} on {model['device']}, {os.environ.get('GPU_CHECK_WEIGHTS_NOTE', 'random weights')}: per avatar {model['avatar_kernel_s']:.2f} s kernel time "
                   f"({model['avatar_gflop'] / max(model['avatar_kernel_s'], 1e-9):.0f} GFLOP/s), {model['avatar_wall_s']:.2f} s wall; "
                   f"per frame {model['frame_wall_ms']:.1f} ms wall ({model['fps']:.2f} fps, {model['frame_gflop']:.1f} GFLOP), "
                   f"mean of {frames} after one warm-up.")
        for heading, key, scale in [("per-avatar stages", "avatar_stages", 1), ("per-frame stages (per frame)", "frame_stages", frames),
                                  ("per-avatar kernels (top 15)", "avatar_kernels", 1),
                                  ("per-frame kernels (per frame, top 15)", "frame_kernels", frames)]:
            if key not in model:
                continue   # a result from a binary older than this script
            rows = model[key][:15] if key.endswith("_kernels") else model[key]
            out += ["", f"**{heading}**", "", table(["name", "ms", "GFLOP/s", "GB/s"],
                                                  [[r["name"], f"{r['ms'] / scale:.2f}", f"{r['gflops']:.1f}", f"{r['gbps']:.1f}"] for r in rows])]
    out.append("")
    return out


if __name__ == "__main__":
    main(sys.argv[1])
