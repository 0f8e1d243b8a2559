// Several vectors against one A (gemv_multi): validation and plans, host
// arithmetic only.

#include <gemv/gemv.cuh>

#include "support/cards.hpp"
#include "support/fake_address.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <string>

namespace gemv {
namespace {

using test::fake;

/// 4 vectors against a 64 x 96 float A, each vector packed after the last.
arguments<float> four_vectors() {
  arguments<float> a;
  a.m = 64;
  a.n = 96;
  a.lda = 96;
  a.A = fake<const float>(0x100000);
  a.x = fake<const float>(0x200000);
  a.y = fake<float>(0x300000);
  a.vectors = 4;
  a.ldx = 96;
  a.ldy = 64;
  return a;
}

TEST(MultiVector, StatusesOfItsOwnArguments) {
  EXPECT_EQ(can_implement(four_vectors()), status::success);
  auto a = four_vectors();
  for (int k : {0, -1, kMaxVectors + 1}) {
    a.vectors = k;
    EXPECT_EQ(can_implement(a), status::invalid_vector_count) << k;
  }
  a.vectors = kMaxVectors;
  EXPECT_EQ(can_implement(a), status::success);
  a = four_vectors();
  a.ldx = 95;  // shorter than a vector of x
  EXPECT_EQ(can_implement(a), status::invalid_leading_dimension);
  a = four_vectors();
  a.ldy = 63;  // vector 1's first output is vector 0's last
  EXPECT_EQ(can_implement(a), status::invalid_leading_dimension);
  a.ldy = 0;
  EXPECT_EQ(can_implement(a), status::invalid_leading_dimension);
  a = four_vectors();
  a.ldy = std::numeric_limits<std::int64_t>::max() / 2;
  EXPECT_EQ(can_implement(a), status::invalid_size);
  a = four_vectors();
  a.batch = 2;  // not with a batch
  EXPECT_EQ(can_implement(a), status::invalid_batch);
  a = four_vectors();
  a.vectors = 1;
  a.ldx = a.ldy = 0;  // one vector: the spacing is not read
  EXPECT_EQ(can_implement(a), status::success);
}

// A strided batch that shares A and steps forward through x and y is
// several vectors against A (up to kMaxVectors of them).
TEST(MultiVector, BatchesSharingAAreSeveralVectors) {
  call_arguments c;
  c.m = 64;
  c.n = 96;
  c.batch = 4;
  c.stride_x = 96;
  c.stride_y = 64;
  EXPECT_TRUE(c.batch_of_vectors());
  c.stride_a = 64 * 96;  // members' own matrices
  EXPECT_FALSE(c.batch_of_vectors());
  c.stride_a = 0;
  c.stride_x = 0;  // one x for all: a batch
  EXPECT_FALSE(c.batch_of_vectors());
  c.stride_x = -96;  // backwards
  EXPECT_FALSE(c.batch_of_vectors());
  c.stride_x = 96;
  c.batch = kMaxVectors + 1;
  EXPECT_FALSE(c.batch_of_vectors());
  c.batch = 1;
  EXPECT_FALSE(c.batch_of_vectors());
}

problem several(reduction kind, std::int64_t rows, std::int64_t cols, int vectors, dtype type = dtype::bf16) {
  problem p;
  p.kind = kind;
  p.type = p.x_type = type;
  p.rows = rows;
  p.cols = cols;
  p.ld = cols;
  p.vectorizable = true;
  p.vectors = vectors;
  return p;
}

// Rows long enough for a warp or a block of their own, which one vector's
// plan reads whole, are read once, in passes of up to four vectors (16-bit
// x by warps of two rows, which share each widened vector of x). Short
// rows, rows that one vector's plan splits, and across_rows problems run
// the vectors as a batch sharing A, planned as one.
TEST(MultiVector, PlansReadRowsOnceWhereTheyAreLong) {
  for (const test::card& card : test::kCards) {
    for (int k : {2, 3, 4, 8, 16}) {
      const int pass = k <= 2 ? 2 : 4;
      for (const auto& [rows, cols] : {std::pair<std::int64_t, std::int64_t>{14336, 4096}, {4096, 14336},
                                       {128256, 4096}, {2048, 1048576}, {300, 1000}, {256, 131072}}) {
        const problem p = several(reduction::along_rows, rows, cols, k);
        problem one = p;
        one.vectors = 1;
        const plan pl = make_plan(p, card.dev);
        const std::string what = std::string(card.name) + " " + to_string(pl) + " k " + std::to_string(k);
        EXPECT_EQ(pl.prob.vectors, k);
        if (make_plan(one, card.dev).splits > 1) {  // a batch whose members split their rows
          EXPECT_EQ(pl.pol.vectors, 0) << what;
          EXPECT_EQ(pl.prob.batch, k) << what;
          continue;
        }
        EXPECT_EQ(pl.pol.vectors, pass) << what;
        EXPECT_TRUE(pl.pol.kernel == kernel_kind::row_warp || pl.pol.kernel == kernel_kind::row_block) << what;
        EXPECT_TRUE(is_supported(pl.pol, reduction::along_rows)) << what;
        EXPECT_EQ(pl.splits, 1);
        EXPECT_EQ(pl.prob.batch, 1);
        if (model::plans(pl.prob, card.dev, tuning::for_arch(card.dev.arch))) {
          EXPECT_EQ(pl.pol.kernel, kernel_kind::row_warp) << what;
          EXPECT_EQ(pl.pol.rows, 2) << what;
        }
      }
      for (const problem& p : {several(reduction::along_rows, 1 << 20, 64, k, dtype::f32),
                               several(reduction::along_rows, 64, 1 << 20, k, dtype::f32),
                               several(reduction::across_rows, 4096, 4096, k)}) {
        problem batch = p;
        batch.vectors = 1;
        batch.batch = k;
        const plan pl = make_plan(p, card.dev);
        const plan pb = make_plan(batch, card.dev);
        EXPECT_EQ(to_string(pl.pol), to_string(pb.pol)) << card.name << " k " << k;
        EXPECT_EQ(pl.prob.batch, k);
        EXPECT_EQ(pl.prob.vectors, k);
        EXPECT_LE(pl.workspace_bytes(), kMaxWorkspaceBytes);
      }
    }
  }
}

// A forced policy that cannot read the rows once still runs: as a batch.
TEST(MultiVector, ForcedPoliciesRunEitherWay) {
  const device_info dev = test::kCards[0].dev;
  const problem p = several(reduction::along_rows, 1000, 4096, 3);
  const plan once = make_plan(p, dev, policy{kernel_kind::row_warp, 128, 2, 0, 2, 0, 0});
  EXPECT_EQ(once.pol.vectors, 4);
  EXPECT_EQ(once.prob.batch, 1);
  const plan batched = make_plan(p, dev, policy{kernel_kind::row_subwarp, 128, 0, 8, 2, 0, 0});
  EXPECT_EQ(batched.pol.vectors, 0);
  EXPECT_EQ(batched.prob.batch, 3);
  problem element_wise = p;
  element_wise.vectorizable = false;  // no row_block of several vectors on this path
  const plan block = make_plan(element_wise, dev, policy{kernel_kind::row_block, 128, 1, 0, 2, 0, 0});
  EXPECT_EQ(block.pol.vectors, 0);
  EXPECT_EQ(block.prob.batch, 3);
}

}  // namespace
}  // namespace gemv
