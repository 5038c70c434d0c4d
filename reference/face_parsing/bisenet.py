"""BiSeNet face parsing as plain functions over our folded tensor layout (layout.py), and the
EMOPortraits source-mask wrapper around it. Written for PortraitCL from the published
architecture (ResNet-18 context path with attention refinement, feature fusion, 19 classes);
it is the math the Swift FaceParser implements, step for step."""
import torch
import torch.nn.functional as F

IMAGENET_MEAN = (0.485, 0.456, 0.406)
IMAGENET_STD = (0.229, 0.224, 0.225)
# face, brows, eyes, glasses, nose, mouth, lips, ears, earring, neck, hair, hat.
DEFAULT_MASK_LABELS = (1, 2, 3, 4, 5, 6, 10, 11, 12, 13, 7, 8, 9, 14, 17, 18)


def _conv(t, name, x, stride=1, relu=True):
    weight = t[f"{name}.weight"]
    y = F.conv2d(x, weight, t.get(f"{name}.bias"), stride=stride, padding=weight.shape[-1] // 2)
    return F.relu(y) if relu else y


def _block(t, prefix, x, stride):
    residual = _conv(t, f"{prefix}.conv1", x, stride)
    residual = _conv(t, f"{prefix}.conv2", residual, relu=False)
    shortcut = _conv(t, f"{prefix}.downsample", x, stride, relu=False) if f"{prefix}.downsample.weight" in t else x
    return F.relu(shortcut + residual)


def _attention_refinement(t, prefix, x):
    feature = _conv(t, f"{prefix}.conv", x)
    attention = torch.sigmoid(_conv(t, f"{prefix}.attention", feature.mean((2, 3), keepdim=True), relu=False))
    return feature * attention


def logits(t, x):
    """BiSeNet's first output: N×classes×H×W logits for a normalised N×3×H×W input."""
    h, w = x.shape[2:]
    y = _conv(t, "resnet.conv1", x, stride=2)
    y = F.max_pool2d(y, 3, 2, 1)
    features = []
    for layer in range(1, 5):
        for block in range(2):
            y = _block(t, f"resnet.layer{layer}.{block}", y, 2 if (layer > 1 and block == 0) else 1)
        features.append(y)
    feat8, feat16, feat32 = features[1:]
    global_context = _conv(t, "context.global", feat32.mean((2, 3), keepdim=True))
    up32 = F.interpolate(_attention_refinement(t, "context.arm32", feat32) + global_context, feat16.shape[2:], mode="nearest")
    up32 = _conv(t, "context.head32", up32)
    up16 = F.interpolate(_attention_refinement(t, "context.arm16", feat16) + up32, feat8.shape[2:], mode="nearest")
    up16 = _conv(t, "context.head16", up16)
    fused = _conv(t, "fusion.block", torch.cat([feat8, up16], dim=1))
    attention = torch.sigmoid(_conv(t, "fusion.attention2", _conv(t, "fusion.attention1", fused.mean((2, 3), keepdim=True)), relu=False))
    fused = fused * attention + fused
    out = _conv(t, "output.classifier", _conv(t, "output.conv", fused), relu=False)
    return F.interpolate(out, (h, w), mode="bilinear", align_corners=True)


def parse(t, image, size=512):
    """The wrapper's steps for an N×3×h×w image in [0, 1]: normalise, resize to size², BiSeNet,
    resize the logits back to h×w (both bilinear, align_corners=False). Returns the h×w logits."""
    h, w = image.shape[2:]
    mean = torch.tensor(IMAGENET_MEAN).view(1, 3, 1, 1)
    std = torch.tensor(IMAGENET_STD).view(1, 3, 1, 1)
    x = F.interpolate((image - mean) / std, (size, size), mode="bilinear", align_corners=False)
    return F.interpolate(logits(t, x), (h, w), mode="bilinear", align_corners=False)


def mask(t, image, labels=DEFAULT_MASK_LABELS, size=512):
    """N×1×h×w float mask: 1 where the arg-max class of `parse` is one of `labels`."""
    classes = parse(t, image, size).argmax(1, keepdim=True)
    return torch.isin(classes, torch.tensor(list(labels))).float()
