#include "tune/command_objective.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <mutex>
#include <set>
#include <sstream>
#include <stdexcept>

#include "gpbo/bayesopt/optimizer.hpp"
#include "gpbo/core/json_text.hpp"
#include "tune/group_reaper.hpp"

extern char** environ;

namespace gpbo::tune {
namespace {

constexpr std::size_t kStderrTail = 2048;
constexpr std::size_t kStdoutLimit = 8u << 20;  // keep the last 8 MiB of stdout

bool is_name_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '-'; }

// Calls f(name, begin, end) for each {name} placeholder in s; other braces are left alone.
template <class F>
void for_each_placeholder(const std::string& s, F&& f) {
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '{') continue;
    std::size_t j = i + 1;
    while (j < s.size() && is_name_char(s[j])) ++j;
    if (j < s.size() && s[j] == '}' && is_placeholder_name(s.substr(i + 1, j - i - 1))) {
      f(s.substr(i + 1, j - i - 1), i, j + 1);
      i = j;
    }
  }
}

std::string signal_name(int sig) {
  const char* d = strsignal(sig);
  return "killed by signal " + std::to_string(sig) + (d ? std::string(" (") + d + ")" : "");
}

// Keeps at least the last `limit` bytes (at most 2 * `limit` and one read); returns whether it
// dropped some. The cut starts a line, or else a word: a partial line's digits ("45" of
// "0.12345") could be read as a number.
bool append_tail(std::string& buffer, const char* data, std::size_t n, std::size_t limit) {
  buffer.append(data, n);
  if (buffer.size() <= 2 * limit) return false;
  std::size_t cut = buffer.size() - limit;
  if (const std::size_t line_end = buffer.rfind('\n', cut); line_end != std::string::npos && line_end + 1 >= buffer.size() - 2 * limit)
    cut = line_end + 1;
  else if (const std::size_t blank = buffer.find_first_of(" \t\n", cut); blank != std::string::npos)
    cut = blank;
  buffer.erase(0, cut);
  return true;
}

// gpbo could not start a process at all (no pipe, no fork: out of descriptors or processes):
// nothing was evaluated, so it is no failure of the point.
struct SpawnError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct Pipe {
  int read = -1, write = -1;
  Pipe() {
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0) throw SpawnError(std::string("pipe: ") + std::strerror(errno));
    read = fds[0];
    write = fds[1];
  }
  static void close_fd(int& fd) {
    if (fd >= 0) ::close(fd);
    fd = -1;
  }
  ~Pipe() {
    close_fd(read);
    close_fd(write);
  }
};

std::vector<std::string> merged_environment(const std::map<std::string, std::string>& extra) {
  std::vector<std::string> env;
  for (char** e = environ; *e; ++e) {
    const std::string entry(*e);
    const auto name = entry.substr(0, entry.find('='));
    if (!extra.count(name)) env.push_back(entry);
  }
  for (const auto& [k, v] : extra) env.push_back(k + "=" + v);
  return env;
}

std::vector<char*> c_strings(std::vector<std::string>& strings) {
  std::vector<char*> out;
  for (auto& s : strings) out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

constexpr char kParamsFilePrefix[] = "gpbo-params-";

std::string temporary_directory() {
  const char* dir = std::getenv("TMPDIR");
  return dir && *dir ? dir : "/tmp";
}

// A temporary file holding the parameters as JSON, removed when the evaluation ends. Its name
// carries gpbo's pid, so that a later run can remove the files of a gpbo killed by SIGKILL.
struct ParamsFile {
  std::string path;
  explicit ParamsFile(const std::string& json) {
    std::string pattern = temporary_directory() + "/" + kParamsFilePrefix + std::to_string(getpid()) + "-XXXXXX";
    char* name = pattern.data();
    const int fd = mkostemp(name, O_CLOEXEC);  // not inherited by another worker's objective
    if (fd < 0) {
      const int e = errno;
      const std::string what = "cannot create the {params_file} in " + temporary_directory() + " (TMPDIR): " + std::strerror(e);
      if (e == EMFILE || e == ENFILE) throw SpawnError(what);  // out of descriptors: a worker too many
      throw std::runtime_error(what);
    }
    path = name;
    const bool ok = ::write(fd, json.data(), json.size()) == static_cast<ssize_t>(json.size());
    ::close(fd);
    if (!ok) throw std::runtime_error("cannot write parameter file " + path);
  }
  ~ParamsFile() {
    if (!path.empty()) ::unlink(path.c_str());
  }
};

}  // namespace

