"""torch.compile traces the operators through their fake implementations
without breaking the graph, and torch.library's own checks pass."""

import pytest

torch = pytest.importorskip("torch")
if not torch.cuda.is_available():
    pytest.skip("needs a CUDA device", allow_module_level=True)

import gemv  # noqa: E402
from gemv_testing import assert_close, randn, reference  # noqa: E402


@pytest.fixture(autouse=True)
def fresh_dynamo():
    torch._dynamo.reset()
    yield
    torch._dynamo.reset()


def test_compiled_mv_matches_eager():
    @torch.compile(fullgraph=True)
    def scaled(A, x):
        return gemv.mv(A, x, alpha=3.0)

    for m, n in [(512, 4096), (3, 1 << 18)]:
        A, x = randn(m, n), randn(n)
        assert_close(scaled(A, x), *reference(A, x, alpha=3.0))
        assert_close(scaled(A.t().contiguous().t(), x), *reference(A, x, alpha=3.0))


def test_compiled_graph_mixes_gemv_with_aten():
    @torch.compile(fullgraph=True)
    def layer(A, x, bias):
        h = gemv.addmv(bias, A, x)
        return torch.relu(gemv.mv(A.t(), torch.tanh(h)))

    A, x, bias = randn(1024, 768), randn(768), randn(1024)
    h = torch.tanh(torch.addmv(bias.double(), A.double(), x.double()))
    want = torch.relu(A.double().t() @ h)
    got = layer(A, x, bias)
    # tanh runs in float inside the graph: its rounding (a few ulp of values
    # below 1) reaches the result through |A^T| @ 1, on top of gemv's error.
    scale = A.double().abs().t() @ torch.ones_like(h)
    assert torch.allclose(got.double(), want, rtol=0, atol=float(1e-5 * scale.max()))


def test_compiled_in_place_forms():
    @torch.compile(fullgraph=True)
    def update(A, x, y, out):
        gemv.addmv_(y, A, x, alpha=0.5, beta=2.0)
        return gemv.mv(A, x, out=out)

    A, x, y = randn(2000, 300), randn(300), randn(2000)
    out = torch.full((2000,), float("nan"), device="cuda")
    y_before = y.clone()
    result = update(A, x, y, out)
    assert_close(y, *reference(A, x, alpha=0.5, beta=2.0, y=y_before))
    assert_close(out, *reference(A, x))
    assert_close(result, *reference(A, x))


@pytest.mark.parametrize(
    "op, make_args",
    [
        ("mv", lambda A, x, y: (A, x, 1.5)),
        ("addmv", lambda A, x, y: (y, A, x, 1.5, 0.5)),
        ("addmv_", lambda A, x, y: (y, A, x, 1.5, 0.5)),
    ],
)
@pytest.mark.parametrize("transposed", [False, True], ids=["row-major", "transposed"])
def test_opcheck(op, make_args, transposed):
    """Schema (mutation declared), fake implementation (shapes, strides,
    dtype) and tracing with dynamic shapes, as torch.library checks them."""
    A = randn(300, 200).t() if transposed else randn(200, 300)
    x, y = randn(300), randn(200)
    torch.library.opcheck(getattr(torch.ops.gemv, op).default, make_args(A, x, y))
