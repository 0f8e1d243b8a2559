#pragma once
// Programmatic dependent launch (sm_90 and later): a split plan's first pass
// lets its second pass launch early, and the second pass waits on the device
// for the first to finish and its writes to be visible. On older
// architectures, and when the second pass was launched the ordinary way, both
// are no-ops and stream order alone orders the passes.

namespace gemv::detail {

/// Called by the first pass: dependents may launch once every block of this
/// grid has called it (or exited).
__device__ __forceinline__ void allow_dependent_launch() {
#if defined(__CUDA_ARCH__) && __CUDA_ARCH__ >= 900
  asm volatile("griddepcontrol.launch_dependents;" ::: "memory");
#endif
}

/// Called by the second pass before it reads what the first wrote.
__device__ __forceinline__ void wait_for_prerequisite_grid() {
#if defined(__CUDA_ARCH__) && __CUDA_ARCH__ >= 900
  asm volatile("griddepcontrol.wait;" ::: "memory");
#endif
}

}  // namespace gemv::detail
