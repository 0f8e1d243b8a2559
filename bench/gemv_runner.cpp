// The library's entry points for a call whose types are values (see
// gemv_runner.hpp). Plain C++: the definitions come compiled from
// gemv::gemv_compiled.

#include "gemv_runner.hpp"

#include <gemv/gemv.hpp>

#include <algorithm>

namespace gemv::bench {
namespace {

/// The call's pointers and scalars in the types of combination `Tag`.
template <class Tag>
struct typed_call {
  using TA = typename Tag::a;
  using TX = typename Tag::x;
  using TY = typename Tag::y;
  using S = scalar_t<TA, TX, TY>;

  explicit typed_call(const gemv_call& c)
      : alpha(static_cast<S>(c.alpha)),
        beta(static_cast<S>(c.beta)),
        A(static_cast<const TA*>(c.A)),
        x(static_cast<const TX*>(c.x)),
        y(static_cast<TY*>(c.y)),
        ep{c.scale, static_cast<const TY*>(c.bias), c.act},
        A_array(static_cast<const TA* const*>(c.A_array)),
        x_array(static_cast<const TX* const*>(c.x_array)),
        y_array(static_cast<TY* const*>(c.y_array)) {}

  S alpha, beta;
  const TA* A;
  const TX* x;
  TY* y;
  epilogue<TY> ep;
  const TA* const* A_array;
  const TX* const* x_array;
  TY* const* y_array;
};

/// Runs `f(typed_call<Tag>)` for the call's combination.
template <class F>
status with_typed(const gemv_call& c, F&& f) {
  return with_combination(c.types.a, c.types.x, c.types.y, status::invalid_enum,
                          [&](auto tag) { return f(typed_call<decltype(tag)>(c)); });
}

/// The call as the long form (gemv::arguments), which plans and runs any
/// call: a batch, several vectors and an epilogue included.
template <class T>
auto long_form(const gemv_call& c, const T& t) {
  arguments<typename T::TA, typename T::TX, typename T::TY> a;
  a.lay = c.lay;
  a.trans = c.trans;
  a.m = c.m;
  a.n = c.n;
  a.alpha = t.alpha;
  a.A = t.A;
  a.lda = c.lda;
  a.x = t.x;
  a.incx = c.incx;
  a.beta = t.beta;
  a.y = t.y;
  a.incy = c.incy;
  a.ep = t.ep;
  a.batch = c.batch;
  a.stride_a = c.stride_a;
  a.stride_x = c.stride_x;
  a.stride_y = c.stride_y;
  a.A_array = t.A_array;
  a.x_array = t.x_array;
  a.y_array = t.y_array;
  if (c.multi()) {
    a.vectors = c.vectors;
    a.ldx = c.ldx;
    a.ldy = c.ldy;
  }
  return a;
}

}  // namespace

status run_default(const gemv_call& c, cudaStream_t stream) {
  return with_typed(c, [&](const auto& t) {
    using T = std::decay_t<decltype(t)>;
    using TA = typename T::TA;
    using TX = typename T::TX;
    using TY = typename T::TY;
    // gemv_multi(...) is run(arguments) with vectors, ldx and ldy, and
    // gemv_compiled holds run, not gemv_multi.
    if (c.multi()) return gemv::run(long_form(c, t), stream);
    if (c.arrays()) {
      if (!c.has_epilogue())
        return gemv::gemv_batched<TA, TX, TY>(c.lay, c.trans, c.m, c.n, t.alpha, t.A_array, c.lda,
                                              t.x_array, c.incx, t.beta, t.y_array, c.incy,
                                              c.batch, stream);
      return gemv::gemv_batched<TA, TX, TY>(c.lay, c.trans, c.m, c.n, t.alpha, t.A_array, c.lda,
                                            t.x_array, c.incx, t.beta, t.y_array, c.incy, c.batch,
                                            t.ep, stream);
    }
    if (c.batched()) {
      if (!c.has_epilogue())
        return gemv::gemv_strided_batched<TA, TX, TY>(
            c.lay, c.trans, c.m, c.n, t.alpha, t.A, c.lda, c.stride_a, t.x, c.incx, c.stride_x,
            t.beta, t.y, c.incy, c.stride_y, c.batch, stream);
      return gemv::gemv_strided_batched<TA, TX, TY>(
          c.lay, c.trans, c.m, c.n, t.alpha, t.A, c.lda, c.stride_a, t.x, c.incx, c.stride_x,
          t.beta, t.y, c.incy, c.stride_y, c.batch, t.ep, stream);
    }
    // Without an epilogue, the plain BLAS form: the call users make most.
    if (!c.has_epilogue())
      return gemv::gemv<TA, TX, TY>(c.lay, c.trans, c.m, c.n, t.alpha, t.A, c.lda, t.x, c.incx,
                                    t.beta, t.y, c.incy, stream);
    return gemv::gemv<TA, TX, TY>(c.lay, c.trans, c.m, c.n, t.alpha, t.A, c.lda, t.x, c.incx,
                                  t.beta, t.y, c.incy, t.ep, stream);
  });
}

status run_forced(const gemv_call& c, const policy& pol, scratch ws, cudaStream_t stream,
                  plan* chosen) {
  if (c.batched() || c.multi()) return status::invalid_plan;
  return with_typed(c, [&](const auto& t) {
    using T = std::decay_t<decltype(t)>;
    using TA = typename T::TA;
    using TX = typename T::TX;
    using TY = typename T::TY;
    const workspace w{ws.data, ws.bytes};
    if (!c.has_epilogue())
      return gemv::gemv_with_policy<TA, TX, TY>(pol, c.lay, c.trans, c.m, c.n, t.alpha, t.A, c.lda,
                                                t.x, c.incx, t.beta, t.y, c.incy, w, stream,
                                                chosen);
    return gemv::gemv_with_policy<TA, TX, TY>(pol, c.lay, c.trans, c.m, c.n, t.alpha, t.A, c.lda,
                                              t.x, c.incx, t.beta, t.y, c.incy, t.ep, w, stream,
                                              chosen);
  });
}

status plan_of(const gemv_call& c, plan& out) {
  // The long form plans any call, a batch, several vectors and an epilogue included.
  return with_typed(c, [&](const auto& t) { return choose_plan(long_form(c, t), out); });
}

}  // namespace gemv::bench
