"""Keypoint geometry of LivePortrait: the normalised 3-D grid, Gaussian heatmaps, head-pose bins to
degrees, the Euler rotation matrix and the keypoint transform (the paper's Eqn. 2)."""
import math

import torch


def coordinate_grid(d: int, h: int, w: int, dtype=torch.float32) -> torch.Tensor:
    """d x h x w x 3 grid of (x, y, z) with each axis 2*i/(n-1) - 1 (ends at exactly -1 and 1).

    Note the grid is 'align_corners=True'-style while every grid_sample that consumes it uses
    align_corners=False; the official code does this, so we do too."""
    def axis(n):
        return 2 * (torch.arange(n, dtype=dtype) / (n - 1)) - 1
    z, y, x = torch.meshgrid(axis(d), axis(h), axis(w), indexing="ij")
    return torch.stack([x, y, z], dim=-1)


def keypoint_gaussians(kp: torch.Tensor, d: int, h: int, w: int, variance: float = 0.01) -> torch.Tensor:
    """N x K x 3 keypoints -> N x K x d x h x w heatmaps exp(-0.5 * |grid - kp|^2 / variance)."""
    grid = coordinate_grid(d, h, w, kp.dtype)[None, None]          # 1 x 1 x d x h x w x 3
    diff = grid - kp[:, :, None, None, None, :]
    return torch.exp(-0.5 * (diff ** 2).sum(-1) / variance)


def bins_to_degrees(logits: torch.Tensor) -> torch.Tensor:
    """N x 66 pose-bin logits -> N degrees: 3 * E_softmax[bin index] - 97.5."""
    idx = torch.arange(logits.shape[1], dtype=logits.dtype)
    return (torch.softmax(logits, dim=1) * idx).sum(1) * 3 - 97.5


def rotation_matrix(pitch: torch.Tensor, yaw: torch.Tensor, roll: torch.Tensor) -> torch.Tensor:
    """Degrees (N or N x 1 each) -> N x 3 x 3 matrix R = (Rz(roll) Ry(yaw) Rx(pitch))^T.

    Keypoints are row vectors, so a rotated keypoint is `kp @ R`."""
    p, y, r = (a.reshape(-1) / 180 * math.pi for a in (pitch, yaw, roll))
    one, zero = torch.ones_like(p), torch.zeros_like(p)
    rx = torch.stack([one, zero, zero, zero, p.cos(), -p.sin(), zero, p.sin(), p.cos()], 1).view(-1, 3, 3)
    ry = torch.stack([y.cos(), zero, y.sin(), zero, one, zero, -y.sin(), zero, y.cos()], 1).view(-1, 3, 3)
    rz = torch.stack([r.cos(), -r.sin(), zero, r.sin(), r.cos(), zero, zero, zero, one], 1).view(-1, 3, 3)
    return (rz @ ry @ rx).transpose(1, 2)


def transform_keypoints(kp: torch.Tensor, rotation: torch.Tensor, exp: torch.Tensor,
                        scale: torch.Tensor, t: torch.Tensor) -> torch.Tensor:
    """Eqn. 2: x = scale * (kp @ R + exp) + (tx, ty, 0).  kp, exp: N x K x 3; scale: N x 1; t: N x 3."""
    x = (kp @ rotation + exp) * scale[..., None]
    shift = torch.cat([t[:, :2], torch.zeros_like(t[:, 2:])], dim=1)
    return x + shift[:, None, :]
