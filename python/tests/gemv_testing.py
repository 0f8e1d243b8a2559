"""Operands, float64 references and tolerances shared by the tests."""

import torch

DTYPES = [torch.float32, torch.float16, torch.bfloat16]

# Error of the accumulation, relative to sum |alpha * a_i * x_i| (+ |beta * y|):
# a product of two half or bfloat16 inputs is exact in float, a product of two
# floats is rounded once (u = 2^-24); the library's compensated float sum and
# double combination of partial sums add about 2u. So about 3u = 1.8e-7;
# 1e-6 leaves a margin of five.
ACCUMULATION_RTOL = 1e-6


def randn(*shape, dtype=torch.float32):
    return torch.randn(shape, device="cuda").to(dtype)


def integers(*shape, dtype=torch.float32):
    """Values in {-2, ..., 2}: with few enough terms every sum is exact in the
    output type, so the result must match the float64 reference bit for bit."""
    return torch.randint(-2, 3, shape, device="cuda").to(dtype)


def exact_length(dtype):
    """The longest reduction whose sums of integers() stay exact in `dtype`:
    |sum| <= 4 n must be an integer the type represents (2^24, 2^11, 2^8)."""
    return {torch.float32: 1 << 22, torch.float16: 512, torch.bfloat16: 64}[dtype]


def reference(A, x, *, alpha=1.0, beta=0.0, y=None):
    """alpha * A @ x + beta * y in float64 (torch.mv / torch.addmv), and the
    sum of the magnitudes of its terms, which bounds its rounding error."""
    A64, x64 = A.double(), x.double()
    if y is None or beta == 0:
        return torch.mv(A64, x64) * alpha, (A64.abs() @ x64.abs()) * abs(alpha)
    y64 = y.double().expand(A.shape[0])
    ref = torch.addmv(y64, A64, x64, beta=beta, alpha=alpha)
    return ref, (A64.abs() @ x64.abs()) * abs(alpha) + y64.abs() * abs(beta)


def assert_close(result, ref, scale):
    """|result - ref| within the accumulation error plus the rounding of the
    result to its own type: half an ulp, u |ref| (u = 2^-24, 2^-11, 2^-8), and
    the spacing of subnormals, where relative rounding does not hold."""
    info = torch.finfo(result.dtype)
    tolerance = info.eps / 2 * ref.abs() + ACCUMULATION_RTOL * scale + info.tiny * info.eps
    assert result.shape == ref.shape
    if result.numel() == 0:
        return
    error = (result.double() - ref).abs()
    assert torch.isfinite(result).all(), "non-finite output"
    worst = int(torch.argmax(error - tolerance))
    assert bool((error <= tolerance).all()), (
        f"element {worst}: got {float(result[worst])}, want {float(ref[worst])} "
        f"(error {float(error[worst]):.3g}, tolerance {float(tolerance[worst]):.3g})"
    )


def poison_allocator(n, dtype):
    """Hands a NaN-filled block of n elements back to the caching allocator,
    which tends to give the same block to the next allocation of that size:
    an output element the operator forgets to write then shows as NaN."""
    torch.full((n,), float("nan"), device="cuda", dtype=dtype)
