# XousServers.cmake - what one line of the server registry (servers/servers.cmake)
# builds. The host build includes the registry from servers/CMakeLists.txt;
# kernel-riscv's RV32 build includes it with XOUS_SERVERS_RV32 ON, after its
# user runtime xous-rv32 and xous_riscv_program() exist.
#
#   xous_add_server(NAME [FLEET | GROUP G [FLEET_OPTIONS TEXT]] [HOST_ONLY] [SANDBOX POLICY] [SERVER_NAME NAME]
#                   [ROLE ID] [PHYS RIGHTS] [USAGE TEXT]
#                   [SOURCES file...] [CORE file...] [HOST_CLIENT file...] [EXPORTS pattern...])
#
# The server's folder NAME/ beside the registry holds, by name:
#   dispatch.c            the dispatch core, with SOURCES: the static library
#                         NAME_core (host) that the unit tests and the fuzz target link
#   client.c              the client stub, with SOURCES, compiled into libxous-host
#                         (with HOST_CLIENT too) and into the RV32 user runtime
#   include/xous/*.h      the client header(s), installed beside <xous.h>
#   main.c platform_host.c  the Linux program xous-NAME (with servers/options.c:
#                         its --help and --version, before main())
#   main.c platform_rv32.c  the RV32 program xous-NAME (a server with nothing
#                         platform-specific has neither platform file)
#   tests/*.c             the unit tests (check, one program): one ctest
#                         servers.NAME.CASE per line "\tADD(s, CASE);"
#   fuzz/*.c              the fuzz target srv_NAME: its dispatch driven through
#                         kcore by tests/fuzz/fuzz_server.c (cmake/XousFuzz.cmake),
#                         with fuzz/srv_NAME_seed_corpus.zip and fuzz/crashes/srv_NAME/
#
#   FLEET        in the default fleet (xous-hostd without --fleet, the RV32
#                images made with FLEET); the fleet boots in registry order
#   GROUP        in the optional fleet group G instead: the servers a device
#                option adds to the fleet in registry order (xous-hostd --G,
#                xous-riscv-run --G; groups: disk, net)
#   FLEET_OPTIONS  more words of a GROUP server's fleet line (xous-hostd/
#                README.md). {ARG} in them stands for the option's value:
#                a group whose lines have one takes a value (--disk IMAGE)
#   HOST_ONLY    a Linux server only (it uses a host facility such as KVM):
#                the RV32 build skips the line, its fleet and kit leave it out
#   SANDBOX      its sandbox policy in the default fleet (default: default)
#   PHYS         its physical memory rights in the default fleet: pool (the
#                pool's manager, the vm server), devices, or pool,devices
#                (the fleet file's phys=, xous-hostd/README.md)
#   SERVER_NAME  the name clients reach it by (well-known, or registered with
#                the name server); a fleet server with one gets fuzz.live.NAME.
#                A well-known one (16 bytes) is its role in the default fleet:
#                only the process started for it may create that server id
#   ROLE         a 16-byte well-known id that is its role in the default
#                fleet when its SERVER_NAME is a registered name (the task
#                server's XOUS_NAME_TASK: the kernel's task calls are its)
#   USAGE        the program's own options, shown by xous-NAME --help
#   SOURCES      more files of the folder that the core and the client compile
#   CORE         more files of the folder that only the core (and so the
#                program) compiles
#   HOST_CLIENT  more files of the folder that only libxous-host compiles
#   EXPORTS      the symbol patterns of its client calls that libxous-host exports
#
# What the rest of the build reads (global properties):
#   XOUS_SERVERS             every server, in registry order
#   XOUS_FLEET               the default fleet, in boot order
#   XOUS_FLEET_PROGRAMS      the programs of the default fleet (targets xous-NAME)
#   XOUS_HOST_ONLY_PROGRAMS  the programs of the HOST_ONLY servers
#   XOUS_FLEET_FILE          the default fleet as fleet-file lines (xous-hostd/README.md)
#   XOUS_GROUPS              the optional fleet groups, in registry order
#   XOUS_GROUP_PROGRAMS_<G>  the programs of group G (targets xous-NAME)
#   XOUS_FLEET_ROLES         "xous-NAME=WELLKNOWN" per fleet server (kernel-riscv's roles)
#   XOUS_FLEET_PHYS          "xous-NAME=RIGHTS" per fleet server with PHYS
#   XOUS_SERVER_NAME_<NAME>  the SERVER_NAME of server NAME
# and on the host the interface library xous_registry, whose generated header
# xous_registry.h gives C the default fleet: XOUS_REGISTRY_FLEET(X) expands to
# X("xous-NAME", "POLICY", "WELLKNOWN") per fleet server, in boot order
# (WELLKNOWN: its 16-byte SERVER_NAME, or "" if it has no well-known one),
# and XOUS_REGISTRY_GROUPS(X) to X("G", "fleet line") per group server, in
# registry order (the line's {ARG} words are the option's value).

