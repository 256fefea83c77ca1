# Run by the ctest install.headers (tests/install/CMakeLists.txt) with
# BUILD, PREFIX, CC, PKG_CONFIG and APP_FLAGS (for the program's compile).
file(REMOVE_RECURSE ${PREFIX})
execute_process(COMMAND ${CMAKE_COMMAND} --install ${BUILD} --prefix ${PREFIX}
  OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "cmake --install ${BUILD} --prefix ${PREFIX} failed:\n${out}${err}")
endif()

set(inc ${PREFIX}/include)
file(GLOB_RECURSE headers RELATIVE ${inc} ${inc}/*.h)
list(SORT headers)
if(NOT headers)
  message(FATAL_ERROR "no header installed under ${inc}")
endif()
set(work ${PREFIX}/check)
file(MAKE_DIRECTORY ${work})
set(failed)
set(all_includes)
foreach(h ${headers})
  string(MAKE_C_IDENTIFIER ${h} id)
  file(WRITE ${work}/${id}.c "#include <${h}>\n")
  string(APPEND all_includes "#include <${h}>\n")
  execute_process(
    COMMAND ${CC} -std=c11 -fsyntax-only -Wall -Wextra -Werror -I ${inc} ${work}/${id}.c
    OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    list(APPEND failed ${h})
    message("<${h}> does not compile alone:\n${out}${err}")
  endif()
endforeach()
if(failed)
  message(FATAL_ERROR "headers that do not compile alone: ${failed}")
endif()

# A program of one's own, built against the prefix with pkg-config.
file(GLOB_RECURSE pcs ${PREFIX}/*/xous-host.pc)
if(NOT pcs)
  message(FATAL_ERROR "no xous-host.pc installed under ${PREFIX}")
endif()
list(GET pcs 0 pc)
get_filename_component(pcdir ${pc} DIRECTORY)
set(ENV{PKG_CONFIG_PATH} ${pcdir})
execute_process(COMMAND ${PKG_CONFIG} --cflags --libs xous-host
  OUTPUT_VARIABLE flags ERROR_VARIABLE err RESULT_VARIABLE rc OUTPUT_STRIP_TRAILING_WHITESPACE)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "pkg-config --cflags --libs xous-host:\n${err}")
endif()
separate_arguments(flags UNIX_COMMAND "${flags}")
file(WRITE ${work}/app.c "${all_includes}
int main(void)
{
	return xous_strerror(XOUS_OK) ? 0 : 1;
}
")
execute_process(COMMAND ${CC} -std=c11 -Wall -Wextra -Werror ${APP_FLAGS} ${work}/app.c ${flags}
  -o ${work}/app
  OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "a program including every header does not build with pkg-config "
    "xous-host (${flags}):\n${out}${err}")
endif()
execute_process(COMMAND ${work}/app RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "the program built with pkg-config xous-host does not run: ${rc}")
endif()
list(LENGTH headers n)
message(STATUS "${n} installed headers compile alone; pkg-config xous-host builds a program")
