// Streaming-read kernels for the bandwidth ceiling (see ceiling.cuh).

#include "ceiling.cuh"

#include <cstdint>

namespace gemv::bench {
namespace {

/// `.cs`: read once, evict first; the same hint the library uses for A.
struct load_streaming {
  static constexpr const char* name = "ldcs";
  __device__ __forceinline__ static uint4 load(const uint4* p) { return __ldcs(p); }
};

/// `.cg`: cached in L2 only, with normal eviction priority. The flush uses
/// it, so the lines it brings in displace everything else in L2.
struct load_l2 {
  static constexpr const char* name = "ldcg";
  __device__ __forceinline__ static uint4 load(const uint4* p) { return __ldcg(p); }
};

/// Non-coherent load that skips L1 and lets L2 fetch the whole 256-byte
/// block around each request: fewer, larger DRAM requests for a sequential
/// stream.
struct load_prefetch_256 {
  static constexpr const char* name = "nc.L2::256B";
  __device__ __forceinline__ static uint4 load(const uint4* p) {
#if defined(__CUDA_ARCH__) && __CUDA_ARCH__ >= 800
    uint4 v;
    asm("ld.global.nc.L1::no_allocate.L2::256B.v4.u32 {%0, %1, %2, %3}, [%4];"
        : "=r"(v.x), "=r"(v.y), "=r"(v.z), "=r"(v.w)
        : "l"(p));
    return v;
#else
    return __ldcs(p);
#endif
  }
};

/// Each thread reads vectors i, i + stride, ..., `Unroll` of them before
/// using any, so a warp has Unroll coalesced 512-byte requests in flight.
template <int Threads, int Unroll, class Load>
__global__ void __launch_bounds__(Threads)
    stream_read_kernel(const uint4* __restrict__ data, std::int64_t vectors,
                       unsigned* __restrict__ sink) {
  const std::int64_t stride = std::int64_t{gridDim.x} * Threads;
  std::int64_t i = std::int64_t{blockIdx.x} * Threads + threadIdx.x;
  unsigned acc = 0;
  for (; i + (Unroll - 1) * stride < vectors; i += Unroll * stride) {
    uint4 v[Unroll];
#pragma unroll
    for (int u = 0; u < Unroll; ++u) v[u] = Load::load(data + i + u * stride);
#pragma unroll
    for (int u = 0; u < Unroll; ++u) acc += v[u].x ^ v[u].y ^ v[u].z ^ v[u].w;
  }
  for (; i < vectors; i += stride) {
    const uint4 v = Load::load(data + i);
    acc += v.x ^ v.y ^ v.z ^ v.w;
  }
  // Fold the warp and write one word: the loads feed a store, so they stay.
  for (int offset = 16; offset > 0; offset /= 2) acc += __shfl_xor_sync(0xffffffffu, acc, offset);
  if (threadIdx.x % 32 == 0) sink[(std::int64_t{blockIdx.x} * Threads + threadIdx.x) / 32] = acc;
}

using kernel_fn = void (*)(const uint4*, std::int64_t, unsigned*);

struct variant {
  kernel_fn kernel;
  int threads;
  int unroll;
  const char* load;
};

template <int Threads, int Unroll, class Load>
constexpr variant make_variant() {
  return {&stream_read_kernel<Threads, Unroll, Load>, Threads, Unroll, Load::name};
}

// Two block sizes times two depths of loads in flight, times three load
// flavours would be twelve; these five cover the corners that matter on HBM
// cards. The first is the flush's (see stream_reader::kFlushVariant).
const variant kVariants[] = {
    make_variant<256, 4, load_l2>(),           make_variant<256, 4, load_streaming>(),
    make_variant<512, 8, load_streaming>(),    make_variant<256, 4, load_prefetch_256>(),
    make_variant<512, 8, load_prefetch_256>(),
};
constexpr int kVariantCount = sizeof(kVariants) / sizeof(kVariants[0]);

}  // namespace

stream_reader::stream_reader(int sm_count) {
  std::size_t max_warps = 1;
  for (const variant& v : kVariants) {
    int per_sm = 0;
    check_cuda(cudaOccupancyMaxActiveBlocksPerMultiprocessor(&per_sm, v.kernel, v.threads, 0),
               "cudaOccupancyMaxActiveBlocksPerMultiprocessor");
    const int grid = sm_count * (per_sm > 0 ? per_sm : 1);
    full_grid_.push_back(grid);
    max_warps = std::max<std::size_t>(max_warps, static_cast<std::size_t>(grid) * v.threads / 32);
  }
  sink_ = device_buffer(max_warps * sizeof(unsigned));
}

int stream_reader::variants() const { return kVariantCount; }

std::string stream_reader::name(int v) const {
  const variant& k = kVariants[v];
  return "stream_read<" + std::to_string(k.threads) + "," + std::to_string(k.unroll) + "," +
         k.load + "> grid=" + std::to_string(full_grid_[v]);
}

void stream_reader::read(int v, const void* data, std::size_t bytes, cudaStream_t stream) const {
  const variant& k = kVariants[v];
  const std::int64_t vectors = ceil_div(static_cast<std::int64_t>(bytes), 16);
  if (vectors == 0) return;
  // A full wave of resident blocks, fewer when the buffer has under one
  // vector per thread of it.
  const std::int64_t grid = std::min<std::int64_t>(full_grid_[v], ceil_div(vectors, k.threads));
  k.kernel<<<static_cast<unsigned>(grid), k.threads, 0, stream>>>(static_cast<const uint4*>(data),
                                                                  vectors, sink_.as<unsigned>());
  check_cuda(cudaGetLastError(), "stream_read launch");
}

}  // namespace gemv::bench
