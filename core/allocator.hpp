#pragma once
// Keeping freed heap memory in the process instead of returning it to the system.
//
// GP and BO code allocates and frees many short-lived matrices of 0.1-30 MB (Gram matrices,
// cross-covariances of candidate batches). With glibc's defaults such blocks are served by
// mmap or by growing the heap, and returned on free (munmap, heap trimming), so every new
// matrix is page-faulted in again and zeroed by the kernel. On a virtual machine measured here
// that was a third of a BO run's time (Hartmann-6, 120 evaluations: 152k page faults, 0.90 s
// system time of 2.76 s; with the settings below: 2.2k faults, 1.05 s in all).
//
// This is process-wide, so the library never does it on its own: executables call it first
// thing in main() (the gpbo CLI, the benchmarks and the ask/tell example do). A program embedding gpbo may
// call it too, or set GLIBC_TUNABLES=glibc.malloc.trim_threshold=...:glibc.malloc.mmap_threshold=...
// itself. A no-op where the C library is not glibc.

namespace gpbo {

/// Raises glibc's mmap threshold to its maximum (32 MiB) and its trim threshold to 512 MiB, so
/// freed blocks below those sizes are reused rather than unmapped. Returns false when the
/// settings are not supported (non-glibc) or were refused.
bool retain_freed_memory();

}  // namespace gpbo
