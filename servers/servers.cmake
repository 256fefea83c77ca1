# The server registry: one line per server, whose folder is beside this file.
# Everything a server is built into follows from its line: the dispatch core,
# the client stub in libxous-host and in the RV32 user runtime, the Linux and
# RV32 programs, the default fleet (booted in the order of these lines), the
# unit tests, the fuzz target, the exported client calls and the installed
# header. The options and the folder's layout: cmake/XousServers.cmake.
include(${CMAKE_CURRENT_LIST_DIR}/../cmake/XousServers.cmake)

xous_add_server(names FLEET SERVER_NAME "xous-name-server" SOURCES valid.c
  HOST_CLIENT kernel_calls.c EXPORTS xns_* discovery_*)
xous_add_server(ticktimer FLEET SERVER_NAME "ticktimer-server" EXPORTS tt_*)
xous_add_server(log FLEET SERVER_NAME "xous-log-server " EXPORTS xlog xlog_*
  USAGE "[--level 1..5|error|warn|info|debug|trace]")
xous_add_server(time FLEET SERVER_NAME "timeserverpublic" EXPORTS xtime_*)
xous_add_server(task FLEET SERVER_NAME "task" ROLE "xous-task-server"
  EXPORTS task_* global_set_pager)
xous_add_server(vm FLEET SERVER_NAME "vm" PHYS pool HOST_CLIENT kernel_calls.c
  EXPORTS vm_* ool_*)
xous_add_server(shm FLEET SERVER_NAME "shm" EXPORTS shm_create shm_map shm_close)
xous_add_server(shm_test FLEET SERVER_NAME "shm_test" EXPORTS shm_test_*)
xous_add_server(rtc FLEET SERVER_NAME "rtc" EXPORTS rtc_read)
xous_add_server(resea_time FLEET SERVER_NAME "time" EXPORTS time_gettimeofday)
xous_add_server(benchmark FLEET SERVER_NAME "benchmark" EXPORTS benchmark_*)
xous_add_server(blk GROUP disk SERVER_NAME "blk" PHYS devices
  FLEET_OPTIONS "file={IMAGE} allow=fsync,lseek" EXPORTS blk_*)
xous_add_server(fs GROUP disk SERVER_NAME "fs" CORE fat.c fat_dir.c fat_file.c fat_name.c
  EXPORTS fs_*)
xous_add_server(net GROUP net SERVER_NAME "net" PHYS devices
  FLEET_OPTIONS "tap=yes allow=read,write" EXPORTS net_tx net_listen net_mac)
xous_add_server(ip GROUP net SERVER_NAME "ip" SOURCES ipcore.c
  EXPORTS ip_info ip_wait_lease ip_count)
xous_add_server(fshook GROUP disk SERVER_NAME "fshook" EXPORTS fshook_launch)
# hv: x64 guests on KVM, Linux only (no RV32 program); its program is also
# each guest's vCPU task (xous-hv --vcpu). In the default fleet, so that
# hv_launch reaches it by name; without /dev/kvm a launch answers Unavailable.
xous_add_server(hv FLEET HOST_ONLY SERVER_NAME "hv" CORE guest.c devices.c vcpu.c
  EXPORTS hv_launch)
if(NOT XOUS_SERVERS_RV32)
  include(${CMAKE_CURRENT_LIST_DIR}/hv/guest/guest.cmake)
endif()
