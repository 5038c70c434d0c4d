"""Our own PyTorch reference of BiSeNet face parsing (the EMOPortraits source mask): tensor layout
and procedural weights (layout.py), the network and the mask wrapper (bisenet.py)."""
