# Run by the ctest cli.help (tests/cli/CMakeLists.txt) with SRC, BIN,
# PROGRAMS (in BIN), VERSION and WORK.
file(REMOVE_RECURSE ${WORK})
file(MAKE_DIRECTORY ${WORK})
# No broker to talk to: a program that went on past --help would fail.
unset(ENV{XOUS_HOSTD})
unset(ENV{XOUS_FD})
set(ENV{OUT} ${WORK}/out) # scripts/bench's results

function(expect what)
  execute_process(COMMAND ${ARGN} WORKING_DIRECTORY ${WORK} OUTPUT_VARIABLE out
    ERROR_VARIABLE err RESULT_VARIABLE rc TIMEOUT 20)
  if(NOT rc EQUAL 0 OR NOT out MATCHES "${what}" OR NOT err STREQUAL "")
    message(FATAL_ERROR "'${ARGN}': status ${rc}, expected 0 with '${what}' on stdout and "
      "nothing on stderr\nstdout:\n${out}\nstderr:\n${err}")
  endif()
endfunction()

foreach(p ${PROGRAMS})
  expect("usage: ${p}" ${BIN}/${p} --help)
  expect("^${p} \\(xous-host\\) ${VERSION}\n$" ${BIN}/${p} --version)
endforeach()
foreach(s test run bench fuzz deps configure quiet)
  expect("." ${SRC}/scripts/${s} --help)
endforeach()
foreach(t xous-riscv-run xous-qemu)
  expect("${t}" ${SRC}/kernel-riscv/tools/${t} --help)
endforeach()
file(GLOB left ${WORK}/out/*)
if(left)
  message(FATAL_ERROR "scripts/bench --help wrote ${left}")
endif()
