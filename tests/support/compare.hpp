#pragma once
// Checks a y buffer after a call against the reference, and that nothing
// outside the outputs was written.

#include "support/element.hpp"
#include "support/operands.hpp"
#include "support/reference.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <sstream>
#include <vector>

namespace gemv::test {

/// Largest error a correct gemv may make on an output whose exact value is
/// `value`, where `bound` = |alpha| sum_j |a_ij x_j| + |beta y_i|.
///
/// Accumulation: A and x are read exactly (the reference uses the same
/// T-rounded inputs); every product is exact inside an fmaf; each thread sums
/// chains of at most 32 products (a 16-byte vector times the unroll) in float,
/// then a compensated float sum and double combination add those partials at
/// about one float rounding of their total. A chain of L products is off by
/// at most L * u * (its share of bound), u = 2^-24, but only when the partial
/// sums all keep one sign; for chains of <= 4 products (short rows, where
/// nothing averages out) that worst case plus the compensated sum is <= 6u,
/// and for longer rows with random signs the chain errors are a random walk,
/// orders of magnitude below the bound. So 4 * eps_float * bound (= 8u) holds
/// with room to spare while still catching a lost or doubled term (an error
/// of ~ |a_ij x_j| ~ bound / n, above 8u * bound for any reduction below 2^21).
///
/// Output: alpha * dot + beta * y is formed in double and rounded once to T
/// (through float): at most one unit in the last place of T, measured at the
/// computed value's magnitude (|value| + accumulation error); for half and
/// bfloat16 this term dominates. denorm_min covers outputs in T's subnormals.
template <class T>
double tolerance(double value, double bound) {
  const double accumulation = 4.0 * epsilon_of<float>() * bound;
  return accumulation + epsilon_of<T>() * (std::fabs(value) + accumulation) +
         element<T>::denorm_min;
}

/// How a check judges an output: within tolerance() of the reference, or
/// equal to the reference rounded to T (exact tests: integer-valued inputs
/// and special values, where every correct sum is exact). Exact equality is
/// numeric: -0 equals +0 (BLAS fixes no sign for a zero sum), NaN matches
/// any NaN.
enum class comparison { tolerance, exact };

/// Whether `got` is the reference `value` rounded to T. Fails loudly when a
/// finite value within T's range is not one T holds exactly: that is a
/// broken exact test, not a wrong result.
template <class T>
testing::AssertionResult exactly_right(double got, double value) {
  if (std::isnan(value)) {
    if (std::isnan(got)) return testing::AssertionSuccess();
    return testing::AssertionFailure() << got << ", expected NaN";
  }
  const double want = to_double(from_double<T>(value));
  if (std::fabs(value) <= element<T>::max && want != value)
    return testing::AssertionFailure() << "the exact reference " << value
                                       << " is not representable in the element type";
  if (got == want) return testing::AssertionSuccess();
  return testing::AssertionFailure() << got << ", expected exactly " << want << " (reference "
                                     << value << ")";
}

/// Compares `after`, the whole y buffer after a call, with `before`, the
/// buffer as it was uploaded (y starting at index `y_begin`): each output the
/// reference covers as `how` says, and every element that is not an output
/// (guards, the gaps of a strided y) bitwise unchanged; after a quick return
/// (ref.untouched) every element bitwise unchanged.
template <class T>
testing::AssertionResult check_y(const call_args& c, std::int64_t y_begin,
                                 const std::vector<T>& before, const std::vector<T>& after,
                                 const expected& ref, comparison how = comparison::tolerance) {
  if (after.size() != before.size()) return testing::AssertionFailure() << "y buffer size changed";
  const std::int64_t outputs = c.y_len();
  const std::int64_t begin = y_begin;
  const std::int64_t end = begin + span(outputs, c.incy);
  const std::int64_t step = std::abs(c.incy);

  std::ostringstream report;
  std::int64_t bad_outputs = 0, bad_untouched = 0;
  constexpr int kShown = 8;
  auto untouched = [&](std::int64_t i, const char* what) {
    if (same_bits(after[i], before[i])) return;
    if (++bad_untouched <= kShown)
      report << "\n  y buffer[" << i - begin << "] (" << what << ") changed from "
             << to_double(before[i]) << " to " << to_double(after[i]);
  };
  if (ref.untouched) {
    for (std::int64_t i = 0; i < static_cast<std::int64_t>(after.size()); ++i)
      untouched(i, "quick return");
    if (bad_untouched == 0) return testing::AssertionSuccess();
    return testing::AssertionFailure() << "a quick return changed " << bad_untouched
                                       << " elements of the y buffer" << report.str();
  }
  for (std::int64_t i = 0; i < begin; ++i) untouched(i, "not an output");
  for (std::int64_t i = end; i < static_cast<std::int64_t>(after.size()); ++i)
    untouched(i, "not an output");
  if (step > 1)
    for (std::int64_t i = begin; i < end; ++i)
      if ((i - begin) % step != 0) untouched(i, "not an output");

  for (std::size_t k = 0; k < ref.value.size(); ++k) {
    const std::int64_t o = static_cast<std::int64_t>(k) * ref.stride;
    const double got = to_double(after[begin + position(o, outputs, c.incy)]);
    if (how == comparison::exact) {
      const testing::AssertionResult right = exactly_right<T>(got, ref.value[k]);
      if (right) continue;
      if (++bad_outputs <= kShown) report << "\n  y[" << o << "] = " << right.message();
      continue;
    }
    const double tol = ref.allowed.empty() ? tolerance<T>(ref.value[k], ref.bound[k]) : ref.allowed[k];
    const double err = std::fabs(got - ref.value[k]);
    if (err <= tol) continue;  // false for NaN
    if (++bad_outputs <= kShown)
      report << "\n  y[" << o << "] = " << got << ", reference " << ref.value[k] << ", error "
             << err << " > tolerance " << tol << " (bound " << ref.bound[k] << ")";
  }
  if (bad_outputs == 0 && bad_untouched == 0) return testing::AssertionSuccess();
  return testing::AssertionFailure() << bad_outputs << " of " << ref.value.size()
                                     << " checked outputs wrong, " << bad_untouched
                                     << " elements outside the outputs written" << report.str();
}

template <class T>
testing::AssertionResult check_y(const operands<T>& ops, const std::vector<T>& after,
                                 const expected& ref, comparison how = comparison::tolerance) {
  return check_y(ops.args, ops.y_begin(), ops.y, after, ref, how);
}

}  // namespace gemv::test
