/// How sure the model is of a fact.
public enum FactCertainty: String, Sendable {
    case known, defaulted, unknown
}

/// A value a rule reads, and how sure the model is of it (DESIGN section 1).
///
/// - `known`: written in the source, at `location`.
/// - `defaulted`: absent; the platform default applies. `location` is the object that lacks it.
/// - `unknown`: cannot be resolved statically (`reason` says why); never a high finding by itself.
public struct Fact<Value: Sendable>: Sendable {
    public typealias Certainty = FactCertainty

    public var value: Value?
    public var certainty: Certainty
    public var location: SourceLocation
    /// What the value is, for messages: `spec.replicas`, `HPA web spec.minReplicas`.
    public var source: String
    /// What few facts have besides, stored apart: facts are copied a great deal (every rule
    /// reads several), and most would carry three empty fields.
    private var details: FactDetails?

    /// Why the value is unknown.
    public var reason: String? {
        get { details?.reason }
        set { details = .make(reason: newValue, note: note, usedAt: usedAt) }
    }

    /// Where a known value came from when it was not written in place: "parameter GroupMin,
    /// default 1", "condition IsProd is false".
    public var note: String? {
        get { details?.note }
        set { details = .make(reason: reason, note: newValue, usedAt: usedAt) }
    }

    /// Where the value is used, when it was written somewhere else (a parameter file sets what a
    /// manifest refers to): findings show it as a related location.
    public var usedAt: SourceLocation? {
        get { details?.usedAt }
        set { details = .make(reason: reason, note: note, usedAt: newValue) }
    }

    public init(value: Value?, certainty: Certainty, location: SourceLocation, source: String,
                reason: String? = nil, note: String? = nil) {
        self.value = value
        self.certainty = certainty
        self.location = location
        self.source = source
        details = .make(reason: reason, note: note, usedAt: nil)
    }

    public static func known(_ value: Value, at location: SourceLocation, source: String, note: String? = nil) -> Fact {
        Fact(value: value, certainty: .known, location: location, source: source, note: note)
    }

    public static func defaulted(_ value: Value, at location: SourceLocation, source: String) -> Fact {
        Fact(value: value, certainty: .defaulted, location: location, source: source)
    }

    public static func unknown(at location: SourceLocation, source: String, reason: String) -> Fact {
        Fact(value: nil, certainty: .unknown, location: location, source: source, reason: reason)
    }

    public var isUnknown: Bool { certainty == .unknown }

    /// How the value came to be, for a finding's message: "spec.replicas is 1",
    /// "spec.replicas is not set (default 1)", "spec.replicas cannot be resolved (...)".
    public func explained(_ render: (Value) -> String = { "\($0)" }) -> String {
        switch certainty {
        case .known: "\(source) is \(value.map(render) ?? "?")" + (note.map { " (\($0))" } ?? "")
        case .defaulted: "\(source) is not set; the default is \(value.map(render) ?? "?")"
        case .unknown: "\(source) cannot be resolved (\(reason ?? "unknown"))"
        }
    }

    /// The same fact about a value derived from this one.
    public func map<T>(_ transform: (Value) -> T) -> Fact<T> {
        var fact = Fact<T>(value: value.map(transform), certainty: certainty, location: location, source: source)
        fact.details = details
        return fact
    }
}

/// A fact's reason, note and place of use, when it has any.
private final class FactDetails: Sendable {
    let reason: String?
    let note: String?
    let usedAt: SourceLocation?

    init(reason: String?, note: String?, usedAt: SourceLocation?) {
        (self.reason, self.note, self.usedAt) = (reason, note, usedAt)
    }

    static func make(reason: String?, note: String?, usedAt: SourceLocation?) -> FactDetails? {
        reason == nil && note == nil && usedAt == nil ? nil : FactDetails(reason: reason, note: note, usedAt: usedAt)
    }
}