int remove_orphaned_params_files() {
  namespace fs = std::filesystem;
  int removed = 0;
  std::error_code ec;
  for (fs::directory_iterator it(temporary_directory(), ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.rfind(kParamsFilePrefix, 0) != 0) continue;
    const std::string rest = name.substr(sizeof kParamsFilePrefix - 1);
    const auto dash = rest.find('-');
    if (dash == std::string::npos || dash == 0 || dash > 9 ||
        !std::all_of(rest.begin(), rest.begin() + static_cast<std::ptrdiff_t>(dash), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); }))
      continue;  // an older gpbo's name, without a pid: its owner cannot be known
    const auto pid = static_cast<pid_t>(std::stol(rest.substr(0, dash)));
    if (::kill(pid, 0) == 0 || errno != ESRCH) continue;  // alive (or not ours to signal)
    std::error_code rm;
    removed += fs::remove(it->path(), rm) ? 1 : 0;  // another user's file in a sticky /tmp: left alone
  }
  return removed;
}

const char* to_string(CommandOutcome::Status status) {
  switch (status) {
    case CommandOutcome::Status::Ok: return "ok";
    case CommandOutcome::Status::Failed: return "failed";
    case CommandOutcome::Status::Crashed: return "crashed";
    case CommandOutcome::Status::TimedOut: return "timeout";
    case CommandOutcome::Status::BadOutput: return "bad_output";
  }
  return "failed";
}

bool is_placeholder_name(const std::string& name) {
  return !name.empty() && !std::isdigit(static_cast<unsigned char>(name.front())) &&
         std::all_of(name.begin(), name.end(), is_name_char);
}

std::vector<std::string> placeholders_in(const std::vector<std::string>& argv_template) {
  std::vector<std::string> names;
  for (const auto& arg : argv_template)
    for_each_placeholder(arg, [&](const std::string& name, std::size_t, std::size_t) {
      if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
    });
  return names;
}

std::vector<std::string> expand_argv(const std::vector<std::string>& argv_template,
                                     const std::map<std::string, std::string>& params,
                                     const std::set<std::string>& omitted) {
  std::vector<std::string> out;
  for (const auto& arg : argv_template) {
    std::string expanded;
    std::size_t copied = 0;
    bool left_out = false;
    for_each_placeholder(arg, [&](const std::string& name, std::size_t begin, std::size_t end) {
      if (omitted.count(name)) left_out = true;
      if (left_out) return;
      const auto it = params.find(name);
      if (it == params.end()) throw std::invalid_argument("placeholder {" + name + "} names no parameter");
      expanded += arg.substr(copied, begin - copied) + it->second;
      copied = end;
    });
    if (!left_out) out.push_back(expanded + arg.substr(copied));
  }
  return out;
}

