#pragma once
// A stream whose work can be captured into a CUDA graph, for tests of what a
// call enqueues.

#include "support/cuda_check.hpp"

#include <gemv/types.cuh>

#include <cuda_runtime.h>

#include <cstddef>

namespace gemv::test {

/// Owns a stream, and the graph captured on it.
class captured_stream {
 public:
  captured_stream() { GEMV_CUDA_CHECK(cudaStreamCreateWithFlags(&stream_, cudaStreamNonBlocking)); }
  captured_stream(const captured_stream&) = delete;
  captured_stream& operator=(const captured_stream&) = delete;
  ~captured_stream() {
    if (exec_ != nullptr) cudaGraphExecDestroy(exec_);
    if (graph_ != nullptr) cudaGraphDestroy(graph_);
    cudaStreamDestroy(stream_);
  }
  cudaStream_t get() const { return stream_; }

  /// Captures what record(stream) enqueues (strictest mode: any call that is
  /// unsafe during capture, such as cudaMalloc, fails it) and instantiates it.
  /// Returns what record returned; the capture is ended in every case.
  template <class Record>
  status capture(Record&& record) {
    GEMV_CUDA_CHECK(cudaStreamBeginCapture(stream_, cudaStreamCaptureModeGlobal));
    const status s = record(stream_);
    const cudaError_t ended = cudaStreamEndCapture(stream_, &graph_);
    if (s != status::success) return s;
    GEMV_CUDA_CHECK(ended);
    GEMV_CUDA_CHECK(cudaGraphInstantiate(&exec_, graph_, 0));
    return s;
  }
  /// Captures what record(stream) enqueues (strictest mode) and drops it:
  /// returns how many graph nodes it made, and record's status in `s`.
  template <class Record>
  std::size_t count_enqueued(Record&& record, status& s) {
    GEMV_CUDA_CHECK(cudaStreamBeginCapture(stream_, cudaStreamCaptureModeGlobal));
    s = record(stream_);
    cudaGraph_t graph = nullptr;
    GEMV_CUDA_CHECK(cudaStreamEndCapture(stream_, &graph));
    std::size_t nodes = 0;
    const cudaError_t counted = cudaGraphGetNodes(graph, nullptr, &nodes);
    cudaGraphDestroy(graph);
    GEMV_CUDA_CHECK(counted);
    return nodes;
  }
  std::size_t node_count() const {
    std::size_t nodes = 0;
    GEMV_CUDA_CHECK(cudaGraphGetNodes(graph_, nullptr, &nodes));
    return nodes;
  }
  void launch() { GEMV_CUDA_CHECK(cudaGraphLaunch(exec_, stream_)); }

 private:
  cudaStream_t stream_ = nullptr;
  cudaGraph_t graph_ = nullptr;
  cudaGraphExec_t exec_ = nullptr;
};

}  // namespace gemv::test
