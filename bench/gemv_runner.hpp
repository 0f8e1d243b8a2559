#pragma once
// The library behind one non-template interface. Each element type's kernels
// are instantiated in a translation unit of their own (gemv_f32.cu,
// gemv_f16.cu, gemv_bf16.cu): they compile in parallel, and the host-only
// files of the benchmark never see a kernel.

#include <gemv/plan.cuh>
#include <gemv/types.cuh>

#include <cuda_runtime.h>

#include <cstddef>
#include <cstdint>
#include <type_traits>

namespace gemv::bench {

/// The arguments of one gemv call, with the element type as a value.
struct gemv_call {
  dtype type = dtype::f32;
  layout lay = layout::row_major;
  op trans = op::n;
  std::int64_t m = 0;
  std::int64_t n = 0;
  float alpha = 1.0f;
  const void* A = nullptr;
  std::int64_t lda = 0;
  const void* x = nullptr;
  std::int64_t incx = 1;
  float beta = 0.0f;
  void* y = nullptr;
  std::int64_t incy = 1;
};

/// Caller-owned split scratch (gemv::workspace, without including api.cuh).
struct scratch {
  void* data = nullptr;
  std::size_t bytes = 0;
};

template <class T>
status run_default_as(const gemv_call& c, cudaStream_t stream);
template <class T>
status run_forced_as(const gemv_call& c, const policy& pol, scratch ws, cudaStream_t stream,
                     plan* chosen);
template <class T>
status plan_of_as(const gemv_call& c, plan& out);

/// Calls `f` with a null pointer of the call's element type.
template <class F>
status with_element(dtype t, F&& f) {
  switch (t) {
    case dtype::f32:
      return f(static_cast<float*>(nullptr));
    case dtype::f16:
      return f(static_cast<__half*>(nullptr));
    case dtype::bf16:
      return f(static_cast<__nv_bfloat16*>(nullptr));
  }
  return status::invalid_enum;
}

/// gemv::gemv with the library's own scratch: the default dispatch.
inline status run_default(const gemv_call& c, cudaStream_t stream) {
  return with_element(c.type, [&](auto* tag) {
    return run_default_as<std::remove_pointer_t<decltype(tag)>>(c, stream);
  });
}

/// gemv::gemv_with_policy: a forced policy and caller scratch.
inline status run_forced(const gemv_call& c, const policy& pol, scratch ws, cudaStream_t stream,
                         plan* chosen = nullptr) {
  return with_element(c.type, [&](auto* tag) {
    return run_forced_as<std::remove_pointer_t<decltype(tag)>>(c, pol, ws, stream, chosen);
  });
}

/// gemv::choose_plan: what the default dispatch runs for this call.
inline status plan_of(const gemv_call& c, plan& out) {
  return with_element(
      c.type, [&](auto* tag) { return plan_of_as<std::remove_pointer_t<decltype(tag)>>(c, out); });
}

}  // namespace gemv::bench
