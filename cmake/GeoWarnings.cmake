# Warnings are errors in our own code: the project promises zero warnings with
# -Wall -Wextra -Wpedantic. Apply with geo_set_warnings(target).
function(geo_set_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Werror)
endfunction()

if(GEO_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
    # GCC 12's -Wmaybe-uninitialized gives false positives inside Boost.Beast's parser
    # (boost::optional) once the sanitizers change inlining; it stays on in the normal build.
    add_compile_options(-Wno-maybe-uninitialized)
  endif()
endif()

if(GEO_FUZZ)
  # libFuzzer comes with clang; every object gets coverage instrumentation, and the fuzz
  # targets of tests/fuzz link the fuzzer's main (-fsanitize=fuzzer).
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "GEO_FUZZ needs clang (CC=clang CXX=clang++); ./run test --sanitize sets it up")
  endif()
  add_compile_options(-fsanitize=fuzzer-no-link)
endif()
