#!/usr/bin/env python3
"""Converts checkpoints to the PortraitCL weight format (docs/weights.md).

  (a) our reference's own checkpoints: a torch state_dict saved from reference/model
      (torch.save(net.state_dict(), path)) — names are already ours; shapes are checked.
  (b) checkpoints in the official EMOPortraits state-dict layout (neeek2303/EMOPortraits,
      Model.state_dict() with "<network>." prefixes, plus the separate head-pose ResNet-18 dict):
      names are mapped, and spectral norm, weight standardisation and BatchNorm are folded.

Writes OUT.safetensors (float32; metadata format + config JSON) and OUT.json (the config).

Usage:
  convert.py --reference ckpt.pt --config tiny --out model
  convert.py --official model.pth [--head-pose head_pose.pth] --config megaportraits-512 --out model
  convert.py --list megaportraits-512          # every tensor name and shape of a config
  convert.py --liveportrait DIR [--config liveportrait|liveportrait-tiny|cfg.json] [--lip-array lip_array.pkl] --out model
                                               # the five official LivePortrait .pth files
                                               # (reference/liveportrait/convert.py, docs/liveportrait.md)
  convert.py --liveportrait-motion clip.pkl [--config released|tiny|cfg.json] --out clip.motion
                                               # an official motion template -> a .motion file
  convert.py --fewshot model_weights.tar --out fewshot
                                               # a few-shot talking-heads checkpoint (vincent-thevenin's
                                               # layout) -> OUT.safetensors (convert_fewshot.py, docs/fewshot.md)
  convert.py --face-parsing 79999_iter.pth --out face-parsing
                                               # BiSeNet face parsing -> OUT.safetensors (convert_face_parsing.py)
  convert.py --self-test                       # (a) and (b) on synthetic tiny checkpoints

(b) has been checked on checkpoints made by the official EMOPortraits code with trained-like random
weights (docs/official-parity.md; check_official.py), never on the released checkpoint itself.
"""
import argparse
import json
import os
import sys
import tempfile

import torch
import torch.nn as nn
import torch.nn.functional as F
from safetensors.torch import save_file

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from model import Config, MegaPortraits  # noqa: E402

WEIGHTS_FORMAT = "portraitcl-weights-1"
WS_EPS = 1e-5
BN_EPS = 1e-5

# Official keys that carry no weights we need (buffers, constants, an unused BatchNorm1d).
IGNORED_SUFFIXES = ("identity_grid", "identity_grid_512", "aligned_keypoints", ".mean", ".std",
                    "num_batches_tracked")
IGNORED_PREFIXES = ("bn.",)


# ---------------------------------------------------------------------------
# The mapping plan: (official prefix, our prefix, kind) for a config
# ---------------------------------------------------------------------------
# kinds:  sn      P.weight_orig/_u/_v [+ P.bias]   -> ours.weight [+ ours.bias]  (spectral norm folded)
#         ws      P.weight + P.bias                 -> ours.weight (standardised) + ours.bias
#         norm    P.weight + P.bias                 -> ours.weight + ours.bias (GroupNorm / AdaGN affine)
#         plain   P.weight                          -> ours.weight
#         param   P                                 -> ours
#         conv_bn (conv P, bn Q)                    -> ours.weight + ours.bias (BatchNorm folded)
#         linear  P.weight + P.bias                 -> ours.weight + ours.bias

def _res_block(plan, official, ours, has_skip, conv1_kind):
    plan += [(f"{official}.block_feats.0", f"{ours}.norm1", "norm"),
             (f"{official}.block_feats.2", f"{ours}.conv1", conv1_kind),
             (f"{official}.block_feats.3", f"{ours}.norm2", "norm"),
             (f"{official}.block.0", f"{ours}.conv2", "sn")]
    if has_skip:
        plan.append((f"{official}.skip.0", f"{ours}.skip", "sn"))


