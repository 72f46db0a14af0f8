import HAAuditModel

extension TemplateOutputSpan {
    /// Where the value an action printed was written, when it printed a `.Values` field chain
    /// (`valuesPath`, absolute as `HelmRenderer` leaves it): the scalar's origin, or for a table
    /// or list (`toYaml .Values.resources`) the first line of its entries in the same file.
    public func valuesOrigin(in origins: ValueOrigins) -> SourceLocation? {
        guard let keys = valuesPath else { return nil }
        let path: ValuePath = keys.map { .key($0) }
        if let origin = origins[path] { return origin }
        let inside = origins.filter { $0.key.count > path.count && Array($0.key.prefix(path.count)) == path }.map(\.value)
        guard let first = inside.min(by: { ($0.path, $0.line, $0.column) < ($1.path, $1.line, $1.column) }) else { return nil }
        return inside.allSatisfy { $0.path == first.path } ? first : nil
    }
}

extension HelmCapabilities {
    /// A cluster of `kubeVersion` (default `HelmRenderer.defaultKubeVersion`) serving Helm's
    /// built-in API versions plus `extraAPIVersions` (`--api-versions`).
    public init(kubeVersion: String = HelmRenderer.defaultKubeVersion, extraAPIVersions: [String]) {
        self.init(kubeVersion: kubeVersion, apiVersions: HelmCapabilities.builtInAPIVersions + extraAPIVersions)
    }
}
