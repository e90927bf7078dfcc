# Fails if one of FILES (comma-separated) has libLLVM among its NEEDED
# entries (`readelf -d`): liblcs.so and the Python extension must not load
# the compiler, so that `import lcs` and a launch served by the disk cache
# never map libLLVM (runtime/compile/Backend.h).
string(REPLACE "," ";" files "${FILES}")
foreach(file IN LISTS files)
  execute_process(COMMAND ${READELF} -d ${file}
    OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "readelf -d ${file} failed: ${err}")
  endif()
  string(REGEX MATCHALL "\\(NEEDED\\)[^\n]*" needed "${out}")
  if(NOT needed)
    message(FATAL_ERROR "${file}: no NEEDED entries; not a shared object?")
  endif()
  foreach(line IN LISTS needed)
    if(line MATCHES "\\[(lib(LLVM|clang-cpp|MLIR)[^]]*)\\]")
      message(FATAL_ERROR "${file} needs ${CMAKE_MATCH_1}: the runtime must "
        "not link LLVM (compiles run in lcs-worker)")
    endif()
  endforeach()
  list(LENGTH needed count)
  message(STATUS "${file}: ${count} NEEDED entries, none of them LLVM")
endforeach()
