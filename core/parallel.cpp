#include "gpbo/core/parallel.hpp"

#include <algorithm>
#include <atomic>
#include <exception>
#include <mutex>
#include <system_error>
#include <thread>
#include <vector>

namespace gpbo {

unsigned default_thread_count() { return std::max(1u, std::thread::hardware_concurrency()); }

void parallel_for(std::size_t n, unsigned threads, const std::function<void(std::size_t)>& task) {
  if (threads == 0) threads = default_thread_count();
  const auto workers = static_cast<unsigned>(std::min<std::size_t>(threads, n));
  if (workers <= 1) {
    for (std::size_t i = 0; i < n; ++i) task(i);
    return;
  }
  std::atomic<std::size_t> next{0};
  std::atomic<bool> failed{false};
  std::exception_ptr error;
  std::mutex error_mutex;
  auto worker = [&] {
    // Once a task failed, the ones not started yet are skipped (as the sequential loop does).
    for (std::size_t i; !failed.load() && (i = next.fetch_add(1)) < n;) {
      try {
        task(i);
      } catch (...) {
        std::lock_guard lock(error_mutex);
        if (!error) error = std::current_exception();
        failed.store(true);
      }
    }
  };
  // This thread is one of the workers. When no more threads can be had, those started share the
  // tasks (a vector of joinable threads destroyed by the exception ended the program).
  std::vector<std::thread> pool;
  try {
    for (unsigned t = 1; t < workers; ++t) pool.emplace_back(worker);
  } catch (const std::system_error&) {
  }
  worker();
  for (auto& t : pool) t.join();
  if (error) std::rethrow_exception(error);
}

}  // namespace gpbo
