# xous_idl_generate(VAR GEN_DIR PROTOC): the custom commands that compile
# every idl/*.proto with protoc-c into GEN_DIR/NAME.pb-c.{c,h}; VAR gets the
# generated .c files. Used by the host build (idl/CMakeLists.txt) and by
# kernel-riscv's RV32 build, so both compile the same interfaces.
set(XOUS_IDL_DIR ${CMAKE_CURRENT_LIST_DIR})
function(xous_idl_generate var gen protoc)
  file(GLOB protos CONFIGURE_DEPENDS ${XOUS_IDL_DIR}/*.proto)
  file(MAKE_DIRECTORY ${gen})
  set(sources)
  foreach(proto ${protos})
    get_filename_component(base ${proto} NAME_WE)
    add_custom_command(
      OUTPUT ${gen}/${base}.pb-c.c ${gen}/${base}.pb-c.h
      COMMAND ${protoc} --c_out=${gen} -I${XOUS_IDL_DIR} ${proto}
      DEPENDS ${proto}
      COMMENT "protoc-c ${base}.proto"
      VERBATIM)
    list(APPEND sources ${gen}/${base}.pb-c.c)
  endforeach()
  set(${var} ${sources} PARENT_SCOPE)
endfunction()
