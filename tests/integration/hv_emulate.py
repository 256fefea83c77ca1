#!/usr/bin/env python3
"""hv_emulate.py LIB IMAGE - the demo guest's x64 code on Unicorn in place of
KVM, with the hv server's own devices (LIB: hv_emulated.c). Guest memory is
the library's, loaded as hv_launch loads it; the entry registers are
CONTRACT section 7's (rip and rsp 0x100000, rbx the memory's size; Unicorn's
64-bit mode is flat, so the page tables are not walked). Each run must print
its lines and halt with interrupts off: with 4 MiB the date and sector 0,
with 2 MiB the refusal to put the disk's queue outside memory (ctest
matches the whole output).
Exit 77 (skipped) where python3-unicorn is absent (scripts/deps test)."""
import ctypes
import sys

try:
    from unicorn import Uc, UC_ARCH_X86, UC_MODE_64, UC_PROT_ALL, UC_HOOK_INSN, UC_HOOK_CODE
    from unicorn import x86_const as X
except ImportError:
    print("SKIP: python3-unicorn is absent (scripts/deps test): the demo guest is not emulated")
    sys.exit(77)

lib = ctypes.CDLL(sys.argv[1])
lib.hv_emulated_machine.restype = ctypes.c_void_p
lib.hv_emulated_machine.argtypes = [ctypes.c_size_t, ctypes.c_char_p]
lib.hv_emulated_in.restype = ctypes.c_uint32
lib.hv_emulated_in.argtypes = [ctypes.c_uint16, ctypes.c_uint]
lib.hv_emulated_out.argtypes = [ctypes.c_uint16, ctypes.c_uint, ctypes.c_uint32]


def run(size):
    """Run the guest in size bytes; say how it halted."""
    mem = lib.hv_emulated_machine(size, sys.argv[2].encode())
    if not mem:
        sys.exit("hv_emulate.py: the image does not load")
    uc = Uc(UC_ARCH_X86, UC_MODE_64)
    uc.mem_map_ptr(0, size, UC_PROT_ALL, mem)
    uc.reg_write(X.UC_X86_REG_RSP, 0x100000)
    uc.reg_write(X.UC_X86_REG_RBX, size)
    halted = []

    def port_in(uc, port, size, data):
        return lib.hv_emulated_in(port, size)

    def port_out(uc, port, size, value, data):
        lib.hv_emulated_out(port, size, value)

    def code(uc, address, size, data):
        if uc.mem_read(address, 1) == b"\xf4":  # hlt
            halted.append(uc.reg_read(X.UC_X86_REG_EFLAGS) & 0x200 == 0)
            uc.emu_stop()

    uc.hook_add(UC_HOOK_INSN, port_in, None, 1, 0, X.UC_X86_INS_IN)
    uc.hook_add(UC_HOOK_INSN, port_out, None, 1, 0, X.UC_X86_INS_OUT)
    uc.hook_add(UC_HOOK_CODE, code)
    uc.emu_start(0x100000, 1 << 30, count=1000000)
    sys.stdout.flush()
    print("halted with interrupts off" if halted == [True] else "did not halt with interrupts off")
    sys.stdout.flush()


run(4 << 20)
run(2 << 20)