namespace {

// Process groups of the commands running now, so an interrupted run can stop them all.
std::mutex running_mutex;
std::set<pid_t> running_groups;
bool stopping = false;  // kill_running_commands() was called: start nothing more (under running_mutex)

struct ChildResult {
  int wait_status = 0;
  bool exited = false;  // the pump saw the program exit (spawn_and_wait reaps it into wait_status)
  bool timed_out = false;
  int exec_errno = 0;  // non-zero when the program could not be started
  std::string out, err;
  bool out_cut = false;  // stdout passed 2 * kStdoutLimit: its start was dropped
  bool reaped_elsewhere = false;  // its exit status is unknown (wait_status means nothing)
  double seconds = 0;
};

[[noreturn]] void exec_child(pid_t parent, Pipe& in, Pipe& out, Pipe& err, Pipe& exec_report, const std::string& cwd,
                             std::vector<char*>& argv, std::vector<char*>& envp) {
  // Only async-signal-safe calls between fork and exec.
#ifdef __linux__
  // Dies with gpbo, even by kill -9: an orphan would run on beside the same evaluation rerun by
  // --resume. The signal comes when the forking thread ends, but that thread waits for this
  // child in spawn_and_wait() (only an exception there ends it first, and then nobody waits).
  // If gpbo already died before the prctl, the parent is another process now.
  if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0) {
    const int e = errno;
    (void)!::write(exec_report.write, &e, sizeof e);
    _exit(127);
  }
  if (getppid() != parent) _exit(127);
#else
  (void)parent;
#endif
  setpgid(0, 0);
  dup2(in.read, STDIN_FILENO);
  dup2(out.write, STDOUT_FILENO);
  dup2(err.write, STDERR_FILENO);
  if (!cwd.empty() && chdir(cwd.c_str()) != 0) {
    const int e = errno;
    (void)!::write(exec_report.write, &e, sizeof e);
    _exit(127);
  }
  execvpe(argv[0], argv.data(), envp.data());
  const int e = errno;
  (void)!::write(exec_report.write, &e, sizeof e);
  _exit(127);
}

// Whether the child `pid` has exited, leaving it unreaped (a zombie keeps its process group's id).
// `reaped_elsewhere` is set on ECHILD: someone else (the system, were SIGCHLD ignored) reaped
// it, so it is gone all the same (taken as running, its readable pidfd spun the poll loop at
// 100% CPU for good), but its exit status is lost.
bool exited_unreaped(pid_t pid, bool& reaped_elsewhere) {
  siginfo_t info{};
  if (waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOHANG | WNOWAIT) != 0) return reaped_elsewhere = errno == ECHILD;
  return info.si_pid == pid;
}

// A pidfd, closed however the pump ends (an out-of-memory while appending output, say).
struct ExitFd {
  int fd;
  explicit ExitFd(int f) : fd(f) {}
  ExitFd(const ExitFd&) = delete;
  ExitFd& operator=(const ExitFd&) = delete;
  ~ExitFd() {
    if (fd >= 0) ::close(fd);
  }
};

