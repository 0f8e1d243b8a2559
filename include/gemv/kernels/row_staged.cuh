#pragma once
// Staged rows: many short rows on the element-wise path (rows that do not
// start on 16-byte boundaries, stored nearly back to back). A block copies
// the run of A that holds its rows into shared memory with 16-byte loads,
// then each thread takes one row from there, instead of reading short rows
// element by element (docs/performance-notes.md, entry 34).

#include <gemv/detail/accumulator.cuh>
#include <gemv/detail/element.cuh>
#include <gemv/detail/row_chunk.cuh>
#include <gemv/kernels/args.cuh>

#include <cstring>

namespace gemv::detail {

/// Rows of a staged block, one per thread.
inline constexpr int kStagedRows = 128;

/// 16-byte loads a thread keeps in flight while copying.
inline constexpr int kStagedLoads = 4;

/// Elements from one staged row to the next in shared memory: at least
/// `cols`, with an odd stride in 4-byte words, so that the 32 threads of a
/// warp reading one column of 32 rows hit 32 different banks.
__host__ __device__ constexpr int staged_pitch(int cols, int element_bytes) noexcept {
  if (element_bytes == 4) return cols | 1;
  return cols + (6 - cols % 4) % 4;  // 2 (mod 4) elements: an odd number of words
}

/// Shared memory of a staged block: x widened to float, then the rows.
__host__ __device__ constexpr int staged_x_bytes(int cols) noexcept { return (cols * 4 + 15) / 16 * 16; }
__host__ __device__ constexpr int staged_bytes(int cols, int element_bytes) noexcept {
  return staged_x_bytes(cols) + kStagedRows * staged_pitch(cols, element_bytes) * element_bytes;
}

/// Element types the staged kernel serves (stages_element, which the
/// dispatch reads too); their products are in float.
template <class E>
inline constexpr bool kStages = stages_element(static_cast<int>(sizeof(typename E::a)));
static_assert(!kStages<same_types<double>>);

template <class E>
__global__ void __launch_bounds__(kStagedRows) row_staged_kernel(const kernel_args<E> batch) {
  const kernel_args<E> a = member_inputs(batch);  // outputs: after the walk
  static_assert(kStages<E>);
  using T = typename E::a;
  constexpr int W = kVectorWidth<T>;
  extern __shared__ __align__(16) unsigned char staged[];
  // The dispatch keeps rows within 256 bytes and their padding within an
  // eighth of a row, so every index in the block fits an int.
  const int cols = static_cast<int>(a.cols);
  const int ld = static_cast<int>(a.ld);
  const int pitch = staged_pitch(cols, sizeof(T));
  float* xs = reinterpret_cast<float*>(staged);
  T* rows = reinterpret_cast<T*>(staged + staged_x_bytes(cols));

  const std::int64_t first_row = std::int64_t{blockIdx.x} * kStagedRows;
  const int count = static_cast<int>(min(std::int64_t{kStagedRows}, a.rows - first_row));
  for (int k = threadIdx.x; k < cols; k += kStagedRows) xs[k] = cached_element(a.x + k * a.incx);

  // The block's rows as one run of A, from its first row's start to its last
  // row's end (padding between rows included): 16-byte vectors from the
  // run's first 16-byte boundary, the elements before it and after the last
  // whole vector one by one. Element e of the run is row e / ld, column
  // e % ld; padding is dropped.
  const T* run = a.A + first_row * a.ld;
  const int run_length = (count - 1) * ld + cols;
  const int head = min(run_length, static_cast<int>((16 - reinterpret_cast<std::uintptr_t>(run) % 16) % 16 / sizeof(T)));
  const int vectors = (run_length - head) / W;
  const auto keep = [&](int e, T value) {
    const int r = e / ld;
    const int c = e - r * ld;
    if (c < cols) rows[r * pitch + c] = value;
  };
  for (int e = threadIdx.x; e < head; e += kStagedRows) keep(e, run[e]);
  for (int e = head + vectors * W + threadIdx.x; e < run_length; e += kStagedRows) keep(e, run[e]);
  for (int first = 0; first < vectors; first += kStagedRows * kStagedLoads) {
    uint4 raw[kStagedLoads];
#pragma unroll
    for (int u = 0; u < kStagedLoads; ++u) {
      const int v = first + u * kStagedRows + threadIdx.x;
      raw[u] = v < vectors ? stream_vector(run + head + v * W) : uint4{0, 0, 0, 0};
    }
#pragma unroll
    for (int u = 0; u < kStagedLoads; ++u) {
      const int v = first + u * kStagedRows + threadIdx.x;
      if (v >= vectors) break;
      T element[W];
      std::memcpy(element, &raw[u], sizeof element);
      const int e = head + v * W;
      int r = e / ld;
      int c = e - r * ld;
#pragma unroll
      for (int w = 0; w < W; ++w) {
        if (c < cols) rows[r * pitch + c] = element[w];
        if (++c == ld) {
          c = 0;
          ++r;
        }
      }
    }
  }
  __syncthreads();

  if (static_cast<int>(threadIdx.x) >= count) return;
  const T* row = rows + threadIdx.x * pitch;
  compensated_sum acc;
  for (int k0 = 0; k0 < cols; k0 += 32) {  // float sums of at most 32 terms, as in dot_step
    float partial = 0.0f;
    const int k1 = min(cols, k0 + 32);
    for (int k = k0; k < k1; ++k) partial = fmaf(widen(row[k]), xs[k], partial);
    acc.add(partial);
  }
  store_output(member_outputs(a), first_row + threadIdx.x, acc.value());
}

}  // namespace gemv::detail
