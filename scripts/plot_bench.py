#!/usr/bin/env python3
"""Bar chart of a gemv_bench JSON report: per shape, gemv, cuBLAS and the
streaming-read ceiling in GB/s.

Setup:  python3 -m pip install matplotlib
Usage:  gemv_bench --benchmark_out=bench.json --benchmark_out_format=json
        python3 scripts/plot_bench.py bench.json [-o bench.png] [--log|--linear]

Rows are named TYPE/LAYOUT/OP/MxN/{gemv,cublas,ceiling} (Google Benchmark
appends /iterations:1/manual_time). Each bar is the row's "GB/s" counter;
when the report holds repetitions, the "median" aggregate is used if present,
else the median of the repetitions. Rows that failed are left out. gemv bars
carry the pct_of_ceiling counter as a label.
"""

import argparse
import json
import statistics
import sys
from collections import OrderedDict

KINDS = ("gemv", "cublas", "ceiling")
COLORS = {"gemv": "#1f77b4", "cublas": "#ff7f0e", "ceiling": "#7f7f7f"}
LABELS = {"gemv": "gemv (label: % of ceiling)", "cublas": "cuBLAS", "ceiling": "ceiling (stream read of A)"}


def split_name(name):
    """'f32/row/n/2048x1048576/gemv/iterations:1/manual_time' -> (shape, kind)."""
    parts = [p for p in name.split("/") if ":" not in p and p != "manual_time"]
    if len(parts) < 2 or parts[-1] not in KINDS:
        return None
    return "/".join(parts[:-1]), parts[-1]


def gbps(entry):
    if "GB/s" in entry:
        return float(entry["GB/s"])
    if "bytes_per_second" in entry:
        return float(entry["bytes_per_second"]) / 1e9
    return None


def load(path):
    """Returns (context, {shape: {kind: (GB/s, pct_of_ceiling or None)}}) in report order."""
    with open(path) as f:
        report = json.load(f)
    runs = OrderedDict()  # (shape, kind) -> {"median": entry or None, "iterations": [entries]}
    for entry in report.get("benchmarks", []):
        if entry.get("error_occurred"):
            continue
        key = split_name(entry.get("run_name") or entry["name"])
        if key is None:
            continue
        slot = runs.setdefault(key, {"median": None, "iterations": []})
        if entry.get("run_type") == "aggregate":
            if entry.get("aggregate_name") == "median":
                slot["median"] = entry
        else:
            slot["iterations"].append(entry)

    shapes = OrderedDict()
    for (shape, kind), slot in runs.items():
        entries = [slot["median"]] if slot["median"] else slot["iterations"]
        values = [v for v in (gbps(e) for e in entries) if v is not None]
        if not values:
            continue
        pcts = [float(e["pct_of_ceiling"]) for e in entries if "pct_of_ceiling" in e]
        shapes.setdefault(shape, {})[kind] = (
            statistics.median(values),
            statistics.median(pcts) if pcts else None,
        )
    return report.get("context", {}), shapes


def plot(context, shapes, out, scale):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    names = list(shapes)
    values = [v[0] for s in shapes.values() for v in s.values() if v[0] > 0]
    if scale == "auto":
        scale = "log" if values and max(values) / min(values) > 20 else "linear"

    width = 0.27
    fig, ax = plt.subplots(figsize=(max(8.0, 0.75 * len(names) + 2), 5.5))
    for i, kind in enumerate(KINDS):
        xs, ys = [], []
        for j, name in enumerate(names):
            if kind in shapes[name]:
                xs.append(j + (i - 1) * width)
                ys.append(shapes[name][kind][0])
        if not xs:
            continue
        bars = ax.bar(xs, ys, width, label=LABELS[kind], color=COLORS[kind])
        if kind == "gemv":
            pcts = [shapes[n]["gemv"][1] for n in names if "gemv" in shapes[n]]
            ax.bar_label(bars, labels=["" if p is None else f"{p:.0f}%" for p in pcts],
                         fontsize=7, padding=2, rotation=90)

    ax.set_xticks(range(len(names)))
    ax.set_xticklabels(names, rotation=60, ha="right", fontsize=8)
    ax.set_yscale(scale)
    # Headroom for the percentage labels above the bars.
    bottom, top = ax.get_ylim()
    ax.set_ylim(bottom, top * (2.0 if scale == "log" else 1.12))
    ax.set_ylabel("GB/s (bytes that must move / median time)")
    gpu = context.get("gpu", "unknown GPU")
    date = context.get("run_date_utc", context.get("date", ""))
    ax.set_title(f"gemv vs cuBLAS vs streaming-read ceiling - {gpu} {date}".strip(), fontsize=10)
    ax.grid(axis="y", which="both", alpha=0.3)
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    fig.tight_layout()
    fig.savefig(out, dpi=150)
    plt.close(fig)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("json", help="gemv_bench --benchmark_out JSON file")
    parser.add_argument("-o", "--output", help="PNG to write (default: JSON name with .png)")
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--log", dest="scale", action="store_const", const="log")
    group.add_argument("--linear", dest="scale", action="store_const", const="linear")
    parser.set_defaults(scale="auto")
    args = parser.parse_args(argv)

    context, shapes = load(args.json)
    if not shapes:
        sys.exit(f"plot_bench.py: no successful gemv/cublas/ceiling rows in {args.json}")
    out = args.output or (args.json[:-5] if args.json.endswith(".json") else args.json) + ".png"
    plot(context, shapes, out, args.scale)
    print(f"wrote {out} ({len(shapes)} shapes)")


if __name__ == "__main__":
    main()
