# guide.cmake - run by the ctest docs.guide (tests/docs/CMakeLists.txt) with
# SRC, GUIDE, WORK, GENERATOR, CC, BUILD_TYPE, SANITIZE, GIT and CTEST.
#
# The guide's code blocks are the truth. The fenced block that follows a line
#   <!-- file: PATH -->     is the whole file PATH of the source tree;
#   <!-- append: PATH -->   is appended to the tree's file PATH (the registry line);
#   <!-- outside: NAME -->  is a file of one's own, kept outside the tree: a
#                           program (NAME.c) or a fleet file (NAME.fleet).
# The guide's promise is checked first: its server is new, and adding it is
# its folder servers/SERVER/, its interface idl/SERVER.proto and one line
# appended to servers/servers.cmake, nothing else. Then a copy of the tree's
# tracked files with the guide's files written in (WORK/src) is configured
# (host only, with tests), the broker, the default fleet, the server and its
# unit tests and fuzz replay are built, those tests run, and every outside
# program runs under xous-hostd: with the default fleet, and with each
# outside fleet file. The build must add nothing to the source copy.
cmake_minimum_required(VERSION 3.20)

function(fail)
  string(JOIN "" msg ${ARGN})
  message(FATAL_ERROR "docs.guide: ${msg}")
endfunction()

# Cut the text in variable _var at its first _needle: the text before it
# goes to variable _out, the text after it stays in _var.
function(cut _var _needle _out _what)
  string(FIND "${${_var}}" "${_needle}" i)
  if(i EQUAL -1)
    fail("${_what} in ${GUIDE} is not closed")
  endif()
  string(SUBSTRING "${${_var}}" 0 ${i} before)
  string(LENGTH "${_needle}" n)
  math(EXPR i "${i} + ${n}")
  string(SUBSTRING "${${_var}}" ${i} -1 after)
  set(${_out} "${before}" PARENT_SCOPE)
  set(${_var} "${after}" PARENT_SCOPE)
endfunction()

# ---- the guide's blocks, staged in WORK/guide/{tree,append,outside} ----
set(stage ${WORK}/guide)
file(REMOVE_RECURSE ${stage})
file(READ ${GUIDE} rest)
set(tree_files)
set(append_files)
set(outside_files)
while(TRUE)
  string(FIND "${rest}" "\n<!-- " i) # a comment that starts a line
  if(i EQUAL -1)
    break()
  endif()
  math(EXPR i "${i} + 6")
  string(SUBSTRING "${rest}" ${i} -1 rest)
  cut(rest " -->" marker "an HTML comment")
  if(NOT marker MATCHES "^(file|append|outside): ([A-Za-z0-9_./-]+)$")
    continue() # a comment for readers
  endif()
  set(kind ${CMAKE_MATCH_1})
  set(path ${CMAKE_MATCH_2})
  if(kind STREQUAL "file")
    set(kind tree)
  endif()
  if(path MATCHES "(^|/)\\.\\.(/|$)|^/" OR (kind STREQUAL "outside" AND path MATCHES "/"))
    fail("<!-- ${marker} -->: not a path for a ${kind} block")
  endif()
  if(NOT rest MATCHES "^\n```[a-z]*\n")
    fail("<!-- ${marker} --> is not followed by a code block")
  endif()
  string(LENGTH "${CMAKE_MATCH_0}" n)
  string(SUBSTRING "${rest}" ${n} -1 rest)
  cut(rest "\n```\n" body "the code block after <!-- ${marker} -->")
  set(rest "\n${rest}")
  if(EXISTS ${stage}/${kind}/${path})
    fail("the guide shows ${path} twice")
  endif()
  file(WRITE ${stage}/${kind}/${path} "${body}\n")
  list(APPEND ${kind}_files ${path})
endwhile()

# ---- the promise: a folder, an interface and one registry line ----
if(NOT append_files STREQUAL "servers/servers.cmake")
  fail("the guide appends to '${append_files}', not to servers/servers.cmake alone")
