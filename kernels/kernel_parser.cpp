#include "gpbo/kernels/kernel_parser.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <stdexcept>
#include <system_error>
#include <utility>
#include <vector>

#include "gpbo/core/did_you_mean.hpp"
#include "gpbo/core/json_text.hpp"
#include "gpbo/core/text_list.hpp"
#include "gpbo/kernels/kernel_factory.hpp"
#include "gpbo/kernels/product.hpp"
#include "gpbo/kernels/scale.hpp"
#include "gpbo/kernels/sum.hpp"

namespace gpbo {
namespace {

struct Token {
  enum Kind { Name, Int, Quoted, Symbol, End } kind;
  std::string text;
  std::size_t pos;
};

std::string known_names() {
  std::string s;
  for (const auto& n : leaf_kernel_names()) s += n + ", ";
  return s + "scale(...), unscaled(...)";
}

class Parser {
 public:
  Parser(const std::string& text, int input_dim, const std::vector<std::string>* column_names)
      : text_(text), input_dim_(input_dim), names_(column_names) {
    tokenize();
  }

  KernelPtr parse() {
    if (tokens_.front().kind == Token::End) fail("the kernel string is empty; known kernels: " + known_names());
    KernelPtr k = expr(true);
    if (peek().kind != Token::End) fail_at(peek(), "unexpected '" + peek().text + "' after a complete kernel; expected '+', '*' or the end");
    return k;
  }

 private:
  struct Term {
    KernelPtr kernel;
    bool unscaled = false;             // written as a single unscaled(...) factor
    const Token* unscaled_at = nullptr;  // its 'unscaled' token, for errors
  };

  [[noreturn]] void fail(const std::string& what) const {
    // A machine-made string may be huge: quote its start only.
    const std::string shown = text_.size() <= 200 ? text_ : text_.substr(0, 200) + "...";
    throw std::invalid_argument("kernel string \"" + shown + "\": " + what);
  }
  [[noreturn]] void fail_at(const Token& t, const std::string& what) const {
    fail(what + " (at position " + std::to_string(t.pos) + ")");
  }

  void tokenize() {
    std::size_t i = 0;
    while (i < text_.size()) {
      const unsigned char c = static_cast<unsigned char>(text_[i]);
      if (std::isspace(c)) {
        ++i;
      } else if (std::isalpha(c) || c == '_') {
        std::size_t j = i;
        while (j < text_.size() && (std::isalnum(static_cast<unsigned char>(text_[j])) || text_[j] == '_')) ++j;
        tokens_.push_back({Token::Name, text_.substr(i, j - i), i});
        i = j;
      } else if (std::isdigit(c)) {
        std::size_t j = i;
        while (j < text_.size() && std::isdigit(static_cast<unsigned char>(text_[j]))) ++j;
        tokens_.push_back({Token::Int, text_.substr(i, j - i), i});
        i = j;
      } else if (c == '"') {  // a column name that is not an identifier: se["temp (C)"]
        const std::size_t close = text_.find('"', i + 1);
        if (close == std::string::npos) fail("the quote at position " + std::to_string(i) + " is not closed");
        tokens_.push_back({Token::Quoted, text_.substr(i + 1, close - i - 1), i});
        i = close + 1;
      } else if (std::string("+*()[],;").find(static_cast<char>(c)) != std::string::npos) {
        tokens_.push_back({Token::Symbol, std::string(1, static_cast<char>(c)), i});
        ++i;
      } else {
        // A UTF-8 character whole (one byte of "é" is no text), and why names cannot hold it.
        std::size_t j = i + 1;
        while (c >= 0x80 && j < text_.size() && (static_cast<unsigned char>(text_[j]) & 0xC0) == 0x80) ++j;
        fail("unexpected character '" + valid_utf8(text_.substr(i, j - i)) + "' at position " + std::to_string(i) +
             (c >= 0x80 ? " (kernel names are ASCII; a column name with other characters is written in quotes: se[\"température\"])" : ""));
      }
    }
    tokens_.push_back({Token::End, "end of text", text_.size()});
  }

  const Token& peek() const { return tokens_[next_]; }
  const Token& take() { return tokens_[next_++]; }
  bool accept(const char* symbol) {
    if (peek().kind == Token::Symbol && peek().text == symbol) {
      ++next_;
      return true;
    }
    return false;
  }
  void expect(const char* symbol, const std::string& context) {
    if (!accept(symbol)) fail_at(peek(), "expected '" + std::string(symbol) + "' " + context + ", got '" + peek().text + "'");
  }

