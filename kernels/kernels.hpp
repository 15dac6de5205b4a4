#pragma once
// Convenience header: every kernel type of the kernels/ module.

#include "kernels/constant.hpp"
#include "kernels/kernel.hpp"
#include "kernels/linear.hpp"
#include "kernels/matern.hpp"
#include "kernels/periodic.hpp"
#include "kernels/product.hpp"
#include "kernels/rational_quadratic.hpp"
#include "kernels/scale.hpp"
#include "kernels/squared_exponential.hpp"
#include "kernels/sum.hpp"
#include "kernels/white.hpp"
