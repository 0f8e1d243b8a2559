"""Every stride pattern BLAS can describe, on integer data whose sums are
exact, so any misread element shows as an inequality."""

import pytest

torch = pytest.importorskip("torch")
if not torch.cuda.is_available():
    pytest.skip("needs a CUDA device", allow_module_level=True)

import gemv  # noqa: E402
from gemv_testing import DTYPES, assert_close, exact_length, integers, randn, reference  # noqa: E402

# Each makes an m x n view of a fresh tensor from make(*shape).
MATRICES = {
    "row-major": lambda m, n, make: make(m, n),
    "row-major, lda > n": lambda m, n, make: make(m, n + 3)[:, :n],
    "row-major, unaligned start": lambda m, n, make: make(m, n + 1)[:, 1:],
    "row-major, every other row": lambda m, n, make: make(2 * m, n)[::2],
    "transposed view": lambda m, n, make: make(n, m).t(),
    "transposed, lda > m": lambda m, n, make: make(n, m + 5)[:, :m].t(),
    "transposed, unaligned start": lambda m, n, make: make(n, m + 1)[:, 1:].t(),
    "column-major, every other column": lambda m, n, make: make(2 * n, m)[::2].t(),
}

# Each makes a 1-D view of n elements.
VECTORS = {
    "contiguous": lambda n, make: make(n),
    "step 2": lambda n, make: make(2 * n)[::2],
    "step 3, offset 1": lambda n, make: make(3 * n + 1)[1::3],
}

# Rows of a few elements to long rows (split reductions on float), few and many outputs.
SHAPES = [(67, 64), (3, 1 << 16), (4096, 16), (1, 1000), (1000, 1)]


def exact(dtype):
    return lambda *shape: integers(*shape, dtype=dtype)


def exact_mv(A, x):
    return torch.mv(A.double(), x.double())


@pytest.mark.parametrize("dtype", DTYPES, ids=str)
@pytest.mark.parametrize("shape", SHAPES, ids=str)
@pytest.mark.parametrize("x_kind", VECTORS)
@pytest.mark.parametrize("matrix", MATRICES)
def test_mv_strided(matrix, x_kind, shape, dtype):
    m, n = shape[0], min(shape[1], exact_length(dtype))
    A = MATRICES[matrix](m, n, exact(dtype))
    x = VECTORS[x_kind](n, exact(dtype))
    assert A.shape == (m, n) and x.shape == (n,)
    assert torch.equal(gemv.mv(A, x).double(), exact_mv(A, x))


@pytest.mark.parametrize("dtype", DTYPES, ids=str)
@pytest.mark.parametrize("y_kind", VECTORS)
@pytest.mark.parametrize("matrix", ["row-major", "transposed view"])
def test_strided_outputs(matrix, y_kind, dtype):
    m, n = 300, min(200, exact_length(dtype) // 2)  # room for A @ x - y to stay exact
    A = MATRICES[matrix](m, n, exact(dtype))
    x = integers(n, dtype=dtype)

    # mv with out: written without being read, elements between untouched.
    base = torch.full((3 * m + 1,), float("nan"), device="cuda", dtype=dtype)
    out = {"contiguous": base[:m], "step 2": base[: 2 * m : 2], "step 3, offset 1": base[1::3][:m]}[y_kind]
    gemv.mv(A, x, out=out)
    assert torch.equal(out.double(), exact_mv(A, x))
    assert int(torch.isnan(base).sum()) == base.numel() - m

    # addmv_: y = A @ x - y.
    y = VECTORS[y_kind](m, exact(dtype))
    expected = exact_mv(A, x) - y.double()
    gemv.addmv_(y, A, x, beta=-1.0)
    assert torch.equal(y.double(), expected)


# Size-1 dimensions carry arbitrary strides in torch (stride 0 included).
ODD_STRIDES = {
    "one row of a transposed matrix": (lambda make: make(700, 5).t()[2:3], (1, 700)),
    "one expanded row": (lambda make: make(700).expand(1, 700), (1, 700)),
    "one column of a row-major matrix": (lambda make: make(900, 7)[:, 3:4], (900, 1)),
    "one column, transposed": (lambda make: make(1, 900).t(), (900, 1)),
    "1 x 1 expanded": (lambda make: make(1).expand(1, 1), (1, 1)),
    "1 x 1 from a transposed slice": (lambda make: make(5, 6).t()[2:3, 1:2], (1, 1)),
}


@pytest.mark.parametrize("dtype", DTYPES, ids=str)
@pytest.mark.parametrize("case", ODD_STRIDES)
def test_size_one_dimensions(case, dtype):
    build, shape = ODD_STRIDES[case]
    n = min(shape[1], exact_length(dtype))
    A = build(exact(dtype))[:, :n]
    assert A.shape == (shape[0], n)
    x = integers(n, dtype=dtype)
    assert torch.equal(gemv.mv(A, x).double(), exact_mv(A, x))
    if n == 1:  # a one-element x with stride 0
        x = integers(1, dtype=dtype)[0].expand(1)
        assert x.stride() == (0,)
        assert torch.equal(gemv.mv(A, x).double(), exact_mv(A, x))


@pytest.mark.parametrize("dtype", DTYPES, ids=str)
@pytest.mark.parametrize("matrix", ["row-major, lda > n", "transposed view", "transposed, unaligned start"])
@pytest.mark.parametrize("shape", [(3, 1 << 19), (1 << 19, 3), (64, 1 << 16)], ids=str)
def test_strided_long_reductions(shape, matrix, dtype):
    """Random data past the exact range: half and bfloat16 over long rows."""
    A = MATRICES[matrix](*shape, lambda *s: randn(*s, dtype=dtype))
    x = randn(2 * shape[1], dtype=dtype)[::2]
    assert_close(gemv.mv(A, x), *reference(A, x))
