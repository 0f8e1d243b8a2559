#pragma once
// Calls from many host threads on many streams at once, each compared bit for
// bit with the same call made alone. The library is deterministic, so any
// difference means two calls in flight shared something they must not: the
// scratch of a split plan, above all, whose owner is the call's stream order,
// not its stream handle (cudaStreamPerThread is one handle for many streams).

#include "gpu/calls.cuh"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace gemv::test {

/// Which stream a slot of the stress test calls on.
enum class stream_kind {
  created,      ///< a stream of its own, cudaStreamNonBlocking
  per_thread,   ///< cudaStreamPerThread: one handle, a different stream in every thread
  handle_zero,  ///< 0: the legacy default stream, or each thread's own stream
                ///< in a program built with --default-stream per-thread
};

inline const char* to_string(stream_kind k) {
  switch (k) {
    case stream_kind::created: return "created stream";
    case stream_kind::per_thread: return "cudaStreamPerThread";
    case stream_kind::handle_zero: return "stream 0";
  }
  return "unknown stream kind";
}

/// What a call that did not succeed returned, and the CUDA error behind it.
/// Call in the thread that made the call, before its next gemv call.
inline std::string failure_text(status s) {
  return std::string("returned ") + to_string(s) + " (" + cudaGetErrorName(last_cuda_error()) +
         ")";
}

/// A stream created on construction and destroyed with the object.
class owned_stream {
 public:
  explicit owned_stream(unsigned flags = cudaStreamNonBlocking) {
    GEMV_CUDA_CHECK(cudaStreamCreateWithFlags(&stream_, flags));
  }
  owned_stream(const owned_stream&) = delete;
  owned_stream& operator=(const owned_stream&) = delete;
  ~owned_stream() { cudaStreamDestroy(stream_); }
  cudaStream_t get() const { return stream_; }
  void synchronize() const { GEMV_CUDA_CHECK(cudaStreamSynchronize(stream_)); }

 private:
  cudaStream_t stream_ = nullptr;
};

/// Owns a graph captured from a stream and its executable form.
struct owned_graph {
  owned_graph() = default;
  owned_graph(const owned_graph&) = delete;
  owned_graph& operator=(const owned_graph&) = delete;
  ~owned_graph() {
    if (exec != nullptr) cudaGraphExecDestroy(exec);
    if (graph != nullptr) cudaGraphDestroy(graph);
  }
  std::size_t kernel_nodes() const {
    std::size_t count = 0;
    GEMV_CUDA_CHECK(cudaGraphGetNodes(graph, nullptr, &count));
    std::vector<cudaGraphNode_t> nodes(count);
    GEMV_CUDA_CHECK(cudaGraphGetNodes(graph, nodes.data(), &count));
    std::size_t kernels = 0;
    for (cudaGraphNode_t node : nodes) {
      cudaGraphNodeType type{};
      GEMV_CUDA_CHECK(cudaGraphNodeGetType(node, &type));
      kernels += type == cudaGraphNodeTypeKernel ? 1 : 0;
    }
    return kernels;
  }

  cudaGraph_t graph = nullptr;
  cudaGraphExec_t exec = nullptr;
};

/// Page-locked host memory: a device-to-host copy into it is truly
/// asynchronous (into pageable memory it would wait for the stream).
template <class T>
class pinned_buffer {
 public:
  explicit pinned_buffer(std::size_t count) : size_(count) {
    void* p = nullptr;
    GEMV_CUDA_CHECK(cudaHostAlloc(&p, count * sizeof(T), cudaHostAllocPortable));
    data_ = static_cast<T*>(p);
  }
  pinned_buffer(const pinned_buffer&) = delete;
  pinned_buffer& operator=(const pinned_buffer&) = delete;
  pinned_buffer(pinned_buffer&& other) noexcept
      : data_(std::exchange(other.data_, nullptr)), size_(std::exchange(other.size_, 0)) {}
  pinned_buffer& operator=(pinned_buffer&& other) noexcept {
    std::swap(data_, other.data_);
    std::swap(size_, other.size_);
    return *this;
  }
  ~pinned_buffer() { cudaFreeHost(data_); }
  T* data() const { return data_; }
  std::size_t size() const { return size_; }

