#include "gpbo/core/memory_budget.hpp"

#include <unistd.h>

namespace gpbo {

double physical_memory_bytes() {
  const long pages = ::sysconf(_SC_PHYS_PAGES), page_size = ::sysconf(_SC_PAGESIZE);
  return pages > 0 && page_size > 0 ? static_cast<double>(pages) * static_cast<double>(page_size) : 0.0;
}

bool exact_gp_exceeds_memory(std::size_t n) {
  const double physical = physical_memory_bytes();
  return physical > 0.0 && exact_gp_bytes(n) > 0.8 * physical;
}

}  // namespace gpbo
