// The correctness guard (see check.hpp).

#include "check.hpp"

#include "common.hpp"

#include <cuda_bf16.h>
#include <cuda_fp16.h>

#include <cmath>
#include <cstring>
#include <vector>

namespace gemv::bench {
namespace {

std::vector<double> to_host(const void* data, dtype t, std::int64_t count) {
  std::vector<unsigned char> raw(static_cast<std::size_t>(count) * size_of(t));
  check_cuda(cudaMemcpy(raw.data(), data, raw.size(), cudaMemcpyDeviceToHost), "cudaMemcpy D2H");
  std::vector<double> out(static_cast<std::size_t>(count));
  for (std::int64_t i = 0; i < count; ++i) {
    const unsigned char* p = raw.data() + i * size_of(t);
    if (t == dtype::f32) {
      float v;
      std::memcpy(&v, p, sizeof v);
      out[i] = v;
    } else if (t == dtype::f16) {
      __half v;
      std::memcpy(&v, p, sizeof v);
      out[i] = __half2float(v);
    } else {
      __nv_bfloat16 v;
      std::memcpy(&v, p, sizeof v);
      out[i] = __bfloat162float(v);
    }
  }
  return out;
}

}  // namespace

double relative_l2_diff(const void* a, dtype ta, const void* b, dtype tb, std::int64_t count) {
  const std::vector<double> va = to_host(a, ta, count);
  const std::vector<double> vb = to_host(b, tb, count);
  double diff = 0, ref = 0;
  for (std::int64_t i = 0; i < count; ++i) {
    diff += (va[i] - vb[i]) * (va[i] - vb[i]);
    ref += vb[i] * vb[i];
  }
  if (ref == 0) return diff == 0 ? 0.0 : INFINITY;
  return std::sqrt(diff / ref);
}

}  // namespace gemv::bench
