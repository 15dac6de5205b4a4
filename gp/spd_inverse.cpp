#include "gp/spd_inverse.hpp"

#include <exception>
#include <thread>

namespace gpbo {
namespace {
// Below this size the blocks are handled with plain dense operations.
constexpr Eigen::Index kLeaf = 64;
// From this size on the top-level halves run in two threads. The split of the work is the same
// whether or not threads are used, so results do not depend on the machine.
constexpr Eigen::Index kParallel = 384;

/// Runs a() and b() concurrently (b on a second thread) and waits for both.
template <class A, class B>
void both(A a, B b) {
  std::exception_ptr error;
  std::thread t([&] {
    try {
      b();
    } catch (...) {
      error = std::current_exception();
    }
  });
  a();
  t.join();
  if (error) std::rethrow_exception(error);
}

void invert_lower_parallel(Eigen::Ref<Eigen::MatrixXd> L) {
  const Eigen::Index n = L.rows(), h = n / 2, r = (n - h) / 2;
  auto A = L.topLeftCorner(h, h);
  auto B = L.bottomLeftCorner(n - h, h);
  auto C = L.bottomRightCorner(n - h, n - h);
  // B A^{-1}: rows are independent; C^{-1} (.): columns are independent.
  both([&] { A.triangularView<Eigen::Lower>().solveInPlace<Eigen::OnTheRight>(B.topRows(r)); },
       [&] { A.triangularView<Eigen::Lower>().solveInPlace<Eigen::OnTheRight>(B.bottomRows(n - h - r)); });
  both([&] { C.triangularView<Eigen::Lower>().solveInPlace(B.leftCols(h / 2)); },
       [&] { C.triangularView<Eigen::Lower>().solveInPlace(B.rightCols(h - h / 2)); });
  B = -B;
  both([&] { invert_lower_triangular(A); }, [&] { invert_lower_triangular(C); });
}

void lower_gram_parallel(Eigen::Ref<Eigen::MatrixXd> M) {
  const Eigen::Index n = M.rows(), h = n / 2;
  auto A = M.topLeftCorner(h, h);
  auto B = M.bottomLeftCorner(n - h, h);
  auto C = M.bottomRightCorner(n - h, n - h);
  Eigen::MatrixXd CtB;
  // Both halves only read B; it is overwritten after they join.
  both([&] {
         lower_gram_in_place(A);
         A.selfadjointView<Eigen::Lower>().rankUpdate(B.transpose());
       },
       [&] {
         CtB = C.triangularView<Eigen::Lower>().transpose() * B;
         lower_gram_in_place(C);
       });
  B = CtB;
}
}  // namespace

void invert_lower_triangular(Eigen::Ref<Eigen::MatrixXd> L) {
  const Eigen::Index n = L.rows();
  if (n <= kLeaf) {
    Eigen::MatrixXd inv = Eigen::MatrixXd::Identity(n, n);
    L.triangularView<Eigen::Lower>().solveInPlace(inv);
    L.triangularView<Eigen::Lower>() = inv;
    return;
  }
  const Eigen::Index h = n / 2;
  auto A = L.topLeftCorner(h, h);
  auto B = L.bottomLeftCorner(n - h, h);
  auto C = L.bottomRightCorner(n - h, n - h);
  // Off-diagonal block of the inverse: -C^{-1} B A^{-1}, from the not yet inverted A and C.
  A.triangularView<Eigen::Lower>().solveInPlace<Eigen::OnTheRight>(B);
  C.triangularView<Eigen::Lower>().solveInPlace(B);
  B = -B;
  invert_lower_triangular(A);
  invert_lower_triangular(C);
}

void lower_gram_in_place(Eigen::Ref<Eigen::MatrixXd> M) {
  const Eigen::Index n = M.rows();
  if (n <= kLeaf) {
    const Eigen::MatrixXd low = M.triangularView<Eigen::Lower>();
    M.triangularView<Eigen::Lower>() = low.transpose() * low;
    return;
  }
  const Eigen::Index h = n / 2;
  auto A = M.topLeftCorner(h, h);
  auto B = M.bottomLeftCorner(n - h, h);
  auto C = M.bottomRightCorner(n - h, n - h);
  lower_gram_in_place(A);                                         // A^T A
  A.selfadjointView<Eigen::Lower>().rankUpdate(B.transpose());    // + B^T B
  const Eigen::MatrixXd CtB = C.triangularView<Eigen::Lower>().transpose() * B;
  B = CtB;
  lower_gram_in_place(C);
}

void spd_inverse_from_cholesky(Eigen::Ref<Eigen::MatrixXd> factor) {
  if (factor.rows() >= kParallel) {
    invert_lower_parallel(factor);
    lower_gram_parallel(factor);
  } else {
    invert_lower_triangular(factor);
    lower_gram_in_place(factor);
  }
  factor.triangularView<Eigen::StrictlyUpper>() = factor.transpose();
}

}  // namespace gpbo
