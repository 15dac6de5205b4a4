#pragma once
// Convenience header: every kernel type of the kernels/ module.

#include "gpbo/kernels/constant.hpp"
#include "gpbo/kernels/kernel.hpp"
#include "gpbo/kernels/linear.hpp"
#include "gpbo/kernels/matern.hpp"
#include "gpbo/kernels/periodic.hpp"
#include "gpbo/kernels/product.hpp"
#include "gpbo/kernels/rational_quadratic.hpp"
#include "gpbo/kernels/scale.hpp"
#include "gpbo/kernels/squared_exponential.hpp"
#include "gpbo/kernels/sum.hpp"
#include "gpbo/kernels/white.hpp"
