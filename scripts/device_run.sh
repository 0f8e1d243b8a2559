#!/usr/bin/env bash
# Runs the GPU-side checks and measurements from a folder of prebuilt
# binaries: gemv_gpu_tests, gemv_bench and libbenchmark.so.1debian (and, when
# present, gemv_per_thread_stream_tests, gemv_jit_arch_tests and
# gemv_device_reset_tests, run by the tests step).
#
# usage: scripts/device_run.sh BIN_DIR [STEP...] [--test-filter=PATTERN]
#                              [--bench-args="..."] [--profile-filter=REGEX]
#   STEP: tests memcheck racecheck synccheck initcheck bench tune profile python
#         (default: all but tune and python)
#   --test-filter=PATTERN   GoogleTest filter for the sanitizer runs (default:
#                           '*', the whole GPU test binary)
#   --bench-args="..."      extra gemv_bench arguments, e.g.
#                           "--benchmark_filter=f16 --shape=f16:row:t:4096x11008"
#   --profile-filter=REGEX  benchmark row to profile (default: the reference gemv row)
# Logs and results go to $OUT (default ./device_out): tests.log, memcheck.log
# (and memcheck.<shard>.log, likewise for the other tools), bench.log,
# bench.json, tune.log, profile.log, ncu_gemv.csv, python.log.
# Every step runs even if an earlier one failed; the exit status is non-zero
# if any failed. GEMV_TEST_REQUIRE_GPU=1 throughout (a GPU test that finds no
# device fails, it does not skip); the compute-sanitizer steps also set
# GEMV_TEST_REDUCED=1 (the big-shape tests run at a reduced size).
set -uo pipefail

