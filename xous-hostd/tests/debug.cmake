# debug.cmake - run by the ctests hostd_debug.TOOL (CMakeLists.txt here) with
# HOSTD, BIN (the build's bin/), TOOL (strace, valgrind or gdbserver, or
# "bad"), WORK, and GDB for gdbserver.
# A fleet file runs xous-ticktimer (a server with a thread of its own) under
# debug=TOOL and the demo as PROGRAM, which sleeps on it: the broker says how
# the server runs, the tool's own output appears, and the demo ends with 0.
# Under gdbserver the server waits for gdb, which attaches and detaches (the
# server then runs on).
# TOOL "bad": debug= values that are not a tool stop the broker with 2.
file(MAKE_DIRECTORY ${WORK})
set(fleet ${WORK}/${TOOL}.fleet)
function(fleet_file debug)
  file(WRITE ${fleet} "server xous-names xous-names
server xous-ticktimer xous-ticktimer debug=${debug}
server xous-log xous-log
server xous-time xous-time
")
endfunction()

if(TOOL STREQUAL "bad")
  foreach(debug gdb gdbserver gdbserver:0 gdbserver:x strace:1 valgrind:2 gdbserver:70000)
    fleet_file(${debug})
    execute_process(COMMAND ${HOSTD} --fleet ${fleet} -- /bin/true
      OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc TIMEOUT 20)
    if(NOT rc EQUAL 2 OR NOT err MATCHES "debug must be strace, valgrind or gdbserver:PORT")
      message(FATAL_ERROR "debug=${debug}: status ${rc}, expected 2 with the reason:\n${err}")
    endif()
  endforeach()
  return()
endif()

set(debug ${TOOL})
set(run ${HOSTD} --fleet ${fleet} -- ${BIN}/xous-demo)
set(tool_out "execve\\(\"[^\"]*xous-ticktimer\"")
if(TOOL STREQUAL "valgrind")
  set(tool_out "Command: [^\n]*xous-ticktimer")
elseif(TOOL STREQUAL "gdbserver")
  string(RANDOM LENGTH 4 ALPHABET 123456789 port) # another broker's may be in use
  set(debug gdbserver:2${port})
  set(tool_out "Remote debugging from host")
  string(REPLACE ";" " " hostd "${run}")
  file(WRITE ${WORK}/gdb.sh "${hostd} &
for i in $(seq 100)
do
  sleep 0.2
  '${GDB}' -batch -ex 'target remote localhost:2${port}' -ex detach >/dev/null 2>&1 && break
done
wait $!
")
  set(run sh ${WORK}/gdb.sh)
endif()
fleet_file(${debug})
execute_process(COMMAND ${run}
  OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc TIMEOUT 60)
string(REGEX REPLACE "([()])" "\\\\\\1" said
  "server xous-ticktimer runs under ${TOOL} (debug=${debug})")
if(NOT rc EQUAL 0 OR NOT err MATCHES "${said}[^\n]*left dumpable" OR NOT err MATCHES "${tool_out}"
   OR NOT out MATCHES "demo: done")
  message(FATAL_ERROR "xous-hostd --fleet (ticktimer debug=${debug}) -- xous-demo: status ${rc}"
    "\nstdout:\n${out}\nstderr:\n${err}")
endif()