 private:
  T* data_ = nullptr;
  std::size_t size_ = 0;
};

/// Elements of `got` (want.size() of them) whose bits differ from `want`.
template <class T>
std::size_t elements_differing(const T* got, const std::vector<T>& want) {
  std::size_t n = 0;
  for (std::size_t i = 0; i < want.size(); ++i) n += same_bits(got[i], want[i]) ? 0 : 1;
  return n;
}

/// One problem held on the device, to be run again and again without the
/// host waiting: y is reset on the call's stream from a pristine device copy,
/// and the whole y buffer (guards included) comes back into pinned memory.
template <class T>
class resident_problem {
 public:
  explicit resident_problem(const operands<T>& ops) : result_(ops.y.size()) { upload(ops); }

  /// New operand values. A problem of the same size keeps its device
  /// pointers, so a graph captured on them reads the new values.
  void upload(const operands<T>& ops) {
    args_ = ops.args;
    buffers_.upload(ops);
    y_initial_.assign(ops.y);
    if (result_.size() != ops.y.size()) result_ = pinned_buffer<T>(ops.y.size());
  }

  const call_args& args() const { return args_; }
  const T* A() const { return buffers_.A(); }
  const T* x() const { return buffers_.x(); }
  T* y() const { return buffers_.y(); }

  void reset_y(cudaStream_t stream) const {
    GEMV_CUDA_CHECK(cudaMemcpyAsync(buffers_.y_storage().data(), y_initial_.data(), y_initial_.bytes(),
                                    cudaMemcpyDeviceToDevice, stream));
  }
  /// Copies the y buffer into `host` (y's size) once `stream` gets there.
  void fetch_y(cudaStream_t stream, T* host) const {
    const device_buffer<T>& y = buffers_.y_storage();
    GEMV_CUDA_CHECK(cudaMemcpyAsync(host, y.data(), y.bytes(), cudaMemcpyDeviceToHost, stream));
  }
  void fetch_y(cudaStream_t stream) const { fetch_y(stream, result_.data()); }

  /// Enqueues reset, the plain call (library scratch) and fetch on `stream`;
  /// returns the call's status. The result is valid once the stream is done.
  status run(cudaStream_t stream) const {
    reset_y(stream);
    const status s = call_gemv(args_, A(), x(), y(), stream);
    fetch_y(stream);
    return s;
  }

  const T* result() const { return result_.data(); }
  std::vector<T> result_copy() const { return {result_.data(), result_.data() + result_.size()}; }
  std::size_t y_elements() const { return result_.size(); }

 private:
  call_args args_;
  device_operands<T> buffers_;
  device_buffer<T> y_initial_;  ///< y as uploaded, poison included
  pinned_buffer<T> result_;
};

/// The plan the current device's dispatch picks for `p`'s call.
template <class T>
plan default_plan(const resident_problem<T>& p) {
  const call_args& c = p.args();
  plan pl;
  const status s = call_choose_plan<T>(c, p.A(), p.x(), p.y(), pl);
  if (s != status::success)
    throw std::runtime_error(std::string("choose_plan returned ") + to_string(s));
  return pl;
}

/// A shape the concurrency tests run, and whether its plan must split.
struct stress_shape {
  call_args args;
  bool split = false;
};

/// Two shapes whose plans split on any card (few long rows; few outputs over
/// many rows) and one that runs a single kernel. Moderate sizes: a kernel
/// takes microseconds, so calls on different streams overlap on the device.
inline std::vector<stress_shape> stress_shapes() {
  return {
      {packed_call(layout::row_major, op::n, 8, 131072, 0.5f), true},   // row split-K
      {packed_call(layout::row_major, op::t, 16384, 64, 0.0f), true},   // split column
      {packed_call(layout::row_major, op::n, 512, 1024, -1.0f), false}, // one row_block kernel
  };
}

