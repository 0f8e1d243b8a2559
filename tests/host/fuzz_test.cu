// Random argument tuples against every public entry point. An oracle written
// here from the CBLAS rules, in 128-bit arithmetic and without calling the
// library, decides the status each call deserves. Invalid calls must get
// exactly that status before any CUDA call: without a GPU a CUDA call would
// show as device_error. Valid calls must pass validate(); of those only BLAS
// quick returns go through gemv(), which touches nothing for them. Pointers
// are fake addresses, never dereferenced. Seeds are fixed per test.

#include "host/call_fixture.hpp"

#include <gemv/gemv.cuh>

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <initializer_list>
#include <limits>
#include <map>
#include <random>
#include <string>
#include <vector>

namespace gemv::test {
namespace {

using i128 = __int128;
constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
constexpr std::int64_t kMin = std::numeric_limits<std::int64_t>::min();
constexpr int kTuples = 100000;      // per test and element type
constexpr int kShownMismatches = 5;  // a systematic bug prints a few tuples, not thousands

// ---- The oracle ----------------------------------------------------------

constexpr bool known(layout lay) { return lay == layout::row_major || lay == layout::col_major; }
constexpr bool known(op trans) { return trans == op::n || trans == op::t; }
/// The element types of the enumeration (types.cuh), f32 to i8.
inline constexpr int kElementTypes = 7;
constexpr bool known(dtype t) { return static_cast<int>(t) < kElementTypes; }

/// Elements from the first to one past the last of `count` runs of `length`
/// elements, `stride` apart; 0 for no runs. Exact: every factor is below 2^64.
constexpr i128 span(i128 count, i128 stride, i128 length) {
  return count == 0 ? 0 : (count - 1) * stride + length;
}

/// Elements from the start of A, x or y to one past its last element,
/// whichever is the most: a call forms byte offsets up to this times the
/// element size. The start of every stored row counts, even when rows are
/// empty: the library asks that much (conservative; BLAS has no such rule).
i128 largest_extent(const raw_call& c) {
  const bool row_major = c.lay == layout::row_major;
  const i128 run = row_major ? c.n : c.m;   // stored row length
  const i128 runs = row_major ? c.m : c.n;  // stored rows
  const i128 x_len = c.trans == op::n ? c.n : c.m;
  const i128 y_len = c.trans == op::n ? c.m : c.n;
  const auto magnitude = [](std::int64_t inc) { return inc < 0 ? -i128{inc} : i128{inc}; };
  return std::max({span(runs, c.lda, run), span(x_len, magnitude(c.incx), 1),
                   span(y_len, magnitude(c.incy), 1)});
}

/// The most elements of `type` whose byte offsets fit in int64.
constexpr i128 addressable(dtype type) { return kMax / size_of(type); }

constexpr bool blas_quick_return(const raw_call& c) {
  return c.m == 0 || c.n == 0 || (c.alpha == 0.0f && c.beta == 1.0f);
}

/// The status `c` deserves. CBLAS orders its checks by argument position and
/// has one error class; with several classes the first failing step decides,
/// in the library's order (enumerations, sizes, lda, increments, then the
/// int64 limit, which needs all of them, then pointers):
///   1. layout, op or element type outside its enumeration   invalid_enum
///   2. m or n negative                                      invalid_size
///   3. lda < max(1, stored row length)                      invalid_leading_dimension
///   4. incx or incy zero                                    invalid_increment
///   5. a byte offset into A, x or y beyond INT64_MAX        invalid_size
///   6. BLAS quick return (m == 0, n == 0, or alpha == 0
///      and beta == 1): nothing is touched                   success
///   7. y null, or A or x null while alpha != 0 (NaN too)    null_pointer
///   8. one of those pointers not aligned to the element     misaligned_pointer
status oracle(const raw_call& c) {
  if (!known(c.lay) || !known(c.trans) || !known(c.type)) return status::invalid_enum;
  if (c.m < 0 || c.n < 0) return status::invalid_size;
  const std::int64_t run = c.lay == layout::row_major ? c.n : c.m;
  if (c.lda < std::max<std::int64_t>(1, run)) return status::invalid_leading_dimension;
  if (c.incx == 0 || c.incy == 0) return status::invalid_increment;
  if (largest_extent(c) > addressable(c.type)) return status::invalid_size;
  if (blas_quick_return(c)) return status::success;
  const bool reads_a_and_x = !(c.alpha == 0.0f);
  if (c.y == nullptr || (reads_a_and_x && (c.A == nullptr || c.x == nullptr)))
    return status::null_pointer;
  const auto misaligned = [&](const void* p) {
    return reinterpret_cast<std::uintptr_t>(p) % size_of(c.type) != 0;
  };
  if (misaligned(c.y) || (reads_a_and_x && (misaligned(c.A) || misaligned(c.x))))
    return status::misaligned_pointer;
  return status::success;
}

/// workspace_size() answers for the shapes some gemv call accepts: the
/// tightest call of that shape (lda = max(1, row length), unit increments).
status workspace_oracle(layout lay, op trans, std::int64_t m, std::int64_t n, dtype type) {
  raw_call c;
  c.lay = lay;
  c.trans = trans;
  c.m = m;
  c.n = n;
  c.type = type;
  c.lda = std::max<std::int64_t>(1, lay == layout::row_major ? n : m);
  c.alpha = 0.0f;  // a quick return: the pointers play no part
  c.beta = 1.0f;
  return oracle(c);
}

// ---- Random tuples -------------------------------------------------------

std::int64_t clamp64(i128 v) { return static_cast<std::int64_t>(std::clamp<i128>(v, kMin, kMax)); }

/// Fixed seed from the running test's full name (FNV-1a), so each test and
/// element type has its own reproducible stream.
std::uint64_t seed_of_current_test() {
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  std::uint64_t h = 1469598103934665603ull;
  for (const std::string& part : {std::string(info->test_suite_name()), std::string(info->name())})
    for (const char ch : part + ".") h = (h ^ static_cast<unsigned char>(ch)) * 1099511628211ull;
  return h;
}

/// Argument values weighted towards the edges: tiny sizes, powers of two,
/// the largest lda and increments that still fit and one past them, INT64_MIN
/// and INT64_MAX, zero, null and odd addresses.
class tuple_source {
 public:
  explicit tuple_source(std::uint64_t seed) : rng_(seed) {}

