#include <catch2/catch.hpp>

#include <cstdlib>
#include <cstring>

#include "gpbo/core/allocator.hpp"

// Only where glibc's allocator is the one in use (ASan and TSan replace malloc and ignore mallopt).
#if defined(__GLIBC__) && !defined(__SANITIZE_ADDRESS__) && !defined(__SANITIZE_THREAD__)
#include <malloc.h>

TEST_CASE("allocator: after retain_freed_memory an 8 MB block freed stays in the heap for reuse") {
  REQUIRE(gpbo::retain_freed_memory());
  constexpr std::size_t size = 8u << 20;
  auto* block = static_cast<char*>(std::malloc(size));
  REQUIRE(block != nullptr);
  std::memset(block, 1, size);  // touched, as a matrix would be
  const auto mapped_before = mallinfo2().hblkhd;
  std::free(block);
  const auto info = mallinfo2();
  // Not unmapped (glibc's default for a block this size), but kept as free heap memory.
  CHECK(info.hblkhd == mapped_before);
  CHECK(info.fordblks >= size);
}
#endif
