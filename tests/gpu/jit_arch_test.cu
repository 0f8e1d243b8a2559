// Built for compute_75 PTX alone (CUDA_ARCHITECTURES 75-virtual), as a
// consumer whose build targets an older architecture gets the library: the
// driver compiles the PTX for the card when it loads it, and that code has
// no device-side wait of a programmatic dependent launch (sm_90 PTX and
// later only). A split plan's second pass must then be launched the ordinary
// way; launched as a dependent it could read the partial sums before the
// first pass wrote them. Float only: the launch decision is the same for
// every type.

#include "gpu/concurrent_calls.cuh"

#include <algorithm>
#include <vector>

namespace gemv::test {
namespace {

/// Compiled with the rest of this file, so its attributes are the library's.
__global__ void probe_kernel() {}

constexpr int kPtxArch = 75;
constexpr int kCalls = 200;  // per shape; the inputs alternate between two problems

class JitCompiledSplitPlans : public gpu_test_base {
 protected:
  void SetUp() override {
    gpu_test_base::SetUp();
    if (IsSkipped() || HasFailure()) return;
    int device = 0, major = 0, minor = 0;
    GEMV_CUDA_CHECK(cudaGetDevice(&device));
    GEMV_CUDA_CHECK(cudaDeviceGetAttribute(&major, cudaDevAttrComputeCapabilityMajor, device));
    GEMV_CUDA_CHECK(cudaDeviceGetAttribute(&minor, cudaDevAttrComputeCapabilityMinor, device));
    device_arch_ = major * 10 + minor;
    if (device_arch_ < kPtxArch)
      GTEST_SKIP() << "compute_" << kPtxArch << " code does not run on sm_" << device_arch_;
  }

  /// Two problems of each shape, to alternate between: a second pass that
  /// read too early would find the other problem's partial sums (or poison).
  struct shape_pair {
    std::vector<operands<float>> ops;
    std::vector<resident_problem<float>> problems;
  };
  shape_pair make_pair_of(const call_args& c) {
    shape_pair pair;
    for (int k = 0; k < 2; ++k) {
      pair.ops.push_back(make_operands<float>(c, 0, next_seed()));
      pair.problems.emplace_back(pair.ops.back());
    }
    return pair;
  }

  /// Enqueues kCalls calls on `stream` with no host wait in between, the
  /// problems taking turns, each y buffer fetched into its own slot; then
  /// checks every result bit for bit against `expected[k]` (the call made
  /// alone, checked against the host reference).
  template <class Call>
  void expect_all_equal(const shape_pair& pair, const std::vector<std::vector<float>>& expected,
                        cudaStream_t stream, Call&& call) {
    const std::size_t stride = pair.problems[0].y_elements();
    pinned_buffer<float> results(kCalls * stride);
    std::vector<std::string> failures(kCalls);  // empty: the call returned success
    for (int i = 0; i < kCalls; ++i) {
      const resident_problem<float>& p = pair.problems[i % 2];
      p.reset_y(stream);
      if (const status s = call(p, stream); s != status::success) failures[i] = failure_text(s);
      p.fetch_y(stream, results.data() + i * stride);
    }
    GEMV_CUDA_CHECK(cudaStreamSynchronize(stream));
    int wrong = 0, failed = 0;
    failure_budget budget;
    bool reporting = true;
    for (int i = 0; i < kCalls; ++i) {
      std::string what;
      if (!failures[i].empty()) {
        ++failed;
        what = failures[i];
      } else if (const std::size_t bad =
                     elements_differing(results.data() + i * stride, expected[i % 2])) {
        ++wrong;
        what = std::to_string(bad) + " elements of the y buffer differ from the call made alone";
      } else {
        continue;
      }
      if (reporting) ADD_FAILURE() << "call " << i << ": " << what;
      reporting = reporting && budget.spend();
    }
    std::printf("[ jit      ] %s: %d calls, %d wrong, %d failed\n",
                to_string(pair.ops[0].args).c_str(), kCalls, wrong, failed);
  }

