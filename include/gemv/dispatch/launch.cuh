#pragma once
// Runs a plan: maps its policy onto the compiled kernel instantiations and
// launches them on the caller's stream. No allocation, no synchronisation.

#include <gemv/dispatch/make_plan.cuh>
#include <gemv/kernels/column.cuh>
#include <gemv/kernels/finalize.cuh>
#include <gemv/kernels/row_block.cuh>
#include <gemv/kernels/row_staged.cuh>
#include <gemv/kernels/row_subwarp.cuh>
#include <gemv/kernels/row_warp.cuh>

#include <cuda_runtime.h>

namespace gemv::detail {

/// Calls f(std::integral_constant<int, V>) for the V in Values equal to v.
template <int... Values, class F>
bool with_constant(int v, F&& f) {
  return ((v == Values ? (f(std::integral_constant<int, Values>{}), true) : false) || ...);
}

template <class F>
void with_bool(bool v, F&& f) {
  if (v) {
    f(std::true_type{});
  } else {
    f(std::false_type{});
  }
}

inline unsigned grid_for(std::int64_t threads_needed, int block) {
  return static_cast<unsigned>(ceil_div(threads_needed, block));
}

// The longest rows the dispatch stages (stages_rows) fit a staged block in the
// 48 KB of shared memory a block gets without opting in: the launch below
// sets no function attribute.
static_assert(staged_bytes(static_cast<int>(kStagedMaxRowBytes / 4), 4) <= 48 * 1024 &&
              staged_bytes(static_cast<int>(kStagedMaxRowBytes / 2), 2) <= 48 * 1024);

/// Launches a second pass, as a programmatic dependent of the first when the
/// plan allows it.
template <class... Params, class... Args>
void launch_second_pass(const plan& pl, void (*kernel)(Params...), unsigned grid, int threads,
                        cudaStream_t stream, Args... args) {
  if (!pl.dependent_launch) {
    kernel<<<grid, threads, 0, stream>>>(args...);
    return;
  }
  cudaLaunchAttribute attribute{};
  attribute.id = cudaLaunchAttributeProgrammaticStreamSerialization;
  attribute.val.programmaticStreamSerializationAllowed = 1;
  cudaLaunchConfig_t config{};
  config.gridDim = dim3(grid);
  config.blockDim = dim3(threads);
  config.stream = stream;
  config.attrs = &attribute;
  config.numAttrs = 1;
  cudaLaunchKernelEx(&config, kernel, args...);
}

/// Second pass of a split plan: a block per output when each output has many
/// pieces and outputs are few, else a thread per output.
template <class T>
void launch_finalize(const plan& pl, const kernel_args<T>& a, std::int64_t outputs, cudaStream_t stream) {
  constexpr int kThreads = 256;
  constexpr std::int64_t kManyPieces = 64;   // a thread would wait on >= 8 round trips of 8 loads
  constexpr std::int64_t kFewOutputs = 4096; // a block each still fits a wave or two
  const double* partials = a.partials;
  if (pl.splits >= kManyPieces && outputs <= kFewOutputs) {
    launch_second_pass(pl, split_finalize_block_kernel<T, kThreads>, static_cast<unsigned>(outputs),
                       kThreads, stream, partials, outputs, pl.splits, a.y, a.incy, a.alpha, a.beta);
  } else {
    launch_second_pass(pl, split_finalize_thread_kernel<T>, grid_for(outputs, kThreads), kThreads,
                       stream, partials, outputs, pl.splits, a.y, a.incy, a.alpha, a.beta);
  }
}

/// Launches every kernel of `pl`. `a.partials` must hold pl.workspace_bytes().
template <class T>
void launch(const plan& pl, const kernel_args<T>& a, cudaStream_t stream) {
  const policy& p = pl.pol;
  const int threads = p.threads;
  switch (p.kernel) {
    case kernel_kind::row_warp:
      with_bool(pl.vectorized, [&](auto vec) {
        with_constant<1, 2, 4>(p.rows, [&](auto rows) {
          with_constant<2, 4>(p.unroll, [&](auto unroll) {
            const std::int64_t warps = ceil_div(a.rows, rows());
            row_warp_kernel<T, rows(), unroll(), vec()>
                <<<grid_for(warps * 32, threads), threads, 0, stream>>>(a);
          });
        });
      });
      break;
    case kernel_kind::row_block:
    case kernel_kind::row_split_k:
      if (pl.joined) {  // one row a block, four loads a thread (joins_vectors)
        const dim3 grid(static_cast<unsigned>(a.rows), static_cast<unsigned>(pl.splits));
        row_block_kernel<T, kBoundaryBlockRows, 4, false, true><<<grid, threads, 0, stream>>>(a);
        if (pl.splits > 1) launch_finalize(pl, a, a.rows, stream);
        break;
      }
      with_bool(pl.vectorized, [&](auto vec) {
        with_constant<1, 2, 4>(p.rows, [&](auto rows) {
          with_constant<2, 4>(p.unroll, [&](auto unroll) {
            const dim3 grid(static_cast<unsigned>(ceil_div(a.rows, rows())),
                            static_cast<unsigned>(pl.splits));
            row_block_kernel<T, rows(), unroll(), vec()><<<grid, threads, 0, stream>>>(a);
          });
        });
      });
      if (pl.splits > 1) launch_finalize(pl, a, a.rows, stream);
      break;
    case kernel_kind::row_subwarp:
      if (pl.staged) {
        const auto smem = static_cast<std::size_t>(staged_bytes(static_cast<int>(a.cols), sizeof(T)));
        row_staged_kernel<T><<<grid_for(a.rows, kStagedRows), kStagedRows, smem, stream>>>(a);  // a thread a row
        break;
      }
      with_bool(pl.vectorized, [&](auto vec) {
        with_constant<1, 2, 4, 8, 16>(p.lanes, [&](auto lanes) {
          with_constant<2, 4>(p.unroll, [&](auto unroll) {
            const std::int64_t warps = ceil_div(a.rows, (32 / lanes()) * unroll());
            row_subwarp_kernel<T, lanes(), unroll(), vec()>
                <<<grid_for(warps * 32, threads), threads, 0, stream>>>(a);
          });
        });
      });
      break;
    case kernel_kind::column:
      with_bool(pl.vectorized, [&](auto vec) {
        with_constant<2, 4, 8>(p.unroll, [&](auto unroll) {
          constexpr int W = kVectorWidth<T>;  // chunk width, aligned A or not
          const dim3 block(p.lanes, threads / p.lanes);
          const dim3 grid(static_cast<unsigned>(ceil_div(a.cols, std::int64_t{p.lanes} * W)),
                          static_cast<unsigned>(pl.splits));
          const auto smem = static_cast<std::size_t>(threads) * W * sizeof(double);
          if constexpr (unroll() == 8) {
            column_kernel_bounded<T, unroll(), vec()><<<grid, block, smem, stream>>>(a);
          } else {
            column_kernel<T, unroll(), vec()><<<grid, block, smem, stream>>>(a);
          }
        });
      });
      if (pl.splits > 1) launch_finalize(pl, a, a.cols, stream);
      break;
    case kernel_kind::scale_only: {
      const std::int64_t outputs = pl.prob.outputs();
      scale_kernel<T><<<grid_for(outputs, 256), 256, 0, stream>>>(outputs, a.y, a.incy, a.beta);
      break;
    }
  }
}

}  // namespace gemv::detail
