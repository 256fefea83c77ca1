# The server registry: one line per server, whose folder is beside this file.
# Everything a server is built into follows from its line: the dispatch core,
# the client stub in libxous-host and in the RV32 user runtime, the Linux and
# RV32 programs, the default fleet (booted in the order of these lines), the
# unit tests, the fuzz target, the exported client calls and the installed
# header. The options and the folder's layout: cmake/XousServers.cmake.
include(${CMAKE_CURRENT_LIST_DIR}/../cmake/XousServers.cmake)

xous_add_server(names FLEET SERVER_NAME "xous-name-server" SOURCES valid.c
  HOST_CLIENT kernel_calls.c EXPORTS xns_*)
xous_add_server(ticktimer FLEET SERVER_NAME "ticktimer-server" EXPORTS tt_*)
xous_add_server(log FLEET SERVER_NAME "xous-log-server " EXPORTS xlog xlog_*)
xous_add_server(time FLEET SERVER_NAME "timeserverpublic" EXPORTS xtime_*)
xous_add_server(benchmark FLEET SERVER_NAME "benchmark" EXPORTS benchmark_*)
