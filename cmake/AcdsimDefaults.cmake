# Compiler settings applied to acdsim's own targets only (never to dependencies).
find_program(ACDSIM_CCACHE ccache)
if(ACDSIM_CCACHE AND NOT CMAKE_CXX_COMPILER_LAUNCHER)
  set(CMAKE_CXX_COMPILER_LAUNCHER "${ACDSIM_CCACHE}")
endif()

if(ACDSIM_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
endif()

function(acdsim_defaults target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic)
  if(ACDSIM_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()
