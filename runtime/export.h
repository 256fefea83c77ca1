/* Marks the functions libxous-host exports (it builds with hidden visibility). */
#ifndef XOUS_SERVERS_EXPORT_H
#define XOUS_SERVERS_EXPORT_H
#if defined(__GNUC__)
#define XOUS_EXPORT __attribute__((visibility("default")))
#else
#define XOUS_EXPORT
#endif
#endif
