#pragma once
// Calls in flight together: from several host threads on every kind of
// stream, captured in graphs, on streams that come and go, on two devices.
// Split plans need scratch; these are the ways it could be shared wrongly or
// kept too long. The plain call (library scratch) throughout.

#include "gpu/concurrent_calls.cuh"

#include <algorithm>
#include <cstdio>
#include <thread>
#include <vector>

namespace gemv::test {

inline const char* to_string(cudaStreamCaptureMode mode) {
  switch (mode) {
    case cudaStreamCaptureModeGlobal: return "global capture";
    case cudaStreamCaptureModeThreadLocal: return "thread-local capture";
    case cudaStreamCaptureModeRelaxed: return "relaxed capture";
  }
  return "unknown capture mode";
}

template <class T>
class Concurrency : public gpu_test<T> {};

TYPED_TEST_SUITE_P(Concurrency);

// Four threads, each on two created streams, cudaStreamPerThread and stream
// 0, each with its own data: scratch keyed by the stream handle gave the
// threads' cudaStreamPerThread calls one scratch between them.
TYPED_TEST_P(Concurrency, ThreadsOnEveryKindOfStream) {
  const stress_config cfg{4,
                          {stream_kind::created, stream_kind::created, stream_kind::per_thread,
                           stream_kind::handle_zero},
                          reduced_size() ? 10 : 150};  // under a sanitizer, fewer rounds
  stress_tally tally;
  EXPECT_TRUE(run_stress<TypeParam>(cfg, this->next_seed(), tally));
  report("4 threads x (2 created streams, cudaStreamPerThread, stream 0)", tally);
}

// The plain call captured on a fresh stream (nothing prepared for it by an
// earlier call) in each capture mode: the capture stays valid, the graph
// holds the plan's kernels, and each replay, on new inputs uploaded into the
// same buffers, gives the bits an eager call gives.
TYPED_TEST_P(Concurrency, PlainCallCapturedInEveryMode) {
  using T = TypeParam;
  for (cudaStreamCaptureMode mode : {cudaStreamCaptureModeGlobal, cudaStreamCaptureModeThreadLocal,
                                     cudaStreamCaptureModeRelaxed}) {
    for (const stress_shape& shape : stress_shapes()) {
      SCOPED_TRACE(std::string(to_string(mode)) + ", " + to_string(shape.args));
      operands<T> ops = make_operands<T>(shape.args, 0, this->next_seed());
      resident_problem<T> problem(ops);
      ASSERT_TRUE(plan_splits_as_expected(problem, shape.split));
      owned_stream stream;

      owned_graph g;
      GEMV_CUDA_CHECK(cudaStreamBeginCapture(stream.get(), mode));
      const status s = call_gemv(ops.args, problem.A(), problem.x(), problem.y(), stream.get());
      cudaStreamCaptureStatus during = cudaStreamCaptureStatusNone;
      const cudaError_t asked = cudaStreamIsCapturing(stream.get(), &during);
      const cudaError_t ended = cudaStreamEndCapture(stream.get(), &g.graph);
      cudaGetLastError();  // a failed capture must not fail the tests after this one
      ASSERT_EQ(s, status::success) << failure_text(s);
      ASSERT_EQ(asked, cudaSuccess) << cudaGetErrorName(asked);
      EXPECT_EQ(during, cudaStreamCaptureStatusActive) << "the call invalidated the capture";
      ASSERT_EQ(ended, cudaSuccess) << cudaGetErrorName(ended);
      ASSERT_NE(g.graph, nullptr);
      EXPECT_GE(g.kernel_nodes(), shape.split ? 2u : 1u);
      GEMV_CUDA_CHECK(cudaGraphInstantiate(&g.exec, g.graph, 0));

      for (int replay = 0; replay < 4; ++replay) {
        if (replay > 0) {
          const T* captured[] = {problem.A(), problem.x(), problem.y()};
          ops = make_operands<T>(shape.args, 0, this->next_seed());
          problem.upload(ops);
          const T* now[] = {problem.A(), problem.x(), problem.y()};
          ASSERT_TRUE(std::equal(captured, captured + 3, now)) << "the buffers moved";
        }
        std::vector<T> eager;
        ASSERT_TRUE(run_alone(problem, ops, stream.get(), eager)) << "replay " << replay;
        problem.reset_y(stream.get());
        GEMV_CUDA_CHECK(cudaGraphLaunch(g.exec, stream.get()));
        problem.fetch_y(stream.get());
        stream.synchronize();
        EXPECT_EQ(elements_differing(problem.result(), eager), 0u)
            << "replay " << replay << " differs from the eager call";
      }
    }
  }
}

// Hundreds of streams, each created, given one split call and destroyed
// right after (the call may still be running). Scratch belongs to the call:
// device memory must not grow with the number of streams ever used.
TYPED_TEST_P(Concurrency, StreamsCreatedAndDestroyed) {
  using T = TypeParam;
  const int kStreams = reduced_size() ? 40 : 300;  // under a sanitizer, fewer streams
  // The library's pool keeps at most kScratchPoolRetainBytes (32 MiB)
  // reserved between calls; 64 MiB also leaves room for the driver's own
  // bookkeeping, and is far below one kept scratch per stream ever used
  // (300 x 1 MiB).
  constexpr std::size_t kGrowthBound = std::size_t{64} << 20;

  std::vector<operands<T>> ops;
  std::vector<resident_problem<T>> problems;
  std::vector<std::vector<T>> expected;
  {
    owned_stream alone;
    for (const stress_shape& shape : stress_shapes()) {
      if (!shape.split) continue;
      ops.push_back(make_operands<T>(shape.args, 0, this->next_seed()));
      problems.emplace_back(ops.back());
      ASSERT_TRUE(plan_splits_as_expected(problems.back(), true));
      expected.emplace_back();
      ASSERT_TRUE(run_alone(problems.back(), ops.back(), alone.get(), expected.back()));
    }
  }
  std::size_t stride = 0;
  for (const auto& p : problems) stride = std::max(stride, p.y_elements());
  pinned_buffer<T> results(kStreams * stride);
  cudaEvent_t done = nullptr;
  GEMV_CUDA_CHECK(cudaEventCreateWithFlags(&done, cudaEventDisableTiming));

  GEMV_CUDA_CHECK(cudaDeviceSynchronize());
  const std::size_t free_before = device_free_bytes();
  std::vector<std::string> failures(kStreams);  // empty: the call returned success
  for (int i = 0; i < kStreams; ++i) {
    cudaStream_t stream = nullptr;
    const unsigned flags = i % 2 ? cudaStreamNonBlocking : cudaStreamDefault;
    GEMV_CUDA_CHECK(cudaStreamCreateWithFlags(&stream, flags));
    // Calls two streams apart share a problem's y: order each stream after
    // the previous one on the device, with no host wait.
    if (i > 0) GEMV_CUDA_CHECK(cudaStreamWaitEvent(stream, done, 0));
    const resident_problem<T>& p = problems[i % problems.size()];
    p.reset_y(stream);
    if (const status s = call_gemv(p.args(), p.A(), p.x(), p.y(), stream); s != status::success)
      failures[i] = failure_text(s);
    p.fetch_y(stream, results.data() + i * stride);
    GEMV_CUDA_CHECK(cudaEventRecord(done, stream));
    GEMV_CUDA_CHECK(cudaStreamDestroy(stream));
  }
  GEMV_CUDA_CHECK(cudaDeviceSynchronize());
  const std::size_t free_after = device_free_bytes();
  GEMV_CUDA_CHECK(cudaEventDestroy(done));

  const std::size_t growth = free_before > free_after ? free_before - free_after : 0;
  std::printf("[ streams  ] %d streams: device memory in use grew by %zu KiB (bound %zu KiB)\n",
              kStreams, growth >> 10, kGrowthBound >> 10);
  ::testing::Test::RecordProperty("device_memory_growth_bytes", std::to_string(growth));
  EXPECT_LT(growth, kGrowthBound);
  failure_budget budget;
  bool reporting = true;
  for (int i = 0; i < kStreams; ++i) {
    const std::size_t k = i % problems.size();
    std::string what;
    if (!failures[i].empty()) {
      what = failures[i];
    } else if (const std::size_t bad =
                   elements_differing(results.data() + i * stride, expected[k])) {
      what = std::to_string(bad) + " elements of the y buffer differ from the call made alone";
    } else {
      continue;
    }
    if (reporting)
      ADD_FAILURE() << "stream " << i << ", " << to_string(ops[k].args) << ": " << what;
    reporting = reporting && budget.spend();
  }
}

// Each device driven from its own thread at the same time, split and unsplit
// plans: every result right, repeatable, and the same on both devices when
// they choose the same plans.
TYPED_TEST_P(Concurrency, TwoDevicesFromTwoThreads) {
  using T = TypeParam;
  int devices = 0;
  GEMV_CUDA_CHECK(cudaGetDeviceCount(&devices));
  if (devices < 2) GTEST_SKIP() << "needs two devices, found " << devices;
  const int kRounds = reduced_size() ? 5 : 50;

  const std::vector<stress_shape> shapes = stress_shapes();
  std::vector<operands<T>> ops;
  for (const stress_shape& shape : shapes)
    ops.push_back(make_operands<T>(shape.args, 0, this->next_seed()));

  struct device_run {
    std::vector<std::string> plans;      // per shape
    std::vector<std::vector<T>> first;   // y buffer of the first round, per shape
    stress_tally tally;
  };
  device_run runs[2];
  const auto drive = [&](int device, device_run& out) {
    try {
      GEMV_CUDA_CHECK(cudaSetDevice(device));
      owned_stream stream;
      std::vector<resident_problem<T>> problems;
      for (std::size_t k = 0; k < shapes.size(); ++k) {
        problems.emplace_back(ops[k]);
        out.plans.push_back(to_string(default_plan(problems.back())));
        if (auto ok = plan_splits_as_expected(problems.back(), shapes[k].split); !ok) {
          ++out.tally.errors;
          out.tally.note(ok.message());
        }
      }
      out.first.resize(shapes.size());
      std::vector<std::string> failures(shapes.size());  // empty: the call returned success
      for (int round = 0; round < kRounds; ++round) {
        for (std::size_t k = 0; k < shapes.size(); ++k) {
          const status s = problems[k].run(stream.get());
          failures[k] = s == status::success ? "" : failure_text(s);
        }
        stream.synchronize();
        for (std::size_t k = 0; k < shapes.size(); ++k) {
          ++out.tally.calls;
          const std::string where = "device " + std::to_string(device) + ", round " +
                                    std::to_string(round) + ", " + to_string(shapes[k].args);
          if (!failures[k].empty()) {
            ++out.tally.failed;
            out.tally.note(where + ": " + failures[k]);
          } else if (out.first[k].empty()) {
            out.first[k] = problems[k].result_copy();
          } else if (elements_differing(problems[k].result(), out.first[k]) > 0) {
            ++out.tally.wrong;
            out.tally.note(where + ": differs from the device's first round");
          }
        }
      }
    } catch (const std::exception& e) {
      ++out.tally.errors;
      out.tally.note("device " + std::to_string(device) + ": " + e.what());
    }
  };
  std::thread first(drive, 0, std::ref(runs[0]));
  std::thread second(drive, 1, std::ref(runs[1]));
  first.join();
  second.join();

  for (int d = 0; d < 2; ++d) {
    const std::string name = "device" + std::to_string(d);
    report(name.c_str(), runs[d].tally, name + "_");
    testing::AssertionResult clean = runs[d].tally.clean()
                                         ? testing::AssertionSuccess()
                                         : testing::AssertionFailure() << runs[d].tally.summary();
    for (const std::string& n : runs[d].tally.notes) clean << "\n  " << n;
    EXPECT_TRUE(clean) << "device " << d;
  }
  for (std::size_t k = 0; k < shapes.size(); ++k) {
    SCOPED_TRACE(to_string(shapes[k].args));
    const expected ref = reference_gemv(ops[k]);
    for (int d = 0; d < 2; ++d) {
      if (k < runs[d].first.size() && !runs[d].first[k].empty())
        EXPECT_TRUE(check_y(ops[k], runs[d].first[k], ref)) << "device " << d;
    }
    if (k >= runs[0].first.size() || k >= runs[1].first.size() || runs[0].first[k].empty() ||
        runs[1].first[k].empty())
      continue;
    if (runs[0].plans[k] != runs[1].plans[k]) {  // other rounding, both checked above
      std::printf("[ devices  ] plans differ, results not compared bitwise:\n  %s\n  %s\n",
                  runs[0].plans[k].c_str(), runs[1].plans[k].c_str());
      continue;
    }
    EXPECT_EQ(elements_differing(runs[1].first[k].data(), runs[0].first[k]), 0u)
        << "the two devices ran the same plan with different results";
  }
}

REGISTER_TYPED_TEST_SUITE_P(Concurrency, ThreadsOnEveryKindOfStream, PlainCallCapturedInEveryMode,
                            StreamsCreatedAndDestroyed, TwoDevicesFromTwoThreads);

}  // namespace gemv::test
