#pragma once
// "Did you mean ...?" for misspelled names in configs, kernel strings and JSON keys.

#include <cstddef>
#include <string>
#include <vector>

namespace gpbo {

/// Edit distance with adjacent transpositions (optimal string alignment): inserting, deleting or
/// substituting one character, or swapping two neighbours, each counts 1 ("matern25" is one edit
/// from "matern52", two from "matern12").
std::size_t edit_distance(const std::string& a, const std::string& b);

/// The closest of `candidates` to `word` by edit_distance, or "" when none is close (more than
/// max(2, |word| / 3) edits away).
std::string did_you_mean(const std::string& word, const std::vector<std::string>& candidates);

}  // namespace gpbo