  raw_call next(dtype type) {
    const int esize = size_of(type);
    raw_call c;
    c.lay = enumerator<layout>(2);
    c.trans = enumerator<op>(2);
    c.type = one_in(32) ? static_cast<dtype>(kElementTypes + below(256 - kElementTypes)) : type;
    c.m = size();
    c.n = size();
    const bool row_major = c.lay == layout::row_major;
    c.lda = leading_dimension(row_major ? c.m : c.n, row_major ? c.n : c.m, esize);
    c.incx = increment(c.trans == op::n ? c.n : c.m, esize);
    c.incy = increment(c.trans == op::n ? c.m : c.n, esize);
    c.alpha = one_in(3) ? (one_in(2) ? 0.0f : -0.0f) : pick<float>({1.0f, -2.5f, NAN, INFINITY});
    c.beta = one_in(3) ? 1.0f : pick<float>({0.0f, -0.0f, 0.5f, NAN, -INFINITY});
    c.A = pointer(esize);
    c.x = pointer(esize);
    c.y = const_cast<void*>(pointer(esize));
    return c;
  }

  /// m or n: tiny, moderate, powers of two, near INT64_MAX / k, near the
  /// square roots of the limits, negative, or anything at all.
  std::int64_t size() {
    switch (below(10)) {
      case 0:
      case 1:
      case 2: return below(9);
      case 3:
      case 4: return below(1 << 20);
      case 5: return clamp64((i128{1} << (20 + below(43))) + below(5) - 2);
      case 6: return clamp64(i128{kMax} / (1 + below(16)) + below(5) - 2);
      case 7: {  // square roots of the limits: m * n overflows just past them
        constexpr std::int64_t roots[] = {3037000499, 1518500249, 2147483648, 4294967296};
        return roots[below(4)] + below(5) - 2;
      }
      case 8: return one_in(2) ? -1 - below(3) : (one_in(2) ? kMin : -below(kMax));
      default: return anything();
    }
  }

