extension HelmChart {
    /// The chart with each dependency `charts/` lacks taken from the charts elsewhere in the run
    /// (a monorepo of charts: bitnami's `common` beside `nginx`): the first of the dependency's
    /// name whose version satisfies its range. `candidates` gives the charts of a name.
    public func vendoring(from candidates: (String) -> [HelmChart]) -> HelmChart {
        var result = self
        for missing in missingDependencies {
            let range = missing.dependency.version
            let constraint = range.isEmpty ? nil : SemanticConstraint(range)
            let found = candidates(missing.dependency.name).first { candidate in
                guard let constraint else { return true }
                return SemanticVersion(candidate.metadata.version).map(constraint.isSatisfied) ?? false
            }
            if let found { result.dependencies.append(found) }
        }
        return result
    }
}
