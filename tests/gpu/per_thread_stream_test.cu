// Built with --default-stream per-thread: stream handle 0 then names each
// host thread's own default stream, one handle for as many streams as there
// are threads. Calls on it from several threads at once must each get the
// result the same call gives alone, and a call on it can be captured (float
// only: what is tested is the scratch of split plans, the same for every
// type).

#include "gpu/concurrent_calls.cuh"

#include <thread>

#ifndef CUDA_API_PER_THREAD_DEFAULT_STREAM
#error "compile with nvcc --default-stream per-thread (tests/CMakeLists.txt)"
#endif

namespace gemv::test {
namespace {

class PerThreadDefaultStream : public gpu_test_base {};

/// The stream that handle 0 names in the calling thread.
unsigned long long id_of_stream_zero() {
  unsigned long long id = 0;
  GEMV_CUDA_CHECK(cudaStreamGetId(cudaStream_t{}, &id));
  return id;
}

// The premise of the test below: in this build two threads' handle 0 are
// two streams.
TEST_F(PerThreadDefaultStream, HandleZeroIsEachThreadsOwnStream) {
  const unsigned long long here = id_of_stream_zero();
  unsigned long long there = here;
  cudaError_t error = cudaSuccess;
  std::thread other([&] { error = cudaStreamGetId(cudaStream_t{}, &there); });
  other.join();
  GEMV_CUDA_CHECK(error);
  EXPECT_NE(here, there);
}

TEST_F(PerThreadDefaultStream, ThreadsCallingOnHandleZero) {
  // Two slots on one stream: a thread's calls queue behind each other, the
  // threads' calls do not.
  const stress_config cfg{4, {stream_kind::handle_zero, stream_kind::handle_zero}, 250};
  stress_tally tally;
  EXPECT_TRUE(run_stress<float>(cfg, next_seed(), tally));
  report("4 threads x stream 0 (per-thread default streams)", tally);
}

// In this build stream 0 can be captured (the legacy stream cannot). The
// plain call captured on it in global mode, as the first call after a device
// reset: the library makes its scratch pool inside the capture.
TEST_F(PerThreadDefaultStream, FirstCallAfterAResetCapturedOnHandleZero) {
  GEMV_CUDA_CHECK(cudaDeviceReset());
  const call_args c = packed_call(layout::row_major, op::n, 8, 131072, 0.5f);
  const operands<float> ops = make_operands<float>(c, 0, next_seed());
  resident_problem<float> problem(ops);
  ASSERT_TRUE(plan_splits_as_expected(problem, true));

  owned_graph g;
  GEMV_CUDA_CHECK(cudaStreamBeginCapture(cudaStream_t{}, cudaStreamCaptureModeGlobal));
  const status s = call_gemv(c, problem.A(), problem.x(), problem.y(), cudaStream_t{});
  const cudaError_t ended = cudaStreamEndCapture(cudaStream_t{}, &g.graph);
  cudaGetLastError();  // a failed capture must not fail the tests after this one
  ASSERT_EQ(s, status::success) << failure_text(s);
  ASSERT_EQ(ended, cudaSuccess) << cudaGetErrorName(ended);
  EXPECT_GE(g.kernel_nodes(), 2u);
  GEMV_CUDA_CHECK(cudaGraphInstantiate(&g.exec, g.graph, 0));

  problem.reset_y(cudaStream_t{});
  GEMV_CUDA_CHECK(cudaGraphLaunch(g.exec, cudaStream_t{}));
  problem.fetch_y(cudaStream_t{});
  GEMV_CUDA_CHECK(cudaStreamSynchronize(cudaStream_t{}));
  const std::vector<float> replayed = problem.result_copy();
  EXPECT_TRUE(check_y(ops, replayed, reference_gemv(ops)));
  std::vector<float> eager;
  ASSERT_TRUE(run_alone(problem, ops, cudaStream_t{}, eager));
  EXPECT_EQ(elements_differing(replayed.data(), eager), 0u)
      << "the replay differs from the eager call";
}

}  // namespace
}  // namespace gemv::test
