#!/usr/bin/env python3
"""Turns ptxas' verbose report (nvcc -Xptxas -v, on stderr) into a table of
kernels with registers and shared memory, demangled and shortened.

    nvcc -std=c++17 -O3 -Iinclude -arch=sm_89 -Xptxas -v -c tests/instantiate_all.cu \
         -o /tmp/all.o 2> ptxas.log && scripts/kernel_resources.py ptxas.log
"""
import re
import subprocess
import sys


def main(path):
    entries, name = [], None
    for line in open(path):
        m = re.search(r"Compiling entry function '(\S+)' for '(\S+)'", line)
        if m:
            name = m.group(1)
            continue
        m = re.search(r"Used (\d+) registers(?:, used \d+ barriers)?(?:, (\d+) bytes smem)?", line)
        if m and name:
            entries.append((name, int(m.group(1)), int(m.group(2) or 0)))
            name = None
    names = subprocess.run(["c++filt"], input="\n".join(e[0] for e in entries),
                           capture_output=True, text=True).stdout.splitlines()
    rows = []
    for (mangled, regs, smem), full in zip(entries, names):
        short = re.sub(r"gemv::detail::|\(.*\)$|void ", "", full)
        short = short.replace("__nv_bfloat16", "bf16").replace("__half", "f16").replace("float", "f32")
        rows.append((short, regs, smem))
    print("| kernel <type, shape..., vectorized> | registers | static smem (B) |")
    print("| --- | --- | --- |")
    for short, regs, smem in sorted(rows):
        print(f"| `{short}` | {regs} | {smem} |")


if __name__ == "__main__":
    main(sys.argv[1])