endif()
file(STRINGS ${stage}/append/servers/servers.cmake lines)
list(FILTER lines EXCLUDE REGEX "^ *(#.*)?$")
list(LENGTH lines n)
if(NOT n EQUAL 1 OR NOT lines MATCHES "^xous_add_server\\(([a-z][a-z0-9_]*)[ )]")
  fail("the registry block is not one xous_add_server() line: ${lines}")
endif()
set(server ${CMAKE_MATCH_1})
if(EXISTS ${SRC}/servers/${server} OR EXISTS ${SRC}/idl/${server}.proto)
  fail("servers/${server}/ or idl/${server}.proto is in the tree: the guide's server lives "
    "in the guide only")
endif()
foreach(path ${tree_files})
  if(NOT path MATCHES "^servers/${server}/." AND NOT path STREQUAL "idl/${server}.proto")
    fail("the guide's ${path} is outside servers/${server}/ and idl/${server}.proto")
  endif()
endforeach()
foreach(need api.h dispatch.c main.c platform_host.c platform_rv32.c client.c
    include/xous/${server}.h)
  if(NOT EXISTS ${stage}/tree/servers/${server}/${need})
    fail("the guide does not show servers/${server}/${need}")
  endif()
endforeach()
if(NOT EXISTS ${stage}/tree/idl/${server}.proto)
  fail("the guide does not show idl/${server}.proto")
endif()
string(REPLACE ";" " " shown "${tree_files}")
message(STATUS "the guide's server ${server}: ${shown} and a line in servers/servers.cmake")

# ---- the copy: the tree's tracked files (all but .git and build trees
# outside git), and the guide's; files keep their times, so that the build
# below stays incremental from one run to the next ----
set(src ${WORK}/src)
file(REMOVE_RECURSE ${src})
file(MAKE_DIRECTORY ${src})
set(rcs 1)
if(GIT AND EXISTS ${SRC}/.git)
  execute_process(COMMAND ${GIT} -C ${SRC} ls-files -z --cached
    COMMAND tar -C ${SRC} --null --ignore-failed-read -T - -cf -
    COMMAND tar -C ${src} -xf -
    RESULTS_VARIABLE rcs ERROR_QUIET)
  if(NOT rcs MATCHES "^0;0;0$")
    fail("cannot copy the tracked files of ${SRC} (git ls-files, tar): ${rcs}")
  endif()
