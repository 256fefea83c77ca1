# Run by the ctests fuzz.oss_fuzz_build and fuzz.afl_smoke
# (tests/fuzz/CMakeLists.txt) with SOURCE, WORK, ENGINE (libfuzzer or afl),
# CC, TARGET, and for libfuzzer KIT_PREFIX (the installed kit of install.kit)
# and AFL_FUZZ. The OSS-Fuzz build script (.clusterfuzzlite/build.sh) runs
# outside a container with the environment their builder image gives it,
# building TARGET (and, for libFuzzer, the kit's example server through the
# installed kit); then each engine runs a built target briefly on its seed
# corpus, which must run without a crash.
file(REMOVE_RECURSE ${WORK})
file(MAKE_DIRECTORY ${WORK}/src ${WORK}/out ${WORK}/work ${WORK}/seeds)
file(CREATE_LINK ${SOURCE} ${WORK}/src/xous-host SYMBOLIC)
set(ENV{SRC} ${WORK}/src)
set(ENV{OUT} ${WORK}/out)
set(ENV{WORK} ${WORK}/work)
set(ENV{CC} ${CC})
set(ENV{XOUS_FUZZ_TARGETS} ${TARGET})
set(ENV{LIB_FUZZING_ENGINE} -fsanitize=fuzzer)
if(ENGINE STREQUAL libfuzzer)
  # OSS-Fuzz's flags for libFuzzer with AddressSanitizer
  set(ENV{CFLAGS} "-O1 -fno-omit-frame-pointer -gline-tables-only -fsanitize=address -fsanitize-address-use-after-scope -fsanitize=fuzzer-no-link")
  set(ENV{XOUS_FUZZ_KIT_PROJECTS} ${SOURCE}/tests/install/kit)
  set(ENV{XOUS_FUZZ_KIT_PREFIX} ${KIT_PREFIX})
  set(kit srv_doubler)
else()
  set(ENV{CFLAGS} "-O1 -g") # afl-clang-fast instruments by itself
  set(ENV{XOUS_FUZZ_KIT_PROJECTS} none) # an empty value would unset it
  set(ENV{AFL_QUIET} 1)
  set(kit "")
endif()

execute_process(COMMAND ${SOURCE}/.clusterfuzzlite/build.sh
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR ".clusterfuzzlite/build.sh failed (${rc}):\n${out}")
endif()
foreach(t ${TARGET} ${kit})
  if(NOT EXISTS ${WORK}/out/${t} OR NOT EXISTS ${WORK}/out/${t}_seed_corpus.zip)
    message(FATAL_ERROR "build.sh left no ${t} or ${t}_seed_corpus.zip in \$OUT")
  endif()
endforeach()

# seeds(T DIR): T's seed corpus, unpacked into DIR
function(seeds t dir)
  file(MAKE_DIRECTORY ${dir})
  execute_process(COMMAND ${CMAKE_COMMAND} -E tar xf ${WORK}/out/${t}_seed_corpus.zip
    WORKING_DIRECTORY ${dir} RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "cannot unpack ${t}_seed_corpus.zip")
  endif()
endfunction()

seeds(${TARGET} ${WORK}/seeds/${TARGET})
if(ENGINE STREQUAL libfuzzer)
  foreach(t ${TARGET} ${kit})
    seeds(${t} ${WORK}/seeds/${t})
    file(MAKE_DIRECTORY ${WORK}/found/${t})
    execute_process(COMMAND ${WORK}/out/${t} -max_total_time=8 -print_final_stats=1
        ${WORK}/found/${t} ${WORK}/seeds/${t}
      RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out TIMEOUT 120)
    if(NOT rc EQUAL 0 OR NOT out MATCHES "number_of_executed_units: [1-9]")
      message(FATAL_ERROR "libFuzzer on ${t}: ${rc}\n${out}")
    endif()
    string(REGEX MATCH "number_of_executed_units: [0-9]+" runs "${out}")
    message(STATUS "libFuzzer ${t}: ${runs}")
  endforeach()
  return()
endif()

set(ENV{AFL_SKIP_CPUFREQ} 1)
set(ENV{AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES} 1)
set(ENV{AFL_NO_UI} 1)
set(ENV{AFL_NO_AFFINITY} 1)
execute_process(COMMAND ${AFL_FUZZ} -i ${WORK}/seeds/${TARGET} -o ${WORK}/afl-out -V 8 -m none
    -- ${WORK}/out/${TARGET}
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out TIMEOUT 120)
if(NOT EXISTS ${WORK}/afl-out/default/fuzzer_stats)
  message(FATAL_ERROR "afl-fuzz on ${TARGET} did not start (${rc}):\n${out}")
endif()
file(READ ${WORK}/afl-out/default/fuzzer_stats stats)
string(REGEX MATCH "execs_done +: [0-9]+" execs "${stats}")
string(REGEX MATCH "saved_crashes +: [0-9]+" crashes "${stats}")
if(NOT rc EQUAL 0 OR NOT execs MATCHES ": [1-9]" OR NOT crashes MATCHES ": 0$")
  message(FATAL_ERROR "afl-fuzz on ${TARGET}: ${rc}, ${execs}, ${crashes}\n${out}")
endif()
message(STATUS "AFL++ ${TARGET}: ${execs}")
