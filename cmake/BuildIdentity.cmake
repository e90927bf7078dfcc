# Computes lcs's build identity and writes it to lcs/BuildIdentity.h, only
# when it changed (so an unchanged build recompiles nothing). Run at build
# time (cmake -P), so an edit built without reconfiguring changes it too.
#
# The identity is the SHA-256 of the build options that change code and of
# each tracked source file's path and content: the same sources and options
# give the same identity on any machine and in any directory; no time
# stamps. Sources are the files `git ls-files` lists under the directories
# that make lcs's code; outside a git checkout, the targets' sources that
# the configure step listed (headers then do not count).
#
# Inputs (-D): INPUTS, a file the configure step wrote that sets
# LCS_IDENTITY_OPTIONS, LCS_IDENTITY_DIRS and LCS_IDENTITY_FALLBACK; SOURCE_DIR;
# GIT (may be empty); OUTPUT.
cmake_minimum_required(VERSION 3.20)
include(${INPUTS})

set(files "")
if(GIT)
  execute_process(
    COMMAND ${GIT} -c core.quotePath=false ls-files -- ${LCS_IDENTITY_DIRS}
    WORKING_DIRECTORY ${SOURCE_DIR}
    RESULT_VARIABLE rc OUTPUT_VARIABLE listed ERROR_QUIET)
  if(rc EQUAL 0 AND NOT listed STREQUAL "")
    string(REPLACE "\n" ";" files "${listed}")
  endif()
endif()
set(how "git")
if(files STREQUAL "")
  set(files ${LCS_IDENTITY_FALLBACK})
  set(how "target-sources")
endif()
list(REMOVE_ITEM files "")
list(REMOVE_DUPLICATES files)
list(SORT files)

set(text "options ${LCS_IDENTITY_OPTIONS}\nsources ${how}\n")
foreach(f IN LISTS files)
  # A tracked file deleted in the work tree is simply not part of it.
  if(EXISTS ${SOURCE_DIR}/${f} AND NOT IS_DIRECTORY ${SOURCE_DIR}/${f})
    file(SHA256 ${SOURCE_DIR}/${f} sum)
    string(APPEND text "${sum} ${f}\n")
  endif()
endforeach()
string(SHA256 identity "${text}")
string(SUBSTRING "${identity}" 0 32 identity)

set(content "/* lcs/BuildIdentity.h - generated at build time by cmake/BuildIdentity.cmake. */
#ifndef LCS_BUILD_IDENTITY_H
#define LCS_BUILD_IDENTITY_H

/* SHA-256 (first 128 bits) of the build options and the sources. */
#define LCS_BUILD_IDENTITY \"${identity}\"

#endif /* LCS_BUILD_IDENTITY_H */
")
set(old "")
if(EXISTS ${OUTPUT})
  file(READ ${OUTPUT} old)
endif()
if(NOT old STREQUAL content)
  file(WRITE ${OUTPUT} "${content}")
endif()