  KernelPtr expr(bool top_level) {
    std::vector<KernelPtr> terms;
    do {
      Term t = term();
      // Only a top-level term gets an amplitude, so only there can unscaled() keep one away.
      if (t.unscaled && !top_level) fail_at(*t.unscaled_at, "unscaled(...) applies to a top-level term only");
      if (top_level && !t.unscaled && !t.kernel->has_amplitude()) t.kernel = std::make_unique<ScaleKernel>(std::move(t.kernel));
      terms.push_back(std::move(t.kernel));
    } while (accept("+"));
    if (terms.size() == 1) return std::move(terms.front());
    return std::make_unique<SumKernel>(std::move(terms));
  }

  Term term() {
    std::vector<Term> factors;
    do {
      factors.push_back(factor());
    } while (accept("*"));
    if (factors.size() == 1) return std::move(factors.front());
    for (const auto& f : factors)  // the product gets one amplitude: its factors' flags say nothing
      if (f.unscaled)
        fail_at(*f.unscaled_at, "unscaled(...) applies to a whole top-level term: write unscaled(a * b), not unscaled(a) * b");
    std::vector<KernelPtr> ks;
    for (auto& f : factors) ks.push_back(std::move(f.kernel));
    return {std::make_unique<ProductKernel>(std::move(ks)), false};
  }

  // One level of '(' or scale(...): deep nesting recursed until the stack overflowed.
  struct Nesting {
    explicit Nesting(Parser& p, const Token& at) : parser(p) {
      if (++parser.depth_ > kMaxKernelNesting)
        parser.fail_at(at, "parentheses and scale(...) nested more than " + std::to_string(kMaxKernelNesting) +
                               " levels deep");
    }
    ~Nesting() { --parser.depth_; }
    Parser& parser;
  };

  Term factor() {
    const Token& t = take();
    if (t.kind == Token::Symbol && t.text == "(") {
      const Nesting nesting(*this, t);  // a leaf is no level: 100 '(' around "se" are allowed
      KernelPtr k = expr(false);
      expect(")", "to close the '(' at position " + std::to_string(t.pos));
      return {std::move(k), false};
    }
    if (t.kind != Token::Name) fail_at(t, "expected a kernel name or '(', got '" + t.text + "'; known kernels: " + known_names());
    if (t.text == "scale" || t.text == "unscaled") {
      const Nesting nesting(*this, t);
      expect("(", "after '" + t.text + "'");
      KernelPtr k = expr(false);
      expect(")", "to close '" + t.text + "(' at position " + std::to_string(t.pos));
      if (t.text == "scale") return {std::make_unique<ScaleKernel>(std::move(k)), false};
      return {std::move(k), true, &t};
    }
    return {leaf(t), false};
  }

  KernelPtr leaf(const Token& name) {
    if (!is_leaf_kernel_name(name.text)) unknown_name(name);
    LeafSpec spec;
    spec.name = name.text;
    const auto allowed = leaf_kernel_options(name.text);
    if (accept("(")) {
      do {
        const Token& o = take();
        if (o.kind != Token::Name || std::find(allowed.begin(), allowed.end(), o.text) == allowed.end()) {
          const std::string opts = join_text(allowed);
          fail_at(o, "'" + o.text + "' is not an option of " + name.text +
                         (allowed.empty() ? std::string(" (it takes none)") : " (options: " + opts + ")"));
        }
        // (ard, iso) used to keep the last one silently; an option given twice says nothing more.
        for (const auto& given : spec.options) {
          const bool contradicts = (given == "ard" && o.text == "iso") || (given == "iso" && o.text == "ard");
          if (given == o.text || contradicts)
            fail_at(o, "'" + o.text + "' after '" + given + "' in the options of " + name.text +
                           (given == o.text ? ": an option is given once" : ": choose one"));
        }
        spec.options.push_back(o.text);
      } while (accept(","));
      expect(")", "to close the options of " + name.text);
    }
    if (accept("[")) {
      std::vector<std::vector<int>> groups(1);  // ';' starts a group with its own length scale
      do {
        const Token& d = take();
        const int v = active_column(d, name);
        if (std::find(spec.active_dims.begin(), spec.active_dims.end(), static_cast<int>(v)) != spec.active_dims.end())
          fail_at(d, "active dimension " + d.text + " of " + name.text + " is listed twice");
        spec.active_dims.push_back(static_cast<int>(v));
        groups.back().push_back(static_cast<int>(v));
        if (accept(";")) {
          if (peek().kind == Token::Symbol && peek().text == "]") break;  // se[0,1;]: one group
          groups.emplace_back();
        } else if (!accept(",")) {
          break;
        }
      } while (true);
      // A quoted column may be named ";": only the symbol groups.
      const Token& last = tokens_[next_ - 1];
      const bool grouped = groups.size() > 1 || (last.kind == Token::Symbol && last.text == ";");
      expect("]", "to close the active dimensions of " + name.text);
      if (grouped) spec.dim_groups = std::move(groups);
    }
    try {
      return make_leaf_kernel(spec, input_dim_);
    } catch (const std::invalid_argument& e) {
      fail_at(name, e.what());
    }
  }

