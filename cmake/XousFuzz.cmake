# xous_fuzz_target(NAME SOURCES src... [CORPUS DIR] [LIBS lib...] [DEFS def...])
#
# A fuzz target is a plain LLVMFuzzerTestOneInput() whose corpus (and the
# crashes/ found later) lives in CORPUS (default: the folder NAME beside the
# calling CMakeLists.txt). Every build replays the corpus as the ctest
# fuzz.NAME.replay; with -DXOUS_FUZZ=ON and clang the target is also the
# libFuzzer binary bin/fuzz_NAME that scripts/fuzz runs.
set(XOUS_FUZZ_FLAGS -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
  -fno-omit-frame-pointer)
set(XOUS_FUZZ_DIR ${CMAKE_CURRENT_LIST_DIR}/../tests/fuzz)

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
