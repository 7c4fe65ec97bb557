// The extern "C" face of one Verilated model, loaded with koffi (harness/ffi.ts).
// Compiled once per model build together with the generated mpsa_model.h, which
// names the model class (MpsaModel) and lists its ports (MPSA_PORT_COUNT,
// MPSA_PORT_ADDRS, MPSA_PORT_SIZES).
//
// What it adds to a plain Verilator main loop:
//  - $finish, $stop, $fatal, failed assertions and Verilator's own fatal errors
//    never end the process. vl_finish / vl_stop (VL_USER_* overrides) record a
//    status and let the eval finish normally, so the model stays consistent.
//    vl_fatal cannot return (Verilator's loops would spin on), so it throws a C++
//    exception that unwinds out of the eval; that instance is dead afterwards.
//  - $display output is kept per instance (mpsa_vl_printf) for the test to print.
//  - mpsa_run_edges: the fast path that toggles one clock for many edges in C.
//  - A watchdog (mpsa_set_deadline): model code that never returns (a `while` in
//    an always block that never exits) is left by a signal once the test's
//    wall-clock deadline has passed, so the test fails instead of hanging the
//    process. That instance is dead (and leaked) afterwards.
#include "mpsa_shim.h"

#include <pthread.h>
#include <time.h>

#include <atomic>
#include <csetjmp>
#include <csignal>

#if VM_TRACE_FST
#include "verilated_fst_c.h"
#endif
#if VM_COVERAGE
#include <unistd.h>

#include <cstdlib>

#include "verilated_cov.h"
#endif

#include <cstdarg>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

namespace {

// Status codes, mirrored in harness/model.ts.
enum : int32_t {
  kOk = 0,
  kFinish = 1,  // $finish
  kStop = 2,    // $stop, $fatal, $error, a failed assertion
  kFatal = 3,   // a Verilator runtime error (e.g. "did not converge")
  kHung = 4,    // model code ran past the wall-clock deadline (the watchdog left it)
};

constexpr size_t kOutCap = 1 << 20;  // captured $display text kept between drains

struct FatalEscape {};

}  // namespace

struct MpsaInstance {
  // Read by TypeScript through a zero-copy view (mpsa_status): keep these first.
  int32_t status = kOk;
  int32_t outBytes = 0;  // captured output waiting for mpsa_take_output
  int32_t dead = 0;      // 1 after a fatal error: never evaluate again
  int32_t pad = 0;
  VerilatedContext* ctx = nullptr;
  MpsaModel* top = nullptr;
  void* ports[MPSA_PORT_COUNT > 0 ? MPSA_PORT_COUNT : 1] = {};
#if VM_TRACE_FST
  VerilatedFstC* tfp = nullptr;
#endif
  std::string out;
  std::string msg;
  bool outDropped = false;
  int64_t deadlineNs = 0;  // CLOCK_MONOTONIC; 0: no watchdog
};

namespace {

MpsaInstance* g_cur = nullptr;  // the instance whose model code runs now
std::string g_taken;            // backing store of the last mpsa_take_output

void record(int32_t code, const std::string& msg) {
  MpsaInstance* in = g_cur;
  if (!in || in->status != kOk) return;
  in->status = code;
  in->msg = msg;
}

std::string where(const char* filename, int linenum) {
  if (!filename || !filename[0]) return std::string();
  return std::string(filename) + ":" + std::to_string(linenum);
}

void appendOutput(MpsaInstance* in, const char* s, size_t n) {
  if (in->out.size() + n <= kOutCap) {
    in->out.append(s, n);
  } else if (!in->outDropped) {
    in->outDropped = true;
    in->out.append("\n[mpsa: simulation output truncated]\n");
  }
  in->outBytes = static_cast<int32_t>(in->out.size());
}

// ---- The watchdog ----
// One per shared object (each model's .so has its own copy): a thread that
// polls while some model code of this .so runs under a deadline, and sends the
// running thread a signal once the deadline has passed. The handler jumps back
// to guarded(); handlers of several .so files chain, and only the one whose
// code is running has an escape point set.
int64_t nowNs() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1000000000LL + ts.tv_nsec;
}

std::atomic<int64_t> g_wdDeadline{0};  // deadline of the model code running now; 0: none
std::atomic<int64_t> g_wdNext{0};      // the last deadline armed (kept between evaluations)
pthread_t g_wdThread;                  // the thread running model code
thread_local sigjmp_buf* t_escape = nullptr;
struct sigaction g_prevAction;
bool g_wdStarted = false;
pthread_t g_wdLoop;                    // the watchdog thread itself
pthread_mutex_t g_wdMutex = PTHREAD_MUTEX_INITIALIZER;
pthread_cond_t g_wdWake;               // CLOCK_MONOTONIC; signalled to stop the thread
bool g_wdStop = false;                 // under g_wdMutex

