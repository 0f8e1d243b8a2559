"""The public functions, and the shapes torch.compile traces the operators with."""

import torch

_DTYPES = (torch.float32, torch.float16, torch.bfloat16)


def mv(A, x, *, alpha=1.0, beta=0.0, out=None):
    """alpha * A @ x, as torch.mv computes A @ x.

    With out (a 1-D tensor of A.shape[0] elements), out = alpha * A @ x +
    beta * out is computed in place and out is returned; beta = 0 never reads
    out. Without out, beta must be 0.
    """
    if out is None:
        if beta != 0:
            raise ValueError("gemv.mv: beta scales out; pass out= or leave beta at 0")
        return torch.ops.gemv.mv(A, x, float(alpha))
    torch.ops.gemv.addmv_(out, A, x, float(alpha), float(beta))
    return out


def addmv(y, A, x, *, alpha=1.0, beta=1.0):
    """beta * y + alpha * A @ x as a new tensor, like torch.addmv (y broadcasts)."""
    return torch.ops.gemv.addmv(y, A, x, float(alpha), float(beta))


def addmv_(y, A, x, *, alpha=1.0, beta=1.0):
    """y = beta * y + alpha * A @ x in place; returns y."""
    torch.ops.gemv.addmv_(y, A, x, float(alpha), float(beta))
    return y


def _check(op, A, x):
    """The checks that decide the result's shape (the kernel checks strides)."""
    if A.dim() != 2 or x.dim() != 1:
        raise ValueError(f"{op}: A must be 2-D and x 1-D, got {A.dim()}-D and {x.dim()}-D")
    if x.shape[0] != A.shape[1]:
        raise ValueError(f"{op}: A is {A.shape[0]} x {A.shape[1]} but x has {x.shape[0]} elements")
    if A.dtype not in _DTYPES or x.dtype != A.dtype:
        raise ValueError(f"{op}: A and x must both be float32, float16 or bfloat16, got {A.dtype} and {x.dtype}")
    if x.device != A.device:
        raise ValueError(f"{op}: x is on {x.device} but A is on {A.device}")


@torch.library.register_fake("gemv::mv")
def _mv_fake(A, x, alpha=1.0):
    _check("gemv.mv", A, x)
    return A.new_empty(A.shape[0])


def _check_y(op, y, A, broadcast):
    fits = y.dim() == 1 and y.shape[0] == A.shape[0]
    if broadcast:
        fits = fits or (y.dim() <= 1 and y.numel() == 1)
    if not fits:
        raise ValueError(f"{op}: y of sizes {list(y.shape)} does not fit A's {A.shape[0]} rows")


@torch.library.register_fake("gemv::addmv")
def _addmv_fake(y, A, x, alpha=1.0, beta=1.0):
    _check("gemv.addmv", A, x)
    _check_y("gemv.addmv", y, A, broadcast=True)
    return A.new_empty(A.shape[0])


@torch.library.register_fake("gemv::addmv_")
def _addmv_inplace_fake(y, A, x, alpha=1.0, beta=1.0):
    _check("gemv.addmv_", A, x)
    _check_y("gemv.addmv_", y, A, broadcast=False)

