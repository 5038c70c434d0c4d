"""PortraitCL nodes for ComfyUI: load a model, make a source, render with driving frames or
pose sliders. Only `portraitcl` is imported; ComfyUI's IMAGE tensors (N×H×W×3 float in [0, 1])
are read through NumPy and given back as the same tensor type when torch is already loaded."""

import sys

import numpy as np

import portraitcl

CATEGORY = "PortraitCL"
FRAMINGS = ["face", "center"]


def _to_numpy(image):
    """A ComfyUI IMAGE (torch tensor or array) as a float32 N×H×W×3 array."""
    if hasattr(image, "detach"):
        image = image.detach().cpu().numpy()
    array = np.asarray(image, dtype=np.float32)
    if array.ndim == 3:
        array = array[None]
    if array.ndim != 4 or array.shape[3] != 3:
        raise ValueError("expected an IMAGE batch N×H×W×3, got shape %s" % (array.shape,))
    return array


def _to_image(array):
    """An N×H×W×3 float array as ComfyUI's IMAGE: a torch tensor when torch is loaded (ComfyUI
    always has it), else the array."""
    torch = sys.modules.get("torch")
    return torch.from_numpy(np.ascontiguousarray(array)) if torch is not None else array


def _framed(model, picture, framing):
    """One float H×W×3 picture framed for `model`: its largest face's official crop, or the
    centred square, resized with the model's own resampling; uint8 S×S×3."""
    pixels = (np.clip(picture, 0, 1) * 255 + 0.5).astype(np.uint8)
    height, width = pixels.shape[:2]
    if framing == "face":
        crop, _ = portraitcl.crop_face(model, pixels)
        return crop
    side = min(width, height)
    return portraitcl.crop(model, pixels, ((width - side) // 2, (height - side) // 2, side))


class LoadModel:
    """A PortraitCL network: config preset or JSON file, weights file (empty: random weights)."""

    @classmethod
    def INPUT_TYPES(cls):
        return {"required": {
            "config": ("STRING", {"default": "liveportrait"}),
            "weights": ("STRING", {"default": ""}),
            "device": (["opencl", "cpu"],),
            "seed": ("INT", {"default": 0, "min": 0, "max": 2**63 - 1}),
        }}

    RETURN_TYPES = ("PORTRAITCL_MODEL",)
    FUNCTION = "load"
    CATEGORY = CATEGORY

    def load(self, config, weights, device, seed):
        return (portraitcl.Model(config=config, weights=weights or None, device=device, seed=seed),)


class MakeSource:
    """The source portrait: the first picture of an IMAGE, framed around its face or centred."""

    @classmethod
    def INPUT_TYPES(cls):
        return {"required": {"model": ("PORTRAITCL_MODEL",), "image": ("IMAGE",), "framing": (FRAMINGS,)}}

    RETURN_TYPES = ("PORTRAITCL_SOURCE",)
    FUNCTION = "make"
    CATEGORY = CATEGORY

    def make(self, model, image, framing):
        return (model.make_source(_framed(model, _to_numpy(image)[0], framing)),)


class Render:
    """The source animated by each driving frame of an IMAGE batch, in order (one clip)."""

    @classmethod
    def INPUT_TYPES(cls):
        return {"required": {"source": ("PORTRAITCL_SOURCE",), "driving": ("IMAGE",), "framing": (FRAMINGS,)}}

    RETURN_TYPES = ("IMAGE",)
    FUNCTION = "render"
    CATEGORY = CATEGORY

    def render(self, source, driving, framing):
        frames = _to_numpy(driving)
        session = portraitcl.Session(model=source.model, still_driver=frames.shape[0] == 1)
        session.set_source(source)
        crops = [_framed(source.model, frame, framing).astype(np.float32) * np.float32(1 / 255) for frame in frames]
        return (_to_image(portraitcl.render_video(session, crops)),)


class Pose:
    """The source with its head turned (degrees) and its own expression."""

    @classmethod
    def INPUT_TYPES(cls):
        def angle():
            return ("FLOAT", {"default": 0.0, "min": -45.0, "max": 45.0, "step": 0.5, "display": "slider"})
        return {"required": {"source": ("PORTRAITCL_SOURCE",), "yaw": angle(), "pitch": angle(), "roll": angle()}}

    RETURN_TYPES = ("IMAGE",)
    FUNCTION = "pose"
    CATEGORY = CATEGORY

    def pose(self, source, yaw, pitch, roll):
        session = portraitcl.Session(model=source.model)
        session.set_source(source)
        return (_to_image(session.render_pose(yaw=yaw, pitch=pitch, roll=roll)[None]),)


NODE_CLASS_MAPPINGS = {
    "PortraitCLLoadModel": LoadModel,
    "PortraitCLMakeSource": MakeSource,
    "PortraitCLRender": Render,
    "PortraitCLPose": Pose,
}

NODE_DISPLAY_NAME_MAPPINGS = {
    "PortraitCLLoadModel": "PortraitCL: load model",
    "PortraitCLMakeSource": "PortraitCL: source portrait",
    "PortraitCLRender": "PortraitCL: render with driving frames",
    "PortraitCLPose": "PortraitCL: head pose",
}
