"""Alternating speed rounds against an anchor, shared by the *_vs_*.py benchmarks: before each run
wait for a quiet machine (1-minute load below a limit), alternate which side goes first, then
print per-frame and per-source medians, spreads, the anchor ÷ ours ratio per round and its
median, the loads, and our per-frame breakdowns."""
import os
import statistics
import time


def wait_for_quiet(max_load, max_wait):
    """Waits until the 1-minute load average is below max_load (at most max_wait s); returns the load then."""
    start = time.time()
    load = os.getloadavg()[0]
    while load >= max_load and time.time() - start < max_wait:
        print(f"    load {load:.2f} >= {max_load}: waiting", flush=True)
        time.sleep(10)
        load = os.getloadavg()[0]
    return load


def spread(values):
    """'median s (min–max)'."""
    return f"{statistics.median(values):6.2f} s ({min(values):.2f}–{max(values):.2f})"


def run_rounds(rounds, run_ours, run_anchor, anchor, max_load, max_wait):
    """`rounds` rounds of one run per side (ours first in odd rounds), each after a load check.
    `run_ours()` / `run_anchor()` return dicts with per_frame_s and per_source_s; each gets its
    start load under "load". Returns [{"ours": …, anchor: …}] per round."""
    rows = []
    for r in range(1, rounds + 1):
        order = ("ours", anchor) if r % 2 else (anchor, "ours")
        row = {}
        for side in order:
            load = wait_for_quiet(max_load, max_wait)
            result = run_ours() if side == "ours" else run_anchor()
            result["load"] = load
            row[side] = result
            print(f"round {r} {side:8}  load {load:4.2f}  per frame {result['per_frame_s']:6.2f} s  "
                  f"per source {result['per_source_s']:5.2f} s", flush=True)
        rows.append(row)
    return rows


def print_summary(rows, anchor, header, breakdowns):
    """The medians, spreads and ratios of `rows` (from run_rounds) after the line `header`, then
    ours per frame by each (field, title) of `breakdowns` (dicts of name → ms per run)."""
    ours, other = [r["ours"] for r in rows], [r[anchor] for r in rows]
    print("\n" + header)
    for key, label in (("per_frame_s", "per frame"), ("per_source_s", "per source")):
        ratios = [o[key] / u[key] for o, u in zip(other, ours)]
        print(f"{label:10}  ours {spread([u[key] for u in ours])}  {anchor} {spread([o[key] for o in other])}  "
              f"{anchor} ÷ ours median {statistics.median(ratios):.2f}× (rounds: {', '.join(f'{x:.2f}' for x in ratios)})")
    loads = {side: ", ".join("%.2f" % r[side]["load"] for r in rows) for side in ("ours", anchor)}
    print(f"load at the start of each run: ours {loads['ours']}; {anchor} {loads[anchor]}")
    for field, title in breakdowns:
        table = {}
        for u in ours:
            for name, ms in u.get(field, {}).items():
                table.setdefault(name, []).append(ms)
        print(f"ours per frame by {title} (median ms): " + ", ".join(f"{n} {statistics.median(v):.0f}" for n, v in table.items()))
