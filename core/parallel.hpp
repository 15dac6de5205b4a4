#pragma once
// A minimal parallel-for over independent tasks. Tasks must not share mutable state; each gets
// its index so it can derive its own random stream (see random.hpp). The first exception thrown
// by any task is rethrown in the caller after all threads have joined; tasks not started by then
// are skipped.

#include <cstddef>
#include <functional>

namespace gpbo {

/// Number of worker threads to use when the caller asks for 0 ("as many as the machine has").
unsigned default_thread_count();

/// Runs task(i) for i in [0, n) on up to `threads` threads (0 = default_thread_count()).
void parallel_for(std::size_t n, unsigned threads, const std::function<void(std::size_t)>& task);

}  // namespace gpbo
