# xous_fuzz_target(NAME SOURCES src... [HOME DIR] [LIBS lib...] [DEFS def...])
#
# A fuzz target is a plain LLVMFuzzerTestOneInput(). Its files live in HOME
# (default: the calling CMakeLists.txt's folder): the seed corpus
# NAME_seed_corpus.zip (OSS-Fuzz's convention; entries stored, zip -0), the
# hand-written seeds of a new target, seeds/ (which scripts/fuzz --merge
# folds into the zip), and every crash ever found, crashes/NAME/FILE. Every
# build replays the seed corpus and seeds/ as the ctest fuzz.NAME.replay and each crash as its own ctest
# fuzz.NAME.crash.FILE; with -DXOUS_FUZZ=ON the target is also the fuzzing
# binary bin/fuzz_NAME that scripts/fuzz runs: libFuzzer with clang, or the
# engine XOUS_FUZZ_ENGINE names (OSS-Fuzz's $LIB_FUZZING_ENGINE, AFL++'s
# driver), whose compile flags then come from CFLAGS.
set(XOUS_FUZZ_FLAGS -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
  -fno-omit-frame-pointer)
set(XOUS_FUZZ_ENGINE "" CACHE STRING
  "Link flags of the fuzzing engine (empty: clang's libFuzzer with ASan and UBSan)")
# The harness's sources: the tree's, or the installed kit's (XousHostConfig).
if(NOT XOUS_FUZZ_DIR)
  set(XOUS_FUZZ_DIR ${CMAKE_CURRENT_LIST_DIR}/../tests/fuzz)
  set(XOUS_FUZZ_KCORE_DIR ${CMAKE_CURRENT_LIST_DIR}/../kcore)
endif()
# kcore's limits in a server's target: small, so that a few records fill
# a queue, the lent bytes, the threads and the connections.
set(XOUS_FUZZ_SERVER_LIMITS KC_MAX_PROCS=8 KC_MAX_THREADS=24 KC_MAX_SERVERS=4 KC_MAX_MSGS=48
  KC_MAX_CONNS=4 KC_QUEUE_DEPTH=6 KC_MAX_LENT_BYTES=65536u KC_MAX_THREADS_PER_PROC=6)

# The fuzzing binaries of a build, for the OSS-Fuzz build script
# (.clusterfuzzlite/build.sh): BUILD/xous-fuzz-targets.txt, one line per
# target: its name, its binary and its seed corpus (which may not exist).
function(xous_fuzz_list)
  get_property(lines GLOBAL PROPERTY XOUS_FUZZ_TARGETS)
  list(JOIN lines "\n" text)
  file(GENERATE OUTPUT ${CMAKE_BINARY_DIR}/xous-fuzz-targets.txt CONTENT "${text}\n")
endfunction()
get_property(listed GLOBAL PROPERTY XOUS_FUZZ_LISTED)
if(NOT listed)
  set_property(GLOBAL PROPERTY XOUS_FUZZ_LISTED 1)
  cmake_language(DEFER DIRECTORY ${CMAKE_SOURCE_DIR} CALL xous_fuzz_list)
endif()