usage() { sed -n '2,22p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }
[[ $# -ge 1 && "$1" != "-h" && "$1" != "--help" ]] || usage

bin=$(cd "$1" && pwd) || usage
shift
here=$(cd "$(dirname "$0")" && pwd)
out=${OUT:-./device_out}
mkdir -p "$out"
out=$(cd "$out" && pwd)

steps=()
test_filter='*'
bench_args=''
profile_filter='^f32/row/n/2048x1048576/gemv/'
for arg in "$@"; do
  case $arg in
    --test-filter=*) test_filter=${arg#*=} ;;
    --bench-args=*) bench_args=${arg#*=} ;;
    --profile-filter=*) profile_filter=${arg#*=} ;;
    tests|memcheck|racecheck|synccheck|initcheck|bench|tune|profile|python) steps+=("$arg") ;;
    *) echo "device_run.sh: unknown argument '$arg'" >&2; usage ;;
  esac
done
[[ ${#steps[@]} -gt 0 ]] || steps=(tests memcheck racecheck synccheck initcheck bench profile)

# No device here is a failure of this run, not a reason to skip every test.
export GEMV_TEST_REQUIRE_GPU=1

# libbenchmark.so.1debian travels with the binaries; cuBLAS comes from the toolkit.
export LD_LIBRARY_PATH="$bin:/usr/local/cuda/lib64${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
# Anything still missing (a toolkit elsewhere, cuBLAS from a Python wheel):
# look for it once.
for exe in "$bin/gemv_bench" "$bin/gemv_gpu_tests"; do
  [[ -x $exe ]] || continue
  for lib in $(ldd "$exe" 2>/dev/null | awk '/not found/ {print $1}'); do
    found=$(find /usr/local /opt /usr/lib -name "$lib" -print -quit 2>/dev/null)
    [[ -n $found ]] && LD_LIBRARY_PATH="$(dirname "$found"):$LD_LIBRARY_PATH"
  done
done

declare -A result
run_step() {  # name log command...
  local name=$1 log=$2
  shift 2
  echo "=== $name: $*" | tee "$out/$log"
  local start=$SECONDS
  "$@" 2>&1 | tee -a "$out/$log"
  local rc=${PIPESTATUS[0]}
  result[$name]="rc=$rc $((SECONDS - start))s"
  echo "=== $name: exit $rc after $((SECONDS - start)) s" | tee -a "$out/$log"
}

# gemv_gpu_tests, then the small test binaries that need a compiler option or
# a process of their own, if they were copied along; fails if any fails.
# shellcheck disable=SC2317  # called through run_step
gpu_tests() {
  local rc=0 exe
  "$bin/gemv_gpu_tests" || rc=1
  for exe in gemv_per_thread_stream_tests gemv_jit_arch_tests gemv_device_reset_tests; do
    [[ -x $bin/$exe ]] || continue
    echo "--- $exe"
    "$bin/$exe" || rc=1
  done
  return "$rc"
}

# compute-sanitizer tool $1 over the GPU tests, big shapes at a reduced size,
# in $GEMV_SANITIZER_SHARDS GoogleTest shards run side by side (default 6),
# then over the small test binaries. One process over the whole binary is
# too slow for a 10-minute call: on an H200 (2026-11-30) memcheck covered 82
# of 128 tests in 450 s in three shards while the other three tools ran too,
# and racecheck is slower than the others. Each shard logs to
# $out/<tool>.<shard>.log; the step fails if any shard or binary fails.
# shellcheck disable=SC2317  # called through run_step
sanitize() {
  local tool=$1 shards=${GEMV_SANITIZER_SHARDS:-6} rc=0 i pids=()
  for ((i = 0; i < shards; ++i)); do
    GEMV_TEST_REDUCED=1 GTEST_TOTAL_SHARDS=$shards GTEST_SHARD_INDEX=$i \
      compute-sanitizer --tool "$tool" --error-exitcode 1 \
      "$bin/gemv_gpu_tests" --gtest_filter="$test_filter" > "$out/$tool.$i.log" 2>&1 &
    pids+=($!)
  done
  for i in "${!pids[@]}"; do
    wait "${pids[$i]}" || rc=1
    echo "shard $i: $(grep -c '  OK \]' "$out/$tool.$i.log") passed," \
      "$(grep -E 'ERROR SUMMARY|RACECHECK SUMMARY' "$out/$tool.$i.log" | tail -1)"
  done
  local exe
  for exe in gemv_per_thread_stream_tests gemv_jit_arch_tests gemv_device_reset_tests; do
    [[ -x $bin/$exe ]] || continue
    echo "--- $exe"
    compute-sanitizer --tool "$tool" --error-exitcode 1 "$bin/$exe" || rc=1
  done
  return "$rc"
}

# The PyTorch package from the source tree: build it for this GPU with the
# torch already installed (no network), run its tests, then the KernelBench
# example. `python3 -m pip`, so the build sees the Python that has torch.
# shellcheck disable=SC2317  # called through run_step
python_package() {
  local repo rc=0
  repo=$(cd "$here/.." && pwd)
  python3 -m pip install --no-build-isolation --no-deps "$repo/python" || return 1
  (cd /tmp && python3 -X faulthandler -m pytest "$repo/python/tests" -v -rA -p no:cacheprovider) || rc=1
  python3 "$repo/examples/pytorch/kernelbench_level1_4.py" || rc=1
  return "$rc"
}

nvidia-smi --query-gpu=name,driver_version,clocks.sm,clocks.mem,temperature.gpu --format=csv || true

# shellcheck disable=SC2086  # bench_args is a list of arguments
for step in "${steps[@]}"; do
  case $step in
    tests) run_step tests tests.log gpu_tests ;;
    memcheck|racecheck|synccheck|initcheck) run_step "$step" "$step.log" sanitize "$step" ;;
    bench)
      run_step bench bench.log "$bin/gemv_bench" --benchmark_out="$out/bench.json" \
        --benchmark_out_format=json $bench_args ;;
    tune)
      if [[ -x "$bin/gemv_tune" ]]; then
        run_step tune tune.log "$bin/gemv_tune" $bench_args
      else
        run_step tune tune.log "$bin/gemv_bench" --tune $bench_args
      fi ;;
    profile)
      run_step profile profile.log "$here/profile_ncu.sh" "$bin/gemv_bench" "$profile_filter" "$out" ;;
    python) run_step python python.log python_package ;;
  esac
done

echo
failed=0
for step in "${steps[@]}"; do
  echo "$step: ${result[$step]}"
  [[ ${result[$step]} == rc=0* ]] || failed=1
done
exit $failed