  /// Mostly an enumerator, one in 16 times a value beyond the last.
  template <class E>
  E enumerator(int count) {
    return static_cast<E>(one_in(16) ? count + below(256 - count) : below(count));
  }

 private:
  std::int64_t anything() { return static_cast<std::int64_t>(rng_()); }
  std::int64_t below(std::int64_t bound) { return static_cast<std::int64_t>(rng_() % bound); }
  bool one_in(int n) { return below(n) == 0; }
  template <class V>
  V pick(std::initializer_list<V> values) { return values.begin()[below(values.size())]; }

  std::int64_t leading_dimension(std::int64_t runs, std::int64_t run, int esize) {
    const i128 least = std::max<i128>(1, run);
    switch (below(8)) {
      case 0:
      case 1:
      case 2: return clamp64(least);
      case 3: return clamp64(least + below(4));
      case 4: return clamp64(least - 1 - below(2));
      case 5:  // the largest lda whose last row still ends below INT64_MAX bytes, +-1
        if (runs > 1) return clamp64((kMax / esize - i128{run}) / (runs - 1) + below(3) - 1);
        return kMax - below(2);
      case 6: return one_in(2) ? kMax - below(3) : clamp64(i128{1} << below(64));
      default: return one_in(2) ? -below(3) : (one_in(2) ? kMin : anything());
    }
  }

  std::int64_t increment(std::int64_t len, int esize) {
    const std::int64_t sign = one_in(2) ? -1 : 1;
    switch (below(10)) {
      case 0:
      case 1:
      case 2:
      case 3: return sign;
      case 4: return sign * (2 + below(7));
      case 5: return 0;
      case 6:  // the largest increment whose last element still fits, +-1
        if (len > 1) return sign * clamp64((kMax / esize - 1) / (len - 1) + below(3) - 1);
        return sign * (kMax - below(2));
      case 7: return pick<std::int64_t>({kMin, kMin + 1, kMax, kMax - 1});
      case 8: return sign * clamp64(i128{1} << below(64));
      default: return anything();
    }
  }

  const void* pointer(int esize) {
    constexpr std::uintptr_t kFakeBase = 0x10000000;  // never dereferenced
    const std::uintptr_t aligned = kFakeBase + 16 * below(4096);
    switch (below(16)) {
      case 0: return nullptr;
      case 1: {  // misaligned: odd, or 2 mod 4 for float
        std::uintptr_t offset = 1 + below(15);
        if (offset % esize == 0) ++offset;
        return reinterpret_cast<const void*>(aligned + offset);
      }
      case 2: return reinterpret_cast<const void*>(UINTPTR_MAX - below(4));
      case 3:
      case 4: return reinterpret_cast<const void*>(aligned + esize);  // element-aligned only
      default: return reinterpret_cast<const void*>(aligned);
    }
  }

