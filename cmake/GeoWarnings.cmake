# Warnings are errors in our own code: the project promises zero warnings with
# -Wall -Wextra -Wpedantic. Apply with geo_set_warnings(target).
function(geo_set_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Werror)
endfunction()

if(GEO_SANITIZE)
  # GCC 12's -Wmaybe-uninitialized gives false positives inside Boost.Beast's
  # parser (boost::optional) once the sanitizers change inlining; it stays on
  # in the normal build, where it is reliable.
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
                      -Wno-maybe-uninitialized)
  add_link_options(-fsanitize=address,undefined)
endif()
