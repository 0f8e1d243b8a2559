// The correctness guard (see check.hpp).

#include "check.hpp"

#include "common.hpp"

#include <cuda_bf16.h>
#include <cuda_fp16.h>
#include <cuda_fp8.h>

#include <cmath>
#include <cstring>
#include <type_traits>
#include <vector>

namespace gemv::bench {
namespace {

template <class T>
double widen_raw(const unsigned char* p) {
  T v;
  std::memcpy(&v, p, sizeof v);
  if constexpr (std::is_same_v<T, __half>) {
    return __half2float(v);
  } else if constexpr (std::is_same_v<T, __nv_bfloat16>) {
    return __bfloat162float(v);
  } else if constexpr (std::is_same_v<T, __nv_fp8_e4m3> || std::is_same_v<T, __nv_fp8_e5m2>) {
    return static_cast<float>(v);
  } else {
    return static_cast<double>(v);
  }
}

double widen_raw(dtype t, const unsigned char* p) {
  switch (t) {
    case dtype::f32: return widen_raw<float>(p);
    case dtype::f16: return widen_raw<__half>(p);
    case dtype::bf16: return widen_raw<__nv_bfloat16>(p);
    case dtype::f64: return widen_raw<double>(p);
    case dtype::e4m3: return widen_raw<__nv_fp8_e4m3>(p);
    case dtype::e5m2: return widen_raw<__nv_fp8_e5m2>(p);
    case dtype::i8: return widen_raw<std::int8_t>(p);
  }
  return NAN;
}

std::vector<double> to_host(const void* data, dtype t, std::int64_t count) {
  std::vector<unsigned char> raw(static_cast<std::size_t>(count) * size_of(t));
  check_cuda(cudaMemcpy(raw.data(), data, raw.size(), cudaMemcpyDeviceToHost), "cudaMemcpy D2H");
  std::vector<double> out(static_cast<std::size_t>(count));
  for (std::int64_t i = 0; i < count; ++i) out[i] = widen_raw(t, raw.data() + i * size_of(t));
  return out;
}

}  // namespace

double relative_l2_diff(const void* a, dtype ta, const void* b, dtype tb, std::int64_t count) {
  return worst_member_l2_diff(a, ta, b, tb, count, 1);
}

double worst_member_l2_diff(const void* a, dtype ta, const void* b, dtype tb, std::int64_t count,
                            std::int64_t members) {
  const std::vector<double> va = to_host(a, ta, count * members);
  const std::vector<double> vb = to_host(b, tb, count * members);
  double worst = 0;
  for (std::int64_t m = 0; m < members; ++m) {
    double diff = 0, ref = 0;
    for (std::int64_t i = m * count; i < (m + 1) * count; ++i) {
      diff += (va[i] - vb[i]) * (va[i] - vb[i]);
      ref += vb[i] * vb[i];
    }
    const double d = ref == 0 ? (diff == 0 ? 0.0 : INFINITY) : std::sqrt(diff / ref);
    if (std::isnan(d) || d > worst) worst = d;  // a NaN stays: nothing compares above it
  }
  return worst;
}

}  // namespace gemv::bench
