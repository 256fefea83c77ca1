# board.cmake - what the build needs to know of Precursor (docs/kernel-riscv.md, "Precursor"):
# hardware (no qemu machine boots it: only its kernel, loader and fleet image are built),
# the loader's data at the start of its SRAM, and the budget of what the loader copies
# there (the kernel and the argument block: 2 of the 16 MiB, the rest for processes).
set(XOUS_BOARD_HARDWARE ON)
set(XOUS_BOARD_LOADER_RAM 0x40000000)
set(XOUS_BOARD_RAM 0x40000000:0x1000000)
set(XOUS_BOARD_MAX_RAM 0x200000)
