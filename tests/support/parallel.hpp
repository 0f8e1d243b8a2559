#pragma once
// A minimal parallel loop for the host side of the big tests (random inputs,
// references over billions of elements).

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <thread>
#include <vector>

namespace gemv::test {

inline unsigned worker_count() { return std::max(1u, std::thread::hardware_concurrency()); }

/// Calls body(i) once for every i in [0, count), on all hardware threads.
/// Indices are handed out one at a time, so uneven tasks balance themselves.
/// body must not throw.
template <class Body>
void parallel_for(std::int64_t count, const Body& body) {
  const auto threads = static_cast<std::int64_t>(std::min<std::int64_t>(worker_count(), count));
  if (threads <= 1) {
    for (std::int64_t i = 0; i < count; ++i) body(i);
    return;
  }
  std::atomic<std::int64_t> next{0};
  auto work = [&] {
    for (std::int64_t i = next++; i < count; i = next++) body(i);
  };
  std::vector<std::thread> pool;
  for (std::int64_t t = 1; t < threads; ++t) pool.emplace_back(work);
  work();
  for (auto& t : pool) t.join();
}

}  // namespace gemv::test