else()
  file(GLOB top LIST_DIRECTORIES true ${SRC}/* ${SRC}/.[!.]*)
  foreach(entry ${top})
    if(NOT entry MATCHES "/\\.git$" AND NOT EXISTS ${entry}/CMakeCache.txt)
      file(COPY ${entry} DESTINATION ${src})
    endif()
  endforeach()
endif()
# The guide's files as the last run wrote them, in WORK/last: a file whose
# text changed gets a new time there, the others keep theirs.
file(READ ${stage}/append/servers/servers.cmake line)
file(READ ${src}/servers/servers.cmake registry)
file(WRITE ${stage}/tree/servers/servers.cmake "${registry}${line}")
foreach(path ${tree_files} servers/servers.cmake)
  execute_process(COMMAND ${CMAKE_COMMAND} -E copy_if_different
    ${stage}/tree/${path} ${WORK}/last/${path} RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    fail("cannot write ${WORK}/last/${path}")
  endif()
  get_filename_component(dir ${src}/${path} DIRECTORY)
  file(REMOVE ${src}/${path})
  file(COPY ${WORK}/last/${path} DESTINATION ${dir})
endforeach()
file(GLOB_RECURSE before LIST_DIRECTORIES true RELATIVE ${src} ${src}/*)

# ---- configure, and build what the server needs ----
set(build ${WORK}/build)
execute_process(COMMAND ${CMAKE_COMMAND} -S ${src} -B ${build} -G ${GENERATOR}
    -DCMAKE_C_COMPILER=${CC} -DCMAKE_BUILD_TYPE=${BUILD_TYPE} -DXOUS_SANITIZE=${SANITIZE}
    -DXOUS_KERNEL_RISCV=OFF -DBUILD_TESTING=ON
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
if(NOT rc EQUAL 0)
  fail("the copy with the guide's server does not configure:\n${out}")
endif()
file(STRINGS ${build}/registry-gen/xous_registry.h fleet REGEX "XOUS_REGISTRY_FLEET")
string(REGEX MATCHALL "X\\(\"[^\"]+\"" fleet "${fleet}")
list(TRANSFORM fleet REPLACE "X\\(\"([^\"]+)\"" "\\1")
set(targets xous-hostd ${fleet} xous-${server} test_servers_${server}
  fuzz_srv_${server}_replay)
list(REMOVE_DUPLICATES targets)
execute_process(COMMAND ${CMAKE_COMMAND} --build ${build} -j 2 --target ${targets}
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
if(NOT rc EQUAL 0)
  fail("the guide's server does not build (${targets}):\n${out}")
endif()
file(GLOB_RECURSE after LIST_DIRECTORIES true RELATIVE ${src} ${src}/*)
if(NOT before STREQUAL after)
  fail("the build added files to the source tree")
endif()

# ---- its unit tests, one ctest per ADD line, and its corpus replayed ----
file(GLOB tests ${src}/servers/${server}/tests/*.c)
set(want 1)
foreach(t ${tests})
  file(STRINGS ${t} adds REGEX "^\tADD\\(s, [a-z0-9_]+\\);")
  list(LENGTH adds n)
  math(EXPR want "${want} + ${n}")
endforeach()
execute_process(COMMAND ${CTEST} --test-dir ${build} --output-on-failure
    -R "^(servers\\.${server}\\.|fuzz\\.srv_${server}\\.replay$)"
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
if(NOT rc EQUAL 0 OR NOT out MATCHES "100% tests passed, 0 tests failed out of ${want}\n")
  fail("the tests of the guide's server (${want}: its ADD lines and fuzz.srv_${server}.replay) "
    "did not all pass:\n${out}")
endif()
message(STATUS "${want} tests of '${server}' passed")

# ---- the outside programs, under the broker ----
file(GLOB_RECURSE libs ${build}/libxous-host.so)
list(GET libs 0 lib)
get_filename_component(libdir ${lib} DIRECTORY)
file(GLOB includes LIST_DIRECTORIES true ${src}/servers/*/include)
list(TRANSFORM includes PREPEND -I)
set(flags)
if(SANITIZE)
  set(flags -fsanitize=address,undefined)
endif()
set(fleets)
set(programs)
foreach(name ${outside_files})
  if(name MATCHES "\\.fleet$")
    list(APPEND fleets ${stage}/outside/${name})
  elseif(name MATCHES "^(.+)\\.c$")
    set(exe ${WORK}/${CMAKE_MATCH_1})
    execute_process(COMMAND ${CC} -std=c11 -Wall -Wextra -Werror ${flags}
        ${stage}/outside/${name} -I${src}/include ${includes}
        -L${libdir} -lxous-host -Wl,-rpath,${libdir} -o ${exe}
      RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
    if(NOT rc EQUAL 0)
      fail("the guide's program ${name} does not build:\n${out}")
    endif()
    list(APPEND programs ${exe})
  else()
    fail("outside file ${name}: neither a program (.c) nor a fleet file (.fleet)")
  endif()
endforeach()
if(NOT programs)
  fail("the guide shows no program that uses its server")
endif()
foreach(exe ${programs})
  foreach(fleet "" ${fleets})
    set(how "the default fleet")
    set(opts)
    if(fleet)
      get_filename_component(how ${fleet} NAME)
      set(opts --fleet ${fleet})
    endif()
    execute_process(COMMAND ${build}/bin/xous-hostd ${opts} -- ${exe}
      TIMEOUT 60 RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
    if(NOT rc EQUAL 0)
      fail("${exe} under xous-hostd with ${how}: ${rc}\n${out}${err}")
    endif()
    string(STRIP "${out}" out)
    message(STATUS "${how}: ${out}")
  endforeach()
endforeach()