int watchdogSignal() { return SIGRTMIN + 5; }

void onWatchdog(int sig, siginfo_t* info, void* uctx) {
  if (t_escape) {
    sigjmp_buf* b = t_escape;
    t_escape = nullptr;
    siglongjmp(*b, 1);
  }
  if (g_prevAction.sa_flags & SA_SIGINFO) {
    if (g_prevAction.sa_sigaction) g_prevAction.sa_sigaction(sig, info, uctx);
  } else if (g_prevAction.sa_handler != SIG_DFL && g_prevAction.sa_handler != SIG_IGN) {
    g_prevAction.sa_handler(sig);
  }
}

void* watchdogLoop(void*) {
  for (;;) {
    // Sleep until the armed deadline, at most 250 ms (a new instance may arm an earlier one)
    // and at least 10 ms: a few wake-ups a second per loaded model while tests run. The wait
    // ends at once when the .so is unloaded (stopWatchdog): its code must not run after that.
    const int64_t left = g_wdNext.load(std::memory_order_relaxed) - nowNs();
    const int64_t ns = left < 10000000LL ? 10000000LL : left > 250000000LL ? 250000000LL : left;
    const int64_t until = nowNs() + ns;
    timespec ts{static_cast<time_t>(until / 1000000000LL), static_cast<long>(until % 1000000000LL)};
    pthread_mutex_lock(&g_wdMutex);
    while (!g_wdStop && pthread_cond_timedwait(&g_wdWake, &g_wdMutex, &ts) == 0) {
    }
    const bool stop = g_wdStop;
    pthread_mutex_unlock(&g_wdMutex);
    if (stop) return nullptr;
    const int64_t d = g_wdDeadline.load(std::memory_order_acquire);
    if (d != 0 && nowNs() > d) {
      // Once per entry: the handler clears the escape point, a repeat is harmless.
      g_wdDeadline.store(0, std::memory_order_release);
      pthread_kill(g_wdThread, watchdogSignal());
    }
  }
  return nullptr;
}

bool startWatchdog() {
  if (g_wdStarted) return true;
  struct sigaction sa;
  std::memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = onWatchdog;
  sa.sa_flags = SA_SIGINFO | SA_NODEFER | SA_RESTART;  // NODEFER: the jump leaves the mask as it was
  sigemptyset(&sa.sa_mask);
  if (sigaction(watchdogSignal(), &sa, &g_prevAction) != 0) return false;
  pthread_condattr_t ca;
  pthread_condattr_init(&ca);
  pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
  pthread_cond_init(&g_wdWake, &ca);
  pthread_condattr_destroy(&ca);
  sigset_t all, old;
  sigfillset(&all);
  pthread_sigmask(SIG_SETMASK, &all, &old);  // the watchdog thread takes no signals
  const int rc = pthread_create(&g_wdLoop, nullptr, watchdogLoop, nullptr);
  pthread_sigmask(SIG_SETMASK, &old, nullptr);
  g_wdStarted = rc == 0;
  return g_wdStarted;
}

// When the .so is unloaded (koffi at process exit, or dlclose), its watchdog thread must have
// left the .so's code first: a thread asleep in code that is then unmapped faults on waking,
// which showed as a segmentation fault after `mpsa model validate` had printed its result.
__attribute__((destructor)) void stopWatchdog() {
  if (!g_wdStarted) return;
  pthread_mutex_lock(&g_wdMutex);
  g_wdStop = true;
  pthread_cond_signal(&g_wdWake);
  pthread_mutex_unlock(&g_wdMutex);
  pthread_join(g_wdLoop, nullptr);
  g_wdStarted = false;
}

// Runs `fn` as model code: a fatal error leaves it through FatalEscape, model
// code past the instance's deadline through the watchdog's signal.
template <typename F>
bool guarded(MpsaInstance* in, F fn) {
  g_cur = in;
  sigjmp_buf escape;
  const bool watched = in->deadlineNs != 0;
  if (watched) {
    if (sigsetjmp(escape, 0) != 0) {
      t_escape = nullptr;
      in->dead = 1;
      if (in->status == kOk) {
        in->status = kHung;
        in->msg = "the model's evaluation was still running at the wall-clock limit: model code that never returns (such as a while loop in an always block that never exits) or a very long fast-path run; the instance was abandoned";
      }
      return false;
    }
    g_wdThread = pthread_self();
    t_escape = &escape;
    g_wdDeadline.store(in->deadlineNs, std::memory_order_release);
  }
  bool ok = true;
  try {
    fn();
  } catch (const FatalEscape&) {
    in->dead = 1;
    ok = false;
  }
  if (watched) {
    g_wdDeadline.store(0, std::memory_order_release);
    t_escape = nullptr;
  }
  return ok;
}

}  // namespace

