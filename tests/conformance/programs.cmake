# The conformance programs: each NAME.c here is built for Linux (run under
# xous-hostd) and for kernel-riscv (booted in qemu) from the same source.
# XOUS_CONFORMANCE_PROGRAMS run alone (xous-hostd --no-fleet; an image of
# the program only); XOUS_CONFORMANCE_FLEET_PROGRAMS run with the default
# fleet of well-known servers (xous-hostd; an image made with FLEET).
set(XOUS_CONFORMANCE_PROGRAMS
  hello threads servers scalars serve memory queue errors death answers retwords lendon ids)
set(XOUS_CONFORMANCE_FLEET_PROGRAMS
  clocks names roles benchmark)
