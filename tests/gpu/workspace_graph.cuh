#pragma once
// The graph-safe overload: caller-owned scratch, checked against what the
// plan needs, and calls that can be captured in a CUDA graph.

#include "gpu/calls.cuh"
#include "gpu/captured_stream.cuh"

#include <cstring>
#include <vector>

namespace gemv::test {

template <class T>
class WorkspaceAndGraphs : public gpu_test<T> {
 protected:
  static call_args args(op trans, std::int64_t m, std::int64_t n, float beta = 0.0f) {
    return packed_call(layout::row_major, trans, m, n, beta);
  }
};

TYPED_TEST_SUITE_P(WorkspaceAndGraphs);

TYPED_TEST_P(WorkspaceAndGraphs, SplitPlanNeedsWorkspaceSizeBytes) {
  using T = TypeParam;
  const call_args c = this->args(op::n, 1, 16777216, 0.5f);  // split-K over the whole card
  std::size_t bytes = 0;
  ASSERT_EQ(workspace_size(c.lay, c.trans, c.m, c.n, dtype_of<T>::value, bytes), status::success);
  ASSERT_GT(bytes, 0u);
  ASSERT_LE(bytes, kMaxWorkspaceBytes);
  device_buffer<std::byte> scratch(bytes);

  const operands<T> ops = make_operands<T>(c, 0, this->next_seed());
  device_operands<T> dev;
  dev.upload(ops);
  const workspace too_small[] = {{scratch.data(), bytes - 1}, {nullptr, bytes}, {}};
  for (const workspace& ws : too_small) {
    EXPECT_EQ(call_gemv(c, dev.A(), dev.x(), dev.y(), ws), status::insufficient_workspace)
        << ws.bytes << " bytes at " << ws.data;
  }
  // A forced split needs one double per output and piece.
  const policy seven{kernel_kind::row_split_k, 256, 1, 0, 4, 7};
  EXPECT_EQ(call_forced(seven, c, dev.A(), dev.x(), dev.y(), {scratch.data(), 7 * sizeof(double) - 1}),
            status::insufficient_workspace);
  GEMV_CUDA_CHECK(cudaDeviceSynchronize());
  const std::vector<T> untouched = dev.y_buffer();
  EXPECT_EQ(std::memcmp(untouched.data(), ops.y.data(), ops.y.size() * sizeof(T)), 0)
      << "a call that returned insufficient_workspace wrote y";

  EXPECT_TRUE(run_and_check(dev, ops, reference_gemv(ops), [&](const T* A, const T* x, T* y) {
    return call_gemv(c, A, x, y, workspace{scratch.data(), bytes});
  }));
  EXPECT_TRUE(run_and_check(dev, ops, reference_gemv(ops), [&](const T* A, const T* x, T* y) {
    return call_forced(seven, c, A, x, y, workspace{scratch.data(), 7 * sizeof(double)});
  }));
}

TYPED_TEST_P(WorkspaceAndGraphs, UnsplitPlanNeedsNoWorkspace) {
  using T = TypeParam;
  const call_args c = this->args(op::n, 4096, 4096);
  std::size_t bytes = 1;
  ASSERT_EQ(workspace_size(c.lay, c.trans, c.m, c.n, dtype_of<T>::value, bytes), status::success);
  EXPECT_EQ(bytes, 0u);
  const operands<T> ops = make_operands<T>(c, 0, this->next_seed());
  device_operands<T> dev;
  dev.upload(ops);
  EXPECT_TRUE(run_and_check(dev, ops, reference_gemv(ops), [&](const T* A, const T* x, T* y) {
    return call_gemv(c, A, x, y, workspace{});
  }));
}

// Captured and replayed, a call gives the bits a direct call gives.
TYPED_TEST_P(WorkspaceAndGraphs, CallsCanBeCapturedInAGraph) {
  using T = TypeParam;
  const call_args cases[] = {
      this->args(op::n, 1, 16777216),       // split-K: two kernels and scratch
      this->args(op::t, 8192, 64, 2.0f),    // column with split rows
      this->args(op::n, 4096, 4096, -0.5f), // one kernel
  };
  for (const call_args& c : cases) {
    SCOPED_TRACE(to_string(c));
    std::size_t bytes = 0;
    ASSERT_EQ(workspace_size(c.lay, c.trans, c.m, c.n, dtype_of<T>::value, bytes), status::success);
    device_buffer<std::byte> scratch(bytes + 1);
    const workspace ws{scratch.data(), bytes};
    const operands<T> ops = make_operands<T>(c, 0, this->next_seed());
    const expected ref = reference_gemv(ops);
    device_operands<T> dev;
    dev.upload(ops);

    captured_stream stream;
    std::vector<T> direct, replayed;
    ASSERT_TRUE(run_and_check(dev, ops, ref, [&](const T* A, const T* x, T* y) {
      const status s = call_gemv(c, A, x, y, ws, stream.get());
      GEMV_CUDA_CHECK(cudaStreamSynchronize(stream.get()));
      return s;
    }, &direct));
    ASSERT_EQ(stream.capture([&](cudaStream_t s) { return call_gemv(c, dev.A(), dev.x(), dev.y(), ws, s); }),
              status::success);
    EXPECT_GE(stream.node_count(), 1u);
    for (int replay = 0; replay < 2; ++replay) {  // beta * y changes y: reset before each
      ASSERT_TRUE(run_and_check(dev, ops, ref, [&](const T*, const T*, T*) {
        stream.launch();
        GEMV_CUDA_CHECK(cudaStreamSynchronize(stream.get()));
        return status::success;
      }, &replayed));
      EXPECT_EQ(std::memcmp(direct.data(), replayed.data(), direct.size() * sizeof(T)), 0)
          << "replay " << replay;
    }
  }
}

REGISTER_TYPED_TEST_SUITE_P(WorkspaceAndGraphs, SplitPlanNeedsWorkspaceSizeBytes,
                            UnsplitPlanNeedsNoWorkspace, CallsCanBeCapturedInAGraph);

}  // namespace gemv::test
