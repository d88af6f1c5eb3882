import COpenBLAS
import Foundation
import Synchronization

/// The process's threads for data-parallel loops: the blocks of a large matrix product, the
/// chunks of an optimizer's update, the slices of a long reduction.
///
/// One pool for all of them, so that parallel work never has more runnable threads than the
/// machine has cores. (With OpenBLAS's threads and Dispatch's side by side, OpenBLAS's spun
/// on `sched_yield` through every Dispatch loop and took turns on the cores with it.) Between
/// jobs a worker polls for the next one for up to a millisecond, since a training step starts
/// a parallel loop every few tens of microseconds and waking a sleeping thread costs about
/// that much; after that it sleeps until it is wanted, so an idle REPL uses no CPU.
///
/// The calling thread works through a job's iterations too, and it never waits for a worker
/// that has not started on the job: when a worker is asleep, or its core has been taken away
/// (on a shared VM the host can stall a virtual CPU for milliseconds), the caller runs the
/// rest itself and the job finishes at one thread's speed instead of waiting.
///
/// Jobs run one at a time. A job started while another is running (from another thread, or
/// from inside a job) runs on the calling thread alone, so `run` never deadlocks.
public final class WorkerPool: @unchecked Sendable {
  /// The shared pool: one worker for each core but the calling thread's, or as many threads
  /// as `RETORT_THREADS` says.
  public static let shared = WorkerPool(
    threads: defaultThreads(
      environment: ProcessInfo.processInfo.environment,
      cores: ProcessInfo.processInfo.activeProcessorCount))

  /// `RETORT_THREADS` when it is a whole number from 1 up, else the core count.
  static func defaultThreads(environment: [String: String], cores: Int) -> Int {
    if let text = environment["RETORT_THREADS"], let count = Int(text), count >= 1 {
      return count
    }
    return Swift.max(1, cores)
  }

  /// The threads a job can use, the calling thread included.
  public let threads: Int

  /// How long an idle worker polls before it sleeps.
  private static let pollNanoseconds: UInt64 = 1_000_000

  /// Whether a job is running.
  private let busy = Atomic<Bool>(false)
  /// Bumped to publish a job; workers wait for it to change.
  private let generation = Atomic<Int>(0)
  /// Whether workers may still join the current job.
  private let open = Atomic<Bool>(false)
  /// The next iteration to hand out, the iterations in the current job, and those done.
  private let next = Atomic<Int>(0)
  private let total = Atomic<Int>(0)
  private let completed = Atomic<Int>(0)
  /// Workers inside the current job (joined and not yet left).
  private let active = Atomic<Int>(0)
  /// Workers asleep (or about to be), so a publisher knows to wake them.
  private let sleepers = Atomic<Int>(0)
  private let wakeUp = NSCondition()
  /// The current job's body. Written only while no worker is inside a job, read only by the
  /// caller and by workers that have joined it.
  nonisolated(unsafe) private var body: ((Int) -> Void)?

  /// A pool whose jobs use up to `threads` threads, the caller's included. Its workers live
  /// for the rest of the process.
  init(threads: Int) {
    self.threads = Swift.max(1, threads)
    for _ in 1..<self.threads {
      let worker = Thread { self.work() }
      worker.name = "retort worker"
      worker.start()
    }
  }

  /// Calls `body(i)` for every `i` in `0..<iterations`, spread over up to `threads`
  /// threads, and returns when all have returned. The calls must touch disjoint data.
  public func run(iterations: Int, _ body: (Int) -> Void) {
    guard iterations > 1, threads > 1,
      busy.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged
    else {
      for i in 0..<iterations { body(i) }
      return
    }
    withoutActuallyEscaping(body) { body in
      self.body = body
      next.store(0, ordering: .relaxed)
      total.store(iterations, ordering: .relaxed)
      completed.store(0, ordering: .relaxed)
      // Opening the job publishes the stores above to any worker that sees it open.
      open.store(true, ordering: .sequentiallyConsistent)
      // Then the bump, and any worker that has gone to sleep is woken (sequentially
      // consistent on both sides, so a worker either sees the new generation before it
      // sleeps or is counted in `sleepers` here).
      generation.add(1, ordering: .sequentiallyConsistent)
      if sleepers.load(ordering: .sequentiallyConsistent) > 0 {
        wakeUp.lock()
        wakeUp.broadcast()
        wakeUp.unlock()
      }
      runIterations(body)
      // Iterations a worker claimed may still be running.
      while completed.load(ordering: .acquiring) < iterations { retort_cpu_relax() }
      // Close the job, then wait for the workers inside it to leave. A worker joins by
      // counting itself in `active` and then checking `open` (both sequentially
      // consistent), so it either sees the job closed and touches nothing, or is counted
      // here and waited for.
      open.store(false, ordering: .sequentiallyConsistent)
      while active.load(ordering: .sequentiallyConsistent) > 0 { retort_cpu_relax() }
      self.body = nil
    }
    busy.store(false, ordering: .releasing)
  }

  private func runIterations(_ body: (Int) -> Void) {
    let count = total.load(ordering: .relaxed)
    while true {
      let i = next.add(1, ordering: .relaxed).oldValue
      guard i < count else { return }
      body(i)
      completed.add(1, ordering: .releasing)
    }
  }

  private func work() {
    var seen = 0
    while true {
      seen = waitForJob(after: seen)
      active.add(1, ordering: .sequentiallyConsistent)
      if open.load(ordering: .sequentiallyConsistent), let body { runIterations(body) }
      active.subtract(1, ordering: .sequentiallyConsistent)
    }
  }

  /// Polls until the generation moves past `seen`, then sleeps; returns the new generation.
  private func waitForJob(after seen: Int) -> Int {
    let start = DispatchTime.now().uptimeNanoseconds
    var polls = 0
    while true {
      let current = generation.load(ordering: .acquiring)
      if current != seen { return current }
      polls += 1
      if polls & 255 == 0,
        DispatchTime.now().uptimeNanoseconds - start > WorkerPool.pollNanoseconds
      {
        break
      }
      retort_cpu_relax()
    }
    wakeUp.lock()
    sleepers.add(1, ordering: .sequentiallyConsistent)
    while generation.load(ordering: .sequentiallyConsistent) == seen { wakeUp.wait() }
    sleepers.subtract(1, ordering: .sequentiallyConsistent)
    wakeUp.unlock()
    return generation.load(ordering: .acquiring)
  }
}