// ---- Verilator runtime overrides (VL_USER_FINISH, VL_USER_STOP, VL_USER_FATAL) ----

void vl_finish(const char* filename, int linenum, const char* /*hier*/) VL_MT_UNSAFE {
  Verilated::threadContextp()->gotFinish(true);
  record(kFinish, "$finish at " + where(filename, linenum));
}

void vl_stop(const char* filename, int linenum, const char* /*hier*/) VL_MT_UNSAFE {
  Verilated::threadContextp()->gotFinish(true);
  record(kStop, "$stop/$fatal/assertion at " + where(filename, linenum));
}

void vl_fatal(const char* filename, int linenum, const char* /*hier*/, const char* msg) VL_MT_UNSAFE {
  Verilated::threadContextp()->gotFinish(true);
  const std::string at = where(filename, linenum);
  record(kFatal, (at.empty() ? std::string() : at + ": ") + (msg ? msg : ""));
  throw FatalEscape();
}

int mpsa_vl_printf(const char* formatp, ...) {
  char buf[512];
  va_list ap;
  va_start(ap, formatp);
  const int n = std::vsnprintf(buf, sizeof buf, formatp, ap);
  va_end(ap);
  if (n < 0) return n;
  std::string big;
  const char* s = buf;
  if (static_cast<size_t>(n) >= sizeof buf) {
    big.resize(static_cast<size_t>(n) + 1);
    va_start(ap, formatp);
    std::vsnprintf(&big[0], big.size(), formatp, ap);
    va_end(ap);
    s = big.c_str();
  }
  if (g_cur) {
    appendOutput(g_cur, s, static_cast<size_t>(n));
  } else {
    std::fwrite(s, 1, static_cast<size_t>(n), stdout);
    std::fflush(stdout);
  }
  return n;
}

MpsaModel* mpsa_model_of(MpsaInstance* in) { return in->top; }
VerilatedContext* mpsa_context_of(MpsaInstance* in) { return in->ctx; }
void* mpsa_port_of(MpsaInstance* in, int index) {
  return index >= 0 && index < MPSA_PORT_COUNT ? in->ports[index] : nullptr;
}

// ---- The C interface (harness/ffi.ts binds these) ----

MPSA_API int mpsa_port_count() { return MPSA_PORT_COUNT; }

MPSA_API int mpsa_port_bytes(int index) {
  static const int sizes[] = MPSA_PORT_SIZES;
  return index >= 0 && index < MPSA_PORT_COUNT ? sizes[index] : 0;
}

// A new model with its own context. `seed` feeds $random and X randomization;
// a non-empty `fstPath` opens an FST trace (builds with tracing only).
MPSA_API MpsaInstance* mpsa_create(uint32_t seed, const char* fstPath) {
  MpsaInstance* in = new MpsaInstance();
  in->ctx = new VerilatedContext;
  in->ctx->randSeed(static_cast<int>(seed & 0x7fffffffU));
#if VM_TRACE_FST
  const bool trace = fstPath && fstPath[0];
  if (trace) in->ctx->traceEverOn(true);
#else
  (void)fstPath;
#endif
  MpsaInstance* prev = g_cur;
  guarded(in, [&] {
    in->top = new MpsaModel(in->ctx, "TOP");
    void* addrs[] = MPSA_PORT_ADDRS(in->top);
    for (int i = 0; i < MPSA_PORT_COUNT; ++i) in->ports[i] = addrs[i];
#if VM_TRACE_FST
    if (trace) {
      in->tfp = new VerilatedFstC;
      in->top->trace(in->tfp, 99);
      in->tfp->open(fstPath);
    }
#endif
  });
  g_cur = prev;
  return in;
}

MPSA_API int32_t* mpsa_status(MpsaInstance* in) { return &in->status; }

MPSA_API int mpsa_time_precision(MpsaInstance* in) { return in->ctx->timeprecision(); }

MPSA_API void* mpsa_port_addr(MpsaInstance* in, int index) { return mpsa_port_of(in, index); }

// Arms the watchdog: model code of this instance still running `ms` from now
// is abandoned (status kHung). ms <= 0 disarms. Returns 0 when the watchdog
// could not be started.
MPSA_API int mpsa_set_deadline(MpsaInstance* in, double ms) {
  if (ms <= 0) {
    in->deadlineNs = 0;
    return 1;
  }
  if (!startWatchdog()) return 0;
  in->deadlineNs = nowNs() + static_cast<int64_t>(ms * 1e6);
  g_wdNext.store(in->deadlineNs, std::memory_order_relaxed);
  return 1;
}

