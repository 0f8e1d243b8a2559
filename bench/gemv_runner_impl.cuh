#pragma once
// Definitions behind gemv_runner.hpp, included once per element type.

#include "gemv_runner.hpp"

#include <gemv/api.cuh>

namespace gemv::bench {

template <class T>
status run_default_as(const gemv_call& c, cudaStream_t stream) {
  return gemv::gemv<T>(c.lay, c.trans, c.m, c.n, c.alpha, static_cast<const T*>(c.A), c.lda,
                       static_cast<const T*>(c.x), c.incx, c.beta, static_cast<T*>(c.y), c.incy,
                       stream);
}

template <class T>
status run_forced_as(const gemv_call& c, const policy& pol, scratch ws, cudaStream_t stream,
                     plan* chosen) {
  return gemv::gemv_with_policy<T>(pol, c.lay, c.trans, c.m, c.n, c.alpha,
                                   static_cast<const T*>(c.A), c.lda, static_cast<const T*>(c.x),
                                   c.incx, c.beta, static_cast<T*>(c.y), c.incy,
                                   workspace{ws.data, ws.bytes}, stream, chosen);
}

template <class T>
status plan_of_as(const gemv_call& c, plan& out) {
  return gemv::choose_plan<T>(c.lay, c.trans, c.m, c.n, c.alpha, static_cast<const T*>(c.A), c.lda,
                              static_cast<const T*>(c.x), c.incx, c.beta,
                              static_cast<const T*>(c.y), c.incy, out);
}

}  // namespace gemv::bench

/// Explicit instantiations for one element type; use inside namespace gemv::bench.
#define GEMV_BENCH_INSTANTIATE(T)                                                                  \
  template status run_default_as<T>(const gemv_call&, cudaStream_t);                               \
  template status run_forced_as<T>(const gemv_call&, const policy&, scratch, cudaStream_t, plan*); \
  template status plan_of_as<T>(const gemv_call&, plan&);
