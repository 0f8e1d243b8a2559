# Says once per build tree when the CUDA architectures are CMake's default
# (the compiler's oldest supported one, sm_75 for CUDA 13) or not set: gemv's
# kernels would then reach newer cards as PTX that the driver compiles at load
# time, without the code the library's tuning assumes.
# Included by gemvConfig.cmake and by gemv's own CMakeLists.txt.

function(_gemv_architecture_notice)
  if(GEMV_ARCHITECTURE_NOTICE_SHOWN)
    return()
  endif()
  # A project without CUDA compiles no kernel of gemv's (C++ callers of
  # gemv::gemv_compiled take them as built).
  get_property(languages GLOBAL PROPERTY ENABLED_LANGUAGES)
  if(NOT "CUDA" IN_LIST languages)
    return()
  endif()
  set(archs "${CMAKE_CUDA_ARCHITECTURES}")
  if(archs STREQUAL "")
    set(what "not set")
  elseif(DEFINED ENV{CUDAARCHS} OR NOT archs STREQUAL "$CACHE{CMAKE_CUDA_ARCHITECTURES}")
    return()  # chosen by the environment or by a variable of the project
  else()
    # enable_language(CUDA) writes its default with this help string; a value
    # given with -D or in a preset carries another.
    get_property(help CACHE CMAKE_CUDA_ARCHITECTURES PROPERTY HELPSTRING)
    if(NOT help STREQUAL "CUDA architectures")
      return()
    endif()
    set(what "\"${archs}\", the CUDA compiler's default")
  endif()
  message(WARNING
    "gemv: CMAKE_CUDA_ARCHITECTURES is ${what}. gemv is tuned for sm_89 (RTX 4090) "
    "and sm_90 (H100, H200); with older architectures only, newer cards run the "
    "kernels as PTX compiled by the driver at load time. Configure with "
    "-DCMAKE_CUDA_ARCHITECTURES=\"89;90\" (or \"native\" for the GPUs of this "
    "machine), or set the CUDA_ARCHITECTURES property of the targets that use "
    "gemv::gemv. This message is shown once per build tree.")
  set(GEMV_ARCHITECTURE_NOTICE_SHOWN ON CACHE INTERNAL "gemv's architecture notice was shown")
endfunction()

_gemv_architecture_notice()
