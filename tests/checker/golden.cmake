# Golden verdict of one procedure, through the real binary:
#   cmake -DACDSIM=<acdsim> -DFILE=<procedure> -DVERDICT=safe|violated|incomplete
#         [-DINVARIANT=<id>[,<id>...]] [-DMAX_STATES=<n>] [-DARGS=<option>,<option>...] -P golden.cmake
# Runs `acdsim check --format json`, parses the report and compares the verdict,
# the exit code (0 safe, 1 violated, 3 incomplete) and, for a violation, the
# invariant ids of every violation reported (sorted, each once) with the expected ones.
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
elseif(VERDICT STREQUAL "incomplete")
  set(expected_rc 3)
endif()
string(JSON verdict ERROR_VARIABLE json_error GET "${out}" verdict)
if(json_error)
  message(FATAL_ERROR "${FILE}: exit ${rc}, no JSON verdict (${json_error})\nstdout:\n${out}\nstderr:\n${err}")
endif()
set(ids "")
if(verdict STREQUAL "violated")
  string(JSON n LENGTH "${out}" violations)
  math(EXPR last "${n} - 1")
  foreach(i RANGE ${last})
    string(JSON id GET "${out}" violations ${i} invariant)
    list(APPEND ids ${id})
  endforeach()
  string(JSON first GET "${out}" violation invariant)  # the first, kept for acdsim-check/1 readers
  string(JSON first_listed GET "${out}" violations 0 invariant)
  if(NOT first STREQUAL first_listed)
    message(FATAL_ERROR "${FILE}: \"violation\" (${first}) is not the first of \"violations\" (${first_listed})")
  endif()
  list(REMOVE_DUPLICATES ids)
  list(SORT ids)
endif()
string(REPLACE ";" "," invariant "${ids}")
string(REPLACE "," ";" expected "${INVARIANT}")
list(SORT expected)
string(REPLACE ";" "," INVARIANT "${expected}")
if(NOT verdict STREQUAL VERDICT OR NOT "${invariant}" STREQUAL "${INVARIANT}" OR NOT rc EQUAL expected_rc)
  execute_process(COMMAND ${ACDSIM} check --quiet --max-states ${MAX_STATES} ${ARGS} ${FILE} OUTPUT_VARIABLE text)
  message(FATAL_ERROR "${FILE} ${ARGS}: expected ${VERDICT} ${INVARIANT} (exit ${expected_rc}), "
                      "got ${verdict} ${invariant} (exit ${rc})\n${text}")
endif()
message(STATUS "ok: ${FILE}: ${verdict} ${invariant}")