  std::mt19937_64 rng_;
};

// ---- Calls and reports ---------------------------------------------------

std::string literal(std::int64_t v) { return v == kMin ? "INT64_MIN" : std::to_string(v); }

std::string literal(float v) {
  if (std::isnan(v)) return "NAN";
  if (std::isinf(v)) return v < 0 ? "-INFINITY" : "INFINITY";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%af", static_cast<double>(v));  // exact, -0 included
  return buf;
}

std::string literal(const void* p) {
  if (p == nullptr) return "nullptr";
  char buf[32];
  std::snprintf(buf, sizeof buf, "(void*)0x%jx",
                static_cast<std::uintmax_t>(reinterpret_cast<std::uintptr_t>(p)));
  return buf;
}

/// The call as C++ that reproduces it, every argument in full.
std::string reproducer(const raw_call& c) {
  return "gemv::validate(gemv::layout(" + std::to_string(int(c.lay)) + "), gemv::op(" +
         std::to_string(int(c.trans)) + "), " + literal(c.m) + ", " + literal(c.n) + ", " +
         literal(c.alpha) + ", " + literal(c.A) + ", " + literal(c.lda) + ", " + literal(c.x) +
         ", " + literal(c.incx) + ", " + literal(c.beta) + ", " + literal(c.y) + ", " +
         literal(c.incy) + ", gemv::dtype(" + std::to_string(int(c.type)) + "))";
}

struct entry_point_status {
  const char* name;
  status got;
};

/// Counts the tuples that some entry point got wrong and prints the first
/// few in full.
class mismatch_log {
 public:
  void check(const std::vector<entry_point_status>& results, status expected,
             const std::string& call) {
    std::string wrong;
    for (const auto& [name, got] : results) {
      if (got == expected) continue;
      if (!wrong.empty()) wrong += ", ";
      wrong += std::string(name) + " returned " + to_string(got);
    }
    if (!wrong.empty())
      report(std::string("expected ") + to_string(expected) + ", but " + wrong, call);
  }
  void report(const std::string& what, const std::string& call) {
    if (++count_ <= kShownMismatches) ADD_FAILURE() << what << " for\n  " << call;
  }
  int count() const { return count_; }

