# board.cmake - what the build needs to know of qemu's machines (docs/kernel-riscv.md,
# "Boot image and loader"): not hardware (the test images are built and booted), the
# loader's data at the start of virt's RAM, reset.S in flash to reach the loader.
set(XOUS_BOARD_HARDWARE OFF)
set(XOUS_BOARD_LOADER_RAM 0x80000000)
set(XOUS_BOARD_LOADER_RESET ON)
set(XOUS_BOARD_RAM 0x80000000:0x8000000)
