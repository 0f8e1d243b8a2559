"""CUDA graph capture, the current stream and the tensors' device."""

import pytest

torch = pytest.importorskip("torch")
if not torch.cuda.is_available():
    pytest.skip("needs a CUDA device", allow_module_level=True)

import gemv  # noqa: E402
from gemv_testing import DTYPES, assert_close, randn, reference  # noqa: E402

# (name, m x n view maker): the first two split their reduction across blocks
# and so need scratch, which under capture must come from the graph's pool.
GRAPH_CASES = {
    "few long rows (split)": lambda make: make(4, 1 << 18),
    "transposed, few outputs (split)": lambda make: make(1 << 18, 4).t(),
    "square": lambda make: make(2048, 2048),
    "transposed, lda > m": lambda make: make(1024, 3000)[:, :2000].t(),
}


@pytest.mark.parametrize("dtype", DTYPES, ids=str)
@pytest.mark.parametrize("case", GRAPH_CASES)
def test_graph_replays_with_new_inputs(case, dtype):
    make = lambda *shape: randn(*shape, dtype=dtype)  # noqa: E731
    A = GRAPH_CASES[case](make)
    x = randn(A.shape[1], dtype=dtype)
    y = randn(A.shape[0], dtype=dtype)

    # Warm up on a side stream, as torch.cuda.graph asks, then capture.
    side = torch.cuda.Stream()
    side.wait_stream(torch.cuda.current_stream())
    with torch.cuda.stream(side):
        gemv.mv(A, x)
        gemv.addmv(y, A, x, beta=0.5)
    torch.cuda.current_stream().wait_stream(side)

    graph = torch.cuda.CUDAGraph()
    with torch.cuda.graph(graph):
        mv_out = gemv.mv(A, x, alpha=2.0)
        addmv_out = gemv.addmv(y, A, x, beta=0.5)
        gemv.addmv_(y, A, x, alpha=-1.0, beta=1.0)

    for _ in range(3):
        A.copy_(GRAPH_CASES[case](make))
        x.copy_(randn(A.shape[1], dtype=dtype))
        y.copy_(randn(A.shape[0], dtype=dtype))
        y_before = y.clone()
        mv_out.fill_(float("nan"))
        addmv_out.fill_(float("nan"))
        graph.replay()
        torch.cuda.synchronize()
        assert_close(mv_out, *reference(A, x, alpha=2.0))
        assert_close(addmv_out, *reference(A, x, beta=0.5, y=y_before))
        assert_close(y, *reference(A, x, alpha=-1.0, beta=1.0, y=y_before))


def test_runs_on_the_current_stream():
    """A side stream produces A, then gemv runs on it: run anywhere else, it
    would read A before the side stream has written it."""
    m, n = 4, 1 << 20
    side = torch.cuda.Stream()
    with torch.cuda.stream(side):
        A = torch.zeros(m, n, device="cuda")
        x = randn(n)
        torch.cuda._sleep(50_000_000)  # keep the stream busy for tens of milliseconds
        A.copy_(randn(m, n))
        y = gemv.mv(A, x)
    side.synchronize()
    assert_close(y, *reference(A, x))


@pytest.mark.skipif(torch.cuda.device_count() < 2, reason="needs two CUDA devices")
def test_runs_on_the_tensors_device():
    A = torch.randn(300, 500, device="cuda:1")
    x = torch.randn(500, device="cuda:1")
    with torch.cuda.device(0):
        y = gemv.mv(A, x)
    assert y.device == A.device
    assert_close(y, *reference(A, x))
