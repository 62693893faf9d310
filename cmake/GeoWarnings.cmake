# Warnings are errors in our own code: the project promises zero warnings with
# -Wall -Wextra -Wpedantic. Apply with geo_set_warnings(target).
function(geo_set_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Werror)
endfunction()

if(GEO_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
endif()
