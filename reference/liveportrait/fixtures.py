"""Golden fixtures for the Swift LivePortrait tests (Tests/Fixtures/liveportrait/README.md).

  tiny-weights.safetensors  our converted weights (float32), metadata: format + config JSON
  tiny.json                 the config
  tiny-io.safetensors       inputs (uint8 images, float32 retargeting ratios) and the OFFICIAL
                            code's stage outputs (float32) under our stage names
"""
import json
import os

import torch
from safetensors.torch import load_file, save_file

from .convert import write

# Stages that merely repeat another one (raw head outputs that info keeps reshaped).
REDUNDANT = ("raw.kp", "raw.exp", "raw.t", "raw.scale")


def _u8(images: torch.Tensor) -> torch.Tensor:
    return torch.round(images * 255).to(torch.uint8)


def write_fixtures(directory, cfg, weights, source, drivers, eye_ratio, lip_ratio, official):
    """Writes the three files and verifies that the uint8 inputs reproduce the float inputs."""
    os.makedirs(directory, exist_ok=True)
    assert torch.equal(_u8(source).float() / 255, source) and torch.equal(_u8(drivers).float() / 255, drivers)
    write(weights, cfg, os.path.join(directory, "tiny-weights"))
    os.replace(os.path.join(directory, "tiny-weights.json"), os.path.join(directory, "tiny.json"))
    io = {"input.source": _u8(source), "input.drivers": _u8(drivers),
          "input.eye_ratio": eye_ratio.float(), "input.lip_ratio": lip_ratio.float()}
    for k, v in official.items():
        if not k.endswith(REDUNDANT):
            io[k] = v.detach().to(torch.float32).contiguous()
    meta = {"format": "portraitcl-liveportrait-io-1", "config": cfg.name,
            "note": "inputs are uint8 images (value/255 = the float input); stages from the official code",
            "stages": json.dumps(sorted(k for k in io if not k.startswith("input.")))}
    save_file(io, os.path.join(directory, "tiny-io.safetensors"), metadata=meta)
    sizes = {f: os.path.getsize(os.path.join(directory, f)) for f in sorted(os.listdir(directory))}
    print("fixtures:", ", ".join(f"{f} {s / 1024:.0f} KiB" for f, s in sizes.items()),
          f"(total {sum(sizes.values()) / 1024:.0f} KiB)")


def verify_fixtures(directory):
    """Our reference from the fixture weights and inputs vs the stored official stages."""
    from .config import LivePortraitConfig
    from .model import LivePortrait
    from .ours_run import run_ours
    cfg = LivePortraitConfig.load(os.path.join(directory, "tiny.json"))
    model = LivePortrait(cfg).eval()
    model.load_state_dict(load_file(os.path.join(directory, "tiny-weights.safetensors")), strict=True)
    io = load_file(os.path.join(directory, "tiny-io.safetensors"))
    ours = run_ours(model, io["input.source"].float() / 255, io["input.drivers"].float() / 255,
                    io["input.eye_ratio"], io["input.lip_ratio"])
    worst = 0.0
    for k, ref in io.items():
        if k.startswith("input."):
            continue
        d = ours[k].reshape(ref.shape).double() - ref.double()
        worst = max(worst, (d.norm() / ref.double().norm().clamp_min(1e-30)).item())
    return worst, len(io)
