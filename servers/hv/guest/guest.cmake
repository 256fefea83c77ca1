# The hv server's demo guest (demo.S), assembled by the host's C compiler
# into the flat image <build>/bin/hv-demo-guest.bin (x86-64 hosts only),
# and what the core and the program include from other servers' folders.
target_include_directories(xous-hv PRIVATE ${CMAKE_CURRENT_LIST_DIR}/../../vm)
# The core's devices speak the rtc and blk servers' types.
target_include_directories(hv_core PUBLIC ${CMAKE_CURRENT_LIST_DIR}/../../rtc/include
  ${CMAKE_CURRENT_LIST_DIR}/../../blk/include)
if(CMAKE_SYSTEM_PROCESSOR MATCHES "^(x86_64|AMD64|amd64)$")
  set(XOUS_HV_DEMO_GUEST ${CMAKE_BINARY_DIR}/bin/hv-demo-guest.bin CACHE INTERNAL
    "the hv server's demo guest image")
  add_custom_command(OUTPUT ${XOUS_HV_DEMO_GUEST}
    COMMAND ${CMAKE_C_COMPILER} -c -o hv-demo-guest.o ${CMAKE_CURRENT_LIST_DIR}/demo.S
    COMMAND ${CMAKE_OBJCOPY} -O binary -j .text hv-demo-guest.o ${XOUS_HV_DEMO_GUEST}
    DEPENDS ${CMAKE_CURRENT_LIST_DIR}/demo.S
    COMMENT "Assembling the hv demo guest")
  add_custom_target(hv-demo-guest ALL DEPENDS ${XOUS_HV_DEMO_GUEST})
endif()
