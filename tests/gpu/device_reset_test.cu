// The library's per-device state outlives nothing it must not: after
// cudaDeviceReset() destroys the device's context (and with it the memory
// pool the split scratch comes from), the next split call makes a new pool
// and gives the right result. Its own executable: a reset would pull the
// memory out from under every other test in a shared process.

#include "gpu/calls.cuh"

namespace gemv::test {
namespace {

class DeviceReset : public gpu_test_base {
 protected:
  /// One split call on fresh operands, checked against the host reference.
  void expect_split_call_correct() {
    const call_args c = packed_call(layout::row_major, op::n, 8, 300000, 0.5f);
    const operands<float> ops = make_operands<float>(c, 0, next_seed());
    device_operands<float> dev;
    dev.upload(ops);
    plan chosen;
    ASSERT_EQ(choose_plan<float>(c.lay, c.trans, c.m, c.n, c.alpha, dev.A(), c.lda, dev.x(), c.incx,
                                 c.beta, dev.y(), c.incy, chosen),
              status::success);
    ASSERT_GT(chosen.splits, 1) << "the call must need scratch: " << to_string(chosen);
    EXPECT_TRUE(run_and_check(dev, ops, reference_gemv(ops), [&](const float* A, const float* x,
                                                                 float* y) {
      return call_gemv(c, A, x, y);
    }));
  }
};

TEST_F(DeviceReset, SplitCallsAfterAResetMakeANewPool) {
  expect_split_call_correct();  // makes the pool
  GEMV_CUDA_CHECK(cudaDeviceReset());
  expect_split_call_correct();  // a pool made before the reset would be a stale handle
  GEMV_CUDA_CHECK(cudaDeviceReset());
  expect_split_call_correct();
}

}  // namespace
}  // namespace gemv::test
