#pragma once
// How every number is measured: CUDA events around one launch, an L2 flush
// before each timed launch (outside the events), warm-up launches first, and
// the median of the samples.

#include "ceiling.cuh"
#include "common.hpp"

#include <cuda_runtime.h>

#include <algorithm>
#include <cstddef>
#include <functional>
#include <limits>
#include <vector>

namespace gemv::bench {

enum class flush_mode {
  full,    ///< memset 2x L2, then stream-read another 2x L2 (default)
  memset,  ///< memset 2x L2 only
  none,    ///< no flush: inputs that fit in L2 are then served from it
};

/// Empties L2 of the benchmark's data before a timed launch.
///
/// The memset (of at least twice the L2 size) evicts A, x and y. It leaves
/// L2 full of dirty lines, though, and a timed kernel that follows would pay
/// for writing them back to DRAM. In `full` mode a read of a second buffer of
/// the same size follows, so those write-backs happen here, outside the
/// timed region, and L2 holds only clean, unrelated lines.
class l2_flusher {
 public:
  l2_flusher(std::size_t l2_bytes, flush_mode mode, const stream_reader& reader)
      : mode_(mode), reader_(reader) {
    if (mode_ == flush_mode::none) return;
    bytes_ = std::max<std::size_t>(2 * l2_bytes, std::size_t{32} << 20);
    dirty_ = device_buffer(bytes_);
    if (mode_ == flush_mode::full) {
      clean_ = device_buffer(bytes_);
      check_cuda(cudaMemset(clean_.get(), 0, bytes_), "cudaMemset");
    }
  }

  void operator()(cudaStream_t stream) {
    if (mode_ == flush_mode::none) return;
    value_ ^= 1;  // a different value each time, so no write can be skipped
    check_cuda(cudaMemsetAsync(dirty_.get(), value_, bytes_, stream), "cudaMemsetAsync");
    if (mode_ == flush_mode::full)
      reader_.read(stream_reader::kFlushVariant, clean_.get(), bytes_, stream);
  }

  std::size_t bytes() const { return bytes_; }

 private:
  flush_mode mode_;
  const stream_reader& reader_;
  std::size_t bytes_ = 0;
  device_buffer dirty_;
  device_buffer clean_;
  int value_ = 0;
};

/// Medians and extremes of one measurement, in seconds.
struct timing {
  double median = 0;
  double min = 0;
  double max = 0;
  int samples = 0;
  bool gave_up = false;  ///< stopped early: clearly slower than `give_up_above`
};

struct sampling {
  int warmup = 2;
  int samples = 20;
  /// After 3 samples, stop if their median is above this (the tuner drops
  /// hopeless candidates this way).
  double give_up_above = std::numeric_limits<double>::infinity();
};

inline double median_of(std::vector<double> v) {
  if (v.empty()) return 0;
  const std::size_t mid = v.size() / 2;
  std::nth_element(v.begin(), v.begin() + mid, v.end());
  if (v.size() % 2 == 1) return v[mid];
  const double upper = v[mid];
  return (upper + *std::max_element(v.begin(), v.begin() + mid)) / 2;
}

/// One pair of events, destroyed with the object.
class event_pair {
 public:
  event_pair() {
    check_cuda(cudaEventCreate(&start), "cudaEventCreate");
    check_cuda(cudaEventCreate(&stop), "cudaEventCreate");
  }
  ~event_pair() {
    cudaEventDestroy(start);
    cudaEventDestroy(stop);
  }
  event_pair(const event_pair&) = delete;
  event_pair& operator=(const event_pair&) = delete;
  cudaEvent_t start{};
  cudaEvent_t stop{};
};

/// One timed sample: an L2 flush, then `op(stream)` between two events.
/// Waits for the sample, so the flush of the next one (tens of
/// microseconds) leaves the host time to enqueue the launch: the host-side
/// cost of a call stays out of the events as long as it is shorter than the
/// flush.
template <class Op>
double time_once(cudaStream_t stream, l2_flusher& flush, const event_pair& ev, Op&& op) {
  flush(stream);
  check_cuda(cudaEventRecord(ev.start, stream), "cudaEventRecord");
  op(stream);
  check_cuda(cudaEventRecord(ev.stop, stream), "cudaEventRecord");
  check_cuda(cudaEventSynchronize(ev.stop), "timed launch");
  float ms = 0;
  check_cuda(cudaEventElapsedTime(&ms, ev.start, ev.stop), "cudaEventElapsedTime");
  return ms * 1e-3;
}

inline timing summarize(const std::vector<double>& seconds, bool gave_up) {
  timing t;
  t.gave_up = gave_up;
  t.samples = static_cast<int>(seconds.size());
  t.median = median_of(seconds);
  t.min = *std::min_element(seconds.begin(), seconds.end());
  t.max = *std::max_element(seconds.begin(), seconds.end());
  return t;
}

/// Times `op(stream)`: `how.warmup` untimed launches, then `how.samples`
/// timed ones.
template <class Op>
timing measure(cudaStream_t stream, l2_flusher& flush, const sampling& how, Op&& op) {
  if (how.samples < 1) throw failure("measure: at least one sample is needed");
  for (int i = 0; i < how.warmup; ++i) op(stream);
  check_cuda(cudaStreamSynchronize(stream), "warm-up");
  event_pair ev;
  std::vector<double> seconds;
  bool gave_up = false;
  for (int i = 0; i < how.samples && !gave_up; ++i) {
    seconds.push_back(time_once(stream, flush, ev, op));
    gave_up = seconds.size() == 3 && how.samples > 3 && median_of(seconds) > how.give_up_above;
  }
  return summarize(seconds, gave_up);
}

/// Times several operations in turn, sample by sample (flush, first op;
/// flush, second op; ...), and returns one timing per operation. Whatever
/// drifts during a run (clocks, or state a previous workload left behind:
/// one launch on a fresh workload measured 31.7 us where the same launch
/// measured 27.1 us a few milliseconds later) then weighs on every operation
/// alike, instead of on whichever is timed first.
inline std::vector<timing> measure_alternating(
    cudaStream_t stream, l2_flusher& flush, const sampling& how,
    const std::vector<std::function<void(cudaStream_t)>>& ops) {
  if (how.samples < 1) throw failure("measure: at least one sample is needed");
  for (const auto& op : ops)
    for (int i = 0; i < how.warmup; ++i) op(stream);
  check_cuda(cudaStreamSynchronize(stream), "warm-up");
  event_pair ev;
  std::vector<std::vector<double>> seconds(ops.size());
  for (int i = 0; i < how.samples; ++i)
    for (std::size_t k = 0; k < ops.size(); ++k)
      seconds[k].push_back(time_once(stream, flush, ev, ops[k]));
  std::vector<timing> out;
  for (const auto& s : seconds) out.push_back(summarize(s, false));
  return out;
}

}  // namespace gemv::bench
