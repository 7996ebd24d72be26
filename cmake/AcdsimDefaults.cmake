# Compiler settings applied to acdsim's own targets only (never to dependencies).
find_program(ACDSIM_CCACHE ccache)
if(ACDSIM_CCACHE AND NOT CMAKE_CXX_COMPILER_LAUNCHER)
  set(CMAKE_CXX_COMPILER_LAUNCHER "${ACDSIM_CCACHE}")
endif()

if(ACDSIM_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
endif()

# The fuzz build instruments the libraries for coverage (fuzzer-no-link); only the fuzz targets
# link libFuzzer's main (fuzz/CMakeLists.txt). Sanitizer reports abort, so libFuzzer sees them.
if(ACDSIM_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "ACDSIM_FUZZ needs clang (libFuzzer), e.g. -DCMAKE_CXX_COMPILER=clang++-14; "
                        "this compiler is ${CMAKE_CXX_COMPILER_ID}")
  endif()
  add_compile_options(-fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer
                      -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
endif()

function(acdsim_defaults target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic)
  if(ACDSIM_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()