// Evaluates the model at `time` (in steps of the time precision). Returns the
// status, with bit 8 set when captured output waits to be taken.
MPSA_API int mpsa_eval(MpsaInstance* in, double time) {
  if (!in->dead) {
    in->ctx->time(static_cast<uint64_t>(time));
    guarded(in, [&] { in->top->eval(); });
  }
  return in->status | (in->outBytes ? 0x100 : 0);
}

// Writes the trace at `time` (once per time step: Verilator ignores a repeat).
MPSA_API void mpsa_dump(MpsaInstance* in, double time) {
#if VM_TRACE_FST
  if (in->tfp && !in->dead) guarded(in, [&] { in->tfp->dump(static_cast<uint64_t>(time)); });
#else
  (void)in;
  (void)time;
#endif
}

// The fast path. Toggles the 1-bit port `clk` up to `edges` times: the first
// toggle at `t0`, then after `first`, `second`, `first`, ... steps; evaluates
// (and traces) after each toggle. Stops early after an edge whose eval changed
// the status or any of the `nwatch` ports listed in `watch`. Returns the number
// of edges done.
MPSA_API double mpsa_run_edges(MpsaInstance* in, int clk, double edges, double t0, double first,
                               double second, const int32_t* watch, int nwatch) {
  if (in->dead) return 0;
  uint8_t* c = static_cast<uint8_t*>(mpsa_port_of(in, clk));
  const uint64_t n = static_cast<uint64_t>(edges);
  const uint64_t d[2] = {static_cast<uint64_t>(first), static_cast<uint64_t>(second)};
  std::vector<uint8_t> before;
  std::vector<int> sizes;
  for (int w = 0; w < nwatch; ++w) {
    const int bytes = mpsa_port_bytes(watch[w]);
    const uint8_t* p = static_cast<const uint8_t*>(mpsa_port_of(in, watch[w]));
    sizes.push_back(bytes);
    before.insert(before.end(), p, p + bytes);
  }
  uint64_t done = 0;
  uint64_t t = static_cast<uint64_t>(t0);
  MpsaModel* top = in->top;
  VerilatedContext* ctx = in->ctx;
  guarded(in, [&] {
    while (done < n) {
      *c = static_cast<uint8_t>(*c ^ 1U);
      ctx->time(t);
      top->eval();
#if VM_TRACE_FST
      if (in->tfp) in->tfp->dump(t);
#endif
      t += d[done & 1U];
      ++done;
      if (in->status != kOk) return;
      size_t off = 0;
      for (int w = 0; w < nwatch; ++w) {
        const uint8_t* p = static_cast<const uint8_t*>(mpsa_port_of(in, watch[w]));
        if (std::memcmp(p, &before[off], static_cast<size_t>(sizes[w])) != 0) return;
        off += static_cast<size_t>(sizes[w]);
      }
    }
  });
  if (in->dead) ++done;  // the edge that failed counts as done
  return static_cast<double>(done);
}

MPSA_API const char* mpsa_take_output(MpsaInstance* in) {
  g_taken.swap(in->out);
  in->out.clear();
  in->outBytes = 0;
  return g_taken.c_str();
}

MPSA_API const char* mpsa_message(MpsaInstance* in) { return in->msg.c_str(); }

// Runs final blocks, closes the trace and frees the model; returns the output
// not yet taken. A dead instance is leaked: its state after a fatal error is not
// safe to destroy.
MPSA_API const char* mpsa_destroy(MpsaInstance* in) {
  g_taken.clear();
  if (in->dead) return g_taken.c_str();
  guarded(in, [&] {
    in->top->final();
#if VM_COVERAGE
    // Line and toggle counts of this instance, for verilator_coverage to merge (harness/build.ts).
    if (const char* dir = std::getenv("MPSA_COVERAGE_DIR")) {
      static unsigned long n = 0;
      std::string path = std::string(dir) + "/verilator-" + std::to_string(static_cast<long>(getpid())) + "-" + std::to_string(++n) + ".dat";
      in->ctx->coveragep()->write(path.c_str());
    }
#endif
#if VM_TRACE_FST
    if (in->tfp) {
      in->tfp->close();
      delete in->tfp;
      in->tfp = nullptr;
    }
#endif
  });
  g_cur = nullptr;
  g_taken.swap(in->out);
  if (in->dead) return g_taken.c_str();
  delete in->top;
  delete in->ctx;
  delete in;
  return g_taken.c_str();
}
