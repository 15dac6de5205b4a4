#include "gpbo/core/text_list.hpp"

namespace gpbo {

std::string join_text(const std::vector<std::string>& items, std::string_view separator) {
  return join_text(items, [](const std::string& s) -> const std::string& { return s; }, separator);
}

}  // namespace gpbo
