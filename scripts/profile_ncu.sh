#!/usr/bin/env bash
# Profiles the kernels gemv launches for one benchmark row with Nsight Compute
# and prints, per kernel launch, the metrics that say how close it runs to
# the memory system's limit. Writes the raw CSV too.
#
# usage: scripts/profile_ncu.sh BENCH_BINARY [FILTER] [OUT_DIR]
#   BENCH_BINARY  path to gemv_bench
#   FILTER        Google Benchmark filter; default: the reference problem's gemv row
#   OUT_DIR       where ncu_gemv.csv (and the .ncu-rep report) go; default: .
# environment:
#   SKIP=N   kernel launches of gemv to skip first (default 2: the correctness run)
#   COUNT=N  kernel launches to profile (default 4)
#   KEEP_REPORT=1  keep the .ncu-rep report in OUT_DIR (default: in a temp dir)
#   BENCH_ARGS="..."  more gemv_bench arguments, e.g. --sweep=rows or --shape=...
#
# Clocks are left alone (--clock-control none): the card is shared and its
# settings must not change, so the numbers are at whatever clocks it runs.
set -euo pipefail

if [[ $# -lt 1 || "$1" == "-h" || "$1" == "--help" ]]; then
  sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'
  exit 2
fi
bench=$1
filter=${2:-'^f32/row/n/2048x1048576/gemv/'}
out_dir=${3:-.}
skip=${SKIP:-2}
count=${COUNT:-4}
mkdir -p "$out_dir"
csv="$out_dir/ncu_gemv.csv"

command -v ncu >/dev/null || { echo "profile_ncu.sh: ncu not found on PATH" >&2; exit 1; }

# Every kernel of the library; the flush, ceiling, fill and cuBLAS kernels
# never match.
kernels='regex:(row_warp|row_block|row_block_call|row_subwarp|row_staged|column|scale)_kernel|split_finalize'

wanted=(
  gpu__time_duration.sum
  dram__throughput.avg.pct_of_peak_sustained_elapsed
  lts__t_sector_hit_rate.pct
  smsp__warp_issue_stalled_memory_dependency_per_warp_active.pct
  sm__warps_active.avg.pct_of_peak_sustained_active
  launch__grid_size
)
# Not every stall reason exists on every architecture: since Volta, warps
# waiting on global memory count as "long scoreboard" stalls, and the older
# "memory dependency" name may be missing. Add long_scoreboard in any case,
# and drop a stall metric this device's ncu does not list.
wanted+=(smsp__warp_issue_stalled_long_scoreboard_per_warp_active.pct)
available=$(ncu --query-metrics 2>/dev/null || true)
metrics=()
for m in "${wanted[@]}"; do
  if [[ $m == *warp_issue_stalled* && -n $available ]] && ! grep -qw -- "${m%.*}" <<<"$available"; then
    echo "profile_ncu.sh: this device has no ${m%.*}; skipping it" >&2
  else
    metrics+=("$m")
  fi
done
metric_list=$(IFS=,; echo "${metrics[*]}")

report_dir=$out_dir
[[ "${KEEP_REPORT:-0}" == 1 ]] || report_dir=$(mktemp -d)
report="$report_dir/ncu_gemv"

# --compare=0: no cuBLAS or ceiling timing inside the row; --samples=2: few
# launches, each replayed by ncu.
ncu --clock-control none \
    --target-processes all \
    --kernel-name-base function \
    --kernel-name "$kernels" \
    --launch-skip "$skip" --launch-count "$count" \
    --metrics "$metric_list" \
    --export "$report" --force-overwrite \
    "$bench" --benchmark_filter="$filter" --compare=0 --samples=2 ${BENCH_ARGS:-}

ncu --import "$report.ncu-rep" --csv --page raw --print-kernel-base function \
    --metrics "$metric_list" >"$csv"

# One line per profiled launch, the requested metrics only.
python3 - "$csv" "${metrics[@]}" <<'EOF'
import csv, sys
path, metrics = sys.argv[1], sys.argv[2:]
rows = list(csv.reader(open(path, newline="")))
if len(rows) < 2:
    sys.exit(f"profile_ncu.sh: no kernel matched; see {path}")
header = rows[0]
units = rows[1] if rows[1] and rows[1][0] == "" else None
data = rows[2:] if units else rows[1:]  # skip the units row
cols = ["ID", "Kernel Name"] + [m for m in metrics if m in header]
idx = [header.index(c) for c in cols]
short = {
    "gpu__time_duration.sum": "time",
    "dram__throughput.avg.pct_of_peak_sustained_elapsed": "dram_%peak",
    "lts__t_sector_hit_rate.pct": "L2_hit_%",
    "smsp__warp_issue_stalled_memory_dependency_per_warp_active.pct": "stall_memdep_%",
    "smsp__warp_issue_stalled_long_scoreboard_per_warp_active.pct": "stall_longsb_%",
    "sm__warps_active.avg.pct_of_peak_sustained_active": "warps_active_%",
    "launch__grid_size": "grid",
}
names = [short.get(c, c) for c in cols]
if units and "gpu__time_duration.sum" in cols:  # ncu picks the unit (usecond, msecond)
    j = cols.index("gpu__time_duration.sum")
    names[j] += "_" + units[header.index("gpu__time_duration.sum")].replace("second", "s")
table = [names] + [[r[i] for i in idx] for r in data]
widths = [max(len(row[j]) for row in table) for j in range(len(cols))]
for row in table:
    print("  ".join(v.rjust(w) if j > 1 else v.ljust(w) for j, (v, w) in enumerate(zip(row, widths))))
print(f"\nfull metrics: {path}")
for c, n in zip(cols, names):
    if c != n:
        print(f"  {n} = {c}")
EOF