def _resnet_gn(plan, official, ours, layers, width, bottleneck):
    plan += [(f"{official}.conv1", f"{ours}.stem", "sn"), (f"{official}.bn1", f"{ours}.stem_norm", "norm")]
    convs = ["conv1", "conv2", "conv3"] if bottleneck else ["conv1", "conv2"]
    cin = width
    for l, n in enumerate(layers):
        w = width * 2 ** l
        cout = w * 4 if bottleneck else w
        for b in range(n):
            o, m = f"{official}.layer{l + 1}.{b}", f"{ours}.layers.{l}.{b}"
            for k, c in enumerate(convs, 1):
                plan += [(f"{o}.{c}", f"{m}.{c}", "sn" if k == 1 else "ws"), (f"{o}.bn{k}", f"{m}.norm{k}", "norm")]
            if b == 0 and (l > 0 or cin != cout):
                plan += [(f"{o}.downsample.0", f"{m}.downsample", "sn"),
                         (f"{o}.downsample.1", f"{m}.downsample_norm", "norm")]
            cin = cout


def _resnet_bn(plan, official, ours, layers, width):
    plan.append(((f"{official}.conv1", f"{official}.bn1"), f"{ours}.stem", "conv_bn"))
    cin = width
    for l, n in enumerate(layers):
        w = width * 2 ** l
        for b in range(n):
            o, m = f"{official}.layer{l + 1}.{b}", f"{ours}.layers.{l}.{b}"
            plan += [((f"{o}.conv1", f"{o}.bn1"), f"{m}.conv1", "conv_bn"),
                     ((f"{o}.conv2", f"{o}.bn2"), f"{m}.conv2", "conv_bn")]
            if b == 0 and (l > 0 or cin != w):
                plan.append(((f"{o}.downsample.0", f"{o}.downsample.1"), f"{m}.downsample", "conv_bn"))
            cin = w
    plan.append((f"{official}.fc", "pose.fc", "linear"))


