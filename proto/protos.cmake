# Server interfaces: every proto/*.proto is compiled by protoc-c into
# <build>/proto-gen/NAME.pb-c.{c,h} and collected in one static, position-
# independent library, xous_protos, which the servers, the client stubs in
# libxous-host and the tests link. Include generated headers as "NAME.pb-c.h".

find_program(PROTOC_C protoc-c)
if(NOT PROTOC_C)
  message(WARNING "protoc-c not found (package protobuf-c-compiler): no server interfaces")
  return()
endif()

file(GLOB XOUS_PROTO_FILES CONFIGURE_DEPENDS ${CMAKE_CURRENT_LIST_DIR}/*.proto)
set(XOUS_PROTO_GEN_DIR ${CMAKE_BINARY_DIR}/proto-gen)
file(MAKE_DIRECTORY ${XOUS_PROTO_GEN_DIR})
set(XOUS_PROTO_SOURCES)
foreach(proto ${XOUS_PROTO_FILES})
  get_filename_component(base ${proto} NAME_WE)
  set(out_c ${XOUS_PROTO_GEN_DIR}/${base}.pb-c.c)
  set(out_h ${XOUS_PROTO_GEN_DIR}/${base}.pb-c.h)
  add_custom_command(
    OUTPUT ${out_c} ${out_h}
    COMMAND ${PROTOC_C} --c_out=${XOUS_PROTO_GEN_DIR} -I${CMAKE_CURRENT_LIST_DIR} ${proto}
    DEPENDS ${proto}
    COMMENT "protoc-c ${base}.proto"
    VERBATIM)
  list(APPEND XOUS_PROTO_SOURCES ${out_c})
endforeach()

if(XOUS_PROTO_SOURCES)
  add_library(xous_protos STATIC ${XOUS_PROTO_SOURCES})
  target_include_directories(xous_protos PUBLIC ${XOUS_PROTO_GEN_DIR})
  target_link_libraries(xous_protos PUBLIC PkgConfig::PROTOBUFC)
  set_target_properties(xous_protos PROPERTIES POSITION_INDEPENDENT_CODE ON)
endif()
