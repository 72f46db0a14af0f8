import HAAuditParallel

extension Audit {
    /// The findings of every checked component, by path, line, column, rule, component. Paths
    /// are ranked once (consecutive findings mostly share one, which then needs no lookup), and
    /// positions are sorted by compact keys, so that sorting a few hundred thousand findings
    /// compares integers and moves each finding once.
    static func sortedForReports(_ checked: [CheckedComponent], jobs: Int = 1) -> [Finding] {
        var pathIDs: [String: Int] = [:]
        var paths: [String] = []
        var keys: [SortKey] = []
        keys.reserveCapacity(checked.reduce(0) { $0 + $1.findings.count })
        var last: (path: String, id: Int)?
        for (group, component) in checked.enumerated() {
            for (index, finding) in component.findings.enumerated() {
                let location = finding.location
                let id: Int
                if let last, last.path == location.path {
                    id = last.id
                } else {
                    id = pathIDs[location.path] ?? paths.count
                    if id == paths.count {
                        paths.append(location.path)
                        pathIDs[location.path] = id
                    }
                    last = (location.path, id)
                }
                keys.append(SortKey(path: id, line: location.line, column: location.column, group: group, index: index))
            }
        }
        var rank = [Int](repeating: 0, count: paths.count)
        for (position, id) in paths.indices.sorted(by: { paths[$0] < paths[$1] }).enumerated() { rank[id] = position }
        for index in keys.indices { keys[index].rank(rank[keys[index].path]) }
        @Sendable func finding(_ key: SortKey) -> Finding { checked[key.group].findings[key.index] }
        let order = parallelSorted(keys, jobs: jobs) { left, right in
            if left.packed != right.packed { return left.packed < right.packed }
            if (left.rank, left.line, left.column) != (right.rank, right.line, right.column) {
                return (left.rank, left.line, left.column) < (right.rank, right.line, right.column)
            }
            let (a, b) = (finding(left), finding(right))
            return (a.ruleName, a.component.id) < (b.ruleName, b.component.id)
        }
        return order.map(finding)
    }

    fileprivate struct SortKey {
        var path: Int
        var line: Int
        var column: Int
        var group: Int
        var index: Int
        var rank = 0
        /// Rank, line and column in one integer (each clamped to its field), which decides nearly
        /// every comparison; equal ones are compared in full.
        var packed: UInt64 = 0

        init(path: Int, line: Int, column: Int, group: Int, index: Int) {
            (self.path, self.line, self.column, self.group, self.index) = (path, line, column, group, index)
        }

        mutating func rank(_ rank: Int) {
            self.rank = rank
            func field(_ value: Int, bits: Int) -> UInt64 { UInt64(min(max(value, 0), (1 << bits) - 1)) }
            packed = field(rank, bits: 22) << 42 | field(line, bits: 26) << 16 | field(column, bits: 16)
        }
    }
}