def official_plan(cfg, head_pose_prefix="head_pose_regressor"):
    """The list of (official prefix, our prefix, kind) covering every tensor of `cfg`."""
    plan = []
    le = "local_encoder_nw"
    plan.append((f"{le}.from_rgb_{cfg.image_size}px", "appearance.stem", "sn"))
    cin = cfg.appearance_stem_channels
    for i, cout in enumerate(cfg.appearance_block_channels):
        _res_block(plan, f"{le}.enc_{i}_block={cfg.image_size // 2 ** i}px", f"appearance.blocks.{i}",
                   cin != cout, "ws")
        cin = cout
    plan += [(f"{le}.finale_layers.0", "appearance.head_norm", "norm"), (f"{le}.finale_layers.2", "appearance.head", "ws")]
    for i in range(cfg.appearance_3d_blocks):
        _res_block(plan, f"volume_source_nw.net.net.{i}", f"appearance.blocks3d.{i}", False, "sn")

    _resnet_gn(plan, "idt_embedder_nw.net", "identity.trunk", cfg.identity_layers, cfg.identity_width, True)
    plan.append(("idt_embedder_nw.net.fc", "identity.head", "sn"))
    _resnet_bn(plan, head_pose_prefix, "pose.trunk", cfg.pose_layers, cfg.pose_width)
    _resnet_gn(plan, "expression_embedder_nw.net_face.net", "expression.trunk", cfg.expression_layers,
               cfg.expression_width, False)
    plan += [("expression_embedder_nw.net_face.net.fc", "expression.head", "sn"),
             ("expression_embedder_nw.net_face.pose_head", "expression.fc", "sn"),
             ("pose_unsqueeze_nw", "embedding.unsqueeze", "plain"),
             ("warp_embed_head_orig_nw", "embedding.head", "sn")]

    for official, ours in (("xy_generator_nw", "warp_source"), ("uv_generator_nw", "warp_driver")):
        plan.append((f"{official}.first_conv", f"{ours}.first_conv", "sn"))
        cin = cfg.warp_first_channels
        for i, cout in enumerate(cfg.warp_block_channels):
            _res_block(plan, f"{official}.blocks_3d.{i}", f"{ours}.blocks.{i}", cin != cout, "ws")
            for k in (1, 2):
                j = 2 * i + k - 1
                plan += [(f"{official}.projector.u.{j}", f"{ours}.blocks.{i}.norm{k}.u", "param"),
                         (f"{official}.projector.v.{j}", f"{ours}.blocks.{i}.norm{k}.v", "param")]
            cin = cout
        plan += [(f"{official}.pre_head.0", f"{ours}.head_norm", "norm"), (f"{official}.head.0.0", f"{ours}.head", "sn")]

    vp = "volume_process_nw"
    plan.append((f"{vp}.input_tensor", "g3d.input", "param"))
    cin = cfg.volume_channels
    for i, cout in enumerate(cfg.g3d_down_channels):
        _res_block(plan, f"{vp}.blocks_3d_down.{i}", f"g3d.down.{i}", cin != cout, "sn")
        cin = cout
    cin = cfg.g3d_input_channels
    for i, cout in enumerate(cfg.g3d_up_channels):
        _res_block(plan, f"{vp}.skip_blocks_3d_up.{i}", f"g3d.skip.{i}", False, "sn")
        _res_block(plan, f"{vp}.blocks_3d_up.{i}", f"g3d.up.{i}", cin != cout, "sn")
        cin = cout
    plan += [(f"{vp}.head.0", "g3d.head_norm", "norm"), (f"{vp}.head.2", "g3d.head", "sn")]

    dn = "decoder_nw"
    plan.append((f"{dn}.res_decoder.0", "g2d.projection", "sn"))
    for i in range(cfg.g2d_same_blocks):
        _res_block(plan, f"{dn}.res_decoder.{i + 1}", f"g2d.blocks.{i}", False, "ws")
    for i, (cin, cout, _) in enumerate(cfg.g2d_blocks):
        _res_block(plan, f"{dn}.img_decoder.dec_img_blocks.{i}", f"g2d.up.{i}", cin != cout, "ws")
    plan += [(f"{dn}.img_decoder.dec_img_head.0", "g2d.head_norm", "norm"),
             (f"{dn}.img_decoder.dec_img_head.2", "g2d.head", "ws")]
    return plan


# ---------------------------------------------------------------------------
# Folding
# ---------------------------------------------------------------------------

def fold_spectral_norm(weight_orig, u, v):
    """W / sigma, sigma = u . (W.view(out, -1) @ v) with the stored u, v (eval: no power iteration)."""
    w = weight_orig.double()
    sigma = torch.dot(u.double(), w.reshape(w.shape[0], -1) @ v.double())
    return (w / sigma).float()


def fold_weight_standardisation(weight):
    """(W - mean) / (std_unbiased + 1e-5) per output channel, over all other axes."""
    w = weight.double()
    flat = w.reshape(w.shape[0], -1)
    mean = flat.mean(1, keepdim=True)
    std = (flat - mean).std(1, unbiased=True, keepdim=True)
    return ((flat - mean) / (std + WS_EPS)).reshape(w.shape).float()


def fold_batch_norm(weight, bias, gamma, beta, mean, var, eps=BN_EPS):
    """conv(W, b) then BN(gamma, beta, mean, var) -> conv(W', b')."""
    scale = gamma.double() / torch.sqrt(var.double() + eps)
    w = weight.double() * scale.view(-1, *([1] * (weight.dim() - 1)))
    b = (bias.double() if bias is not None else torch.zeros_like(scale)) - mean.double()
    return w.float(), (b * scale + beta.double()).float()


