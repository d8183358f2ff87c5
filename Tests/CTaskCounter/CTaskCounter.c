#include "CTaskCounter.h"

#include <dlfcn.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

// The concurrency runtime's hook types: both use the Swift calling convention.
typedef void (*Original)(void *job) __attribute__((swiftcall));
typedef void (*Hook)(void *job, Original original) __attribute__((swiftcall));

// A job starts with a heap object header (metadata and reference counts, two words) and two words private to
// the scheduler; then come its 32-bit flags, whose low byte is the job's kind (0: a task), and the task's id.
enum { flagsOffset = 4 * sizeof(void *), idOffset = flagsOffset + 4, taskKind = 0, capacity = 4096 };

static atomic_flag lock = ATOMIC_FLAG_INIT;
static atomic_bool recording = false;
static uint32_t ids[capacity];
static int count = 0;
// The highest task id enqueued so far, and its value when counting started: task ids grow, so a task whose id
// is above the mark was created while counting (a long-lived task that merely resumes is not).
static _Atomic uint32_t highest = 0;
static uint32_t mark = 0;

static void record(uint32_t id) {
    while (atomic_flag_test_and_set_explicit(&lock, memory_order_acquire)) {}
    int seen = 0;
    for (int index = 0; index < count && !seen; index++) seen = ids[index] == id;
    if (!seen && count < capacity) ids[count++] = id;
    atomic_flag_clear_explicit(&lock, memory_order_release);
}

__attribute__((swiftcall)) static void hook(void *job, Original original) {
    uint32_t flags, id;
    memcpy(&flags, (char *)job + flagsOffset, sizeof flags);
    memcpy(&id, (char *)job + idOffset, sizeof id);
    if ((flags & 0xff) == taskKind) {
        uint32_t seen = atomic_load_explicit(&highest, memory_order_relaxed);
        while (id > seen && !atomic_compare_exchange_weak(&highest, &seen, id)) {}
        if (atomic_load_explicit(&recording, memory_order_relaxed) && id > mark) record(id);
    }
    original(job);
}

int ctc_install(void) {
    Hook *slot = (Hook *)dlsym(RTLD_DEFAULT, "swift_task_enqueueGlobal_hook");
    if (slot == NULL) return -1;
    *slot = hook;
    return 0;
}

void ctc_start(void) {
    while (atomic_flag_test_and_set_explicit(&lock, memory_order_acquire)) {}
    count = 0;
    mark = atomic_load(&highest);
    atomic_flag_clear_explicit(&lock, memory_order_release);
    atomic_store(&recording, true);
}

int ctc_stop(void) {
    atomic_store(&recording, false);
    while (atomic_flag_test_and_set_explicit(&lock, memory_order_acquire)) {}
    int result = count;
    atomic_flag_clear_explicit(&lock, memory_order_release);
    return result;
}
