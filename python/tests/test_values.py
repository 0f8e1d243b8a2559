"""gemv.mv, addmv and addmv_ against torch.mv, torch.addmv and torch.matmul in float64."""

import pytest

torch = pytest.importorskip("torch")
if not torch.cuda.is_available():
    pytest.skip("needs a CUDA device", allow_module_level=True)

import gemv  # noqa: E402  (on a GPU machine a missing build is an error, not a skip)
from gemv_testing import (  # noqa: E402
    DTYPES,
    assert_close,
    exact_length,
    integers,
    poison_allocator,
    randn,
    reference,
)

# Shapes that reach different plans of the library: single elements, one long
# row (split reduction), one column, odd sizes, square, a few rows of a
# million (split), millions of short rows.
SHAPES = [(1, 1), (1, 100_003), (5_000, 1), (37, 129), (1024, 1024), (4, 1 << 20), (1 << 20, 8)]


@pytest.mark.parametrize("dtype", DTYPES, ids=str)
@pytest.mark.parametrize("shape", SHAPES, ids=str)
def test_mv_matches_torch_mv(dtype, shape):
    A, x = randn(*shape, dtype=dtype), randn(shape[1], dtype=dtype)
    poison_allocator(shape[0], dtype)
    y = gemv.mv(A, x)
    assert y.dtype == dtype and y.device == A.device
    assert_close(y, *reference(A, x))


@pytest.mark.parametrize("dtype", DTYPES, ids=str)
@pytest.mark.parametrize("alpha", [2.5, -1.0, 0.0])
def test_mv_alpha(dtype, alpha):
    A, x = randn(300, 700, dtype=dtype), randn(700, dtype=dtype)
    assert_close(gemv.mv(A, x, alpha=alpha), *reference(A, x, alpha=alpha))


@pytest.mark.parametrize("dtype", DTYPES, ids=str)
def test_mv_out_is_written_not_read_when_beta_is_zero(dtype):
    A, x = randn(513, 2049, dtype=dtype), randn(2049, dtype=dtype)
    out = torch.full((513,), float("nan"), device="cuda", dtype=dtype)
    assert gemv.mv(A, x, out=out) is out
    assert_close(out, *reference(A, x))


@pytest.mark.parametrize("dtype", DTYPES, ids=str)
@pytest.mark.parametrize("alpha, beta", [(1.0, 1.0), (0.5, -2.0), (0.0, 3.0), (1.0, 0.0)])
def test_addmv_matches_torch_addmv(dtype, alpha, beta):
    A, x, y = randn(1000, 3000, dtype=dtype), randn(3000, dtype=dtype), randn(1000, dtype=dtype)
    y_before = y.clone()
    z = gemv.addmv(y, A, x, alpha=alpha, beta=beta)
    assert torch.equal(y, y_before), "addmv must not change y"
    assert_close(z, *reference(A, x, alpha=alpha, beta=beta, y=y))


@pytest.mark.parametrize("y_shape", [(), (1,)], ids=["0-d", "1 element"])
def test_addmv_broadcasts_y_like_torch(y_shape):
    A, x, y = randn(77, 333), randn(333), randn(*y_shape)
    assert_close(gemv.addmv(y, A, x, beta=0.25), *reference(A, x, beta=0.25, y=y))


def test_addmv_ignores_y_when_beta_is_zero():
    A, x = randn(64, 100), randn(100)
    y = torch.full((64,), float("nan"), device="cuda")
    assert_close(gemv.addmv(y, A, x, beta=0.0), *reference(A, x))


@pytest.mark.parametrize("dtype", DTYPES, ids=str)
@pytest.mark.parametrize("shape", [(1, 1 << 18), (2048, 2048), (1 << 16, 16)], ids=str)
def test_addmv_in_place(dtype, shape):
    A, x, y = randn(*shape, dtype=dtype), randn(shape[1], dtype=dtype), randn(shape[0], dtype=dtype)
    expected = reference(A, x, alpha=-1.5, beta=0.5, y=y)
    assert gemv.addmv_(y, A, x, alpha=-1.5, beta=0.5) is y
    assert_close(y, *expected)


@pytest.mark.parametrize("dtype", DTYPES, ids=str)
def test_matmul_of_a_column(dtype):
    """KernelBench's C = A @ B with B of shape (K, 1)."""
    A, B = randn(256, 8192, dtype=dtype), randn(8192, 1, dtype=dtype)
    C = gemv.mv(A, B[:, 0]).unsqueeze(1)
    ref = torch.matmul(A.double(), B.double())
    scale = A.double().abs() @ B.double().abs()
    assert_close(C[:, 0], ref[:, 0], scale[:, 0])
    assert C.shape == torch.matmul(A, B).shape


@pytest.mark.parametrize("dtype", DTYPES, ids=str)
@pytest.mark.parametrize("rows", [1, 3, 1000])
def test_integer_sums_are_exact(dtype, rows):
    """A dropped, repeated or misplaced term changes an exact sum."""
    n = min(exact_length(dtype), (1 << 22) // rows)
    A, x = integers(rows, n, dtype=dtype), integers(n, dtype=dtype)
    y = gemv.mv(A, x)
    assert torch.equal(y.double(), torch.mv(A.double(), x.double()))


@pytest.mark.parametrize("dtype", DTYPES, ids=str)
def test_empty_problems(dtype):
    # No rows: an empty result.
    assert gemv.mv(randn(0, 5, dtype=dtype), randn(5, dtype=dtype)).shape == (0,)
    # No columns: an empty sum, so A @ x is zero and addmv gives beta * y.
    x = randn(0, dtype=dtype)
    A = randn(7, 0, dtype=dtype)
    poison_allocator(7, dtype)
    assert torch.equal(gemv.mv(A, x), torch.zeros(7, device="cuda", dtype=dtype))
    y = randn(7, dtype=dtype)
    assert torch.equal(gemv.addmv(y, A, x, beta=2.0), y * 2)
    out = torch.full((7,), float("nan"), device="cuda", dtype=dtype)
    assert torch.equal(gemv.mv(A, x, out=out), torch.zeros_like(out))
