"""Golden fixtures for grid_sample (2-D/3-D, bilinear/nearest, zeros/border, align_corners both),
affine_grid and the MegaPortraits deformation_grid (identity from linspace(-1, 1) + offsets)."""
import torch
import torch.nn.functional as F

from op_fixtures import seeded


def identity_grid(d, h, w):
    """MegaPortraits' identity grid [1, D, H, W, 3]: (x, y, z) = linspace(-1, 1) along (W, H, D)."""
    zz, yy, xx = torch.meshgrid(torch.linspace(-1, 1, d), torch.linspace(-1, 1, h), torch.linspace(-1, 1, w),
                                indexing="ij")
    return torch.stack([xx, yy, zz], dim=-1)[None]


def grid_sample_case(stem, seed, input_shape, grid_shape, mode="bilinear", padding="zeros", align=False, spread=1.3):
    x = seeded(seed, *input_shape)
    g = seeded(seed + 1000, *grid_shape, lo=-spread, hi=spread)
    out = F.grid_sample(x, g, mode=mode, padding_mode=padding, align_corners=align)
    params = {"mode": mode, "padding_mode": padding, "align_corners": str(align).lower()}
    return stem, "grid_sample", {"input": x, "grid": g}, params, out


def cases():
    yield grid_sample_case("2d-zeros", 10, (2, 3, 7, 13), (2, 5, 9, 2))
    yield grid_sample_case("2d-border-aligned", 11, (2, 3, 7, 13), (2, 5, 9, 2), padding="border", align=True)
    yield grid_sample_case("2d-zeros-aligned", 12, (1, 3, 7, 13), (1, 6, 4, 2), align=True)
    yield grid_sample_case("2d-nearest", 13, (1, 3, 7, 13), (1, 8, 5, 2), mode="nearest")
    yield grid_sample_case("2d-edges-border", 14, (1, 3, 1, 6), (1, 4, 5, 2), padding="border")
    yield grid_sample_case("3d-zeros", 20, (1, 3, 7, 13, 5), (1, 6, 5, 7, 3))
    yield grid_sample_case("3d-border-aligned", 21, (2, 3, 7, 13, 5), (2, 4, 6, 5, 3), padding="border", align=True)
    yield grid_sample_case("3d-zeros-9ch", 22, (2, 9, 5, 7, 13), (2, 4, 6, 5, 3))
    yield grid_sample_case("3d-border-9ch", 23, (1, 9, 5, 7, 13), (1, 3, 7, 6, 3), padding="border")
    yield grid_sample_case("3d-zeros-aligned-10ch", 24, (1, 10, 7, 13, 5), (1, 5, 6, 7, 3), align=True)
    yield grid_sample_case("3d-edges-border", 25, (1, 10, 1, 6, 1), (1, 3, 4, 5, 3), padding="border")
    yield grid_sample_case("3d-nearest", 26, (1, 12, 5, 6, 7), (1, 4, 5, 6, 3), mode="nearest")
    yield grid_sample_case("3d-nearest-border", 27, (1, 3, 5, 6, 7), (1, 4, 5, 6, 3), mode="nearest", padding="border")
    # The MegaPortraits warp: a linspace identity plus small offsets, sampled with align_corners=False.
    x = seeded(30, 1, 8, 8, 16, 16)
    g = identity_grid(8, 16, 16) + seeded(31, 1, 8, 16, 16, 3, lo=-0.1, hi=0.1)
    yield "3d-warp", "grid_sample", {"input": x, "grid": g}, {"mode": "bilinear", "padding_mode": "zeros",
                                                               "align_corners": "false"}, F.grid_sample(x, g, align_corners=False)

    for stem, seed, theta_shape, size, align in [
        ("2d", 40, (2, 2, 3), (2, 3, 7, 13), False),
        ("2d-aligned", 41, (1, 2, 3), (1, 3, 16, 16), True),
        ("2d-edge", 42, (1, 2, 3), (1, 3, 1, 9), False),
        ("3d", 43, (2, 3, 4), (2, 3, 5, 7, 13), False),
        ("3d-edges-aligned", 44, (1, 3, 4), (1, 1, 1, 6, 1), True),
    ]:
        theta = seeded(seed, *theta_shape, lo=-1.2, hi=1.2)
        out = F.affine_grid(theta, list(size), align_corners=align)
        yield f"affine-{stem}", "affine_grid", {"theta": theta}, {"size": ",".join(map(str, size)),
                                                                   "align_corners": str(align).lower()}, out

    for stem, seed, shape in [("odd", 50, (2, 3, 5, 7, 13)), ("edges", 51, (1, 3, 1, 6, 1))]:
        offsets = seeded(seed, *shape, lo=-0.3, hi=0.3)
        out = identity_grid(*shape[2:]) + offsets.permute(0, 2, 3, 4, 1)
        yield f"deformation-{stem}", "deformation_grid", {"input": offsets}, {}, out
