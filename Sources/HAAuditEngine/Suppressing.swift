import HAAuditModel

extension Audit {
    /// The configuration file's ignores suppress matching findings until they expire; an expired
    /// ignore says so instead.
    func applyIgnores(to checked: [CheckedComponent], diagnostics: inout [Diagnostic]) {
        guard !configuration.ignores.isEmpty else { return }
        let today = Configuration.today()
        var expired: Set<SourceLocation> = []
        for finding in checked.lazy.flatMap(\.findings) where !finding.isSuppressed {
            for ignore in configuration.ignores {
                guard ignore.rule == "all" || ignore.rule == finding.ruleName,
                      ignore.path?.matches(finding.location.path) ?? true,
                      ignore.component?.matches(finding.component.name) ?? true else { continue }
                if let expires = ignore.expires, expires <= today {
                    if expired.insert(ignore.location).inserted {
                        diagnostics.append(Diagnostic(level: .warning,
                                                      message: "the ignore of \(ignore.rule) expired on \(expires); its findings are reported again",
                                                      location: ignore.location))
                    }
                    continue
                }
                finding.suppression = Suppression(reason: ignore.reason, location: ignore.location, isExternal: true)
                break
            }
        }
    }
}

/// The author's suppression of `rule` on `component`, or else on the first of the other components
/// involved that has one (DESIGN section 8: a cross-resource finding may be silenced on either object).
/// A suppression does not silence the finding about itself (`unjustified-suppression` keys its
/// findings by the rule the suppression names): an `all` without a reason would hide that it has none.
func suppression(of rule: String, about suppressed: String?, on component: Component, involving others: [String],
                 in topology: Topology) -> Suppression? {
    func found(in suppressions: [String: Suppression]) -> Suppression? {
        guard !suppressions.isEmpty else { return nil }
        if rule != suppressed, let specific = suppressions[rule] { return specific }
        return suppressed == "all" ? nil : suppressions["all"]
    }
    return found(in: component.suppressions) ?? others.lazy.compactMap { topology[$0].flatMap { found(in: $0.suppressions) } }.first
}