  // The input column an active dimension names: a 0-based index, or with column names a name
  // (plain, or quoted when it is not an identifier or is all digits).
  int active_column(const Token& d, const Token& kernel) const {
    if (d.kind == Token::Int) {
      long v = -1;  // beyond a long is outside too; leading zeros are no reason to refuse
      if (std::from_chars(d.text.data(), d.text.data() + d.text.size(), v).ec != std::errc()) v = -1;
      if (v < 0 || v >= input_dim_)
        fail_at(d, "active dimension " + d.text + " of " + kernel.text + " is outside [0, " + std::to_string(input_dim_) + ")");
      return static_cast<int>(v);
    }
    if (d.kind != Token::Name && d.kind != Token::Quoted)
      fail_at(d, "expected a column " + std::string(names_ ? "name or index" : "index") + " in the active dimensions of " +
                     kernel.text + ", got '" + d.text + "'");
    if (!names_) fail_at(d, "'" + d.text + "' in the active dimensions of " + kernel.text + ": columns are given by 0-based index here");
    const auto it = std::find(names_->begin(), names_->end(), d.text);
    if (it != names_->end()) return static_cast<int>(it - names_->begin());
    const std::string inputs = join_text(*names_);
    const std::string best = did_you_mean(d.text, *names_);
    fail_at(d, "no input column named '" + d.text + "' in the active dimensions of " + kernel.text +
                   (best.empty() ? "" : " (did you mean '" + best + "'?)") + "; the inputs are " + inputs);
  }

  [[noreturn]] void unknown_name(const Token& t) const {
    std::vector<std::string> candidates = leaf_kernel_names();
    candidates.push_back("scale");
    candidates.push_back("unscaled");
    std::string lower = t.text;  // names are lower case: "MATERN52" is a near miss too
    for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    const std::string best = did_you_mean(lower, candidates);
    fail_at(t, "unknown kernel '" + t.text + "'" + (best.empty() ? "; known kernels: " : "; did you mean '" + best + "'? Known kernels: ") +
                   known_names());
  }

  std::string text_;
  int input_dim_;
  const std::vector<std::string>* names_;  // the input columns' names; nullptr: indices only
  std::vector<Token> tokens_;
  std::size_t next_ = 0;
  int depth_ = 0;  // open '(' and scale(...) around the current factor
};

}  // namespace

KernelPtr parse_kernel(const std::string& text, int input_dim) {
  if (input_dim < 1) throw std::invalid_argument("parse_kernel: input dimension must be at least 1");
  return Parser(text, input_dim, nullptr).parse();
}

namespace {

// A column name as the grammar reads it back: plain when it is an identifier, quoted otherwise.
std::string column_token(const std::string& name) {
  const bool identifier = !name.empty() && (std::isalpha(static_cast<unsigned char>(name[0])) || name[0] == '_') &&
                          std::all_of(name.begin(), name.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; });
  return identifier ? name : "\"" + name + "\"";
}

}  // namespace

std::string kernel_string_with_names(const Kernel& kernel, const std::vector<std::string>& column_names) {
  const std::string text = kernel.to_string();
  std::string out;
  bool in_dims = false;
  for (std::size_t i = 0; i < text.size();) {
    const char c = text[i];
    if (in_dims && std::isdigit(static_cast<unsigned char>(c))) {
      std::size_t j = i;
      while (j < text.size() && std::isdigit(static_cast<unsigned char>(text[j]))) ++j;
      const std::size_t column = std::stoul(text.substr(i, j - i));
      // A name with a quote cannot be quoted: such a column keeps its index.
      const bool nameable = column < column_names.size() && column_names[column].find('"') == std::string::npos;
      out += nameable ? column_token(column_names[column]) : text.substr(i, j - i);
      i = j;
      continue;
    }
    if (c == '[') in_dims = true;
    if (c == ']') in_dims = false;
    out += c;
    ++i;
  }
  return out;
}

KernelPtr parse_kernel(const std::string& text, const std::vector<std::string>& column_names) {
  if (column_names.empty()) throw std::invalid_argument("parse_kernel: input dimension must be at least 1");
  return Parser(text, static_cast<int>(column_names.size()), &column_names).parse();
}

}  // namespace gpbo
