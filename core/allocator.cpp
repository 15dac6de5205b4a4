#include "gpbo/core/allocator.hpp"

#include <cstdlib>  // defines __GLIBC__ under glibc

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace gpbo {

bool retain_freed_memory() {
#if defined(__GLIBC__)
  // Setting either value also turns off glibc's dynamic adjustment of both thresholds.
  constexpr int kMmapThreshold = 32 * 1024 * 1024;  // glibc's largest accepted value on 64-bit
  constexpr int kTrimThreshold = 512 * 1024 * 1024;
  const bool mmap_ok = mallopt(M_MMAP_THRESHOLD, kMmapThreshold) == 1;
  const bool trim_ok = mallopt(M_TRIM_THRESHOLD, kTrimThreshold) == 1;
  return mmap_ok && trim_ok;
#else
  return false;
#endif
}

}  // namespace gpbo
