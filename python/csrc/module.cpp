// The Python module gemv._C. It holds no functions: importing it loads this
// shared library, whose static initialisers (TORCH_LIBRARY in ops.cpp)
// register torch.ops.gemv.*.

#include <Python.h>

PyMODINIT_FUNC PyInit__C(void) {
  static PyModuleDef module = {PyModuleDef_HEAD_INIT, "_C", nullptr, -1, nullptr};
  return PyModule_Create(&module);
}
