#include "gpbo/core/memory_budget.hpp"

#include <unistd.h>

#include <cmath>

#include "gpbo/core/number_text.hpp"

namespace gpbo {

double physical_memory_bytes() {
  const long pages = ::sysconf(_SC_PHYS_PAGES), page_size = ::sysconf(_SC_PAGESIZE);
  return pages > 0 && page_size > 0 ? static_cast<double>(pages) * static_cast<double>(page_size) : 0.0;
}

bool exact_gp_exceeds_memory(std::size_t n) {
  const double physical = physical_memory_bytes();
  return physical > 0.0 && exact_gp_bytes(n) > 0.8 * physical;
}

std::string exact_gp_memory_refusal(std::size_t n, const std::string& whose) {
  if (!exact_gp_exceeds_memory(n)) return "";
  return "need about " + shortest_text(std::round(exact_gp_bytes(n) / 1e9)) + " GB for " + whose +
         " covariance matrices, more than 80% of this machine's " + shortest_text(std::round(physical_memory_bytes() / 1e9)) + " GB";
}

}  // namespace gpbo