if(NOT XOUS_SERVERS_RV32)
  set(XOUS_REGISTRY_GEN ${CMAKE_BINARY_DIR}/registry-gen)
  add_library(xous_registry INTERFACE)
  target_include_directories(xous_registry INTERFACE ${XOUS_REGISTRY_GEN})
  file(GENERATE OUTPUT ${XOUS_REGISTRY_GEN}/xous_registry.h CONTENT
"/* The server registry (servers/servers.cmake) for C: generated, do not edit. */
#ifndef XOUS_REGISTRY_H
#define XOUS_REGISTRY_H

/* The default fleet in boot order: X(program, sandbox policy, well-known
 * name or \"\") per server. */
#define XOUS_REGISTRY_FLEET(X) $<JOIN:$<TARGET_PROPERTY:xous_registry,XOUS_FLEET_C>, >

/* Physical memory rights of the default fleet: X(program, rights) per
 * server with PHYS (rights as the fleet file's phys=). */
#define XOUS_REGISTRY_PHYS(X) $<JOIN:$<TARGET_PROPERTY:xous_registry,XOUS_PHYS_C>, >

/* The optional fleet groups: X(group, fleet line) per server, in registry
 * order. */
#define XOUS_REGISTRY_GROUPS(X) $<JOIN:$<TARGET_PROPERTY:xous_registry,XOUS_GROUPS_C>, >

#endif
")
  find_package(Threads REQUIRED)
endif()

function(xous_add_server name)
  cmake_parse_arguments(S "FLEET;HOST_ONLY" "SANDBOX;SERVER_NAME;ROLE;USAGE;PHYS;GROUP;FLEET_OPTIONS"
    "SOURCES;CORE;HOST_CLIENT;EXPORTS" ${ARGN})
  set(dir ${CMAKE_CURRENT_LIST_DIR}/${name})
  if(S_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "xous_add_server(${name}): unknown arguments ${S_UNPARSED_ARGUMENTS}")
  endif()
  if(S_HOST_ONLY AND XOUS_SERVERS_RV32)
    return()
  elseif(S_HOST_ONLY)
    set_property(GLOBAL APPEND PROPERTY XOUS_HOST_ONLY_PROGRAMS xous-${name})
  endif()
  if(NOT name MATCHES "^[a-z][a-z0-9_]*$" OR NOT IS_DIRECTORY ${dir})
    message(FATAL_ERROR "xous_add_server(${name}): no server folder ${dir} "
      "(a name is [a-z][a-z0-9_]*)")
  endif()
  if(S_PHYS AND NOT S_PHYS MATCHES "^(pool|devices|pool,devices)$")
    message(FATAL_ERROR "xous_add_server(${name}): PHYS '${S_PHYS}' is not pool, devices "
      "or pool,devices")
  endif()
  if((S_FLEET AND S_GROUP) OR (S_FLEET_OPTIONS AND NOT S_GROUP) OR
     (S_GROUP AND NOT S_GROUP MATCHES "^[a-z][a-z0-9]*$"))
    message(FATAL_ERROR "xous_add_server(${name}): FLEET or GROUP (a name [a-z][a-z0-9]*), "
      "and FLEET_OPTIONS only with GROUP")
  endif()
  if(NOT S_SANDBOX)
    set(S_SANDBOX default)
  elseif(NOT S_SANDBOX MATCHES "^[a-z0-9_-]+$")
    message(FATAL_ERROR "xous_add_server(${name}): SANDBOX '${S_SANDBOX}' is not a policy name")
  endif()
  list(TRANSFORM S_SOURCES PREPEND ${dir}/)
  list(TRANSFORM S_CORE PREPEND ${dir}/)
  list(TRANSFORM S_HOST_CLIENT PREPEND ${dir}/)

  set_property(GLOBAL APPEND PROPERTY XOUS_SERVERS ${name})
  set_property(GLOBAL PROPERTY XOUS_SERVER_NAME_${name} "${S_SERVER_NAME}")
  set(wellknown "")
  string(LENGTH "${S_SERVER_NAME}" len)
  if(len EQUAL 16)
    set(wellknown "${S_SERVER_NAME}")
  endif()
  if(S_ROLE)
    string(LENGTH "${S_ROLE}" len)
    if(NOT len EQUAL 16 OR wellknown)
      message(FATAL_ERROR "xous_add_server(${name}): ROLE is a 16-byte id, for a server "
        "whose SERVER_NAME is not one")
    endif()
    set(wellknown "${S_ROLE}")
  endif()
  if(S_FLEET OR S_GROUP)
    set(line "server xous-${name} xous-${name} sandbox=${S_SANDBOX}")
    if(S_PHYS)
      string(APPEND line " phys=${S_PHYS}")
      set_property(GLOBAL APPEND PROPERTY XOUS_FLEET_PHYS "xous-${name}=${S_PHYS}")
    endif()
    if(wellknown)
      string(STRIP "${wellknown}" word) # the fleet file pads it with spaces again
      string(APPEND line " wellknown=${word}")
    endif()
    set_property(GLOBAL APPEND PROPERTY XOUS_FLEET_ROLES "xous-${name}=${wellknown}")
  endif()
  if(S_FLEET)
    set_property(GLOBAL APPEND PROPERTY XOUS_FLEET ${name})
    set_property(GLOBAL APPEND PROPERTY XOUS_FLEET_PROGRAMS xous-${name})
    set_property(GLOBAL APPEND_STRING PROPERTY XOUS_FLEET_FILE "${line}\n")
  elseif(S_GROUP)
    get_property(groups GLOBAL PROPERTY XOUS_GROUPS)
    if(NOT S_GROUP IN_LIST groups)
      set_property(GLOBAL APPEND PROPERTY XOUS_GROUPS ${S_GROUP})
    endif()
    set_property(GLOBAL APPEND PROPERTY XOUS_GROUP_PROGRAMS_${S_GROUP} xous-${name})
    if(S_FLEET_OPTIONS)
      string(APPEND line " ${S_FLEET_OPTIONS}")
    endif()
  endif()

  set(platform_host "")
  set(platform_rv32 "")
  if(EXISTS ${dir}/platform_host.c)
    set(platform_host ${dir}/platform_host.c)
  endif()
  if(EXISTS ${dir}/platform_rv32.c)
    set(platform_rv32 ${dir}/platform_rv32.c)
  endif()
  if(XOUS_SERVERS_RV32)
    xous_riscv_program(xous-${name} SOURCES ${dir}/main.c ${dir}/dispatch.c ${S_SOURCES} ${S_CORE}
      ${platform_rv32})
    target_compile_definitions(xous-${name} PRIVATE XOUS_VERSION="kernel-riscv")
    target_include_directories(xous-${name} PRIVATE ${dir} ${XOUS_KERNEL_RISCV_DIR}/servers)
    target_sources(xous-rv32 PRIVATE ${dir}/client.c ${S_SOURCES})
    target_include_directories(xous-rv32 PUBLIC ${dir}/include)
    return()
  endif()

  # The dispatch core: pure, no kernel calls.
  add_library(${name}_core STATIC ${dir}/dispatch.c ${S_SOURCES} ${S_CORE})
  target_include_directories(${name}_core PUBLIC ${dir} ${dir}/include)
  target_link_libraries(${name}_core PUBLIC xous_rpc_serve)

  # The client stub in libxous-host, its header and its exported calls.
  # HOST_CLIENT files may use libxous-host's internal header.
  target_sources(xous-host PRIVATE ${dir}/client.c ${S_SOURCES} ${S_HOST_CLIENT})
  target_include_directories(xous-host PUBLIC $<BUILD_INTERFACE:${dir}/include>
    PRIVATE ${PROJECT_SOURCE_DIR}/libxous-host)
  target_link_libraries(xous-host PRIVATE xous_protos)
  set_property(TARGET xous-host APPEND PROPERTY XOUS_EXPORTS ${S_EXPORTS})
  install(DIRECTORY ${dir}/include/ DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
    FILES_MATCHING PATTERN "*.h")

  # The program; the broker finds it beside itself in <build>/bin.
  add_executable(xous-${name} ${dir}/main.c ${platform_host}
    ${CMAKE_CURRENT_FUNCTION_LIST_DIR}/../servers/options.c)
  target_link_libraries(xous-${name} PRIVATE ${name}_core xous-host Threads::Threads)
  target_compile_definitions(xous-${name} PRIVATE XOUS_VERSION="${PROJECT_VERSION}"
    XOUS_SERVER_PROGRAM="xous-${name}" XOUS_SERVER_NAME="${S_SERVER_NAME}"
    XOUS_SERVER_USAGE="${S_USAGE}")
  install(TARGETS xous-${name} RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
  if(S_FLEET)
    set_property(TARGET xous_registry APPEND PROPERTY XOUS_FLEET_C
      "X(\"xous-${name}\", \"${S_SANDBOX}\", \"${wellknown}\")")
  elseif(S_GROUP)
    set_property(TARGET xous_registry APPEND PROPERTY XOUS_GROUPS_C
      "X(\"${S_GROUP}\", \"${line}\")")
  endif()
  if(S_PHYS AND (S_FLEET OR S_GROUP))
    set_property(TARGET xous_registry APPEND PROPERTY XOUS_PHYS_C
      "X(\"xous-${name}\", \"${S_PHYS}\")")
  endif()

  if(NOT BUILD_TESTING)
    return()
  endif()
  # The unit tests, against the core and the recording io table (tests/servers).
  file(GLOB tests CONFIGURE_DEPENDS ${dir}/tests/*.c)
  file(GLOB fuzz CONFIGURE_DEPENDS ${dir}/fuzz/*.c)
  if(NOT tests OR NOT fuzz)
    message(FATAL_ERROR "xous_add_server(${name}): every server has unit tests "
      "(${dir}/tests/*.c) and a fuzz target (${dir}/fuzz/*.c)")
  endif()
  add_executable(test_servers_${name} ${tests})
  target_link_libraries(test_servers_${name} PRIVATE ${name}_core servers_recorder
    PkgConfig::CHECK)
  foreach(src ${tests})
    file(STRINGS ${src} adds REGEX "^\tADD\\(s, [a-z0-9_]+\\);")
    foreach(line ${adds})
      string(REGEX REPLACE "^\tADD\\(s, ([a-z0-9_]+)\\);" "\\1" case "${line}")
      add_test(NAME servers.${name}.${case} COMMAND test_servers_${name})
      set_tests_properties(servers.${name}.${case} PROPERTIES ENVIRONMENT "CK_RUN_CASE=${case}")
    endforeach()
  endforeach()

  # The fuzz target: the core's sources compiled with the fuzzer's
  # instrumentation, driven through kcore (cmake/XousFuzz.cmake).
  xous_fuzz_server(${name} CORE ${name}_core SOURCES ${fuzz} HOME ${dir}/fuzz
    LIBS xous_rpc_serve)
endfunction()