def convert_official(state, cfg, expected):
    """Maps + folds an official state dict into ours. `expected` = our name -> shape (from the config)."""
    out, used = {}, set()

    def take(key):
        if key not in state:
            raise KeyError(key)
        used.add(key)
        return state[key].detach().float()

    missing = []
    for official, ours, kind in official_plan(cfg):
        try:
            if kind == "sn":
                out[f"{ours}.weight"] = fold_spectral_norm(take(f"{official}.weight_orig"), take(f"{official}.weight_u"),
                                                           take(f"{official}.weight_v"))
                if f"{ours}.bias" in expected:
                    out[f"{ours}.bias"] = take(f"{official}.bias")
            elif kind == "ws":
                out[f"{ours}.weight"] = fold_weight_standardisation(take(f"{official}.weight"))
                out[f"{ours}.bias"] = take(f"{official}.bias")
            elif kind in ("norm", "linear"):
                out[f"{ours}.weight"], out[f"{ours}.bias"] = take(f"{official}.weight"), take(f"{official}.bias")
            elif kind == "plain":
                out[f"{ours}.weight"] = take(f"{official}.weight")
            elif kind == "param":
                out[ours] = take(official)
            elif kind == "conv_bn":
                c, b = official
                bias = take(f"{c}.bias") if f"{c}.bias" in state else None
                out[f"{ours}.weight"], out[f"{ours}.bias"] = fold_batch_norm(
                    take(f"{c}.weight"), bias, take(f"{b}.weight"), take(f"{b}.bias"),
                    take(f"{b}.running_mean"), take(f"{b}.running_var"))
            else:
                raise ValueError(kind)
        except KeyError as e:
            missing.append(f"{e.args[0]} (for {ours})")
    unused = [k for k in state if k not in used and not k.endswith(IGNORED_SUFFIXES)
              and not k.startswith(IGNORED_PREFIXES)]
    if missing:
        raise SystemExit(f"checkpoint lacks {len(missing)} keys the config {cfg.name} needs, e.g.:\n  "
                         + "\n  ".join(missing[:20]) + "\nIs --config right, and is --head-pose given?")
    if unused:
        print(f"warning: {len(unused)} checkpoint keys not used, e.g. {unused[:8]}", file=sys.stderr)
    return out


# ---------------------------------------------------------------------------
# Loading, checking, writing
# ---------------------------------------------------------------------------

def load_state(path):
    """A state dict from a .pth/.pt (torch.load, weights only) or a .safetensors file (any float
    dtype; values are upcast to float32 by the folding)."""
    if path.endswith(".safetensors"):
        from safetensors.torch import load_file
        return {k: v.float() for k, v in load_file(path).items()}
    obj = torch.load(path, map_location="cpu", weights_only=True)
    for key in ("state_dict", "model", "model_state_dict"):
        if isinstance(obj, dict) and key in obj and isinstance(obj[key], dict):
            obj = obj[key]
    return {(k[7:] if k.startswith("module.") else k): v for k, v in obj.items() if torch.is_tensor(v)}


def expected_shapes(cfg):
    return {k: tuple(v.shape) for k, v in MegaPortraits(cfg).state_dict().items()}


def check(weights, expected, cfg):
    problems = [f"missing {k} {s}" for k, s in expected.items() if k not in weights]
    problems += [f"unexpected {k}" for k in weights if k not in expected]
    problems += [f"{k}: shape {tuple(v.shape)}, config {cfg.name} expects {expected[k]}"
                 for k, v in weights.items() if k in expected and tuple(v.shape) != expected[k]]
    if problems:
        raise SystemExit(f"{len(problems)} problems against config {cfg.name}:\n  " + "\n  ".join(problems[:30]))


def write(weights, cfg, out, source):
    stem = out[:-len(".safetensors")] if out.endswith(".safetensors") else out
    tensors = {k: v.detach().float().contiguous() for k, v in weights.items()}
    save_file(tensors, stem + ".safetensors",
              metadata={"format": WEIGHTS_FORMAT, "config": json.dumps(cfg.fields), "source": source})
    with open(stem + ".json", "w") as f:
        f.write(cfg.to_json() + "\n")
    print(f"wrote {stem}.safetensors ({len(tensors)} tensors, "
          f"{sum(t.numel() for t in tensors.values()) / 1e6:.2f} M parameters) and {stem}.json")


# ---------------------------------------------------------------------------
# Self-test on synthetic checkpoints
# ---------------------------------------------------------------------------

