#ifndef C_TASK_COUNTER_H
#define C_TASK_COUNTER_H

/// Counts the Swift tasks created on the global executor, for tests that bound how many tasks a piece of work
/// creates. It wraps the concurrency runtime's `swift_task_enqueueGlobal_hook` and records the id of each task
/// first enqueued while counting is on (one enqueued again after a suspension is counted once, and one created
/// before counting started, which merely resumes, not at all).

/// Installs the hook; 0 on success, -1 when this runtime has no such hook.
int ctc_install(void);

/// Forgets what was recorded and starts recording.
void ctc_start(void);

/// Stops recording; returns the number of tasks created since `ctc_start`.
int ctc_stop(void);

#endif