/// Fails unless `p`'s default plan splits its reduction exactly when `split`
/// says, so that a test claiming to run split plans does.
template <class T>
testing::AssertionResult plan_splits_as_expected(const resident_problem<T>& p, bool split) {
  const plan pl = default_plan(p);
  if ((pl.splits > 1) == split) return testing::AssertionSuccess();
  return testing::AssertionFailure() << to_string(p.args()) << ": expected a plan that "
                                     << (split ? "splits" : "does not split")
                                     << ", the device's is " << to_string(pl);
}

/// Runs `p` alone on `stream` and checks it against the host reference for
/// `ops`; on success `result` holds the y buffer every later run must match.
template <class T>
testing::AssertionResult run_alone(const resident_problem<T>& p, const operands<T>& ops,
                                   cudaStream_t stream, std::vector<T>& result) {
  const status s = p.run(stream);
  if (s != status::success)
    return testing::AssertionFailure() << to_string(ops.args) << ": " << failure_text(s);
  GEMV_CUDA_CHECK(cudaStreamSynchronize(stream));
  result = p.result_copy();
  return check_y(ops, result, reference_gemv(ops)) << " (" << to_string(ops.args) << ", alone)";
}

struct stress_config {
  int threads = 4;
  std::vector<stream_kind> slots;  ///< the streams each thread calls on
  int rounds = 100;
};

/// What a stress run saw.
struct stress_tally {
  std::int64_t calls = 0;   ///< gemv calls made
  std::int64_t wrong = 0;   ///< returned success, but y differs from the same call made alone
  std::int64_t failed = 0;  ///< returned something other than success
  std::int64_t errors = 0;  ///< CUDA errors outside the library (a thread stopped early)
  double seconds = 0;
  std::vector<std::string> notes;  ///< the first few failures

  void note(std::string what) {
    constexpr std::size_t kKept = 8;
    if (notes.size() < kKept) notes.push_back(std::move(what));
  }
  void add(const stress_tally& t) {
    calls += t.calls;
    wrong += t.wrong;
    failed += t.failed;
    errors += t.errors;
    for (const std::string& n : t.notes) note(n);
  }
  bool clean() const { return wrong == 0 && failed == 0 && errors == 0; }
  std::string summary() const {
    return std::to_string(calls) + " calls, " + std::to_string(wrong) + " wrong results, " +
           std::to_string(failed) + " failed calls, " + std::to_string(errors) +
           " CUDA errors in " + std::to_string(seconds) + " s";
  }
};

/// Prints the tally and records it as test properties (in the XML report),
/// their names prefixed with `key`.
inline void report(const char* what, const stress_tally& t, const std::string& key = "") {
  std::printf("[ stress   ] %s: %s\n", what, t.summary().c_str());
  ::testing::Test::RecordProperty(key + "calls", std::to_string(t.calls));
  ::testing::Test::RecordProperty(key + "wrong_results", std::to_string(t.wrong));
  ::testing::Test::RecordProperty(key + "failed_calls", std::to_string(t.failed));
  ::testing::Test::RecordProperty(key + "cuda_errors", std::to_string(t.errors));
}

