// Included by every gpbo header that uses Eigen: stops a build whose Eigen allocates otherwise
// than gpbo's libraries do. Eigen vectors made inside gpbo are freed in the caller's code (and
// the other way round), so both sides must agree on Eigen's allocator; a program compiled
// without the two definitions below aborted with "double free or corruption" at its first
// gpbo vector. The gpbo CMake package sets them for its consumers; other build systems must
// pass them themselves.
#pragma once

#include <Eigen/Core>

#if EIGEN_MAX_ALIGN_BYTES != 16 || EIGEN_MALLOC_ALREADY_ALIGNED != 0
#error "gpbo: compile with -DEIGEN_MAX_ALIGN_BYTES=16 -DEIGEN_MALLOC_ALREADY_ALIGNED=0, as gpbo's libraries are (find_package(gpbo) in CMake sets them)"
#endif