 private:
  int count_ = 0;
};

/// Runs `c` through the four typed entry points. Only for calls that must
/// fail validation or be quick returns: anything else would launch on fake
/// pointers where a GPU is present.
template <class T>
void call_every_entry_point(const raw_call& c, std::vector<entry_point_status>& results) {
  const auto* A = static_cast<const T*>(c.A);
  const auto* x = static_cast<const T*>(c.x);
  auto* y = static_cast<T*>(c.y);
  // A throw would end the process (every entry point is noexcept).
  static_assert(noexcept(gemv::gemv<T>(c.lay, c.trans, c.m, c.n, c.alpha, A, c.lda, x, c.incx,
                                       c.beta, y, c.incy)));
  const policy forced{kernel_kind::row_warp, 256, 1, 0, 4, 0};
  plan chosen;
  results.insert(results.end(), {
      {"gemv", gemv::gemv<T>(c.lay, c.trans, c.m, c.n, c.alpha, A, c.lda, x, c.incx, c.beta, y,
                             c.incy)},
      {"gemv(workspace)", gemv::gemv<T>(c.lay, c.trans, c.m, c.n, c.alpha, A, c.lda, x, c.incx,
                                        c.beta, y, c.incy, workspace{})},
      {"gemv_with_policy", gemv_with_policy<T>(forced, c.lay, c.trans, c.m, c.n, c.alpha, A,
                                               c.lda, x, c.incx, c.beta, y, c.incy, workspace{})},
      {"choose_plan", choose_plan<T>(c.lay, c.trans, c.m, c.n, c.alpha, A, c.lda, x, c.incx,
                                     c.beta, y, c.incy, chosen)},
  });
}

template <class T>
class ValidationFuzz : public ::testing::Test {};

using ElementTypes = ::testing::Types<float, __half, __nv_bfloat16>;
TYPED_TEST_SUITE(ValidationFuzz, ElementTypes);

// ---- Properties ----------------------------------------------------------

TYPED_TEST(ValidationFuzz, InvalidCallsGetTheOracleStatusBeforeAnyCudaCall) {
  constexpr dtype type = dtype_of<TypeParam>::value;
  tuple_source source(seed_of_current_test());
  mismatch_log mismatches;
  std::map<status, int> seen;
  for (int i = 0; i < kTuples; ++i) {
    const raw_call c = source.next(type);
    const status expected = oracle(c);
    if (expected == status::success) continue;
    ++seen[expected];
    std::vector<entry_point_status> results = {{"validate", c.validate()}};
    // An invalid call that validate() accepts would launch where a GPU is.
    if (results[0].got != status::success && c.type == type)
      call_every_entry_point<TypeParam>(c, results);
    mismatches.check(results, expected, reproducer(c));
  }
  EXPECT_EQ(mismatches.count(), 0) << "wrong tuples; the first few are printed above";
  // Every class of bad input is drawn often.
  for (status s : {status::invalid_enum, status::invalid_size, status::invalid_leading_dimension,
                   status::invalid_increment, status::null_pointer, status::misaligned_pointer})
    EXPECT_GE(seen[s], kTuples / 200) << to_string(s);
}

TYPED_TEST(ValidationFuzz, ValidCallsPassValidation) {
  tuple_source source(seed_of_current_test());
  mismatch_log mismatches;
  int valid = 0, near_limit = 0;
  for (int i = 0; i < kTuples; ++i) {
    const raw_call c = source.next(dtype_of<TypeParam>::value);
    if (oracle(c) != status::success) continue;
    ++valid;
    near_limit += largest_extent(c) > addressable(c.type) / 2;
    mismatches.check({{"validate", c.validate()}}, status::success, reproducer(c));
  }
  EXPECT_EQ(mismatches.count(), 0) << "wrong tuples; the first few are printed above";
  EXPECT_GE(valid, kTuples / 20);
  EXPECT_GE(near_limit, kTuples / 200) << "valid calls within a factor 2 of the int64 limit";
}

TYPED_TEST(ValidationFuzz, QuickReturnsSucceedWithoutTheDevice) {
  constexpr dtype type = dtype_of<TypeParam>::value;
  tuple_source source(seed_of_current_test());
  mismatch_log mismatches;
  int quick = 0;
  for (int i = 0; i < kTuples; ++i) {
    const raw_call c = source.next(type);
    if (c.type != type || oracle(c) != status::success || !blas_quick_return(c)) continue;
    ++quick;
    std::vector<entry_point_status> results = {{"validate", c.validate()}};
    // Null and fake pointers alike: a quick return touches nothing and makes
    // no CUDA call, so no device_error without a GPU either.
    if (results[0].got == status::success) call_every_entry_point<TypeParam>(c, results);
    mismatches.check(results, status::success, reproducer(c));
  }
  EXPECT_EQ(mismatches.count(), 0) << "wrong tuples; the first few are printed above";
  EXPECT_GE(quick, kTuples / 50);
}

TEST(WorkspaceSizeFuzz, ChecksItsArgumentsBeforeTheDevice) {
  tuple_source source(seed_of_current_test());
  mismatch_log mismatches;
  int valid = 0;
  for (int i = 0; i < kTuples; ++i) {
    const auto lay = source.enumerator<layout>(2);
    const auto trans = source.enumerator<op>(2);
    const auto type = source.enumerator<dtype>(kElementTypes);
    const std::int64_t m = source.size(), n = source.size();
    const status expected = workspace_oracle(lay, trans, m, n, type);
    std::size_t bytes = 12345;  // poison: every outcome writes it
    const status got = workspace_size(lay, trans, m, n, type, bytes);
    const std::string call = "gemv::workspace_size(gemv::layout(" + std::to_string(int(lay)) +
                             "), gemv::op(" + std::to_string(int(trans)) + "), " + literal(m) +
                             ", " + literal(n) + ", gemv::dtype(" + std::to_string(int(type)) +
                             "), bytes)";
    const std::string outcome = to_string(got) + (", bytes = " + std::to_string(bytes));
    if (expected != status::success) {
      if (got != expected || bytes != 0) {
        mismatches.report(std::string("expected ") + to_string(expected) + ", got " + outcome,
                          call);
      }
      continue;
    }
    ++valid;
    // Valid shapes need the device: success with a GPU, device_error without.
    const bool ok = got == status::success ? bytes <= kMaxWorkspaceBytes
                                           : got == status::device_error && bytes == 0;
    if (!ok) mismatches.report("a valid shape got " + outcome, call);
  }
  EXPECT_EQ(mismatches.count(), 0) << "wrong tuples; the first few are printed above";
  EXPECT_GE(valid, kTuples / 4);
}

}  // namespace
}  // namespace gemv::test
