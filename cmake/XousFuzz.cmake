# xous_fuzz_target(NAME SOURCES src... [CORPUS DIR] [LIBS lib...] [DEFS def...])
#
# A fuzz target is a plain LLVMFuzzerTestOneInput() whose corpus (and the
# crashes/ found later) lives in CORPUS (default: the folder NAME beside the
# calling CMakeLists.txt). Every build replays the corpus as the ctest
# fuzz.NAME.replay; with -DXOUS_FUZZ=ON and clang the target is also the
# libFuzzer binary bin/fuzz_NAME that scripts/fuzz runs.
set(XOUS_FUZZ_FLAGS -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
  -fno-omit-frame-pointer)
# The harness's sources: the tree's, or the installed kit's (XousHostConfig).
if(NOT XOUS_FUZZ_DIR)
  set(XOUS_FUZZ_DIR ${CMAKE_CURRENT_LIST_DIR}/../tests/fuzz)
  set(XOUS_FUZZ_KCORE_DIR ${CMAKE_CURRENT_LIST_DIR}/../kcore)
endif()
# kcore's limits in a server's target: small, so that a few records fill
# a queue, the lent bytes, the threads and the connections.
set(XOUS_FUZZ_SERVER_LIMITS KC_MAX_PROCS=8 KC_MAX_THREADS=24 KC_MAX_SERVERS=4 KC_MAX_MSGS=48
  KC_MAX_CONNS=4 KC_QUEUE_DEPTH=6 KC_MAX_LENT_BYTES=65536u KC_MAX_THREADS_PER_PROC=6)

function(xous_fuzz_target name)
  cmake_parse_arguments(F "" "CORPUS" "SOURCES;LIBS;DEFS" ${ARGN})
  if(NOT F_CORPUS)
    set(F_CORPUS ${CMAKE_CURRENT_SOURCE_DIR}/${name})
  endif()
  set(common ${XOUS_FUZZ_DIR}/fuzz_common.c)
  add_executable(fuzz_${name}_replay ${XOUS_FUZZ_DIR}/replay.c ${common} ${F_SOURCES})
  set(targets fuzz_${name}_replay)
  add_test(NAME fuzz.${name}.replay COMMAND fuzz_${name}_replay ${F_CORPUS})
  if(XOUS_FUZZ AND CMAKE_C_COMPILER_ID MATCHES "Clang")
    add_executable(fuzz_${name} ${common} ${F_SOURCES})
    target_compile_options(fuzz_${name} PRIVATE ${XOUS_FUZZ_FLAGS})
    target_link_options(fuzz_${name} PRIVATE ${XOUS_FUZZ_FLAGS})
    list(APPEND targets fuzz_${name})
  endif()
  foreach(t ${targets})
    target_compile_definitions(${t} PRIVATE ${F_DEFS})
    target_include_directories(${t} PRIVATE ${XOUS_FUZZ_DIR} ${CMAKE_CURRENT_SOURCE_DIR})
    target_link_libraries(${t} PRIVATE ${F_LIBS})
  endforeach()
endfunction()

# The sources of library targets, absolute, so that a fuzz binary compiles
# them itself with coverage instrumentation (the archives are linked too,
# for their usage requirements; the linker takes no member twice).
function(xous_fuzz_sources out)
  set(all)
  foreach(lib ${ARGN})
    get_target_property(srcs ${lib} SOURCES)
    get_target_property(dir ${lib} SOURCE_DIR)
    foreach(src ${srcs})
      if(NOT IS_ABSOLUTE ${src})
        set(src ${dir}/${src})
      endif()
      list(APPEND all ${src})
    endforeach()
  endforeach()
  set(${out} ${all} PARENT_SCOPE)
endfunction()

# xous_fuzz_server(NAME CORE lib SOURCES file... [CORPUS path] [LIBS lib...])
#
# The fuzz target srv_NAME of a server: SOURCES (a file that fills a
# struct fsrv_target with the server's dispatch, tests/fuzz/fuzz_server.h)
# with the sources of the static library CORE (compiled again, with the
# fuzzer's instrumentation), the harness that drives them through kcore, and
# the structure-aware mutator of its protobuf requests.
function(xous_fuzz_server name)
  cmake_parse_arguments(F "" "CORE;CORPUS" "SOURCES;LIBS" ${ARGN})
  xous_fuzz_sources(core_sources ${F_CORE} ${F_LIBS})
  set(corpus "")
  if(F_CORPUS)
    set(corpus CORPUS ${F_CORPUS})
  endif()
  xous_fuzz_target(srv_${name} ${corpus}
    SOURCES ${F_SOURCES} ${XOUS_FUZZ_DIR}/fuzz_server.c ${XOUS_FUZZ_DIR}/fuzz_mutator.c
      ${XOUS_FUZZ_KCORE_DIR}/kcore.c ${core_sources}
    LIBS ${F_CORE}
    DEFS ${XOUS_FUZZ_SERVER_LIMITS})
  foreach(t fuzz_srv_${name}_replay fuzz_srv_${name})
    if(TARGET ${t})
      target_include_directories(${t} PRIVATE ${XOUS_FUZZ_KCORE_DIR})
    endif()
  endforeach()
endfunction()
