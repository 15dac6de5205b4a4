#pragma once
// The short string form of kernels, e.g. "matern52 * periodic + white".
//
// Grammar (whitespace ignored):
//   text    := expr
//   expr    := term ('+' term)*
//   term    := factor ('*' factor)*                      '*' binds tighter than '+'
//   factor  := '(' expr ')'
//            | 'scale' '(' expr ')'                      explicit amplitude (ScaleKernel)
//            | 'unscaled' '(' expr ')'                   no automatic amplitude, see below
//            | leaf
//   leaf    := NAME ['(' OPTION (',' OPTION)* ')'] ['[' INT ((',' | ';') INT)* [';'] ']']
//   NAME    := se | rbf | matern12 | matern32 | matern52 | rq | periodic | linear | constant | white
//   OPTION  := iso | ard (se, rbf, matern*, rq) | offset (linear)
//   INT     := active input column, 0-based: matern52[0,2] acts on columns 0 and 2; with column
//              names (the second parse_kernel) also a column's name, plain (matern52[x1,x2]) or
//              quoted when it is not an identifier ("temp (C)") or could read as an index ("2019");
//              ';' separates groups that share one length scale: se[0,1;2,3] has two;
//              a final ';' makes one group: se[0,1;] has one length scale, "lengthscale[0]"
//
// Nesting of parentheses and scale(...) is limited to 100 levels (deeper is an error, not a
// stack overflow).
//
// Automatic amplitudes: every top-level additive term that has no amplitude of its own (no
// constant, white, linear or scale(...) factor) is wrapped in a ScaleKernel, so
// "matern52 * periodic + white" has one outputscale for the product and one noise level.
// A top-level term written as unscaled(...) is never wrapped. Kernel::to_string() writes this
// form (scale(...) explicitly, unscaled(...) where needed) and parses back to an equivalent
// kernel (same structure; hyperparameter values are not part of the string).

#include <string>
#include <vector>

#include "gpbo/kernels/kernel.hpp"

namespace gpbo {

/// The deepest nesting of parentheses and scale(...) in a kernel string, and of composites in a
/// kernel's JSON (kernel_json.hpp): deeper is an error rather than a stack overflow.
inline constexpr int kMaxKernelNesting = 100;

/// Parses `text` into a kernel for inputs with input_dim columns. Throws std::invalid_argument
/// naming the offending token and its 0-based character position, with the known names (and a
/// "did you mean" suggestion for a near miss).
[[nodiscard]] KernelPtr parse_kernel(const std::string& text, int input_dim);
/// As parse_kernel(text, column_names.size()), where active dimensions may also name input
/// columns: "matern52[x1, x2] + periodic[t]" (gpbo fit passes the CSV's input columns).
[[nodiscard]] KernelPtr parse_kernel(const std::string& text, const std::vector<std::string>& column_names);
/// Kernel::to_string() with its active dimensions written by column name ("matern52[x1,x2]"),
/// which the parse_kernel above reads back; a name holding a '"' stays an index.
[[nodiscard]] std::string kernel_string_with_names(const Kernel& kernel, const std::vector<std::string>& column_names);

}  // namespace gpbo
