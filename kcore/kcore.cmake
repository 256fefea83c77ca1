# kcore's sources, for every build that compiles kcore: this project's
# (kcore/CMakeLists.txt: the broker's library, the unit tests, the fuzz
# target, the RV32 compile check) and the RV32 kernel's
# (kernel-riscv/target/CMakeLists.txt).
#
# kcore is one translation unit (kcore.c states the rule): KCORE_SOURCES is
# that one file, which includes the sections core.c, messages.c, send.c,
# servers.c and inspect.c. A section is never a source of its own.
set(KCORE_SOURCES ${CMAKE_CURRENT_LIST_DIR}/kcore.c)
