# Install → configure → build → run the consumer example (see CMakeLists.txt).
function(run what)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${what} failed (${rc}):\n${ARGN}\n${out}\n${err}")
  endif()
  set(last_output "${out}" PARENT_SCOPE)
endfunction()

if(NOT EXISTS "${DATA}")
  message(FATAL_ERROR "${DATA} does not exist: it is derived from echarts by data/tianjin (see data/README)")
endif()

# A fresh prefix and a fresh consumer build every time: nothing stale may help.
file(REMOVE_RECURSE "${PREFIX}" "${CONSUMER_BUILD}")
run("install" ${CMAKE_COMMAND} --install "${BUILD_DIR}" --component libgeo --prefix "${PREFIX}")
run("configure the consumer" ${CMAKE_COMMAND} -S "${CONSUMER_SOURCE}" -B "${CONSUMER_BUILD}" -G "${GENERATOR}"
    -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_COMPILER=${CXX} -DCMAKE_PREFIX_PATH=${PREFIX}
    "-DCMAKE_CXX_FLAGS=${FLAGS}" "-DCMAKE_EXE_LINKER_FLAGS=${FLAGS}")
run("build the consumer" ${CMAKE_COMMAND} --build "${CONSUMER_BUILD}")
run("run the consumer" "${CONSUMER_BUILD}/binhai_area" "${DATA}")
message(STATUS "${last_output}")
if(NOT last_output MATCHES "\\(120116\\): [0-9]+\\.[0-9] km²")
  message(FATAL_ERROR "the consumer did not print Binhai's area in km²:\n${last_output}")
endif()
