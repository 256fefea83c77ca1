# XousRiscvHost.cmake - what the host build knows of kernel-riscv: whether
# the cross compiler and qemu exist, where the RV32 sub-build writes, and how
# a test boots an image. Included by kernel-riscv/ and tests/conformance/.
find_program(XOUS_RISCV_CC riscv64-unknown-elf-gcc)
find_program(XOUS_QEMU_RV32 qemu-system-riscv32)
find_program(XOUS_TIMEOUT timeout)
set(XOUS_RISCV_BINARY_DIR ${CMAKE_BINARY_DIR}/kernel-riscv-rv32)
set(XOUS_QEMU_RUN ${CMAKE_CURRENT_LIST_DIR}/../tools/xous-qemu)
# The user runtime stands on picolibc (package picolibc-riscv64-unknown-elf).
find_file(XOUS_PICOLIBC_SPECS picolibc.specs PATHS /usr/lib/picolibc/riscv64-unknown-elf
  NO_DEFAULT_PATH)
if(XOUS_KERNEL_RISCV AND XOUS_RISCV_CC AND XOUS_PICOLIBC_SPECS)
  set(XOUS_RISCV_ENABLED ON)
else()
  set(XOUS_RISCV_ENABLED OFF)
endif()

# A ctest that boots image <image> of <build>/kernel-riscv-rv32/images in
# qemu virt from flash (<image>.flash: the loader checks its argument block
# and enters the kernel) and passes when the image's main program exits 0.
# Extra arguments go to qemu.
function(xous_riscv_add_qemu_test name image)
  xous_riscv_add_boot_test(${name} virt ${image}.flash ${ARGN})
endfunction()

# The same from <image>.elf, which qemu loads (an image with TEST_HOOKS has
# no flash image: its hooks act in the ELF image's boot stage).
function(xous_riscv_add_elf_test name image)
  xous_riscv_add_boot_test(${name} virt ${image}.elf ${ARGN})
endfunction()

# <image>.elf on qemu's machine <machine> (virt, spike, sifive_u: tools/xous-qemu).
function(xous_riscv_add_machine_test name machine image)
  xous_riscv_add_boot_test(${name} ${machine} ${image}.elf ${ARGN})
endfunction()

function(xous_riscv_add_boot_test name machine file)
  if(XOUS_RISCV_ENABLED AND XOUS_QEMU_RV32)
    add_test(NAME ${name} COMMAND ${XOUS_QEMU_RUN} ${XOUS_RISCV_BINARY_DIR}/images/${file} ${ARGN})
    set_tests_properties(${name} PROPERTIES TIMEOUT 90 LABELS qemu
      ENVIRONMENT "XOUS_QEMU=${XOUS_QEMU_RV32};XOUS_QEMU_MACHINE=${machine}")
  endif()
endfunction()