def synthetic_official(cfg, gen):
    """A random state dict in the official layout with the shapes of `cfg` (plus ignorable buffers)."""
    expected = expected_shapes(cfg)
    state = {}

    def rnd(*shape, scale=0.1):
        return torch.randn(*shape, generator=gen) * scale

    for official, ours, kind in official_plan(cfg):
        if kind == "sn":
            shape = expected[f"{ours}.weight"]
            w = rnd(*shape, scale=1.0)
            state[f"{official}.weight_orig"] = w
            state[f"{official}.weight_u"] = F.normalize(rnd(shape[0]), dim=0)
            state[f"{official}.weight_v"] = F.normalize(rnd(w[0].numel()), dim=0)
            if f"{ours}.bias" in expected:
                state[f"{official}.bias"] = rnd(shape[0])
        elif kind == "ws":
            shape = expected[f"{ours}.weight"]
            state[f"{official}.weight"] = rnd(*shape, scale=1.0) + 0.3
            state[f"{official}.bias"] = rnd(shape[0])
        elif kind in ("norm", "linear"):
            state[f"{official}.weight"] = 1 + rnd(*expected[f"{ours}.weight"])
            state[f"{official}.bias"] = rnd(*expected[f"{ours}.bias"])
        elif kind == "plain":
            state[f"{official}.weight"] = rnd(*expected[f"{ours}.weight"])
        elif kind == "param":
            state[official] = rnd(*expected[ours])
        elif kind == "conv_bn":
            c, b = official
            shape = expected[f"{ours}.weight"]
            state[f"{c}.weight"] = rnd(*shape, scale=0.3)
            state[f"{b}.weight"] = 1 + rnd(shape[0])
            state[f"{b}.bias"] = rnd(shape[0])
            state[f"{b}.running_mean"] = rnd(shape[0])
            state[f"{b}.running_var"] = 0.5 + torch.rand(shape[0], generator=gen)
            state[f"{b}.num_batches_tracked"] = torch.tensor(1000)
    # buffers a real checkpoint carries, which the converter must skip
    state["expression_embedder_nw.identity_grid"] = torch.zeros(1, 4, 3)
    state["idt_embedder_nw.mean"] = torch.tensor([0.485, 0.456, 0.406]).view(1, 3, 1, 1)
    state["xy_generator_nw.identity_grid"] = torch.zeros(1, 3, 2, 2, 2)
    state["bn.running_mean"] = torch.zeros(3)
    return state


def _torch_module_checks(state, converted, cfg, gen):
    """Compares folded weights with PyTorch's own spectral_norm / BatchNorm modules, and WS with
    an independent per-channel implementation. Returns the worst relative difference."""
    worst = 0.0

    def rel(a, b):
        return ((a - b).abs().max() / b.abs().max().clamp_min(1e-12)).item()

    for official, ours, kind in official_plan(cfg):
        w = converted[f"{ours}.weight"] if kind != "param" else converted[ours]
        if kind == "sn":
            orig = state[f"{official}.weight_orig"]
            shape = orig.shape
            module = (nn.Linear(shape[1], shape[0], bias=False) if orig.dim() == 2 else
                      (nn.Conv2d if orig.dim() == 4 else nn.Conv3d)(shape[1], shape[0], shape[2:], bias=False))
            module = torch.nn.utils.spectral_norm(module)
            module.weight_orig.data.copy_(orig)
            module.weight_u.copy_(state[f"{official}.weight_u"])
            module.weight_v.copy_(state[f"{official}.weight_v"])
            module.eval()
            x = torch.randn(1, shape[1], *([9] * (orig.dim() - 2)), generator=gen) if orig.dim() > 2 else \
                torch.randn(1, shape[1], generator=gen)
            with torch.no_grad():
                ref = module(x)
                ours_out = (F.linear(x, w) if orig.dim() == 2 else
                            (F.conv2d if orig.dim() == 4 else F.conv3d)(x, w))
            worst = max(worst, rel(ours_out, ref))
        elif kind == "ws":
            raw = state[f"{official}.weight"]
            ref = torch.stack([(c - c.mean()) / (c.std() + WS_EPS) for c in raw.double()]).float()
            worst = max(worst, rel(w, ref))
        elif kind == "conv_bn":
            c, b = official
            raw = state[f"{c}.weight"]
            conv = nn.Conv2d(raw.shape[1], raw.shape[0], raw.shape[2:], bias=False)
            conv.weight.data.copy_(raw)
            bn = nn.BatchNorm2d(raw.shape[0], eps=BN_EPS)
            for name in ("weight", "bias", "running_mean", "running_var"):
                getattr(bn, name).data.copy_(state[f"{b}.{name}"])
            seq = nn.Sequential(conv, bn).eval()
            x = torch.randn(1, raw.shape[1], 9, 9, generator=gen)
            with torch.no_grad():
                worst = max(worst, rel(F.conv2d(x, w, converted[f"{ours}.bias"]), seq(x)))
    return worst


