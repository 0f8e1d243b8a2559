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
    ASSERT_EQ(call_choose_plan<float>(c, dev.A(), dev.x(), dev.y(), chosen), status::success);
    ASSERT_GT(chosen.splits, 1) << "the call must need scratch: " << to_string(chosen);
    EXPECT_TRUE(run_and_check(dev, ops, reference_gemv(ops), [&](const float* A, const float* x,
                                                                 float* y) {
      return call_gemv(c, A, x, y);
    }));
  }
};

// Steady state makes no real allocation: after a split call and a
// synchronisation the pool still holds its reservation. A release threshold
// below the pool's reservation chunk would hand the chunk back at every
// synchronisation, and each split call would map it again.
TEST_F(DeviceReset, ThePoolKeepsItsReservationAcrossSynchronisations) {
  expect_split_call_correct();
  GEMV_CUDA_CHECK(cudaDeviceSynchronize());
  int device = 0;
  GEMV_CUDA_CHECK(cudaGetDevice(&device));
  cudaMemPool_t pool = nullptr;
  ASSERT_EQ(detail::scratch_pool(device, cudaStreamPerThread, pool), status::success);
  ASSERT_NE(pool, nullptr);
  std::uint64_t reserved = 0, threshold = 0;
  GEMV_CUDA_CHECK(cudaMemPoolGetAttribute(pool, cudaMemPoolAttrReservedMemCurrent, &reserved));
  GEMV_CUDA_CHECK(cudaMemPoolGetAttribute(pool, cudaMemPoolAttrReleaseThreshold, &threshold));
  EXPECT_GT(reserved, 0u) << "the pool gave its memory back at the synchronisation";
  EXPECT_LE(reserved, kScratchPoolRetainBytes);
  EXPECT_EQ(threshold, kScratchPoolRetainBytes);
}

TEST_F(DeviceReset, SplitCallsAfterAResetMakeANewPool) {
  expect_split_call_correct();  // makes the pool
  GEMV_CUDA_CHECK(cudaDeviceReset());
  expect_split_call_correct();  // a pool made before the reset would be a stale handle
  GEMV_CUDA_CHECK(cudaDeviceReset());
  expect_split_call_correct();
}

}  // namespace
}  // namespace gemv::test