function(xous_fuzz_target name)
  cmake_parse_arguments(F "" "HOME" "SOURCES;LIBS;DEFS" ${ARGN})
  if(NOT F_HOME)
    set(F_HOME ${CMAKE_CURRENT_SOURCE_DIR})
  endif()
  set(common ${XOUS_FUZZ_DIR}/fuzz_common.c)
  add_executable(fuzz_${name}_replay ${XOUS_FUZZ_DIR}/replay.c ${common} ${F_SOURCES})
  set(targets fuzz_${name}_replay)
  set(seeds)
  foreach(s ${F_HOME}/${name}_seed_corpus.zip ${F_HOME}/seeds)
    if(EXISTS ${s})
      list(APPEND seeds ${s})
    endif()
  endforeach()
  if(seeds)
    add_test(NAME fuzz.${name}.replay COMMAND fuzz_${name}_replay ${seeds})
  endif()
  file(GLOB crashes CONFIGURE_DEPENDS ${F_HOME}/crashes/${name}/*)
  foreach(crash ${crashes})
    get_filename_component(file ${crash} NAME)
    add_test(NAME fuzz.${name}.crash.${file} COMMAND fuzz_${name}_replay ${crash})
  endforeach()
  if(XOUS_FUZZ AND (XOUS_FUZZ_ENGINE OR CMAKE_C_COMPILER_ID MATCHES "Clang"))
    add_executable(fuzz_${name} ${common} ${F_SOURCES})
    if(XOUS_FUZZ_ENGINE)
      separate_arguments(engine UNIX_COMMAND "${XOUS_FUZZ_ENGINE}")
      target_link_options(fuzz_${name} PRIVATE ${engine})
    else()
      target_compile_options(fuzz_${name} PRIVATE ${XOUS_FUZZ_FLAGS})
      target_link_options(fuzz_${name} PRIVATE ${XOUS_FUZZ_FLAGS})
    endif()
    set_property(GLOBAL APPEND PROPERTY XOUS_FUZZ_TARGETS
      "${name}\t$<TARGET_FILE:fuzz_${name}>\t${F_HOME}/${name}_seed_corpus.zip")
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

# xous_fuzz_server(NAME CORE lib SOURCES file... [HOME dir] [LIBS lib...])
#
# The fuzz target srv_NAME of a server: SOURCES (a file that fills a
# struct fsrv_target with the server's dispatch, tests/fuzz/fuzz_server.h)
# with the sources of the static library CORE (compiled again, with the
# fuzzer's instrumentation), the harness that drives them through kcore, and
# the structure-aware mutator of its protobuf requests.
function(xous_fuzz_server name)
  cmake_parse_arguments(F "" "CORE;HOME" "SOURCES;LIBS" ${ARGN})
  xous_fuzz_sources(core_sources ${F_CORE} ${F_LIBS})
  set(home "")
  if(F_HOME)
    set(home HOME ${F_HOME})
  endif()
  xous_fuzz_target(srv_${name} ${home}
    SOURCES ${F_SOURCES} ${XOUS_FUZZ_DIR}/fuzz_server.c ${XOUS_FUZZ_DIR}/fuzz_mutator.c
      ${XOUS_FUZZ_KCORE_DIR}/kcore.c ${core_sources}
    LIBS ${F_CORE}
    DEFS ${XOUS_FUZZ_SERVER_LIMITS})
  if(TARGET fuzz_srv_${name})
    target_link_options(fuzz_srv_${name} PRIVATE
      -Wl,--wrap=__sanitizer_cov_trace_const_cmp4 -Wl,--wrap=__sanitizer_cov_trace_const_cmp8)
  endif()
  foreach(t fuzz_srv_${name}_replay fuzz_srv_${name})
    if(TARGET ${t})
      target_include_directories(${t} PRIVATE ${XOUS_FUZZ_KCORE_DIR})
    endif()
  endforeach()
  # kcore and the harness count for coverage but not for comparisons, so
  # that libFuzzer's comparison tables, and the mutator's constants (the
  # comparison hooks it wraps), are the server's.
  set_source_files_properties(${XOUS_FUZZ_KCORE_DIR}/kcore.c ${XOUS_FUZZ_DIR}/fuzz_server.c
    ${XOUS_FUZZ_DIR}/fuzz_mutator.c ${XOUS_FUZZ_DIR}/fuzz_common.c PROPERTIES COMPILE_OPTIONS
    $<$<C_COMPILER_ID:Clang>:-fno-sanitize-coverage=trace-cmp>)
endfunction()

# xous_fuzz_dispatch(NAME STATE type INIT fn DISPATCH fn [SERVICE descriptor]
#                    [HEADER file...] [WAITING fn] [IO] [CORE lib] [HOME dir])
#
# A server's fuzz target from its dispatch function alone (the one line of
# docs/fuzzing.md): a generated target file keeps one STATE, calls
# INIT(&state) before each input (INIT(&state, &fsrv_io) with IO: a server
# that parks callers answers them through the harness's io table) and
# DISPATCH(&state, env) for each message; SERVICE is the protobuf-c service
# descriptor whose methods' requests the mutator builds, WAITING(&state)
# the count of calls it has parked, HEADER what declares them all. CORE
# (default NAME_core) is the library of the server's sources.
function(xous_fuzz_dispatch name)
  cmake_parse_arguments(F "IO" "STATE;INIT;DISPATCH;SERVICE;WAITING;CORE;HOME" "HEADER" ${ARGN})
  if(NOT F_STATE OR NOT F_INIT OR NOT F_DISPATCH OR F_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "xous_fuzz_dispatch(${name}): STATE, INIT and DISPATCH are needed; "
      "unknown arguments: ${F_UNPARSED_ARGUMENTS}")
  endif()
  if(NOT F_CORE)
    set(F_CORE ${name}_core)
  endif()
  set(includes "")
  foreach(h ${F_HEADER})
    string(APPEND includes "#include \"${h}\"\n")
  endforeach()
  set(io "")
  if(F_IO)
    set(io ", &fsrv_io")
  endif()
  set(svc "NULL")
  if(F_SERVICE)
    set(svc "&${F_SERVICE}")
  endif()
  set(waiting "")
  if(F_WAITING)
    set(waiting "static size_t waiting(void)\n{\n\treturn ${F_WAITING}(&st);\n}\n")
  endif()
  set(src ${CMAKE_CURRENT_BINARY_DIR}/fuzz_srv_${name}.c)
  file(GENERATE OUTPUT ${src} CONTENT
"/* fuzz_srv_${name}.c - generated by xous_fuzz_dispatch(): ${F_DISPATCH}() driven through kcore. */
#include \"fuzz_server.h\"
${includes}
static ${F_STATE} st;

static void init(uint64_t now)
{
\t(void)now;
\t${F_INIT}(&st${io});
}

static xous_answer_t dispatch(xous_envelope_t *env, uint64_t now)
{
\t(void)now;
\treturn ${F_DISPATCH}(&st, env);
}
${waiting}
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
\tstatic const struct fsrv_target t = {
\t        .svc = ${svc}, .init = init, .dispatch = dispatch,$<$<BOOL:${F_WAITING}>: .waiting = waiting,>
\t};

\treturn fsrv_run(&t, data, size);
}
")
  set(home "")
  if(F_HOME)
    set(home HOME ${F_HOME})
  endif()
  xous_fuzz_server(${name} CORE ${F_CORE} SOURCES ${src} ${home})
endfunction()