  int device_arch_ = 0;
};

/// Few long rows (row split-K; rows longer than a block's share split on any
/// card) and few outputs over many rows (split column).
const call_args kSplitShapes[] = {
    packed_call(layout::row_major, op::n, 16, 1048576, 0.5f),
    packed_call(layout::row_major, op::t, 262144, 64, 0.0f),
};

// The premise: this binary's kernels are JIT-compiled from compute_75 PTX.
TEST_F(JitCompiledSplitPlans, KernelsAreCompiledFromOldPtx) {
  cudaFuncAttributes attributes{};
  GEMV_CUDA_CHECK(cudaFuncGetAttributes(&attributes, probe_kernel));
  RecordProperty("ptx_version", std::to_string(attributes.ptxVersion));
  RecordProperty("binary_version", std::to_string(attributes.binaryVersion));
  EXPECT_EQ(attributes.ptxVersion, kPtxArch);
  EXPECT_EQ(attributes.binaryVersion, device_arch_) << "expected code compiled for this device";
}

// The library's own split plans through the plain call.
TEST_F(JitCompiledSplitPlans, DefaultSplitPlans) {
  owned_stream stream;
  for (const call_args& c : kSplitShapes) {
    SCOPED_TRACE(to_string(c));
    const shape_pair pair = make_pair_of(c);
    std::vector<std::vector<float>> expected(2);
    for (int k = 0; k < 2; ++k) {
      ASSERT_TRUE(plan_splits_as_expected(pair.problems[k], true));
      ASSERT_TRUE(run_alone(pair.problems[k], pair.ops[k], stream.get(), expected[k]));
    }
    const auto call = [](const resident_problem<float>& p, cudaStream_t s) {
      return call_gemv(p.args(), p.A(), p.x(), p.y(), s);
    };
    expect_all_equal(pair, expected, stream.get(), call);
  }
}

// Forced split plans on caller scratch filled with NaN before every call: a
// second pass that ran ahead of the first would read the poison.
TEST_F(JitCompiledSplitPlans, ForcedSplitPlansOnPoisonedScratch) {
  const policy forced[] = {
      {kernel_kind::row_split_k, 256, 1, 0, 4, 16},
      {kernel_kind::column, 128, 0, 16, 4, 32},
  };
  owned_stream stream;
  device_buffer<std::byte> scratch(kMaxWorkspaceBytes);
  const workspace ws{scratch.data(), scratch.bytes()};
  for (int s = 0; s < 2; ++s) {
    SCOPED_TRACE(to_string(kSplitShapes[s]) + " " + to_string(forced[s]));
    const shape_pair pair = make_pair_of(kSplitShapes[s]);
    const auto call = [&](const resident_problem<float>& p, cudaStream_t on, plan* ran = nullptr) {
      GEMV_CUDA_CHECK(cudaMemsetAsync(ws.data, 0xff, ws.bytes, on));  // all-ones doubles: NaN
      const call_args& c = p.args();
      return gemv_with_policy<float>(forced[s], c.lay, c.trans, c.m, c.n, c.alpha, p.A(), c.lda,
                                     p.x(), c.incx, c.beta, p.y(), c.incy, ws, on, ran);
    };
    std::vector<std::vector<float>> expected(2);
    for (int k = 0; k < 2; ++k) {
      const resident_problem<float>& p = pair.problems[k];
      plan ran;
      p.reset_y(stream.get());
      const status st = call(p, stream.get(), &ran);
      ASSERT_EQ(st, status::success) << failure_text(st);
      ASSERT_GT(ran.splits, 1) << to_string(ran);
      p.fetch_y(stream.get());
      stream.synchronize();
      expected[k] = p.result_copy();
      ASSERT_TRUE(check_y(pair.ops[k], expected[k], reference_gemv(pair.ops[k])));
    }
    expect_all_equal(pair, expected, stream.get(), call);
  }
}

}  // namespace
}  // namespace gemv::test
