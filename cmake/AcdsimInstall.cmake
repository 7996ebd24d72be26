# install(EXPORT) so that find_package(acdsim) works for other projects.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

install(TARGETS acdsim_model acdsim_checker acdsim_sim acdsim_live acdsim_planner EXPORT acdsimTargets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
        INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(TARGETS acdsim RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(DIRECTORY model/include/acdsim checker/include/acdsim sim/include/acdsim live/include/acdsim planner/include/acdsim DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(DIRECTORY scenarios/ DESTINATION ${CMAKE_INSTALL_DATADIR}/acdsim/scenarios)
install(EXPORT acdsimTargets NAMESPACE acdsim:: DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/acdsim)

configure_package_config_file(cmake/acdsimConfig.cmake.in
  "${PROJECT_BINARY_DIR}/acdsimConfig.cmake"
  INSTALL_DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/acdsim)
write_basic_package_version_file("${PROJECT_BINARY_DIR}/acdsimConfigVersion.cmake"
  COMPATIBILITY SameMinorVersion)
install(FILES "${PROJECT_BINARY_DIR}/acdsimConfig.cmake" "${PROJECT_BINARY_DIR}/acdsimConfigVersion.cmake"
        DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/acdsim)
