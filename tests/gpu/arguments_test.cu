// The long form (gemv::arguments with can_implement, workspace_size and
// run), alpha and beta read from device memory, and a caller's activation
// functor, on shapes that reach the row, split, sub-warp and column plans.
// One combination, bfloat16 A with float x and y: the forms are the same
// code for every combination (api.cuh), and the functor's kernels compile
// here.

#include "gpu/typed_calls.cuh"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <vector>

namespace gemv::test {
namespace {

using C = combination<__nv_bfloat16, float, float>;
using args_t = arguments<__nv_bfloat16, float, float>;

/// Shapes of every first-pass family under the default dispatch.
std::vector<call_args> form_shapes() {
  return {packed_call(layout::row_major, op::n, 300, 5000, 0.5f),   // row blocks
          packed_call(layout::row_major, op::n, 6, 200000),         // split rows
          packed_call(layout::row_major, op::n, 40000, 8, -1.0f),   // sub-warp
          packed_call(layout::row_major, op::t, 3000, 700, 0.25f),  // column
          packed_call(layout::col_major, op::n, 100, 90000)};       // split column
}

template <class Act = activation>
arguments<__nv_bfloat16, float, float, Act> long_form(const call_args& c,
                                                      const typed_device_operands<C>& dev) {
  arguments<__nv_bfloat16, float, float, Act> a;
  a.lay = c.lay;
  a.trans = c.trans;
  a.m = c.m;
  a.n = c.n;
  a.alpha = c.alpha;
  a.A = dev.A();
  a.lda = c.lda;
  a.x = dev.x();
  a.incx = c.incx;
  a.beta = c.beta;
  a.y = dev.y();
  a.incy = c.incy;
  return a;
}

/// y's whole buffer after `launch`, from the operands' y.
template <class Launch>
std::vector<float> y_after(typed_device_operands<C>& dev, const operands_of<C>& ops, Launch&& launch) {
  dev.reset_y(ops);
  EXPECT_EQ(launch(), status::success);
  GEMV_CUDA_CHECK(cudaDeviceSynchronize());
  return dev.y_buffer();
}

bool bitwise_equal(const std::vector<float>& a, const std::vector<float>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0;
}

class ArgumentsForm : public gpu_test_base {};

// run(arguments) is the short form: the same plan, the same bits; with the
// scratch workspace_size() names, the caller's workspace gives them too.
TEST_F(ArgumentsForm, RunIsTheShortFormBitwise) {
  typed_device_operands<C> dev;
  for (const call_args& c : form_shapes()) {
    const operands_of<C> ops = make_typed_operands<C>(c, 0, 0, next_seed());
    dev.upload(ops);
    const std::vector<float> short_form = y_after(dev, ops, [&] { return typed_gemv<C>(c, dev.A(), dev.x(), dev.y()); });
    const args_t a = long_form(c, dev);
    EXPECT_EQ(can_implement(a), status::success) << to_string(c);
    EXPECT_TRUE(bitwise_equal(y_after(dev, ops, [&] { return run(a); }), short_form)) << to_string(c);

    std::size_t bytes = 1;
    ASSERT_EQ(workspace_size(a, bytes), status::success);
    EXPECT_LE(bytes, kMaxWorkspaceBytes);
    device_buffer<unsigned char> scratch(static_cast<std::int64_t>(bytes));
    EXPECT_TRUE(bitwise_equal(y_after(dev, ops, [&] { return run(a, workspace{scratch.data(), bytes}); }),
                              short_form))
        << to_string(c) << " with " << bytes << " bytes of scratch";
    if (bytes > 0) {
      EXPECT_EQ(run(a, workspace{scratch.data(), bytes - 1}), status::insufficient_workspace);
    }
  }
}

// can_implement() gives the status of the call without touching the device,
// and run() returns it too, writing nothing.
TEST_F(ArgumentsForm, BadArgumentsAreRefusedBeforeTheDevice) {
  typed_device_operands<C> dev;
  const call_args c = packed_call(layout::row_major, op::n, 64, 96);
  const operands_of<C> ops = make_typed_operands<C>(c, 0, 0, next_seed());
  dev.upload(ops);
  args_t a = long_form(c, dev);
  a.lda = 95;
  EXPECT_EQ(can_implement(a), status::invalid_leading_dimension);
  EXPECT_EQ(run(a), status::invalid_leading_dimension);
  a = long_form(c, dev);
  a.alpha_on_device = reinterpret_cast<const float*>(reinterpret_cast<const char*>(dev.y()) + 2);
  EXPECT_EQ(can_implement(a), status::misaligned_pointer);
  a = long_form(c, dev);
  a.x = nullptr;
  EXPECT_EQ(run(a), status::null_pointer);
  GEMV_CUDA_CHECK(cudaDeviceSynchronize());
  EXPECT_TRUE(bitwise_equal(dev.y_buffer(), ops.y));  // poison is NaN: compare bits
}

class DeviceScalars : public gpu_test_base {};

// alpha and beta in device memory give the bits of the same values passed
// by value, and a captured graph reads them at every replay.
TEST_F(DeviceScalars, ReadWhenTheKernelsRun) {
  typed_device_operands<C> dev;
  device_buffer<float> scalars(2);
  const auto set_scalars = [&](float alpha, float beta) {
    const float host[2] = {alpha, beta};
    GEMV_CUDA_CHECK(cudaMemcpy(scalars.data(), host, sizeof host, cudaMemcpyHostToDevice));
  };
  for (const call_args& c : form_shapes()) {
    const operands_of<C> ops = make_typed_operands<C>(c, 0, 0, next_seed());
    dev.upload(ops);
    args_t on_device = long_form(c, dev);
    on_device.alpha = 12345.0f;  // ignored: the device's values count
    on_device.beta = 12345.0f;
    on_device.alpha_on_device = scalars.data();
    on_device.beta_on_device = scalars.data() + 1;
    std::size_t bytes = 0;
    ASSERT_EQ(workspace_size(on_device, bytes), status::success);
    device_buffer<unsigned char> scratch(static_cast<std::int64_t>(bytes));
    const workspace ws{scratch.data(), bytes};

    set_scalars(c.alpha, c.beta);
    const std::vector<float> by_value = y_after(dev, ops, [&] { return typed_gemv<C>(c, dev.A(), dev.x(), dev.y()); });
    EXPECT_TRUE(bitwise_equal(y_after(dev, ops, [&] { return run(on_device, ws); }), by_value)) << to_string(c);

    // Captured once, replayed with new values.
    cudaStream_t stream = nullptr;
    GEMV_CUDA_CHECK(cudaStreamCreateWithFlags(&stream, cudaStreamNonBlocking));
    cudaGraph_t graph = nullptr;
    cudaGraphExec_t exec = nullptr;
    GEMV_CUDA_CHECK(cudaStreamBeginCapture(stream, cudaStreamCaptureModeThreadLocal));
    const status captured = run(on_device, ws, stream);
    GEMV_CUDA_CHECK(cudaStreamEndCapture(stream, &graph));
    ASSERT_EQ(captured, status::success);
    GEMV_CUDA_CHECK(cudaGraphInstantiate(&exec, graph, 0));
    call_args other = c;
    other.alpha = -2.0f;
    other.beta = 0.5f;
    const std::vector<float> other_by_value =
        y_after(dev, ops, [&] { return typed_gemv<C>(other, dev.A(), dev.x(), dev.y()); });
    set_scalars(other.alpha, other.beta);
    const std::vector<float> replayed = y_after(dev, ops, [&] {
      GEMV_CUDA_CHECK(cudaGraphLaunch(exec, stream));
      GEMV_CUDA_CHECK(cudaStreamSynchronize(stream));
      return status::success;
    });
    EXPECT_TRUE(bitwise_equal(replayed, other_by_value)) << to_string(c) << " (graph replay)";
    GEMV_CUDA_CHECK(cudaGraphExecDestroy(exec));
    GEMV_CUDA_CHECK(cudaGraphDestroy(graph));
    GEMV_CUDA_CHECK(cudaStreamDestroy(stream));
  }
}

// An alpha of 0 read on the device drops the product: NaN in A does not
// show, y = beta * y, as BLAS specifies for alpha == 0.
TEST_F(DeviceScalars, ZeroAlphaOnTheDeviceDropsTheProduct) {
  typed_device_operands<C> dev;
  device_buffer<float> scalars(2);
  const float host[2] = {0.0f, 1.5f};
  GEMV_CUDA_CHECK(cudaMemcpy(scalars.data(), host, sizeof host, cudaMemcpyHostToDevice));
  for (const call_args& shape : form_shapes()) {
    call_args c = shape;
    c.alpha = 0.0f;
    c.beta = 1.5f;
    operands_of<C> ops = make_typed_operands<C>(c, 0, 0, next_seed());
    for (auto& a : ops.A) a = __float2bfloat16(std::nanf(""));
    const expected ref = typed_reference<C>(ops);
    dev.upload(ops);
    args_t a = long_form(c, dev);
    a.alpha_on_device = scalars.data();
    a.beta_on_device = scalars.data() + 1;
    EXPECT_TRUE(typed_run_and_check(dev, ops, ref, [&](auto, auto, auto) { return run(a); }))
        << to_string(c);
  }
}

/// A caller's activation: leaky ReLU plus a step by output index, so that an
/// activation given the wrong index, or none, fails.
struct indexed_leaky {
  float slope = 0.125f;
  __device__ float operator()(float v, std::int64_t i) const {
    return (v < 0.0f ? slope * v : v) + 0.25f * static_cast<float>(i % 4);
  }
};

class CustomActivation : public gpu_test_base {};

TEST_F(CustomActivation, FunctorGetsEachOutputAndItsIndex) {
  typed_device_operands<C> dev;
  for (call_args c : form_shapes()) {
    c.beta = 0.0f;  // the reference below activates the whole value
    const std::uint64_t seed = next_seed();
    const operands_of<C> ops = make_typed_operands<C>(c, 0, 0, seed);
    const epilogue_values<float> values = make_epilogue<C>(c, /*scale=*/true, /*bias=*/true, activation::none, seed);
    expected ref = typed_reference<C>(ops, values);
    // The functor in double; its float evaluation adds at most an ulp of
    // float of the value and of the step (slope <= 1 scales the error).
    for (std::size_t o = 0; o < ref.value.size(); ++o) {
      const double v = ref.value[o];
      const double f = (v < 0.0 ? 0.125 * v : v) + 0.25 * static_cast<double>(o % 4);
      ref.value[o] = f;
      ref.allowed[o] += 0x1p-23 * (std::fabs(v) + std::fabs(f));
    }
    dev.upload(ops, values);
    const epilogue<float> fused = dev.fused();
    const epilogue<float, indexed_leaky> custom{fused.scale, fused.bias, indexed_leaky{}};
    EXPECT_TRUE(typed_run_and_check(dev, ops, ref, [&](auto A, auto x, auto y) {
      return gemv::gemv(c.lay, c.trans, c.m, c.n, c.alpha, A, c.lda, x, c.incx, c.beta, y, c.incy, custom);
    })) << to_string(c);
  }
}

}  // namespace
}  // namespace gemv::test