def self_test():
    torch.set_num_threads(2)
    from model import seeded_init
    gen = torch.Generator().manual_seed(0)
    for name in ("tiny", "emoportraits-512"):
        cfg = Config.load(name)
        expected = expected_shapes(cfg)
        if name != "tiny":
            # Shapes-only check of the mapping for a full-size config (no tensors allocated).
            plan_ours = set()
            for official, ours, kind in official_plan(cfg):
                if kind == "param":
                    plan_ours.add(ours)
                else:
                    plan_ours.add(f"{ours}.weight")
                    if kind in ("ws", "norm", "linear", "conv_bn") or f"{ours}.bias" in expected:
                        plan_ours.add(f"{ours}.bias")
            assert plan_ours == set(expected), sorted(set(expected) ^ plan_ours)[:10]
            print(f"[b] {name}: the official plan covers all {len(expected)} tensors")
            continue
        # (a) our own checkpoint
        net = MegaPortraits(cfg).eval()
        seeded_init(net, 0)
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "ref.pt")
            torch.save(net.state_dict(), path)
            loaded = load_state(path)
            check(loaded, expected, cfg)
            assert all(torch.equal(loaded[k], v) for k, v in net.state_dict().items())
            print(f"[a] {name}: reference checkpoint round-trips ({len(loaded)} tensors)")
        # (b) synthetic official checkpoint
        state = synthetic_official(cfg, gen)
        converted = convert_official(state, cfg, expected)
        check(converted, expected, cfg)
        worst = _torch_module_checks(state, converted, cfg, gen)
        net2 = MegaPortraits(cfg).eval()
        net2.load_state_dict(converted, strict=True)
        with torch.no_grad():
            img = net2(torch.rand(1, 3, cfg.image_size, cfg.image_size, generator=gen),
                       torch.rand(1, 3, cfg.image_size, cfg.image_size, generator=gen))
        assert torch.isfinite(img).all()
        print(f"[b] {name}: synthetic official dict with {len(state)} keys -> {len(converted)} tensors; "
              f"folding vs torch spectral_norm/BatchNorm/WS modules: worst rel diff {worst:.2e}; "
              f"strict load + forward OK")
        assert worst < 1e-5, worst
    print("self-test passed")


def convert_liveportrait(directory, config, out, parser, lip_array=None):
    """--liveportrait: the official LivePortrait files -> OUT.safetensors + OUT.json; with
    --lip-array, the official neutral expression goes into the config as `neutral_expression`
    (what a driving picture's expression is taken relative to)."""
    from liveportrait import LivePortraitConfig
    from liveportrait.convert import ConversionError, convert_states, load_lip_array, load_official_dir
    from liveportrait.convert import write as write_liveportrait
    if not out:
        parser.error("--liveportrait needs --out")
    cfg = LivePortraitConfig.load(config)
    try:
        weights = convert_states(load_official_dir(directory), cfg)
        extra = {"neutral_expression": load_lip_array(lip_array, cfg.motion.num_kp)} if lip_array else None
    except ConversionError as e:
        sys.exit(f"convert.py --liveportrait: {e}")
    write_liveportrait(weights, cfg, out, extra=extra)
    print(f"wrote {out}.safetensors ({len(weights)} tensors, "
          f"{sum(v.numel() for v in weights.values())} values) and {out}.json")


