# readme.cmake - run by the ctest docs.readme (tests/docs/CMakeLists.txt)
# with README, BUILD, PREFIX, WORK, CC, PKG_CONFIG and APP_FLAGS.
# The README's first ```c block is the quick tour, a whole program: it is
# written to WORK/tour.c, built exactly as the README says after this build
# is installed into PREFIX (cc tour.c $(pkg-config --cflags --libs
# xous-host)), and run under the installed broker, `xous-hostd -- ./tour`,
# which must exit 0 within 30 s.
file(READ ${README} text)
string(FIND "${text}" "\n```c\n" start)
if(start EQUAL -1)
  message(FATAL_ERROR "${README} has no ```c block")
endif()
math(EXPR start "${start} + 6")
string(SUBSTRING "${text}" ${start} -1 text)
string(FIND "${text}" "\n```\n" end)
if(end EQUAL -1)
  message(FATAL_ERROR "${README}: its first ```c block is not closed")
endif()
string(SUBSTRING "${text}" 0 ${end} tour)
file(REMOVE_RECURSE ${PREFIX} ${WORK})
file(MAKE_DIRECTORY ${WORK})
file(WRITE ${WORK}/tour.c "${tour}\n")

execute_process(COMMAND ${CMAKE_COMMAND} --install ${BUILD} --prefix ${PREFIX}
  OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "cmake --install ${BUILD} --prefix ${PREFIX}:\n${out}${err}")
endif()
set(ENV{PKG_CONFIG_PATH} ${PREFIX}/lib/pkgconfig)
execute_process(COMMAND ${PKG_CONFIG} --cflags --libs xous-host OUTPUT_VARIABLE flags
  ERROR_VARIABLE err RESULT_VARIABLE rc OUTPUT_STRIP_TRAILING_WHITESPACE)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "pkg-config --cflags --libs xous-host:\n${err}")
endif()
separate_arguments(flags UNIX_COMMAND "${flags}")
separate_arguments(app_flags UNIX_COMMAND "${APP_FLAGS}")
execute_process(COMMAND ${CC} ${app_flags} tour.c ${flags} -o tour WORKING_DIRECTORY ${WORK}
  OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "cc tour.c $(pkg-config --cflags --libs xous-host) failed:\n${out}${err}")
endif()
execute_process(COMMAND ${PREFIX}/bin/xous-hostd -- ./tour WORKING_DIRECTORY ${WORK}
  OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc TIMEOUT 30)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "xous-hostd -- ./tour: ${rc} (0 within 30 s expected)\n${out}${err}")
endif()
message(STATUS "the README's quick tour builds and exits 0:\n${out}")
