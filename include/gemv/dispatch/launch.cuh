#pragma once
// Runs a plan: maps its policy onto the compiled kernel instantiations and
// launches them on the caller's stream. No allocation, no synchronisation.
// Every launch reports its own error (cudaLaunchKernelEx's return value),
// and a plan that no compiled instantiation matches launches nothing and
// says so.

#include <gemv/dispatch/compiled_tiles.cuh>
#include <gemv/dispatch/make_plan.cuh>
#include <gemv/errors.cuh>
#include <gemv/kernels/column.cuh>
#include <gemv/kernels/finalize.cuh>
#include <gemv/kernels/row_block.cuh>
#include <gemv/kernels/row_staged.cuh>
#include <gemv/kernels/row_subwarp.cuh>
#include <gemv/kernels/row_warp.cuh>

#include <cuda_runtime.h>

#include <atomic>
#include <iterator>
#include <utility>

namespace gemv::detail {

template <const auto& Values, class F, std::size_t... I>
void with_value_of(int v, F& f, std::index_sequence<I...>) {
  (void)((v == Values[I] ? (f(std::integral_constant<int, Values[I]>{}), true) : false) || ...);
}

/// Calls f(std::integral_constant<int, V>) for the V of the compiled list
/// `Values` (dispatch/compiled_tiles.cuh) equal to v, and nothing if v is
/// none of them (no kernel was compiled for it).
template <const auto& Values, class F>
void with_value(int v, F&& f) {
  with_value_of<Values>(v, f, std::make_index_sequence<std::size(Values)>{});
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

/// The launch <<<>>> makes, with its own error returned: `values` already
/// have the kernel's parameter types.
template <class... Params>
cudaError_t launch_plain(void (*kernel)(Params...), dim3 grid, dim3 block, std::size_t smem,
                         cudaStream_t stream, Params... values) {
  void* arguments[] = {&values...};
  return cudaLaunchKernel(reinterpret_cast<const void*>(kernel), grid, block, arguments, smem, stream);
}

/// One kernel launch; `dependent` makes it a programmatic dependent of the
/// work before it on the stream. The plain launch costs the host less than
/// cudaLaunchKernelEx, so only a dependent launch goes through the latter.
template <class... Params, class... Args>
cudaError_t launch_kernel(void (*kernel)(Params...), dim3 grid, dim3 block, std::size_t smem,
                          cudaStream_t stream, bool dependent, Args... args) {
  static_assert(sizeof...(Params) == sizeof...(Args), "one argument per kernel parameter");
  if (!dependent) return launch_plain(kernel, grid, block, smem, stream, static_cast<Params>(args)...);
  cudaLaunchAttribute attribute{};
  attribute.id = cudaLaunchAttributeProgrammaticStreamSerialization;
  attribute.val.programmaticStreamSerializationAllowed = 1;
  cudaLaunchConfig_t config{};
  config.gridDim = grid;
  config.blockDim = block;
  config.dynamicSmemBytes = smem;
  config.stream = stream;
  config.attrs = &attribute;
  config.numAttrs = 1;
  return cudaLaunchKernelEx(&config, kernel, args...);
}

/// Whether `Kernel` as loaded on `device` holds the device-side wait of a
/// programmatic dependent launch (wait_for_prerequisite_grid), which is
/// compiled in only from sm_90 PTX on. The host must not launch a kernel as
/// a dependent unless it waits: a consumer that builds for an older
/// architecture runs code JIT-compiled from that architecture's PTX on a
/// newer card. Read once per kernel and device (cudaFuncGetAttributes).
template <auto Kernel>
bool waits_for_prerequisite(int device) noexcept {
  constexpr int kMaxDevices = 64;
  static std::atomic<signed char> known[kMaxDevices];  // 0 unknown, 1 waits, -1 does not
  if (device < 0 || device >= kMaxDevices) return false;
  signed char k = known[device].load(std::memory_order_relaxed);
  if (k == 0) {
    cudaFuncAttributes attributes{};
    k = cudaFuncGetAttributes(&attributes, Kernel) == cudaSuccess && attributes.ptxVersion >= 90 ? 1 : -1;
    known[device].store(k, std::memory_order_relaxed);
  }
  return k > 0;
}

/// Launches a second pass, as a programmatic dependent of the first when the
/// plan allows it and the kernel waits for the first on the device.
template <auto Kernel, class... Args>
cudaError_t launch_second_pass(const plan& pl, int device, dim3 grid, int threads,
                               cudaStream_t stream, Args... args) {
  const bool dependent = pl.dependent_launch && waits_for_prerequisite<Kernel>(device);
  return launch_kernel(Kernel, grid, dim3(threads), 0, stream, dependent, args...);
}

/// Second pass of a split plan, for `members` members of a batch from
/// a.first_member: a block per output when each output has many pieces and
/// outputs are few, else a thread per output.
template <class E>
cudaError_t launch_finalize(const plan& pl, const kernel_args<E>& a, std::int64_t outputs,
                            unsigned members, int device, cudaStream_t stream) {
  constexpr int kThreads = 256;
  // From two rounds of 8 loads a thread, a block per output
  // (docs/performance-notes.md, entry 46).
  constexpr std::int64_t kManyPieces = 16;
  constexpr std::int64_t kFewOutputs = 4096; // a block each still fits a wave or two
  using TY = typename E::y;
  using S = typename E::scalar;
  using Act = typename E::activation;
  const double* partials = a.partials;
  if (pl.splits >= kManyPieces && outputs <= kFewOutputs) {
    return launch_second_pass<split_finalize_block_kernel<TY, S, Act, kThreads>>(
        pl, device, dim3(static_cast<unsigned>(outputs), 1, members), kThreads, stream, partials,
        outputs, pl.splits, a.y, a.incy, a.epilogue, a.stride_y, a.y_array, a.y_offset, a.first_member);
  }
  return launch_second_pass<split_finalize_thread_kernel<TY, S, Act>>(
      pl, device, dim3(grid_for(outputs, kThreads), 1, members), kThreads, stream, partials, outputs,
      pl.splits, a.y, a.incy, a.epilogue, a.stride_y, a.y_array, a.y_offset, a.first_member);
}

/// The first pass of a plan resolved to a compiled kernel: what the launch
/// runs and the occupancy query asks about (dispatch/occupancy.cuh). Every
/// first-pass kernel takes one kernel_args<E>, or one call_args<E> where
/// `single_call` is set. `kernel` is nullptr when no instantiation matches
/// the plan's tile.
struct first_pass_kernel {
  const void* kernel = nullptr;
  dim3 grid;
  dim3 block;
  std::size_t smem = 0;
  bool single_call = false;
};

/// The one place that maps each family's tile to its instantiation and
/// launch shape. `rows` and `cols` size the grid (the problem as stored).
/// `single_call`: the launch is one member of no pointer arrays, so the
/// kernels of call_args may run it.
template <class E>
first_pass_kernel resolve_first_pass(const plan& pl, std::int64_t rows, std::int64_t cols,
                                     bool single_call) {
  const policy& p = pl.pol;
  first_pass_kernel r;
  const auto use = [&](auto kernel, dim3 grid, dim3 block, std::size_t smem) {
    r = {reinterpret_cast<const void*>(kernel), grid, block, smem};
  };
  const dim3 threads(p.threads);
  switch (p.kernel) {
    case kernel_kind::row_warp:
      if (p.vectors > 1) {  // several vectors a pass (gemv_multi)
        with_bool(pl.vectorized, [&](auto vec) {
          with_value<tiles::kPassVectors>(p.vectors, [&](auto v) {
            with_value<tiles::kMultiWarpRows>(p.rows, [&](auto r_) {
              with_value<tiles::kMultiUnrolls>(p.unroll, [&](auto unroll) {
                const std::int64_t warps = ceil_div(rows, r_());
                use(row_warp_kernel<E, r_(), unroll(), vec(), v()>, dim3(grid_for(warps * 32, p.threads)),
                    threads, 0);
              });
            });
          });
        });
        break;
      }
      with_bool(pl.vectorized, [&](auto vec) {
        with_value<tiles::kRows>(p.rows, [&](auto r_) {
          with_value<tiles::kRowUnrolls>(p.unroll, [&](auto unroll) {
            const std::int64_t warps = ceil_div(rows, r_());
            const dim3 grid(grid_for(warps * 32, p.threads));
            if constexpr (vec() && kBoundedRowTile<E, r_(), unroll()>) {
              use(row_warp_kernel_bounded<E, r_(), unroll(), vec()>, grid, threads, 0);
            } else {
              use(row_warp_kernel<E, r_(), unroll(), vec()>, grid, threads, 0);
            }
          });
        });
      });
      break;
    case kernel_kind::row_block:
    case kernel_kind::row_split_k:
      if (p.vectors > 1) {  // several vectors a pass: whole 16-byte rows only
        if (pl.vectorized && pl.splits <= 1 && p.kernel == kernel_kind::row_block) {
          with_value<tiles::kPassVectors>(p.vectors, [&](auto v) {
            with_value<tiles::kMultiBlockRows>(p.rows, [&](auto r_) {
              with_value<tiles::kMultiUnrolls>(p.unroll, [&](auto unroll) {
                use(row_block_kernel<E, r_(), unroll(), true, false, v()>,
                    dim3(static_cast<unsigned>(ceil_div(rows, r_()))), threads, 0);
              });
            });
          });
        }
        break;
      }
      if (pl.joined) {  // one row a block, four loads a thread (joins_vectors)
        if constexpr (E::same_size) {
          use(row_block_kernel<E, kBoundaryBlockRows, 4, false, true>,
              dim3(static_cast<unsigned>(rows), static_cast<unsigned>(pl.splits)), threads, 0);
        }
        break;
      }
      with_bool(pl.vectorized, [&](auto vec) {
        with_value<tiles::kRows>(p.rows, [&](auto r_) {
          with_value<tiles::kRowUnrolls>(p.unroll, [&](auto unroll) {
            const dim3 grid(static_cast<unsigned>(ceil_div(rows, r_())), static_cast<unsigned>(pl.splits));
            if constexpr (vec()) {
              if (single_call && pl.splits <= 1) {
                if constexpr (kBoundedRowTile<E, r_(), unroll()>) {
                  use(row_block_call_kernel_bounded<E, r_(), unroll()>, grid, threads, 0);
                } else {
                  use(row_block_call_kernel<E, r_(), unroll()>, grid, threads, 0);
                }
                r.single_call = true;
                return;
              }
            }
            use(row_block_kernel<E, r_(), unroll(), vec()>, grid, threads, 0);
          });
        });
      });
      break;
    case kernel_kind::row_subwarp:
      if (pl.staged) {  // a thread a row
        if constexpr (kStages<E>) {
          const auto smem = static_cast<std::size_t>(
              staged_bytes(static_cast<int>(cols), static_cast<int>(sizeof(typename E::a))));
          use(row_staged_kernel<E>, dim3(grid_for(rows, kStagedRows)), dim3(kStagedRows), smem);
        }
        break;
      }
      with_bool(pl.vectorized, [&](auto vec) {
        with_value<tiles::kSubwarpLanes>(p.lanes, [&](auto lanes) {
          with_value<tiles::kSubwarpUnrolls>(p.unroll, [&](auto unroll) {
            const std::int64_t warps = ceil_div(rows, (32 / lanes()) * unroll());
            use(row_subwarp_kernel<E, lanes(), unroll(), vec()>, dim3(grid_for(warps * 32, p.threads)),
                threads, 0);
          });
        });
      });
      break;
    case kernel_kind::column:
      if (!is_supported(p, reduction::across_rows)) break;  // lanes that divide the block
      with_bool(pl.vectorized, [&](auto vec) {
        with_value<tiles::kColumnUnrolls>(p.unroll, [&](auto unroll) {
          constexpr int W = kColumnChunk<E>;  // chunk width, aligned A or not
          const dim3 block(p.lanes, p.threads / p.lanes);
          const dim3 grid(static_cast<unsigned>(ceil_div(cols, std::int64_t{p.lanes} * W)),
                          static_cast<unsigned>(pl.splits));
          const auto smem = static_cast<std::size_t>(p.threads) * W * sizeof(double);
          if constexpr (unroll() == 8) {
            use(column_kernel_bounded<E, unroll(), vec()>, grid, block, smem);
          } else {
            use(column_kernel<E, unroll(), vec()>, grid, block, smem);
          }
        });
      });
      break;
    case kernel_kind::scale_only:  // not a first pass of kernel_args: launch() runs it
    case kernel_kind::none:
      break;
  }
  return r;
}

/// The outcome of launching the first pass of a plan: whether an
/// instantiation matched its tile, and if so the launch's own error.
struct first_pass {
  bool compiled = false;
  cudaError_t error = cudaSuccess;
};

/// The first pass for `members` members of a batch from a.first_member,
/// along the grid's third dimension.
template <class E>
first_pass launch_first_pass(const plan& pl, const kernel_args<E>& a, unsigned members,
                             cudaStream_t stream) {
  first_pass r;
  if (pl.pol.kernel == kernel_kind::scale_only) {
    r.compiled = true;
    const std::int64_t outputs = pl.prob.outputs();
    r.error = launch_kernel(scale_kernel<typename E::y, typename E::scalar, typename E::activation>,
                            dim3(grid_for(outputs, 256), 1, members), dim3(256), 0, stream, false,
                            outputs, a.y, a.incy, a.epilogue.without_product(), a.stride_y,
                            a.y_array, a.y_offset, a.first_member);
    return r;
  }
  const bool single_call = members == 1 && a.first_member == 0 && a.a_array == nullptr;
  first_pass_kernel k = resolve_first_pass<E>(pl, a.rows, a.cols, single_call);
  if (k.kernel == nullptr) return r;
  r.compiled = true;
  k.grid.z = members;
  kernel_args<E> args = a;
  call_args<E> call;
  void* arguments[] = {&args};
  if (k.single_call) {
    call = call_args_of(a);
    arguments[0] = &call;
  }
  r.error = cudaLaunchKernel(k.kernel, k.grid, k.block, arguments, k.smem, stream);
  return r;
}

/// Launches every kernel of `pl` on `stream` of `device`. `a.partials` must
/// hold pl.workspace_bytes(). kernel_unavailable, and nothing launched, when
/// no compiled kernel matches the plan.
/// Members of a batch one launch takes: gridDim.z's limit.
inline constexpr std::int64_t kMaxMembersPerLaunch = 65535;

template <class E>
status launch(const plan& pl, const kernel_args<E>& a, int device, cudaStream_t stream) {
  if (pl.pol.vectors > 1) {  // several vectors: passes of up to pl.pol.vectors over A
    for (int first = 0; first < pl.prob.vectors; first += pl.pol.vectors) {
      kernel_args<E> pass = a;
      pass.x += first * a.ldx;
      pass.y += first * a.ldy;
      pass.vectors = std::min(pl.pol.vectors, pl.prob.vectors - first);
      const first_pass launched = launch_first_pass(pl, pass, 1, stream);
      if (!launched.compiled) return status::kernel_unavailable;
      if (launched.error != cudaSuccess) return fail(status::launch_failed, launched.error);
    }
    return status::success;
  }
  const std::int64_t batch = pl.prob.batch;
  for (std::int64_t first = 0; first < batch; first += kMaxMembersPerLaunch) {
    kernel_args<E> part = a;
    part.first_member = first;
    const auto members = static_cast<unsigned>(std::min(batch - first, kMaxMembersPerLaunch));
    const first_pass pass = launch_first_pass(pl, part, members, stream);
    if (!pass.compiled) return status::kernel_unavailable;
    if (pass.error != cudaSuccess) return fail(status::launch_failed, pass.error);
    if (pl.splits > 1) {
      if (const cudaError_t e = launch_finalize(pl, part, pl.prob.outputs(), members, device, stream);
          e != cudaSuccess)
        return fail(status::launch_failed, e);
    }
  }
  return status::success;
}

}  // namespace gemv::detail