def convert_single_file(args, parser):
    """--fewshot / --face-parsing: the one-file converters, writing OUT.safetensors."""
    import single_file_converter
    if not args.out:
        parser.error("--fewshot / --face-parsing need --out (a stem: writes OUT.safetensors)")
    out = args.out if args.out.endswith(".safetensors") else args.out + ".safetensors"
    if args.fewshot:
        import convert_fewshot as converter
        path = args.fewshot
    else:
        import convert_face_parsing as converter
        path = args.face_parsing
    single_file_converter.write_converted(path, out, converter.convert_file, converter.FORMAT)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reference", help="torch state_dict saved from reference/model")
    parser.add_argument("--official", help="official EMOPortraits Model state_dict (.pth)")
    parser.add_argument("--head-pose", help="official head-pose ResNet-18 state_dict (if not inside --official)")
    parser.add_argument("--config", help="preset name or config JSON path")
    parser.add_argument("--out", help="output stem: writes OUT.safetensors and OUT.json")
    parser.add_argument("--list", metavar="CONFIG", help="print every tensor name and shape of a config")
    parser.add_argument("--liveportrait", metavar="DIR",
                        help="directory with the official LivePortrait .pth files (--config defaults to 'liveportrait')")
    parser.add_argument("--lip-array", metavar="PKL",
                        help="with --liveportrait: the official src/utils/resources/lip_array.pkl (the neutral expression "
                             "driving pictures are taken relative to; read with a restricted unpickler)")
    parser.add_argument("--liveportrait-motion", metavar="PKL",
                        help="an official LivePortrait motion template (.pkl) -> --out FILE.motion (read with an array-only unpickler)")
    parser.add_argument("--fewshot", metavar="CHECKPOINT",
                        help="a few-shot talking-heads checkpoint in vincent-thevenin's layout -> OUT.safetensors")
    parser.add_argument("--face-parsing", metavar="CHECKPOINT", help="BiSeNet's 79999_iter.pth -> OUT.safetensors")
    parser.add_argument("--self-test", action="store_true")
    args = parser.parse_args()
    if args.fewshot or args.face_parsing:
        return convert_single_file(args, parser)
    if args.self_test:
        return self_test()
    if args.list:
        for k, s in expected_shapes(Config.load(args.list)).items():
            print(k, list(s))
        return
    if args.liveportrait_motion:
        from liveportrait import LivePortraitConfig
        from liveportrait.convert import ConversionError, convert_motion_template
        if not args.out:
            parser.error("--liveportrait-motion needs --out FILE.motion")
        try:
            n = convert_motion_template(args.liveportrait_motion, LivePortraitConfig.load(args.config or "released"), args.out)
        except ConversionError as e:
            sys.exit(f"convert.py --liveportrait-motion: {e}")
        print(f"wrote {args.out}: {n} frames")
        return
    if args.liveportrait:
        return convert_liveportrait(args.liveportrait, args.config or "liveportrait", args.out, parser, args.lip_array)
    if not args.config or not args.out or not (args.reference or args.official):
        parser.error("need --config, --out and one of --reference / --official")
    cfg = Config.load(args.config)
    expected = expected_shapes(cfg)
    if args.reference:
        weights, source = load_state(args.reference), "portraitcl reference"
    else:
        state = load_state(args.official)
        if args.head_pose:
            state.update({f"head_pose_regressor.{k}": v for k, v in load_state(args.head_pose).items()})
        weights, source = convert_official(state, cfg, expected), "official EMOPortraits layout"
    check(weights, expected, cfg)
    write(weights, cfg, args.out, source)


if __name__ == "__main__":
    main()