// Pumps stdout/stderr until the program has exited and they have closed or fallen quiet, or the
// deadline passes; kills the group on timeout. Meanwhile it writes `input` to in_fd
// (non-blocking) as the program reads it, closing in_fd once all is written or the program stops
// reading: a blocking write of more than a pipe's 64 KiB would wait for a program that never
// reads, past its deadline (and deadlock with one that first fills its stdout).
// A process the program left in the background (`monitor &`) may hold the pipes open long after
// the program ended: once the program has exited (seen at once through a pidfd, and left
// unreaped: spawn_and_wait kills its group and then reaps it), what it wrote is in the pipes or
// on its way through a helper of its group (`exec > >(tee log)`), so the pump drains them and
// stops as soon as they fall quiet for kQuietAfterExitMs, or close (at most kDrainAfterExit),
// instead of waiting for their last holder. What a background writer prints until then is read
// too: the two cannot be told apart (README: name the score).
void pump_output(pid_t pid, int out_fd, int err_fd, int& in_fd, const std::string& input, double timeout_s,
                 ChildResult& r) {
  constexpr double kDrainAfterExit = 1.0;  // seconds of output still read from background writers
  constexpr int kSliceMs = 50;             // how often a program's exit is checked without a pidfd
  constexpr int kQuietAfterExitMs = 50;    // a helper such as tee copying the last lines has this long
  const auto start = std::chrono::steady_clock::now();
  const auto since = [](auto t) { return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count(); };
  auto exited_at = start;
  // Readable once the program exits, so that its exit wakes the poll at once (-1 where pidfds
  // are missing: the exit is then seen within kSliceMs). The system call itself: Debian 12's
  // <sys/pidfd.h> declares pidfd_open without C linkage.
  const ExitFd exit_fd(static_cast<int>(syscall(SYS_pidfd_open, pid, 0)));
  pollfd fds[4] = {{out_fd, POLLIN, 0}, {err_fd, POLLIN, 0}, {in_fd, POLLOUT, 0}, {exit_fd.fd, POLLIN, 0}};
  std::size_t written = 0;
  const auto stop_writing = [&] {
    Pipe::close_fd(in_fd);
    fds[2].fd = -1;
  };
  if (input.empty()) stop_writing();
  int open = 2;
  char buf[65536];
  while (open > 0 || !r.exited) {  // a program that closed both pipes still has its deadline
    int wait_ms = kSliceMs;
    if (r.exited) {
      if (since(exited_at) >= kDrainAfterExit) break;
      wait_ms = kQuietAfterExitMs;
    } else if (timeout_s > 0) {
      const double left = timeout_s - since(start);
      if (left <= 0) {
        r.timed_out = true;
        kill(-pid, SIGTERM);
        usleep(200000);
        kill(-pid, SIGKILL);
        break;
      }
      // In double: a timeout_s above INT_MAX ms overflowed the int to a negative wait, which
      // made poll() block forever once the pipes had closed (a run that no signal could stop).
      wait_ms = static_cast<int>(std::min<double>(wait_ms, std::ceil(left * 1000)));
    }
    const int ready = poll(fds, 4, wait_ms);
    if (ready < 0 && errno != EINTR) break;
    if (ready == 0 && r.exited) break;  // drained: only background holders keep the pipes open
    if (fds[2].fd >= 0 && (fds[2].revents & (POLLOUT | POLLERR | POLLHUP))) {
      const ssize_t n = ::write(fds[2].fd, input.data() + written, std::min<std::size_t>(input.size() - written, 65536));
      if (n > 0) written += static_cast<std::size_t>(n);
      if ((n < 0 && errno != EAGAIN && errno != EINTR) || written == input.size()) stop_writing();  // EPIPE: not reading
    }
    for (int k = 0; k < 2; ++k) {
      if (fds[k].fd < 0 || !(fds[k].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      const ssize_t n = ::read(fds[k].fd, buf, sizeof buf);
      if (n > 0) {
        if (append_tail(k == 0 ? r.out : r.err, buf, static_cast<std::size_t>(n), k == 0 ? kStdoutLimit : 65536) && k == 0) r.out_cut = true;
      } else if (n == 0 || errno != EINTR) {
        fds[k].fd = -1;
        --open;
      }
    }
    if (!r.exited && exited_unreaped(pid, r.reaped_elsewhere)) {
      r.exited = true;
      exited_at = std::chrono::steady_clock::now();
      fds[3].fd = -1;  // stays readable: polled no more
    }
  }
}

ChildResult spawn_and_wait(std::vector<std::string> argv, const CommandSpec& spec, const std::string& stdin_text) {
  // SIGCHLD at its default: one ignored (inherited from whoever started gpbo) lets the kernel
  // reap the children itself, and their exits would never be seen (a run that hung).
  static const bool signals_set = [] { return signal(SIGPIPE, SIG_IGN) != SIG_ERR && signal(SIGCHLD, SIG_DFL) != SIG_ERR; }();
  (void)signals_set;
  ChildResult r;
  auto env = merged_environment(spec.env);
  auto c_argv = c_strings(argv);
  auto c_env = c_strings(env);
  Pipe in, out, err, exec_report;
  const auto start = std::chrono::steady_clock::now();
  const pid_t self = getpid();
  {
    std::lock_guard lock(running_mutex);
    if (stopping) throw SpawnError("gpbo is stopping");
  }
  const pid_t pid = fork();
  if (pid < 0) throw SpawnError(std::string("fork: ") + std::strerror(errno));
  if (pid == 0) exec_child(self, in, out, err, exec_report, spec.working_directory, c_argv, c_env);
  setpgid(pid, pid);  // also in the parent, so kill(-pid) works even before the child runs
  {
    std::lock_guard lock(running_mutex);
    if (stopping) kill(-pid, SIGKILL);  // forked as the run stopped: killed like the others
    running_groups.insert(pid);
    reaper_watch(pid);
  }
  Pipe::close_fd(in.read);
  Pipe::close_fd(out.write);
  Pipe::close_fd(err.write);
  Pipe::close_fd(exec_report.write);
  fcntl(in.write, F_SETFL, fcntl(in.write, F_GETFL) | O_NONBLOCK);
  pump_output(pid, out.read, err.read, in.write, stdin_text, spec.timeout_s, r);
  Pipe::close_fd(in.write);
  // Anything left running in its group, while the program, not yet reaped, still holds the
  // group's id (once reaped, the id could be another group's: not when reaped elsewhere).
  if (!r.reaped_elsewhere) kill(-pid, SIGKILL);
  while (waitpid(pid, &r.wait_status, 0) < 0) {
    if (errno == EINTR) continue;
    r.reaped_elsewhere = errno == ECHILD;
    break;
  }
  {
    std::lock_guard lock(running_mutex);
    running_groups.erase(pid);
    reaper_forget(pid);
  }
  if (::read(exec_report.read, &r.exec_errno, sizeof r.exec_errno) != sizeof r.exec_errno) r.exec_errno = 0;
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return r;
}

// The last n bytes or fewer, from the start of a UTF-8 character (not inside a progress bar's).
std::string tail(const std::string& s, std::size_t n) {
  if (s.size() <= n) return s;
  std::size_t from = s.size() - n;
  for (int k = 0; k < 3 && from < s.size() && (static_cast<unsigned char>(s[from]) & 0xC0) == 0x80; ++k) ++from;
  return s.substr(from);
}

// Output quoted inside a one-line reason: trailing blank space dropped, newlines written as \n.
std::string one_line(std::string s) {
  s.erase(s.find_last_not_of(" \t\r\n") + 1);
  std::string out;
  for (const char ch : s) out += ch == '\n' ? std::string("\\n") : std::string(1, ch);
  return out;
}

// Why no result was read, with the end of stdout that shows it.
std::string with_stdout_tail(const std::string& why, const std::string& out) {
  return why + " (stdout tail: '" + one_line(tail(out, 200)) + "')";
}

// A number as printed by a program ("-0.1", "nan"), for messages.
std::string plain_number(double v) {
  std::ostringstream out;
  out << v;
  return out.str();
}

// The outcome constraints' values, into an Ok outcome; a missing, non-numeric or non-finite one
// makes it bad_output (the optimizer would record a non-finite one as a failure anyway).
void read_constraint_values(const std::vector<std::string>& names, const std::string& out, CommandOutcome& outcome) {
  for (const auto& name : names) {
    std::string why;
    const auto v = read_named_value(name, out, why);
    if (v && std::isfinite(*v)) {
      outcome.constraint_values.push_back(*v);
      continue;
    }
    outcome.status = CommandOutcome::Status::BadOutput;
    outcome.reason = "constraint " + (v ? "'" + name + "' is not finite (" + plain_number(*v) + ")" : with_stdout_tail(why, out));
    outcome.value.reset();
    outcome.constraint_values.clear();
    return;
  }
}

// The score's noise sd, into an Ok outcome; a missing, non-numeric, negative or non-finite one,
// or one of 1e100 or more (the optimizer refuses it: its variance overflows), makes it bad_output.
void read_noise_sd(const std::string& name, const std::string& out, CommandOutcome& outcome) {
  std::string why;
  const auto sd = read_named_value(name, out, why);
  if (sd && bo::Measurement::valid_sd(*sd)) {
    outcome.sd = *sd;
    return;
  }
  outcome.status = CommandOutcome::Status::BadOutput;
  outcome.reason = "noise sd " + (sd ? "'" + name + "' is " + plain_number(*sd) + ", not a number >= 0 and below 1e100" : with_stdout_tail(why, out));
  outcome.value.reset();
}

}  // namespace

void kill_running_commands() {
  std::lock_guard lock(running_mutex);
  stopping = true;
  for (const pid_t group : running_groups) kill(-group, SIGKILL);
}

namespace {

// gpbo could not set up the evaluation (its {params_file}, a pipe, a process): nothing was
// evaluated, so, as for a program that cannot start, no failure of the point.
CommandOutcome not_started(const std::string& reason, bool out_of_resources) {
  CommandOutcome outcome;
  outcome.status = CommandOutcome::Status::Failed;
  outcome.not_started = outcome.setup_failed = true;
  outcome.out_of_resources = out_of_resources;
  outcome.reason = reason;
  return outcome;
}

}  // namespace

CommandOutcome run_command(const CommandSpec& spec, const std::map<std::string, std::string>& params,
                           const std::string& params_json, const std::set<std::string>& omitted) {
  CommandOutcome outcome;
  std::optional<ParamsFile> params_file;
  auto values = params;
  if (!placeholders_in(spec.argv).empty()) {
    const auto names = placeholders_in(spec.argv);
    if (std::find(names.begin(), names.end(), "params_file") != names.end()) {
      try {
        params_file.emplace(params_json);
      } catch (const SpawnError& e) {
        return not_started(e.what(), true);
      } catch (const std::runtime_error& e) {
        return not_started(e.what(), false);
      }
      values["params_file"] = params_file->path;
    }
  }
  ChildResult r;
  try {
    r = spawn_and_wait(expand_argv(spec.argv, values, omitted), spec, spec.params_on_stdin ? params_json : "");
  } catch (const SpawnError& e) {
    // Recorded as a failure, it taught the failure model a region that never failed.
    return not_started(std::string("cannot start a process: ") + e.what(), true);
  }
  outcome.seconds = r.seconds;
  outcome.stderr_tail = tail(r.err, kStderrTail);
  using S = CommandOutcome::Status;
  if (r.exec_errno != 0) {
    outcome.status = S::Failed;
    outcome.not_started = true;
    outcome.reason = "cannot run '" + spec.argv.front() + "': " + std::strerror(r.exec_errno);
  } else if (r.reaped_elsewhere && !r.timed_out) {  // a crash or exit 3 would read as success
    outcome.status = S::Failed;
    outcome.reason = "exit status unknown: the program was reaped by another process (was SIGCHLD ignored in gpbo?)";
  } else if (r.timed_out) {
    outcome.status = S::TimedOut;
    std::ostringstream msg;
    msg << "timed out after " << spec.timeout_s << " s";
    outcome.reason = msg.str();
  } else if (WIFSIGNALED(r.wait_status)) {
    outcome.status = S::Crashed;
    outcome.reason = signal_name(WTERMSIG(r.wait_status));
  } else if (WEXITSTATUS(r.wait_status) != 0) {
    outcome.status = S::Failed;
    outcome.reason = "exit status " + std::to_string(WEXITSTATUS(r.wait_status));
  } else {
    std::string why;
    auto named = spec.constraint_names;
    if (!spec.sd_name.empty()) named.push_back(spec.sd_name);
    outcome.value = read_result(spec.reader, r.out, why, named);
    if (!outcome.value) {
      outcome.status = S::BadOutput;
      if (r.out_cut)
        why += " (stdout passed " + std::to_string(2 * kStdoutLimit >> 20) + " MiB: only about its last " + std::to_string(kStdoutLimit >> 20) +
               " MiB were kept; print the result near the end)";
      outcome.reason = with_stdout_tail(why, r.out);
    } else if (!std::isfinite(*outcome.value)) {
      outcome.status = S::BadOutput;
      outcome.reason = "objective printed a non-finite value";
      outcome.value.reset();
    } else {
      outcome.status = S::Ok;
      if (!spec.sd_name.empty()) read_noise_sd(spec.sd_name, r.out, outcome);
      if (outcome.status == S::Ok) read_constraint_values(spec.constraint_names, r.out, outcome);
    }
  }
  // Programs may print anything (Latin-1, binary); the state and the CSV hold JSON/UTF-8 text.
  outcome.reason = valid_utf8(outcome.reason);
  outcome.stderr_tail = valid_utf8(outcome.stderr_tail);
  return outcome;
}

}  // namespace gpbo::tune
