"""Builds gemv._C: the torch.ops.gemv operators over the header-only library.

The library's headers are looked for, in order, in $GEMV_INCLUDE_DIR, in
../include (this folder inside the gemv source tree) and in ./include (an
sdist, into which `sdist` copies them). The version is read from
<gemv/version.cuh>, where the library keeps it.

The CUDA architectures are $TORCH_CUDA_ARCH_LIST (e.g. "9.0", "8.9;9.0");
unset, the build compiles for the current device only.
"""

import os
import re
import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.sdist import sdist
from torch.utils import cpp_extension

HERE = Path(__file__).resolve().parent


def find_include_dir() -> Path:
    candidates = [os.environ.get("GEMV_INCLUDE_DIR"), HERE.parent / "include", HERE / "include"]
    for candidate in candidates:
        if candidate and (Path(candidate) / "gemv" / "gemv.cuh").is_file():
            return Path(candidate).resolve()
    raise RuntimeError(
        "gemv headers not found in $GEMV_INCLUDE_DIR, ../include or ./include: "
        "build from the gemv source tree (a pip older than 21.3 copies ./python "
        "elsewhere first), from its sdist, or set GEMV_INCLUDE_DIR"
    )


def read_version(include_dir: Path) -> str:
    text = (include_dir / "gemv" / "version.cuh").read_text()
    parts = [re.search(rf"#define GEMV_VERSION_{p} (\d+)", text).group(1) for p in ("MAJOR", "MINOR", "PATCH")]
    return ".".join(parts)


INCLUDE_DIR = find_include_dir()


class BuildExtension(cpp_extension.BuildExtension):
    """torch's builder, compiling for the current device unless told otherwise
    (torch's own default takes every visible device, and fails with none)."""

    def build_extensions(self):
        if not os.environ.get("TORCH_CUDA_ARCH_LIST"):
            import torch

            if not torch.cuda.is_available():
                raise RuntimeError(
                    "no CUDA device to build for: set TORCH_CUDA_ARCH_LIST, "
                    "e.g. 9.0 for an H100 or H200, 8.9 for an RTX 4090"
                )
            major, minor = torch.cuda.get_device_capability()
            os.environ["TORCH_CUDA_ARCH_LIST"] = f"{major}.{minor}"
        print(f"gemv: building for TORCH_CUDA_ARCH_LIST={os.environ['TORCH_CUDA_ARCH_LIST']}")
        super().build_extensions()


class SdistWithHeaders(sdist):
    """An sdist that builds on its own: the library's headers go in as
    ./include, with the library's licence."""

    def make_release_tree(self, base_dir, files):
        super().make_release_tree(base_dir, files)
        target = Path(base_dir) / "include" / "gemv"
        if target.exists():
            shutil.rmtree(target)
        shutil.copytree(INCLUDE_DIR / "gemv", target)
        licence = INCLUDE_DIR.parent / "LICENSE"
        if licence.is_file():
            shutil.copyfile(licence, Path(base_dir) / "LICENSE")


# Rebuild when a header changes (setuptools skips an extension whose sources
# and depends are older than the built library).
headers = sorted(os.path.relpath(p, HERE) for pattern in ("*.cuh", "*.hpp") for p in (INCLUDE_DIR / "gemv").rglob(pattern))

setup(
    version=read_version(INCLUDE_DIR),
    package_dir={"": "src"},
    packages=["gemv"],
    ext_modules=[
        cpp_extension.CUDAExtension(
            name="gemv._C",
            sources=["csrc/module.cpp", "csrc/ops.cpp", "csrc/entry_points.cu"],
            include_dirs=[str(INCLUDE_DIR)],
            depends=headers,
            # No fast-math: the library's compensated sum relies on IEEE rounding.
            extra_compile_args={"cxx": ["-O3"], "nvcc": ["-O3"]},
        )
    ],
    cmdclass={"build_ext": BuildExtension, "sdist": SdistWithHeaders},
)
