#!/usr/bin/env bash
# Compiles every kernel instantiation of the library for each architecture with
# ptxas' resource report and fails if any kernel spills registers or uses a
# stack frame (local memory): both would cost bandwidth in a bandwidth-bound
# kernel.
#
# Known exceptions (scripts/spill_allowlist.txt) are allowed up to the bytes
# they list, so that one named, explained spill does not hide a new one: a
# kernel not in the list, or one that spills more than listed, still fails.
#   usage: scripts/check_spills.sh [arch ...]   (default: 89 90)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
archs=("$@")
[ ${#archs[@]} -gt 0 ] || archs=(89 90)
nvcc=${NVCC:-nvcc}
allowlist="$root/scripts/spill_allowlist.txt"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# One compile per architecture, side by side (each is one long translation
# unit of every kernel); a failed compile fails the check.
pids=()
for arch in "${archs[@]}"; do
  "$nvcc" -std=c++17 -O3 -I"$root/include" -arch="sm_$arch" -Xptxas -v -c \
    "$root/tests/instantiate_all.cu" -o "$tmp/instantiate_all_sm$arch.o" 2>"$tmp/ptxas_sm$arch.log" &
  pids+=($!)
done
status=0
for pid in "${pids[@]}"; do wait "$pid" || status=1; done
[[ $status -eq 0 ]] || { echo "compiling tests/instantiate_all.cu failed"; cat "$tmp"/ptxas_sm*.log; exit 1; }

for arch in "${archs[@]}"; do
  log="$tmp/ptxas_sm$arch.log"
  kernels=$(grep -c "Compiling entry function" "$log" || true)
  # One line per kernel that uses local memory: name, then its largest figure.
  awk -v arch="sm_$arch" '
    /Compiling entry function/ { match($0, /function .[^'"'"']*/); name = substr($0, RSTART + 10, RLENGTH - 10) }
    /bytes stack frame/ {
      worst = 0
      for (i = 1; i <= NF; ++i) if ($(i + 1) == "bytes" && $i + 0 > worst) worst = $i + 0
      if (worst > 0) print arch, name, worst
    }' "$log" > "$tmp/spills_sm$arch.txt"
  bad=0
  while read -r a name bytes; do
    allowed=$(awk -v a="$a" -v n="$name" '!/^#/ && $1 == a && $2 == n { print $3 }' "$allowlist" 2>/dev/null)
    if [[ -n $allowed && $bytes -le $allowed ]]; then
      echo "$a: $name: $bytes bytes of local memory, allowed (scripts/spill_allowlist.txt)"
    else
      echo "$a: $name: $bytes bytes of local memory"
      bad=1
    fi
  done < "$tmp/spills_sm$arch.txt"
  if [[ $bad -ne 0 ]]; then
    echo "sm_$arch: kernels with spills or local memory (above)"
    status=1
  else
    echo "sm_$arch: $kernels kernels, no spills or stack frame beyond the allowlist"
  fi
done
exit $status
