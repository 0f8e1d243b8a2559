#pragma once
// Kernel parameters, and where a finished output goes: y through the
// epilogue, or the split scratch. Pointers to x and y already point at
// logical element 0, so negative increments need no special case inside the
// kernels.

#include <gemv/detail/accumulator.cuh>
#include <gemv/detail/epilogue.cuh>

#include <cstdint>
#include <type_traits>

namespace gemv::detail {

/// The epilogue of a call with element_types E.
template <class E>
using epilogue_of = output_epilogue<typename E::y, typename E::scalar, typename E::activation>;

/// What every first pass reads before its first load: A as stored and x.
/// E is an element_types<TA, TX, TY>.
template <class E>
struct matrix_operands {
  const typename E::a* A;
  const typename E::x* x;
  std::int64_t ld;
  std::int64_t rows;  ///< stored rows
  std::int64_t cols;  ///< stored row length
};

/// Fields in the order a block reads them: what it needs for its first load
/// of A and x, then what it needs for its outputs (docs/performance-notes.md,
/// entry 53).
template <class E>
struct kernel_args : matrix_operands<E> {
  // Read before the first load, after the operands.
  std::int64_t split_length; ///< reduction elements per split piece
  /// A pointer-array batch: member b's A and x (null for a strided one), and
  /// where x's logical element 0 is from each member's pointer (negative
  /// increments start at the far end). y's follow with the outputs.
  const typename E::a* const* a_array;
  std::int64_t first_member;  ///< of this launch (a batch past gridDim.z's limit takes several)
  /// A strided batch: member b (first_member + blockIdx.z) reads A and x and
  /// writes y `b` strides on (member_of); 0 strides for a single call.
  std::int64_t stride_a;
  std::int64_t stride_x;
  const typename E::x* const* x_array;
  std::int64_t x_offset;
  std::int64_t incx;

  // Read for the outputs.
  typename E::y* y;
  std::int64_t incy;
  epilogue_of<E> epilogue;  ///< how an output is stored
  double* partials;          ///< split pieces: partials[split * outputs + output], per member
  std::int64_t splits;
  std::int64_t stride_y;
  std::int64_t partials_per_member;  ///< splits * outputs: one member's share of the scratch
  typename E::y* const* y_array;  ///< a pointer-array batch's y, as a_array's A
  std::int64_t y_offset;          ///< where y's logical element 0 is from each y_array pointer
  /// Several vectors against one A (gemv_multi): this launch's `vectors`
  /// vectors, x's vector j at x + j * ldx and its y at y + j * ldy. Kernels
  /// compiled for more vectors repeat the last one and drop its results.
  int vectors;
  std::int64_t ldx;
  std::int64_t ldy;
};

/// A single call's own parameters: one member, no pointer arrays, no split,
/// one vector, x contiguous; less than half of kernel_args, for
/// row_block_call_kernel (docs/performance-notes.md, entry 54).
template <class E>
struct call_args : matrix_operands<E> {
  typename E::y* y;
  std::int64_t incy;
  epilogue_of<E> epilogue;
};

/// The single-call parameters of `a`, a call of one member and no split.
template <class E>
call_args<E> call_args_of(const kernel_args<E>& a) {
  return {a, a.y, a.incy, a.epilogue};
}

/// Member b's y: from its pointer in the array, or `b` strides on.
template <class TY>
__device__ __forceinline__ TY* member_y(TY* y, TY* const* y_array, std::int64_t y_offset,
                                        std::int64_t stride_y, std::int64_t b) {
  return y_array != nullptr ? y_array[b] + y_offset : y + b * stride_y;
}

/// This block's member of a batch (first_member + blockIdx.z).
__device__ __forceinline__ std::int64_t member_index(std::int64_t first_member) {
  return first_member + blockIdx.z;
}

/// The batch's arguments with this block's member's A and x.
template <class E>
__device__ __forceinline__ kernel_args<E> member_inputs(const kernel_args<E>& batch) {
  kernel_args<E> m = batch;
  const std::int64_t b = member_index(batch.first_member);
  if (batch.a_array != nullptr) {  // the same address in every thread: one broadcast load
    m.A = batch.a_array[b];
    m.x = batch.x_array[b] + batch.x_offset;
  } else {
    m.A += b * batch.stride_a;
    m.x += b * batch.stride_x;
  }
  return m;
}

/// `a` with this block's member's y and share of the split scratch. A
/// kernel that holds many values through its walk calls this after it, so
/// that these pointers are not live during the walk.
template <class E>
__device__ __forceinline__ kernel_args<E> member_outputs(const kernel_args<E>& a) {
  kernel_args<E> m = a;
  const std::int64_t b = member_index(a.first_member);
  m.y = member_y(a.y, a.y_array, a.y_offset, a.stride_y, b);
  if (a.splits > 1) m.partials += b * a.partials_per_member;
  return m;
}

/// `a` itself (a single call, whose pointers are the launch's own), or
/// member_outputs(a).
template <bool Member, class E>
__device__ __forceinline__ kernel_args<E> outputs_of(const kernel_args<E>& a) {
  if constexpr (Member) {
    return member_outputs(a);
  } else {
    return a;
  }
}

/// Runs `body(args, std::bool_constant<Member>)` on a single call's own
/// arguments (one member, no pointer arrays: Member false) or on this
/// block's member's inputs (Member true; outputs through outputs_of). For
/// kernels of short rows, whose walk is a few loads long, so that a single
/// call pays nothing for batches (docs/performance-notes.md, entry 44).
template <class E, class Body>
__device__ __forceinline__ void with_member(const kernel_args<E>& batch, Body&& body) {
  if (gridDim.z == 1 && batch.first_member == 0 && batch.a_array == nullptr) {
    body(batch, std::false_type{});
  } else {
    body(member_inputs(batch), std::true_type{});
  }
}

/// The arguments of this block's member of a batch: its operands and its
/// share of the split scratch. For a single call (member 0, strides 0) the
/// same arguments.
template <class E>
__device__ __forceinline__ kernel_args<E> member_of(const kernel_args<E>& batch) {
  return member_outputs(member_inputs(batch));
}

/// Stores the finished dot product of output `out` through the epilogue.
template <class E>
__device__ __forceinline__ void store_output(const kernel_args<E>& a, std::int64_t out, double dot) {
  a.epilogue.store(a.y + out * a.incy, out, dot);
}

/// Stores output `out` of vector j of a several-vector launch, unless j is
/// past the launch's vectors.
template <class E>
__device__ __forceinline__ void store_vector_output(const kernel_args<E>& a, int j, std::int64_t out,
                                                    double dot) {
  if (j < a.vectors) a.epilogue.store(a.y + j * a.ldy + out * a.incy, out, dot);
}

/// Writes the finished dot product of output `out` (of `outputs`): straight
/// to y, or to the split scratch when the reduction is cut into pieces.
template <class E>
__device__ __forceinline__ void finish_output(const kernel_args<E>& a, std::int64_t out,
                                              std::int64_t outputs, std::int64_t split,
                                              double dot) {
  if (a.splits > 1) {
    a.partials[split * outputs + out] = dot;
  } else {
    store_output(a, out, dot);
  }
}

}  // namespace gemv::detail
