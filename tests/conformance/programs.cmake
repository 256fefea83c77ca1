# The conformance programs: each NAME.c here is built for Linux (run under
# xous-hostd) and for kernel-riscv (booted in qemu) from the same source.
# XOUS_CONFORMANCE_PROGRAMS run alone (xous-hostd --no-fleet; an image of
# the program only); XOUS_CONFORMANCE_FLEET_PROGRAMS run with the default
# fleet of well-known servers (xous-hostd; an image made with FLEET).
set(XOUS_CONFORMANCE_PROGRAMS
  hello threads servers scalars serve memory queue errors death answers retwords lendon ids
  devices)
set(XOUS_CONFORMANCE_FLEET_PROGRAMS
  clocks names roles discovery rtc task vm shm benchmark resea_test global pager)
# XOUS_CONFORMANCE_DISK_PROGRAMS run with the default fleet and the "disk"
# group (xous-hostd --disk IMAGE; an image made with FLEET and the group's
# servers, booted with a virtio-blk device) on a fresh image made by
# with_disk.sh (64 MiB, mkfs.fat), which fsck.fat -n checks afterwards.
set(XOUS_CONFORMANCE_DISK_PROGRAMS blk fs pager_fs hook)
# Foreign (RV32 Linux ABI) programs a disk program launches hooked
# (abi-hook=fshook NAME), built without the Xous runtime for kernel-riscv;
# on Linux the program launches Debian's own binaries instead.
set(XOUS_CONFORMANCE_FOREIGN_hook hook_cmp)
# Disk programs that may map device registers on kernel-riscv (the image's
# DEVICES): hook gives them to the hook's calls as a buffer, to be refused.
set(XOUS_CONFORMANCE_DEVICES_hook conf-hook)
# Programs a conformance program launches by name (task_launch), built
# beside it (Linux) or put in its image without being started (RV32).
set(XOUS_CONFORMANCE_LAUNCHED_task task_helper)
set(XOUS_CONFORMANCE_LAUNCHED_global global_helper)
set(XOUS_CONFORMANCE_LAUNCHED_pager pager_helper)
# Programs that need the network (the fleet with --net: net and ip): run by
# with_net.sh under xous-hostd --net (root and /dev/net/tun, else skipped);
# those of XOUS_CONFORMANCE_DHCP_PROGRAMS with a DHCP server on the network
# (Linux: dnsmasq in the broker's namespace; qemu: its user network's own).
set(XOUS_CONFORMANCE_NET_PROGRAMS net ip)
set(XOUS_CONFORMANCE_DHCP_PROGRAMS ip)
