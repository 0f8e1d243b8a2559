#pragma once
// Pointers the host-side checks look at but nothing dereferences: their
// values decide alignment and null-ness only.

#include <cstdint>

namespace gemv::test {

template <class T>
T* fake(std::uintptr_t address) {
  return reinterpret_cast<T*>(address);
}

}  // namespace gemv::test
