# Golden verdict of one procedure, through the real binary:
#   cmake -DACDSIM=<acdsim> -DFILE=<procedure> -DVERDICT=safe|violated|incomplete
#         [-DINVARIANT=<id>] [-DMAX_STATES=<n>] [-DARGS=<option>,<option>...] -P golden.cmake
# Runs `acdsim check --format json`, parses the report and compares the verdict
# (and, for a violation, the invariant id) with the expected ones.
foreach(var ACDSIM FILE VERDICT)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "golden.cmake needs -D${var}=...")
  endif()
endforeach()
if(NOT DEFINED MAX_STATES)
  set(MAX_STATES 2000000)
endif()
string(REPLACE "," ";" ARGS "${ARGS}")
execute_process(
  COMMAND ${ACDSIM} check --quiet --format json --max-states ${MAX_STATES} ${ARGS} ${FILE}
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
set(expected_rc 1)
if(VERDICT STREQUAL "safe")
  set(expected_rc 0)
endif()
string(JSON verdict ERROR_VARIABLE json_error GET "${out}" verdict)
if(json_error)
  message(FATAL_ERROR "${FILE}: exit ${rc}, no JSON verdict (${json_error})\nstdout:\n${out}\nstderr:\n${err}")
endif()
set(invariant "")
if(verdict STREQUAL "violated")
  string(JSON invariant GET "${out}" violation invariant)
endif()
if(NOT verdict STREQUAL VERDICT OR NOT "${invariant}" STREQUAL "${INVARIANT}" OR NOT rc EQUAL expected_rc)
  execute_process(COMMAND ${ACDSIM} check --quiet --max-states ${MAX_STATES} ${ARGS} ${FILE} OUTPUT_VARIABLE text)
  message(FATAL_ERROR "${FILE} ${ARGS}: expected ${VERDICT} ${INVARIANT} (exit ${expected_rc}), "
                      "got ${verdict} ${invariant} (exit ${rc})\n${text}")
endif()
message(STATUS "ok: ${FILE}: ${verdict} ${invariant}")
