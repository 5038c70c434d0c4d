"""PyTorch reference of the few-shot talking heads (Zakharov et al., ICCV 2019) in the layout of
vincent-thevenin/Realistic-Neural-Talking-Head-Models, after conversion (docs/fewshot.md)."""
