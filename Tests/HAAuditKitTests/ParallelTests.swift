import Foundation
import Testing
@testable import HAAuditEngine
@testable import HAAuditFrontends
@testable import HAAuditModel
@testable import HAAuditParallel
@testable import HAAuditReaders
@testable import HAAuditReporters
@testable import HAAuditRules

/// The parallel paths lose nothing and keep the order, whatever the number of jobs. Inputs are
/// large enough to take the parallel branch (several sort runs, several text shares, many
/// streamed batches), which the fixtures alone do not.
@Suite("Parallel paths")
struct ParallelTests {
    @Test(arguments: [1, 2, 3, 8])
    func parallelMapKeepsTheItemsOrder(jobs: Int) {
        let items = Array(0..<10_007)
        for chunk in [1, 7, 256] {
            #expect(parallelMap(items, jobs: jobs, chunk: chunk) { $0 * 3 } == items.map { $0 * 3 }, "chunk \(chunk)")
        }
        #expect(parallelMap([Int](), jobs: jobs) { $0 }.isEmpty)
    }

    /// Many ties, so that a merge that takes the right run's item first on a tie shows.
    @Test(arguments: [2, 3, 5, 8])
    func parallelSortedIsAStableSort(jobs: Int) {
        struct Item: Equatable { var key: Int, position: Int }
        let items = (0..<50_001).map { Item(key: ($0 * 7_919) % 97, position: $0) }
        let stable = items.sorted { ($0.key, $0.position) < ($1.key, $1.position) }
        #expect(parallelSorted(items, jobs: jobs) { $0.key < $1.key } == stable)
    }

    /// Item counts below one batch, a multiple of it and not; a producer that pauses now and
    /// then, so that workers wait for batches and the end shrinks them.
    @Test(arguments: [1, 2, 4])
    func streamingParallelMapConsumesEveryItemOnceInOrder(jobs: Int) {
        for count in [0, 5, 64, 1_003] {
            var consumed: [Int] = []
            streamingParallelMap(jobs: jobs, batch: 8, produce: { hand in
                for item in 0..<count {
                    if item % 100 == 99 { usleep(200) }
                    hand(item)
                }
            }, { batch in batch }, consume: { consumed += $0 })
            #expect(consumed == Array(0..<count), "\(count) items")
        }
    }

    /// A Deployment of one replica per file, and every fifth suppressed: enough findings for the
    /// text writer's shares and the report sort's runs, enough files for many streamed batches.
    static func manifest(_ index: Int) -> String {
        let ignore = index % 5 == 0 ? "\n  annotations: {ignore.haaudit.dev/all: \"test\"}" : ""
        return """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: web-\(index)\(ignore)
            spec:
              replicas: 1
              template:
                metadata: {labels: {app: web-\(index)}}
                spec:
                  containers: [{name: web, image: web, ports: [{containerPort: 80}]}]

            """
    }

    @Test func theAuditAndTheTextReportAreTheSameWhateverTheJobs() throws {
        let sources = (0..<3_000).map { (path: "web-\($0).yaml", text: Self.manifest($0)) }
        let audit = Audit(policy: try Policy.load("default"))
        var parallel = audit
        parallel.jobs = 4
        let (one, four) = (audit.run(sources: sources), parallel.run(sources: sources))
        #expect(one.findings.count > 2 * 4_096, "several text shares and sort runs")
        #expect(one.findings.map(\.fingerprint) == four.findings.map(\.fingerprint))

        let text = TextReporter(colored: false, jobs: 1).render(one)
        #expect(TextReporter(colored: false, jobs: 4).render(one) == text)
        let shown = one.findings.filter { !$0.isSuppressed }
        #expect(shown.count < one.findings.count, "some are suppressed")
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == shown.count + 3, "a line per shown finding, a blank line, the summary, the end")
        #expect(lines.first.map(String.init) == "\(shown[0].location.startingALine) \(shown[0].severity.rawValue) \(shown[0].ruleName) \(shown[0].message)")
        #expect(text.contains("\(shown.count) findings"))
    }

    @Test func filesStreamedInBatchesAreAllAuditedInOrder() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        for index in 0..<203 {
            try Self.manifest(index).write(to: folder.appendingPathComponent(String(format: "web-%03d.yaml", index)),
                                          atomically: true, encoding: .utf8)
        }
        let audit = Audit(policy: try Policy.load("default"))
        var parallel = audit
        parallel.jobs = 3
        let (one, three) = (audit.run(paths: [folder.path]), parallel.run(paths: [folder.path]))
        #expect(one.files == 203 && three.files == 203)
        #expect(one.topology.components.map(\.id) == three.topology.components.map(\.id))
        #expect(Set(one.topology.components.map(\.name)).count == 203)
        #expect(one.findings.map(\.fingerprint) == three.findings.map(\.fingerprint))
    }
}
