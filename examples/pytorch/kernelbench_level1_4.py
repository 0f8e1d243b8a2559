"""KernelBench level 1, problem 4: C = A @ B, A of shape 2048 x 1048576 float32
(8 GiB), B of shape 1048576 x 1. Model is KernelBench's reference, ModelNew
runs gemv. Run as a script, it checks ModelNew against Model on the GPU and
times both:

    pip install --no-build-isolation ./python
    python examples/pytorch/kernelbench_level1_4.py [--reps 50]
"""

import argparse
import statistics
import sys

import torch
import torch.nn as nn

import gemv


class Model(nn.Module):
    """Simple model that performs matrix-vector multiplication (C = A * B)."""

    def __init__(self):
        super().__init__()

    def forward(self, A: torch.Tensor, B: torch.Tensor) -> torch.Tensor:
        return torch.matmul(A, B)


class ModelNew(nn.Module):
    """C = A @ B through gemv: B's one column is a vector (any stride), and the
    (M,) result is returned as Model's (M, 1)."""

    def __init__(self):
        super().__init__()

    def forward(self, A: torch.Tensor, B: torch.Tensor) -> torch.Tensor:
        return gemv.mv(A, B[:, 0]).unsqueeze(1)


M = 256 * 8  # 2048
K = 131072 * 8  # 1048576


def get_inputs():
    A = torch.rand(M, K)
    B = torch.rand(K, 1)
    return [A, B]


def get_init_inputs():
    return []


def median_ms(fn, reps, warmup=5):
    """Median of event-timed calls on the current stream. A is 8 GiB, far
    beyond L2, so every call reads it from DRAM without any flushing."""
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(reps):
        start, end = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
        start.record()
        fn()
        end.record()
        end.synchronize()
        times.append(start.elapsed_time(end))
    return statistics.median(times)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=50, help="timed calls per model (default 50)")
    args = parser.parse_args()
    if not torch.cuda.is_available():
        print("kernelbench_level1_4: no CUDA device, nothing to check")
        return 0

    torch.manual_seed(0)
    with torch.device("cuda"):  # KernelBench's inputs, made on the GPU directly
        A, B = get_inputs()
        model, model_new = Model(*get_init_inputs()), ModelNew(*get_init_inputs())
    want, got = model(A, B), model_new(A, B)
    torch.cuda.synchronize()

    # KernelBench's verdict: same shape, allclose with atol = rtol = 1e-2.
    ok = got.shape == want.shape and torch.allclose(got, want, atol=1e-2, rtol=1e-2)
    # Tighter, against float64 on sampled rows. A and B are non-negative, so
    # there is no cancellation and the relative error means what it says:
    # gemv rounds each product once (u = 2^-24) and its compensated sum adds
    # about 2u, so 1e-6 bounds it; cuBLAS's float sums are reported, not judged.
    rows = torch.randint(M, (64,), device="cuda")
    exact = A[rows].double() @ B.double()
    gemv_error = float(((got[rows].double() - exact).abs() / exact).max())
    cublas_error = float(((want[rows].double() - exact).abs() / exact).max())
    ok = ok and gemv_error <= 1e-6
    print(f"shape {tuple(got.shape)}; largest relative error against float64 on 64 rows: "
          f"ModelNew {gemv_error:.2e}, Model {cublas_error:.2e}; {'match' if ok else 'MISMATCH'}")

    gigabytes = (A.numel() + B.numel() + M) * A.element_size() / 1e9
    model_ms = median_ms(lambda: model(A, B), args.reps)
    new_ms = median_ms(lambda: model_new(A, B), args.reps)
    device = torch.cuda.get_device_name()
    print(f"{device}, median of {args.reps} calls after 5 warm-up calls:")
    print(f"  Model    (torch.matmul) {model_ms:8.3f} ms  {gigabytes / model_ms * 1e3:6.0f} GB/s")
    print(f"  ModelNew (gemv.mv)      {new_ms:8.3f} ms  {gigabytes / new_ms * 1e3:6.0f} GB/s")
    print(f"  speedup {model_ms / new_ms:.3f}x")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
