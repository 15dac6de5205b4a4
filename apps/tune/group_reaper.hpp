#pragma once
// Kills what an objective command started when gpbo itself dies without cleaning up.
//
// Each command runs in its own process group, and gpbo kills the group when the command ends,
// times out or the run is interrupted. PR_SET_PDEATHSIG (command_objective.cpp) also takes the
// command down if gpbo is killed with SIGKILL, but not the processes the command started (a
// wrapper script's `python train.py`): those would run on, beside the same evaluation rerun by
// --resume. The reaper is a small process forked at the start of a run. It is told every group
// that starts and ends, over a pipe; when the pipe closes with groups still registered (gpbo
// died), it SIGKILLs them and exits. It runs in a session of its own, so that a SIGKILL sent to
// gpbo's whole process group spares it. POSIX; a no-op when not started (tests that run commands
// directly).

#include <sys/types.h>

namespace gpbo::tune {

/// Starts the reaper for this process and stops it (closing the pipe, waiting for it) when the
/// object goes out of scope; the groups registered then are the reaper's to kill, so stop only
/// after the commands have ended. One at a time per process.
class GroupReaper {
 public:
  GroupReaper();
  ~GroupReaper();
  GroupReaper(const GroupReaper&) = delete;
  GroupReaper& operator=(const GroupReaper&) = delete;
};

/// A command's process group started / ended (callers serialize these calls).
void reaper_watch(pid_t group);
void reaper_forget(pid_t group);

}  // namespace gpbo::tune
