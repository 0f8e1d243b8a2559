# Install rules, included by CMakeLists.txt when GEMV_INSTALL is ON:
# headers, find_package(gemv) files, gemv.pc for pkg-config, and the licence.

install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/gemv DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(FILES ${PROJECT_SOURCE_DIR}/LICENSE DESTINATION ${CMAKE_INSTALL_DOCDIR})

# gemv_compiled holds device code for the CUDA architectures of this build.
install(TARGETS gemv gemv_compiled EXPORT gemvTargets)
set(gemv_cmake_dir ${CMAKE_INSTALL_LIBDIR}/cmake/gemv)
install(EXPORT gemvTargets NAMESPACE gemv:: DESTINATION ${gemv_cmake_dir})
get_target_property(gemv_compiled_architectures gemv_compiled CUDA_ARCHITECTURES)
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/gemvConfig.cmake.in
  ${PROJECT_BINARY_DIR}/gemvConfig.cmake INSTALL_DESTINATION ${gemv_cmake_dir})
# Not architecture independent: gemv_compiled is a library for this target.
write_basic_package_version_file(${PROJECT_BINARY_DIR}/gemvConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES
  ${PROJECT_BINARY_DIR}/gemvConfig.cmake
  ${PROJECT_BINARY_DIR}/gemvConfigVersion.cmake
  ${PROJECT_SOURCE_DIR}/cmake/gemvArchitectureNotice.cmake
  DESTINATION ${gemv_cmake_dir})

# gemv.pc goes to share/pkgconfig (no binaries: the same for every
# architecture) and finds the headers relative to itself, so the install
# prefix can be chosen at install time (cmake --install --prefix).
set(gemv_pc_dir ${CMAKE_INSTALL_DATADIR}/pkgconfig)
if(IS_ABSOLUTE "${CMAKE_INSTALL_INCLUDEDIR}" OR IS_ABSOLUTE "${CMAKE_INSTALL_DATADIR}")
  set(gemv_pc_prefix "${CMAKE_INSTALL_PREFIX}")
  set(gemv_pc_includedir "${CMAKE_INSTALL_FULL_INCLUDEDIR}")
else()
  file(RELATIVE_PATH gemv_pc_up /${gemv_pc_dir} /)
  string(REGEX REPLACE "/$" "" gemv_pc_up "${gemv_pc_up}")
  set(gemv_pc_prefix "\${pcfiledir}/${gemv_pc_up}")
  set(gemv_pc_includedir "\${prefix}/${CMAKE_INSTALL_INCLUDEDIR}")
endif()
configure_file(${PROJECT_SOURCE_DIR}/cmake/gemv.pc.in ${PROJECT_BINARY_DIR}/gemv.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/gemv.pc DESTINATION ${gemv_pc_dir})
