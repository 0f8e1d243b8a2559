"""Operands BLAS cannot describe, or that do not fit together, raise ValueError.

Checks of dimensions, sizes and dtypes come before the device check, so those
run on CPU tensors where there is no GPU (with the package installed)."""

import pytest

torch = pytest.importorskip("torch")
HAS_CUDA = torch.cuda.is_available()
if HAS_CUDA:
    import gemv  # a missing build is an error on a GPU machine
else:
    gemv = pytest.importorskip("gemv")

DEVICE = "cuda" if HAS_CUDA else "cpu"
needs_cuda = pytest.mark.skipif(not HAS_CUDA, reason="needs a CUDA device")


def t(*shape, dtype=torch.float32, device=DEVICE):
    return torch.randn(*shape, device=device).to(dtype)


SHAPE_AND_DTYPE_ERRORS = {
    "A 1-D": (lambda: gemv.mv(t(6), t(6)), "2-D"),
    "A 3-D": (lambda: gemv.mv(t(2, 3, 4), t(4)), "2-D"),
    "x 2-D": (lambda: gemv.mv(t(3, 4), t(4, 1)), "1-D"),
    "x too short": (lambda: gemv.mv(t(3, 4), t(3)), "3 elements"),
    "float64": (lambda: gemv.mv(t(3, 4, dtype=torch.float64), t(4, dtype=torch.float64)), "float32"),
    "int32": (lambda: gemv.mv(t(3, 4).int(), t(4).int()), "float32"),
    "x of another dtype": (lambda: gemv.mv(t(3, 4), t(4, dtype=torch.float16)), "Half"),
    "y of another dtype": (lambda: gemv.addmv(t(3, dtype=torch.float16), t(3, 4), t(4)), "Half"),
    "y of the wrong size": (lambda: gemv.addmv(t(2), t(3, 4), t(4)), "broadcast"),
    "y 2-D": (lambda: gemv.addmv(t(3, 1), t(3, 4), t(4)), "broadcast"),
    "in-place y of one element": (lambda: gemv.addmv_(t(1), t(3, 4), t(4)), "sizes"),
    "out of the wrong size": (lambda: gemv.mv(t(3, 4), t(4), out=t(4)), "sizes"),
    "beta without out": (lambda: gemv.mv(t(3, 4), t(4), beta=1.0), "out="),
}


@pytest.mark.parametrize("case", SHAPE_AND_DTYPE_ERRORS)
def test_shape_and_dtype_errors(case):
    call, message = SHAPE_AND_DTYPE_ERRORS[case]
    with pytest.raises(ValueError, match=message):
        call()


@pytest.mark.parametrize("op", ["mv", "addmv", "addmv_"])
def test_cpu_tensors(op):
    A, x, y = t(3, 4, device="cpu"), t(4, device="cpu"), t(3, device="cpu")
    args = (A, x) if op == "mv" else (y, A, x)
    with pytest.raises(ValueError, match="CUDA"):
        getattr(gemv, op)(*args)


def mv_into_overlapping_out(into):
    """out = A @ x where out shares bytes with `into`, x or A."""
    buffer = t(400)
    A = buffer[:200].view(10, 20) if into == "A" else t(10, 20)
    x = buffer[190:210] if into == "x" else t(20)
    return gemv.mv(A, x, out=buffer[195:205])


LAYOUT_ERRORS = {
    "neither stride 1": (lambda: gemv.mv(t(8, 20)[:, ::2], t(10)), "neither row-major nor column-major"),
    "rows overlap": (lambda: gemv.mv(t(40).as_strided((8, 10), (3, 1)), t(10)), "without overlap"),
    "expanded rows": (lambda: gemv.mv(t(10).expand(8, 10), t(10)), "without overlap"),
    "expanded x": (lambda: gemv.mv(t(8, 10), t(1).expand(10)), "stride 0"),
    "expanded y": (lambda: gemv.addmv_(t(1).expand(8), t(8, 10), t(10)), "stride 0"),
    "out overlaps x": (lambda: mv_into_overlapping_out("x"), "overlaps x"),
    "out overlaps A": (lambda: mv_into_overlapping_out("A"), "overlaps A"),
    "x on the CPU": (lambda: gemv.mv(t(8, 10), t(10, device="cpu")), "cpu"),
    "y on the CPU": (lambda: gemv.addmv(t(8, device="cpu"), t(8, 10), t(10)), "cpu"),
}


@needs_cuda
@pytest.mark.parametrize("case", LAYOUT_ERRORS)
def test_layout_and_device_errors(case):
    call, message = LAYOUT_ERRORS[case]
    with pytest.raises(ValueError, match=message):
        call()


@needs_cuda
def test_a_rejected_call_leaves_out_untouched():
    out = torch.full((8,), 7.0, device="cuda")
    with pytest.raises(ValueError):
        gemv.mv(t(8, 20)[:, ::2], t(10), out=out)
    assert bool((out == 7.0).all())
