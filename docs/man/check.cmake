# Run by the ctests docs.man.PAGE (docs/CMakeLists.txt) with GROFF and PAGE:
# the page formats, and groff warns of nothing.
execute_process(COMMAND ${GROFF} -man -ww -z ${PAGE}
  OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc)
if(NOT rc EQUAL 0 OR NOT "${out}${err}" STREQUAL "")
  message(FATAL_ERROR "groff -man -ww ${PAGE}: ${rc}\n${out}${err}")
endif()
