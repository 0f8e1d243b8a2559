#!/usr/bin/env python3
"""How far each shape of a gemv_bench run is from the streaming-read ceiling,
and what speed-up over cuBLAS a kernel at that ceiling would reach.

    scripts/headroom.py bench/results/h100.json

Per shape: gemv's time; cuBLAS's, as timed in turn with gemv in the gemv row
(speedup_vs_cublas x gemv time); the ceiling's time for the bytes gemv must
move (A, x and y at the streaming-read kernel's GB/s); and the speed-up over
cuBLAS of a kernel running at that ceiling, or at gemv's time where gemv is
already faster than the ceiling kernel. The last line compares the geometric
means: what the sweep gives now, and the most it could give at the ceiling.
"""
import json
import math
import sys


def rows_of(path):
    rows = {}
    for b in json.load(open(path))["benchmarks"]:
        parts = b["name"].split("/")
        rows.setdefault("/".join(parts[:4]), {})[parts[4]] = b
    return rows


def main(path):
    now, bound = [], []
    print(f"{'shape':28} {'gemv us':>9} {'cuBLAS us':>9} {'ceiling us':>10} {'now':>7} {'at ceiling':>10}")
    for name, r in rows_of(path).items():
        g, c = r["gemv"], r["ceiling"]
        if "speedup_vs_cublas" not in g:
            continue  # a run with --compare=0
        gemv_s = g["real_time"] * 1e-6
        cublas_s = g["speedup_vs_cublas"] * gemv_s
        moved = g["bytes_per_second"] * gemv_s
        ceiling_s = moved / c["bytes_per_second"]
        best_s = min(gemv_s, ceiling_s)
        now.append(cublas_s / gemv_s)
        bound.append(cublas_s / best_s)
        print(f"{name:28} {gemv_s * 1e6:9.1f} {cublas_s * 1e6:9.1f} {ceiling_s * 1e6:10.1f} "
              f"{now[-1]:6.3f}x {bound[-1]:9.3f}x")
    gm = lambda v: math.exp(sum(map(math.log, v)) / len(v))
    print(f"geometric mean over {len(now)} shapes: {gm(now):.3f}x now, {gm(bound):.3f}x at the ceiling")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
