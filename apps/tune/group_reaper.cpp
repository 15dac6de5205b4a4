#include "tune/group_reaper.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <string>

#include "tune/tune_config.hpp"

namespace gpbo::tune {
namespace {

// One message on the pipe: a group that started (+pgid) or ended (-pgid). Writes of 4 bytes are
// atomic on a pipe.
using Message = std::int32_t;

int write_end = -1;  // gpbo's end of the pipe, -1 when no reaper runs
pid_t reaper_pid = -1;

void send(Message m) {
  if (write_end < 0) return;
  while (::write(write_end, &m, sizeof m) < 0 && errno == EINTR) {
  }
}

// The reaper's loop. Only async-signal-safe calls and no allocation: it was forked from a
// process that may have other threads.
[[noreturn]] void reap(int read_end) {
  // Its own session and process group: `kill -9 -PGID` (a shell's `kill -9 %1`, a scheduler
  // killing a job's group) must not take the reaper down with gpbo, or the commands' children
  // would run on.
  setsid();
  signal(SIGINT, SIG_IGN);  // Ctrl-C reaches the whole foreground group: gpbo cleans up itself
  signal(SIGTERM, SIG_IGN);
  signal(SIGHUP, SIG_IGN);
  // Hold none of the caller's pipes open (a shell or test waiting for gpbo's output to end).
  const int null = ::open("/dev/null", O_RDWR);
  if (null >= 0) {
    dup2(null, STDIN_FILENO);
    dup2(null, STDOUT_FILENO);
    dup2(null, STDERR_FILENO);
  }
  constexpr int kMaxGroups = kMaxWorkers;  // a run's evaluations at most
  pid_t groups[kMaxGroups];
  int count = 0;
  Message m;
  for (;;) {
    const ssize_t n = ::read(read_end, &m, sizeof m);
    if (n < 0 && errno == EINTR) continue;
    if (n != sizeof m) break;  // end of file: gpbo closed the pipe or died
    if (m > 0 && count < kMaxGroups) {
      groups[count++] = m;
    } else if (m < 0) {
      for (int i = 0; i < count; ++i)
        if (groups[i] == -m) {
          groups[i] = groups[--count];
          break;
        }
    }
  }
  for (int i = 0; i < count; ++i) kill(-groups[i], SIGKILL);
  _exit(0);
}

}  // namespace

GroupReaper::GroupReaper() {
  if (write_end >= 0) throw std::logic_error("GroupReaper: one at a time per process");
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) throw std::runtime_error(std::string("pipe: ") + std::strerror(errno));
  const pid_t pid = fork();
  if (pid < 0) {
    ::close(fds[0]);
    ::close(fds[1]);
    throw std::runtime_error(std::string("fork: ") + std::strerror(errno));
  }
  if (pid == 0) {
    ::close(fds[1]);
    reap(fds[0]);
  }
  ::close(fds[0]);
  write_end = fds[1];
  reaper_pid = pid;
}

GroupReaper::~GroupReaper() {
  ::close(write_end);
  write_end = -1;
  while (waitpid(reaper_pid, nullptr, 0) < 0 && errno == EINTR) {
  }
  reaper_pid = -1;
}

void reaper_watch(pid_t group) { send(static_cast<Message>(group)); }
void reaper_forget(pid_t group) { send(-static_cast<Message>(group)); }

}  // namespace gpbo::tune
