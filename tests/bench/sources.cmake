# The sources of xous-bench, for tests/bench/CMakeLists.txt and for the build
# of another revision that scripts/bench --compare makes (compare/).
set(XOUS_BENCH_SOURCES)
foreach(f main.c stats.c proc.c peers.c dbus.c ours.c inner.c inner_fs.c storage.c report.c net.c)
  list(APPEND XOUS_BENCH_SOURCES ${CMAKE_CURRENT_LIST_DIR}/${f})
endforeach()
