import Testing

/// The row loop the conformance suites share: every row is checked, a skipped row that passes
/// fails the suite (its skip reason is stale), and the pass count is printed for the README.
enum ConformanceRows {
    /// Checks each row of `file`'s `cases` with `check` (nil = the row holds, else what differs).
    static func expectAll(_ file: String, id idKey: String = "id", skipped: [String: String],
                          check: (RawJSON) -> String?) throws {
        let rows = try TypedJSON.load(file)["cases"]?.array ?? []
        var passed = 0
        var failures: [String] = []
        for row in rows {
            let id = row[idKey]?.string ?? "?"
            let problem = check(row)
            if let reason = skipped[id] {
                if problem == nil { failures.append("\(id) passes but is skipped (\(reason))") }
                continue
            }
            if let problem { failures.append("\(id): \(problem)") } else { passed += 1 }
        }
        print("\(file): \(passed)/\(rows.count) passed, \(skipped.count) skipped")
        #expect(failures.isEmpty, "\(failures.joined(separator: "\n"))")
    }
}
