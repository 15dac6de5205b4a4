#pragma once
// JSON form of search spaces and points (the config format of `gpbo tune`).
//
// A space is an object mapping parameter names to definitions:
//   {"lr":     {"type": "real", "low": 1e-5, "high": 0.1, "log": true},
//    "layers": {"type": "integer", "low": 1, "high": 8},
//    "act":    {"type": "categorical", "choices": ["relu", "tanh"]},
//    "seed":   {"type": "fixed", "value": 3}}
// type: "real" (alias "float"), "integer" (alias "int"), "categorical", "fixed".
// Scale: "log": true|false or "scale": "linear"|"log" (real and integer only).
// "step": S (real and integer on a linear scale): the values low, low + S, ..., high.
// Conditional parameters: "when": {"optimizer": "sgd"} or {"optimizer": ["sgd", "rmsprop"],
// "layers": [2, 3]}: active only where every named parent (categorical, integer or fixed) is
// active and takes one of the values; a point leaves an inactive parameter out.
// Parameters are ordered by name (JSON objects are unordered), except that parents come before
// their children.
// Every error is a SpaceError whose message starts with the JSON path, e.g.
// "/space/lr/low: expected a number", and unknown keys get a "did you mean" suggestion.

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "gpbo/bayesopt/space.hpp"

namespace gpbo::bo {

/// Builds a space from its JSON object; `path` is the object's JSON pointer for messages. The
/// parameters come in `order` (the text's order of the object's keys, see parse_json_text), with
/// names it lacks after it in sorted order; parents always precede their conditional children.
Space space_from_json(const nlohmann::json& j, const std::string& path = "/space", const std::vector<std::string>& order = {});
/// The JSON object space_from_json() reads back to an equal space when given the parameters'
/// order (a JSON object's keys come back sorted: pass the names in space order as `order`).
nlohmann::json space_to_json(const Space& space);

/// Linear constraints (space.hpp's LinearConstraint) as a JSON array, each
///   {"sum": {"batch": 1, "accum": 16}, "max": 512}   (and/or "min"),
/// and back: each is added to `space` in order; `path` is the array's JSON pointer for messages.
nlohmann::json constraints_to_json(const Space& space);
void add_constraints_from_json(Space& space, const nlohmann::json& j, const std::string& path);

/// A value as JSON (number or string) and back (integers stay integers).
nlohmann::json value_to_json(const Value& v);
Value value_from_json(const nlohmann::json& j, const std::string& path);

/// A point as a JSON object {name: value}.
nlohmann::json point_to_json(const Point& p);
/// The same with the names in the space's order, for text people read (nlohmann::json sorts).
nlohmann::ordered_json point_to_json(const Point& p, const Space& space);
/// Reads a point and validates it against `space` (fixed parameters may be omitted and are
/// filled in); integer parameters given as integral floats become integers.
Point point_from_json(const nlohmann::json& j, const Space& space, const std::string& path);
/// Values of some of `space`'s parameters, {name: value}, typed as point_from_json types them
/// but not checked against their ranges or conditions (Space::slice checks them): the values
/// `gpbo ask --fix` holds.
Point values_from_json(const nlohmann::json& j, const Space& space, const std::string& path);

}  // namespace gpbo::bo
