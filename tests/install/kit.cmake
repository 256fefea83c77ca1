# Run by the ctest install.kit (tests/install/CMakeLists.txt) with BUILD,
# PREFIX, WORK, CC, PKG_CONFIG, CTEST, APP_FLAGS and QEMU (qemu-system-riscv32,
# or empty). The server of kit/ is kept outside the tree: it is built
# against the installed prefix twice, with find_package(XousHost) and with
# pkg-config and protoc-c by hand, its unit tests (the installed recorder)
# run, and it runs in a fleet under the installed xous-hostd with a program
# that uses it. Where the RV32 kit is installed too, the same sources run
# on qemu through the installed xous-riscv-run.
set(kit ${CMAKE_CURRENT_LIST_DIR}/kit)
file(REMOVE_RECURSE ${PREFIX} ${WORK})
file(MAKE_DIRECTORY ${WORK})

function(run what)
  execute_process(COMMAND ${ARGN} WORKING_DIRECTORY ${WORK}
    OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc TIMEOUT 120)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${what} failed (${rc}): ${ARGN}\n${out}${err}")
  endif()
  set(out "${out}${err}" PARENT_SCOPE)
endfunction()

run("cmake --install" ${CMAKE_COMMAND} --install ${BUILD} --prefix ${PREFIX})

# ---- CMake: find_package(XousHost), xous_host_add_server() ----
set(cb ${WORK}/cmake)
run("configuring kit/ with find_package(XousHost)" ${CMAKE_COMMAND} -S ${kit} -B ${cb}
  -DCMAKE_PREFIX_PATH=${PREFIX} "-DCMAKE_C_FLAGS=${APP_FLAGS}")
run("building kit/ with CMake" ${CMAKE_COMMAND} --build ${cb})
run("kit/'s ctest (unit tests, the fleet)" ${CTEST} --test-dir ${cb} --output-on-failure)

# ---- pkg-config and protoc-c by hand ----
set(pb ${WORK}/pkgconfig)
file(MAKE_DIRECTORY ${pb})
set(ENV{PKG_CONFIG_PATH} ${PREFIX}/lib/pkgconfig)
foreach(pc xous-host xous-host-recorder)
  execute_process(COMMAND ${PKG_CONFIG} --cflags --libs ${pc} OUTPUT_VARIABLE flags
    ERROR_VARIABLE err RESULT_VARIABLE rc OUTPUT_STRIP_TRAILING_WHITESPACE)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "pkg-config --cflags --libs ${pc}:\n${err}")
  endif()
  separate_arguments(flags_${pc} UNIX_COMMAND "${flags}")
endforeach()
find_program(PROTOC_C protoc-c REQUIRED)
run("protoc-c" ${PROTOC_C} --c_out=${pb} -I${kit} ${kit}/doubler.proto)
separate_arguments(app_flags UNIX_COMMAND "${APP_FLAGS}")
set(cc ${CC} -std=c11 -Wall -Wextra -Werror ${app_flags} -I${kit} -I${kit}/include -I${pb})
run("cc xous-doubler" ${cc} -o ${pb}/xous-doubler ${kit}/main.c ${kit}/dispatch.c
  ${pb}/doubler.pb-c.c ${flags_xous-host})
run("cc doubler-app" ${cc} -o ${pb}/doubler-app ${kit}/app.c ${kit}/client.c
  ${pb}/doubler.pb-c.c ${flags_xous-host})
run("cc test_doubler" ${cc} -o ${pb}/test_doubler ${kit}/test_doubler.c ${kit}/dispatch.c
  ${pb}/doubler.pb-c.c ${flags_xous-host-recorder})
run("the unit tests built with pkg-config" ${pb}/test_doubler)
execute_process(COMMAND ${PREFIX}/bin/xous-hostd --fleet ${kit}/doubler.fleet
  -- ${pb}/doubler-app WORKING_DIRECTORY ${pb}
  OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc TIMEOUT 60)
if(NOT rc EQUAL 0 OR NOT out MATCHES "PASS 21 -> 42")
  message(FATAL_ERROR "xous-hostd --fleet doubler.fleet -- doubler-app (pkg-config build): "
    "${rc}\n${out}${err}")
endif()

# ---- on kernel-riscv, through the installed xous-riscv-run ----
if(NOT EXISTS ${PREFIX}/bin/xous-riscv-run OR NOT QEMU)
  message(STATUS "install.kit: CMake and pkg-config builds run in a fleet; "
    "no RV32 kit installed (or no qemu): not run on kernel-riscv")
  return()
endif()
set(ENV{XOUS_QEMU} ${QEMU})
set(ENV{XOUS_QEMU_TIMEOUT} 60)
run("xous-riscv-run (installed)" ${PREFIX}/bin/xous-riscv-run -I ${kit} -I ${kit}/include
  -I ${pb} xous-doubler=${kit}/main.c,${kit}/dispatch.c,${pb}/doubler.pb-c.c
  ${kit}/app.c,${kit}/client.c,${pb}/doubler.pb-c.c)
if(NOT out MATCHES "PASS 21 -> 42")
  message(FATAL_ERROR "xous-riscv-run: no PASS line:\n${out}")
endif()
message(STATUS "install.kit: CMake and pkg-config builds run in a fleet and on kernel-riscv")
