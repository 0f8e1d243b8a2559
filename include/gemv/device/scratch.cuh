#pragma once
// Scratch for split plans run through the plain call: stream-ordered
// allocations (cudaMallocFromPoolAsync / cudaFreeAsync on the call's own
// stream) from one memory pool per device that the library owns.
//
// Why stream-ordered: the scratch of a call belongs to that call's stream
// order, whatever the stream handle is. cudaStreamPerThread, and handle 0 in
// a program built with --default-stream per-thread, are one handle for many
// streams; anything keyed by the handle is shared between threads. An
// allocation made on the stream is freed on it after the second pass, so
// two calls can only share bytes once the first call's kernels are done.
// Under stream capture the same two calls become the graph's own allocation
// and free nodes, so the plain call can be captured.
//
// What the library holds: the pool keeps at most kScratchPoolRetainBytes
// (32 MiB) reserved across synchronisations (its release threshold); between
// them it holds what the calls in flight use, at most kMaxWorkspaceBytes
// each, in whole chunks of the pool's reservation size. No
// host synchronisation: the pool may reuse a block on another stream only
// once its free has completed (opportunistic reuse), never by making one
// stream wait for another (internal dependencies are off).

#include <gemv/dispatch/make_plan.cuh>
#include <gemv/errors.cuh>

#include <cuda.h>
#include <cuda_runtime.h>

#include <atomic>
#include <cstdint>
#include <mutex>

namespace gemv {

/// Bytes the library's scratch pool keeps reserved on a device across
/// synchronisations (its release threshold): one reservation chunk, so the
/// pool does not hand the chunk back and map it again at every
/// synchronisation (docs/performance-notes.md, entry 40). One chunk holds 32
/// calls' scratch.
inline constexpr std::uint64_t kScratchPoolRetainBytes = std::uint64_t{32} << 20;

namespace detail {

/// The identity of the calling thread's current context (0 if none), which
/// changes when cudaDeviceReset destroys a device's primary context and with
/// it every pool made there. Read through the runtime's driver entry points,
/// so the library needs no link to the driver library.
inline unsigned long long current_context_id() noexcept {
  using get_current_fn = CUresult (*)(CUcontext*);
  using get_id_fn = CUresult (*)(CUcontext, unsigned long long*);
  struct entry_points {
    get_current_fn get_current = nullptr;
    get_id_fn get_id = nullptr;
  };
  static const entry_points driver = [] {
    entry_points e;
    void* fn = nullptr;
    cudaDriverEntryPointQueryResult found{};
    if (cudaGetDriverEntryPointByVersion("cuCtxGetCurrent", &fn, 12000, cudaEnableDefault,
                                         &found) == cudaSuccess &&
        found == cudaDriverEntryPointSuccess)
      e.get_current = reinterpret_cast<get_current_fn>(fn);
    if (cudaGetDriverEntryPointByVersion("cuCtxGetId", &fn, 12000, cudaEnableDefault, &found) ==
            cudaSuccess &&
        found == cudaDriverEntryPointSuccess)
      e.get_id = reinterpret_cast<get_id_fn>(fn);
    return e;
  }();
  CUcontext context = nullptr;
  unsigned long long id = 0;
  if (driver.get_current == nullptr || driver.get_id == nullptr) return 0;
  if (driver.get_current(&context) != CUDA_SUCCESS || context == nullptr) return 0;
  if (driver.get_id(context, &id) != CUDA_SUCCESS) return 0;
  return id;
}

/// The library's pool on `device`, made on first use and made again after
/// the device was reset (a new primary context). `out` stays null when the
/// pool does not exist yet and `stream` is being captured: a pool cannot be
/// made during capture, and none is needed then (see acquire_scratch).
inline status scratch_pool(int device, cudaStream_t stream, cudaMemPool_t& out) noexcept {
  constexpr int kMaxDevices = 64;
  struct slot {
    std::mutex mutex;
    std::atomic<unsigned long long> context{0};
    std::atomic<cudaMemPool_t> pool{nullptr};
  };
  static slot slots[kMaxDevices];
  if (device < 0 || device >= kMaxDevices) return fail(status::device_error, cudaErrorInvalidDevice);
  slot& s = slots[device];

  unsigned long long context = current_context_id();
  if (context == 0) {
    // No context bound to this thread yet: cudaFree(nullptr) binds the
    // device's primary context and does nothing else.
    if (const cudaError_t e = cudaFree(nullptr); e != cudaSuccess) return fail(status::device_error, e);
    context = current_context_id();
  }
  // A context id of 0 means the driver could not say (no cuCtxGetId): the
  // pool is then kept for good, and a device reset is not noticed.
  if (s.context.load(std::memory_order_acquire) == context &&
      (out = s.pool.load(std::memory_order_acquire)) != nullptr) {
    return status::success;
  }

  const std::lock_guard<std::mutex> lock(s.mutex);
  if (s.context.load(std::memory_order_relaxed) == context &&
      (out = s.pool.load(std::memory_order_relaxed)) != nullptr) {
    return status::success;
  }
  cudaStreamCaptureStatus capture = cudaStreamCaptureStatusNone;
  if (const cudaError_t e = cudaStreamIsCapturing(stream, &capture); e != cudaSuccess)
    return fail(status::device_error, e);
  if (capture != cudaStreamCaptureStatusNone) {
    out = nullptr;
    return status::success;
  }
  // A pool made in an earlier context died with it (cudaDeviceReset): it is
  // forgotten, never destroyed again.
  cudaMemPoolProps props{};
  props.allocType = cudaMemAllocationTypePinned;
  props.handleTypes = cudaMemHandleTypeNone;
  props.location.type = cudaMemLocationTypeDevice;
  props.location.id = device;
  cudaMemPool_t pool = nullptr;
  if (const cudaError_t e = cudaMemPoolCreate(&pool, &props); e != cudaSuccess)
    return fail(status::allocation_failed, e);
  std::uint64_t retain = kScratchPoolRetainBytes;
  int no = 0;
  cudaError_t e = cudaMemPoolSetAttribute(pool, cudaMemPoolAttrReleaseThreshold, &retain);
  if (e == cudaSuccess) e = cudaMemPoolSetAttribute(pool, cudaMemPoolReuseAllowInternalDependencies, &no);
  if (e != cudaSuccess) {
    cudaMemPoolDestroy(pool);
    return fail(status::allocation_failed, e);
  }
  s.pool.store(pool, std::memory_order_release);
  s.context.store(context, std::memory_order_release);
  out = pool;
  return status::success;
}

/// `bytes` of scratch ordered on `stream`; release it with release_scratch
/// on the same stream after the kernels that use it.
inline status acquire_scratch(int device, cudaStream_t stream, std::size_t bytes, void*& out) noexcept {
  cudaMemPool_t pool = nullptr;
  if (const status s = scratch_pool(device, stream, pool); s != status::success) return s;
  // Under capture, either call becomes an allocation node of the graph,
  // which owns the memory whatever pool is named; without a pool yet, the
  // device's current pool only lends the node its properties.
  const cudaError_t e = pool != nullptr ? cudaMallocFromPoolAsync(&out, bytes, pool, stream)
                                        : cudaMallocAsync(&out, bytes, stream);
  if (e != cudaSuccess) {
    out = nullptr;
    return fail(status::allocation_failed, e);
  }
  return status::success;
}

inline cudaError_t release_scratch(void* scratch, cudaStream_t stream) noexcept {
  return scratch == nullptr ? cudaSuccess : cudaFreeAsync(scratch, stream);
}

}  // namespace detail
}  // namespace gemv
