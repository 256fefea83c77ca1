# CMake toolchain for kernel-riscv: Debian's riscv64-unknown-elf-gcc with
# its rv32imac/ilp32 multilib, freestanding (no OS).
set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR riscv32)
set(CMAKE_C_COMPILER riscv64-unknown-elf-gcc)
set(CMAKE_ASM_COMPILER riscv64-unknown-elf-gcc)
set(CMAKE_AR riscv64-unknown-elf-ar)
set(CMAKE_RANLIB riscv64-unknown-elf-ranlib)
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)
# the assembler needs Zicsr named (binutils 2.40); GCC keeps rv32imac for its multilib
set(CMAKE_C_FLAGS_INIT "-march=rv32imac -mabi=ilp32 -Wa,-march=rv32imac_zicsr_zifencei")
set(CMAKE_ASM_FLAGS_INIT "-march=rv32imac -mabi=ilp32 -Wa,-march=rv32imac_zicsr_zifencei")
set(CMAKE_EXE_LINKER_FLAGS_INIT "-march=rv32imac -mabi=ilp32")
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
