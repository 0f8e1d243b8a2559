#pragma once
// gemv: y = alpha * op(A) * x + beta * y on CUDA devices, for float, __half
// and __nv_bfloat16. Include this header; see README.md for the API.

#include <gemv/api.cuh>
#include <gemv/device.cuh>
#include <gemv/dispatch/make_plan.cuh>
#include <gemv/plan.cuh>
#include <gemv/problem.cuh>
#include <gemv/types.cuh>
#include <gemv/version.cuh>
