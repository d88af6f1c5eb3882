import Foundation
import Synchronization
import Testing

@testable import RetortTensor

@Suite("Worker pool") struct WorkerPoolTests {
  /// Runs a job that counts how often each index is visited and returns the counts.
  private func visits(_ pool: WorkerPool, iterations: Int) -> [Int] {
    let counts = Mutex([Int](repeating: 0, count: iterations))
    pool.run(iterations: iterations) { i in counts.withLock { $0[i] += 1 } }
    return counts.withLock { $0 }
  }

  @Test("every iteration runs exactly once", arguments: [0, 1, 2, 3, 17, 1000])
  func everyIterationOnce(_ iterations: Int) {
    let pool = WorkerPool(threads: 3)
    for _ in 0..<50 {
      #expect(visits(pool, iterations: iterations) == Array(repeating: 1, count: iterations))
    }
  }

  @Test("the work is spread over more than one thread, also after a one-iteration job")
  func workIsShared() {
    let pool = WorkerPool(threads: 2)
    pool.run(iterations: 1) { _ in }
    pool.run(iterations: 0) { _ in }
    let seen = Mutex(Set<String>())
    // 50 iterations of 2 ms each: the worker has 0.1 s to wake and claim one of them.
    pool.run(iterations: 50) { _ in
      let name = "\(pthread_self())"
      seen.withLock { _ = $0.insert(name) }
      let end = Date().addingTimeInterval(0.002)
      while Date() < end {}
    }
    #expect(seen.withLock { $0.count } == 2)
  }

  @Test("a job started from inside a job runs on its caller and finishes")
  func nestedJobs() {
    let pool = WorkerPool(threads: 2)
    let total = Atomic<Int>(0)
    pool.run(iterations: 4) { _ in
      pool.run(iterations: 5) { _ in total.add(1, ordering: .relaxed) }
    }
    #expect(total.load(ordering: .relaxed) == 20)
  }

  @Test("jobs from several threads at once all finish with every iteration once")
  func concurrentCallers() {
    let pool = WorkerPool(threads: 2)
    let failures = Atomic<Int>(0)
    DispatchQueue.concurrentPerform(iterations: 4) { caller in
      for round in 0..<100 {
        let n = 1 + (caller * 7 + round) % 40
        if visits(pool, iterations: n) != Array(repeating: 1, count: n) {
          failures.add(1, ordering: .relaxed)
        }
      }
    }
    #expect(failures.load(ordering: .relaxed) == 0)
  }

  @Test("workers that have gone to sleep wake for the next job")
  func wakesAfterSleeping() {
    let pool = WorkerPool(threads: 3)
    for _ in 0..<5 {
      // Longer than the millisecond a worker polls before it sleeps.
      Thread.sleep(forTimeInterval: 0.005)
      #expect(visits(pool, iterations: 64) == Array(repeating: 1, count: 64))
    }
  }

  @Test("a one-thread pool runs everything on the caller, in order")
  func oneThread() {
    let pool = WorkerPool(threads: 1)
    var order: [Int] = []
    pool.run(iterations: 5) { order.append($0) }
    #expect(order == [0, 1, 2, 3, 4])
  }

  @Test("RETORT_THREADS sets the pool's size; anything but a count from 1 up is ignored")
  func threadsFromTheEnvironment() {
    #expect(WorkerPool.defaultThreads(environment: [:], cores: 8) == 8)
    #expect(WorkerPool.defaultThreads(environment: ["RETORT_THREADS": "3"], cores: 8) == 3)
    #expect(WorkerPool.defaultThreads(environment: ["RETORT_THREADS": "0"], cores: 8) == 8)
    #expect(WorkerPool.defaultThreads(environment: ["RETORT_THREADS": "two"], cores: 8) == 8)
    #expect(WorkerPool.defaultThreads(environment: [:], cores: 0) == 1)
  }
}
