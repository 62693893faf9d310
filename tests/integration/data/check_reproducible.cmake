# Re-derives data/tianjin's tables and GCJ-02 GeoJSON into OUT and requires them to be
# byte-identical to the committed files (the derivation is deterministic and the commit is current).
# cmake -DNODE=... -DREPO=... -DOUT=... -P check_reproducible.cmake
file(REMOVE_RECURSE ${OUT})
file(MAKE_DIRECTORY ${OUT})
execute_process(COMMAND ${NODE} ${REPO}/data/tianjin/derive_districts.mjs --out-dir ${OUT}
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "derive_districts.mjs failed (${rc}): ${err}")
endif()
foreach(name tianjin_districts_gcj02.geojson binhai_streets.csv binhai_communities.csv)
  execute_process(COMMAND ${CMAKE_COMMAND} -E compare_files ${OUT}/${name} ${REPO}/data/tianjin/${name}
                  RESULT_VARIABLE same)
  if(NOT same EQUAL 0)
    message(FATAL_ERROR "${name}: re-derived file differs from the committed one (run data/tianjin/derive.sh)")
  endif()
endforeach()
message(STATUS "${out}")
