# XousInstall.cmake - what `cmake --install` writes that names the prefix.
#
#   xous_install_pc(FILE.pc.in)
#       configures FILE.pc at install time, so that it names the prefix
#       given to `cmake --install --prefix P`, not the one configured
#       (@prefix@, @libdir@, @includedir@, @version@), and installs it in
#       LIBDIR/pkgconfig.
function(xous_install_pc in)
  get_filename_component(name ${in} NAME)
  string(REGEX REPLACE "\\.in$" "" name ${name})
  # One file per prefix: installs into two prefixes may run at once.
  install(CODE "
    set(prefix \"\${CMAKE_INSTALL_PREFIX}\")
    set(libdir \"${CMAKE_INSTALL_LIBDIR}\")
    set(includedir \"${CMAKE_INSTALL_INCLUDEDIR}\")
    set(version \"${PROJECT_VERSION}\")
    foreach(v libdir includedir)
      if(NOT IS_ABSOLUTE \"\${\${v}}\")
        set(\${v} \"\${prefix}/\${\${v}}\")
      endif()
    endforeach()
    string(MD5 key \"\${prefix}\")
    set(out \"${CMAKE_CURRENT_BINARY_DIR}/pc-\${key}/${name}\")
    configure_file(\"${in}\" \"\${out}\" @ONLY)
    file(INSTALL DESTINATION \"\${libdir}/pkgconfig\" TYPE FILE FILES \"\${out}\")
  ")
endfunction()
