// A strided batch's validation and plan: host arithmetic only.

#include <gemv/gemv.cuh>

#include "support/cards.hpp"
#include "support/fake_address.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>

namespace gemv {
namespace {

using test::fake;

/// 8 members of a 64 x 96 float problem, packed one after another.
arguments<float> batch_of_eight() {
  arguments<float> a;
  a.m = 64;
  a.n = 96;
  a.lda = 96;
  a.A = fake<const float>(0x100000);
  a.x = fake<const float>(0x200000);
  a.y = fake<float>(0x300000);
  a.batch = 8;
  a.stride_a = 64 * 96;
  a.stride_x = 96;
  a.stride_y = 64;
  return a;
}

TEST(Batch, StatusesOfItsOwnArguments) {
  EXPECT_EQ(can_implement(batch_of_eight()), status::success);
  auto a = batch_of_eight();
  a.batch = -1;
  EXPECT_EQ(can_implement(a), status::invalid_batch);
  a = batch_of_eight();
  a.stride_y = 63;  // member 1's first output is member 0's last
  EXPECT_EQ(can_implement(a), status::overlapping_outputs);
  a.stride_y = -64;  // backwards, apart: fine
  EXPECT_EQ(can_implement(a), status::success);
  a.stride_y = 0;
  EXPECT_EQ(can_implement(a), status::overlapping_outputs);
  a.batch = 1;  // one member may share nothing with another
  EXPECT_EQ(can_implement(a), status::success);
  a = batch_of_eight();
  a.stride_a = 0;  // one matrix, eight vectors
  a.stride_x = 0;  // or one vector: reads may be shared
  EXPECT_EQ(can_implement(a), status::success);
  a = batch_of_eight();
  a.stride_a = std::numeric_limits<std::int64_t>::min();
  EXPECT_EQ(can_implement(a), status::invalid_size);
  a = batch_of_eight();
  a.incy = 2;  // y spans 127 elements a member
  EXPECT_EQ(can_implement(a), status::overlapping_outputs);
  a.stride_y = 127;
  EXPECT_EQ(can_implement(a), status::success);
}

// Pointer arrays: the host sees the arrays only; members' pointers are the
// device's.
TEST(Batch, PointerArraysAreCheckedAsArrays) {
  arguments<float> a;
  a.m = 64;
  a.n = 96;
  a.lda = 96;
  a.batch = 5;
  a.A_array = fake<const float* const>(0x100000);
  a.x_array = fake<const float* const>(0x200000);
  a.y_array = fake<float* const>(0x300000);
  EXPECT_EQ(can_implement(a), status::success);  // A, x and y themselves unused
  a.x_array = nullptr;
  EXPECT_EQ(can_implement(a), status::null_pointer);
  a.alpha = 0.0f;  // x is not read
  EXPECT_EQ(can_implement(a), status::success);
  a.alpha = 1.0f;
  a.x_array = fake<const float* const>(0x200004);
  EXPECT_EQ(can_implement(a), status::misaligned_pointer);
  a.x_array = fake<const float* const>(0x200000);
  a.y_array = nullptr;
  EXPECT_EQ(can_implement(a), status::null_pointer);
  a.batch = -2;
  EXPECT_EQ(can_implement(a), status::invalid_batch);
}

TEST(Batch, NoMembersIsAQuickReturn) {
  auto a = batch_of_eight();
  a.batch = 0;
  a.A = nullptr;
  a.y = nullptr;
  call_arguments c = detail::erase(a);
  EXPECT_TRUE(c.quick_return());
  EXPECT_EQ(validate(c), status::success);
}

// The plan of a batch is the plan of all its members' rows (or columns) as
// one problem, and its scratch holds every member's pieces, within the
// library's bound.
TEST(Batch, PlannedAsOneProblemOfAllItsMembers) {
  for (const test::card& card : test::kCards) {
    for (std::int64_t batch : {2, 17, 4096}) {
      for (reduction kind : {reduction::along_rows, reduction::across_rows}) {
        problem member;
        member.kind = kind;
        member.type = dtype::f32;
        member.rows = 64;
        member.cols = 4096;
        member.ld = 4096;
        member.vectorizable = true;
        member.batch = batch;
        problem whole = member;
        whole.batch = 1;
        (kind == reduction::along_rows ? whole.rows : whole.cols) *= batch;
        const plan pb = make_plan(member, card.dev);
        const plan pw = make_plan(whole, card.dev);
        EXPECT_EQ(to_string(pb.pol), to_string(pw.pol)) << card.name << " batch " << batch;
        EXPECT_EQ(pb.splits, pw.splits);
        EXPECT_EQ(pb.prob.batch, batch);
        EXPECT_EQ(pb.workspace_bytes(), pw.workspace_bytes());
        EXPECT_LE(pb.workspace_bytes(), kMaxWorkspaceBytes);
      }
    }
  }
}

}  // namespace
}  // namespace gemv