namespace detail_stress {

/// A thread's problems: one per slot and shape, each with its expected y.
template <class T>
struct thread_work {
  std::vector<std::vector<resident_problem<T>>> problems;  // [slot][shape]
  std::vector<std::vector<std::vector<T>>> expected;       // [slot][shape]
};

/// One stress thread: every round enqueues every problem on its slot's
/// stream, then waits for its streams and compares. No host synchronisation
/// between the calls of a round.
template <class T>
stress_tally stress_thread(int index, const stress_config& cfg, const thread_work<T>& work,
                           std::atomic<int>& waiting) {
  stress_tally tally;
  try {
    std::vector<std::unique_ptr<owned_stream>> owned;
    std::vector<cudaStream_t> streams;
    for (stream_kind k : cfg.slots) {
      if (k == stream_kind::created) {
        owned.push_back(std::make_unique<owned_stream>());
        streams.push_back(owned.back()->get());
      } else {
        streams.push_back(k == stream_kind::per_thread ? cudaStreamPerThread : cudaStream_t{});
      }
    }
    // Start together, so that the threads' calls overlap from the first round.
    waiting.fetch_sub(1);
    while (waiting.load() > 0) std::this_thread::yield();

    const std::size_t slots = cfg.slots.size();
    const std::size_t shapes = work.problems.empty() ? 0 : work.problems[0].size();
    std::vector<std::string> failures(slots * shapes);  // empty: the call returned success
    for (int round = 0; round < cfg.rounds; ++round) {
      for (std::size_t s = 0; s < slots; ++s) {
        for (std::size_t p = 0; p < shapes; ++p) {
          const status st = work.problems[s][p].run(streams[s]);
          failures[s * shapes + p] = st == status::success ? "" : failure_text(st);
        }
      }
      for (cudaStream_t stream : streams) GEMV_CUDA_CHECK(cudaStreamSynchronize(stream));
      for (std::size_t s = 0; s < slots; ++s) {
        for (std::size_t p = 0; p < shapes; ++p) {
          ++tally.calls;
          const resident_problem<T>& problem = work.problems[s][p];
          const auto where = [&] {
            return "thread " + std::to_string(index) + ", " + to_string(cfg.slots[s]) +
                   ", round " + std::to_string(round) + ", " + to_string(problem.args());
          };
          if (const std::string& failure = failures[s * shapes + p]; !failure.empty()) {
            ++tally.failed;
            tally.note(where() + ": " + failure);
          } else if (const std::size_t bad =
                         elements_differing(problem.result(), work.expected[s][p]);
                     bad > 0) {
            ++tally.wrong;
            tally.note(where() + ": " + std::to_string(bad) + " elements of the y buffer differ");
          }
        }
      }
    }
  } catch (const std::exception& e) {
    ++tally.errors;
    tally.note("thread " + std::to_string(index) + ": " + e.what());
    waiting.store(0);  // never leave the others spinning
  }
  return tally;
}

}  // namespace detail_stress

/// cfg.threads host threads, each calling on every stream in cfg.slots, each
/// (thread, slot) with its own data in every stress_shapes() shape. Each
/// problem is first run alone and checked against the host reference; then
/// every concurrent result must equal that bit for bit. Fails on any wrong,
/// failed or erroneous call; `tally` says what happened either way.
template <class T>
testing::AssertionResult run_stress(const stress_config& cfg, std::uint64_t seed,
                                    stress_tally& tally) {
  using namespace detail_stress;
  const std::vector<stress_shape> shapes = stress_shapes();
  std::vector<thread_work<T>> work(cfg.threads);
  {
    owned_stream alone;
    std::uint64_t draw = 0;
    for (thread_work<T>& w : work) {
      w.problems.resize(cfg.slots.size());
      w.expected.resize(cfg.slots.size());
      for (std::size_t s = 0; s < cfg.slots.size(); ++s) {
        for (const stress_shape& shape : shapes) {
          const operands<T> ops = make_operands<T>(shape.args, 0, mix(seed + draw++));
          w.problems[s].emplace_back(ops);
          if (auto ok = plan_splits_as_expected(w.problems[s].back(), shape.split); !ok) return ok;
          w.expected[s].emplace_back();
          auto ok = run_alone(w.problems[s].back(), ops, alone.get(), w.expected[s].back());
          if (!ok) return ok;
        }
      }
    }
  }

  std::atomic<int> waiting{cfg.threads};
  std::vector<stress_tally> tallies(cfg.threads);
  std::vector<std::thread> threads;
  const auto start = std::chrono::steady_clock::now();
  for (int t = 0; t < cfg.threads; ++t)
    threads.emplace_back([&, t] { tallies[t] = stress_thread(t, cfg, work[t], waiting); });
  for (std::thread& t : threads) t.join();
  tally = stress_tally{};
  tally.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  for (const stress_tally& t : tallies) tally.add(t);

  if (tally.clean()) return testing::AssertionSuccess();
  testing::AssertionResult failure = testing::AssertionFailure() << tally.summary();
  for (const std::string& n : tally.notes) failure << "\n  " << n;
  return failure;
}

}  // namespace gemv::test
