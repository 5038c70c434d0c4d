"""The command line shared by the one-file converters (convert_face_parsing.py, convert_fewshot.py,
and convert.py's --face-parsing / --fewshot): convert one PyTorch checkpoint into one safetensors
file whose metadata names its format and widths, or write a random checkpoint in the source layout
for tests (--random). Every refusal inside a converter is a SystemExit with a message."""
import argparse

import torch
from safetensors.torch import save_file


def write_converted(checkpoint_path, out, convert, fmt):
    """Loads `checkpoint_path` (tensors and plain containers only), converts it with `convert`
    (checkpoint → (tensors, widths text)) and writes `out` with {format, widths} metadata."""
    try:
        checkpoint = torch.load(checkpoint_path, map_location="cpu", weights_only=True)
    except FileNotFoundError:
        raise SystemExit(f"error: {checkpoint_path}: no such file")
    except Exception as e:  # a truncated or non-PyTorch file
        raise SystemExit(f"error: {checkpoint_path}: torch.load refused it ({type(e).__name__}): a truncated or corrupt file, "
                         "or one holding objects other than tensors and plain containers; nothing was written")
    tensors, widths = convert(checkpoint)
    save_file(tensors, out, metadata={"format": fmt, "widths": widths})
    print(f"{out}: {len(tensors)} tensors, {sum(t.numel() for t in tensors.values())} values, widths {widths}")


def main(description, checkpoint_help, layout_name, make_random, convert, fmt):
    """The converter's command line. `make_random(tiny, seed)` builds a random checkpoint in the
    source layout (`layout_name` says which, for messages); `convert` as in `write_converted`."""
    parser = argparse.ArgumentParser(description=description, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("checkpoint", nargs="?", help=checkpoint_help)
    parser.add_argument("-o", "--out", help="output .safetensors")
    parser.add_argument("--random", metavar="OUT", help=f"write a random checkpoint in the {layout_name} layout")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--tiny", action="store_true", help="with --random: the narrow widths of the test fixture")
    args = parser.parse_args()
    if args.random:
        torch.save(make_random(args.tiny, args.seed), args.random)
        print(f"{args.random}: random {layout_name}-layout checkpoint (seed {args.seed})")
        return
    if not args.checkpoint or not args.out:
        parser.error("give CHECKPOINT and -o OUT (or --random OUT)")
    write_converted(args.checkpoint, args.out, convert, fmt)
