#!/usr/bin/env bash
# Compiles every kernel instantiation of the library for each architecture with
# ptxas' resource report and fails if any kernel spills registers or uses a
# stack frame (local memory): both would cost bandwidth in a bandwidth-bound
# kernel.
#   usage: scripts/check_spills.sh [arch ...]   (default: 89 90)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
archs=("$@")
[ ${#archs[@]} -gt 0 ] || archs=(89 90)
nvcc=${NVCC:-nvcc}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

status=0
for arch in "${archs[@]}"; do
  log="$tmp/ptxas_sm$arch.log"
  "$nvcc" -std=c++17 -O3 -I"$root/include" -arch="sm_$arch" -Xptxas -v -c \
    "$root/tests/instantiate_all.cu" -o "$tmp/instantiate_all_sm$arch.o" 2>"$log"
  kernels=$(grep -c "Compiling entry function" "$log" || true)
  if grep -qE "(^|[^0-9])[1-9][0-9]* bytes (stack frame|spill stores|spill loads)" "$log"; then
    echo "sm_$arch: kernels with spills or local memory:"
    grep -B3 -E "(^|[^0-9])[1-9][0-9]* bytes (stack frame|spill stores|spill loads)" "$log"
    status=1
  else
    echo "sm_$arch: $kernels kernels, no spills, no stack frame"
  fi
done
exit $status
