"""y = alpha * A @ x + beta * y on CUDA tensors, through the gemv library.

    import gemv
    y = gemv.mv(A, x)                        # torch.mv(A, x)
    z = gemv.addmv(y, A, x, beta=0.5)        # torch.addmv(y, A, x, beta=0.5)
    gemv.addmv_(y, A, x, alpha=2.0)          # y = 2 * A @ x + y, in place

The operators are torch.ops.gemv.mv, .addmv and .addmv_: they work under
torch.compile and in CUDA graph capture.
"""

from gemv import _C  # noqa: F401  loading it registers torch.ops.gemv.*
from gemv._ops import addmv, addmv_, mv

__all__ = ["mv", "addmv", "addmv_"]
