#!/usr/bin/env bash
# Checks the accuracy tests themselves: each mutant removes one precision
# feature from a copy of the library, and the tests named after that feature
# must then fail while the others still pass.
#
# usage: scripts/accuracy_mutants.sh build OUT_DIR [ARCH]   (here, nvcc; ARCH default 90)
#        scripts/accuracy_mutants.sh run BIN_DIR            (on a GPU)
#
# build writes one binary per mutant, accuracy_<mutant>, holding only
# tests/gpu/accuracy_test.cu. run executes each and compares the failing
# tests with the expected ones; it fails if any mutant survives a test meant
# to catch it, or breaks a test that should not notice it.
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)

# mutant -> file, the line it changes (a fixed string), its replacement,
# and the tests that must fail (a grep -E pattern over test names).
mutants=(no_kahan float_lanes float_warps float_slices float_pieces)
declare -A file from to expect
file[no_kahan]=include/gemv/detail/accumulator.cuh
from[no_kahan]='carry = isfinite(t) ? (t - sum) - y : 0.0f;'
to[no_kahan]='carry = 0.0f;'
expect[no_kahan]='CompensatedSum'

# A float shuffle tree in place of the double warp reduction.
file[float_lanes]=include/gemv/detail/accumulator.cuh
from[float_lanes]='return reduce(storage).Sum(v);'
to[float_lanes]='(void)storage; float f = static_cast<float>(v); for (int o = Lanes / 2; o > 0; o /= 2) f += __shfl_down_sync(0xffffffffu, f, o, Lanes); return f;'
expect[float_lanes]='CombinesLanes|CombinesWarps'

file[float_warps]=include/gemv/kernels/row_block.cuh
from[float_warps]='for (int w = 0; w < warps; ++w) dot += warp_sums[threadIdx.x][w];'
to[float_warps]='{ float f = 0.0f; for (int w = 0; w < warps; ++w) f += static_cast<float>(warp_sums[threadIdx.x][w]); dot = f; }'
expect[float_warps]='CombinesWarps'

file[float_slices]=include/gemv/kernels/column.cuh
from[float_slices]='for (int s = 0; s < slices; ++s) dot += slice_sums[s * tile + o];'
to[float_slices]='{ float f = 0.0f; for (int s = 0; s < slices; ++s) f += static_cast<float>(slice_sums[s * tile + o]); dot = f; }'
expect[float_slices]='CombinesColumnSlices'

file[float_pieces]=include/gemv/kernels/finalize.cuh
from[float_pieces]='for (std::int64_t s = 0; s < splits; ++s) dot += partials[s * outputs + out];'
to[float_pieces]='{ float f = 0.0f; for (std::int64_t s = 0; s < splits; ++s) f += static_cast<float>(partials[s * outputs + out]); dot = f; }'
expect[float_pieces]='CombinesSplitPieces|CombinesColumnPieces'

build() {
  local out=$1 arch=${2:-90} work m
  mkdir -p "$out"
  out=$(cd "$out" && pwd)
  work=$(mktemp -d)
  trap 'rm -rf "$work"' RETURN
  for m in "${mutants[@]}"; do
    rm -rf "$work/include" && cp -r "$here/include" "$work/include"
    local target="$work/${file[$m]}"
    grep -qF -- "${from[$m]}" "$target" || {
      echo "mutant $m: '${from[$m]}' not found in ${file[$m]}" >&2; return 1; }
    FROM=${from[$m]} TO=${to[$m]} perl -0pi -e 's/\Q$ENV{FROM}\E/$ENV{TO}/' "$target"
    echo "== building accuracy_$m"
    nvcc -std=c++17 -O3 -DNDEBUG "-arch=sm_$arch" -I"$work/include" -I"$here/tests" \
      "$here/tests/gpu/accuracy_test.cu" -o "$out/accuracy_$m" -lgtest_main -lgtest -lpthread
  done
}

run() {
  export GEMV_TEST_REQUIRE_GPU=1
  local bin=$1 rc=0 m log ran failed missed extra
  for m in "${mutants[@]}"; do
    [[ -x $bin/accuracy_$m ]] || { echo "accuracy_$m missing"; rc=1; continue; }
    # The forced-plan tests: the big default-dispatch ones prove nothing more here.
    log=$("$bin/accuracy_$m" --gtest_filter='Accuracy.Compensated*:Accuracy.Combines*' 2>&1 || true)
    ran=$(sed -n 's/^\[ RUN      \] \([A-Za-z0-9_.]*\)$/\1/p' <<< "$log" | sort -u)
    failed=$(sed -n 's/^\[  FAILED  \] \([A-Za-z][A-Za-z0-9_.]*\).*/\1/p' <<< "$log" | sort -u)
    missed=$(grep -E "${expect[$m]}" <<< "$ran" | grep -vxF -f <(printf '%s\n' "$failed") || true)
    extra=$(grep -vE "${expect[$m]}" <<< "$failed" || true)
    echo "mutant $m: $(wc -w <<< "$ran") tests ran; failed: $(tr '\n' ' ' <<< "$failed")"
    [[ -n $ran ]] || { echo "  no test ran"; rc=1; }
    [[ -z $missed ]] || { echo "  NOT CAUGHT by: $(tr '\n' ' ' <<< "$missed")"; rc=1; }
    [[ -z $extra ]] || echo "  also failed (not required): $(tr '\n' ' ' <<< "$extra")"
  done
  return "$rc"
}

case ${1:-} in
  build) shift; build "$@" ;;
  run) shift; run "$@" ;;
  *) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
