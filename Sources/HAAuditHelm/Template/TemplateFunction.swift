/// A function a template calls by name (a builtin, Sprig's, Helm's). Arguments arrive evaluated,
/// in order (the piped value last); a thrown `TemplateError` stops execution, as a Go function
/// returning a non-nil error does (the executor reports it as `error calling NAME: MESSAGE`).
public struct TemplateFunction: Sendable {
    public var call: @Sendable ([TemplateValue]) throws(TemplateError) -> TemplateValue
    /// Set for functions that need the running template set (Helm's `include` and `tpl`): the
    /// executor calls this instead of `call`.
    public var contextualCall: (@Sendable (TemplateContext, [TemplateValue]) throws(TemplateError) -> TemplateValue)?
    /// The argument count Go would check from the function's signature: `want N got M` errors
    /// are raised before the call. Nil = not checked here (the function checks).
    public var arity: Arity?

    public enum Arity: Sendable, Equatable {
        case exactly(Int)
        case atLeast(Int)
    }

    public init(arity: Arity? = nil, _ call: @escaping @Sendable ([TemplateValue]) throws(TemplateError) -> TemplateValue) {
        self.call = call
        self.arity = arity
    }

    /// A function that receives the execution context (the set, the current template, the
    /// recursion budget).
    public init(arity: Arity? = nil, contextual: @escaping @Sendable (TemplateContext, [TemplateValue]) throws(TemplateError) -> TemplateValue) {
        self.call = { _ throws(TemplateError) in throw TemplateError("function needs a template context") }
        self.contextualCall = contextual
        self.arity = arity
    }
}

/// Functions by name. The parser checks names against these (and the builtins): an unknown
/// name fails the parse, as in Go.
public typealias TemplateFunctions = [String: TemplateFunction]

/// Why parsing or executing a template failed, with Go's message where Go has one
/// (`template: name:3:5: executing "name" at <.X>: ...`).
public struct TemplateError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) {
        self.message = message
    }
    public var description: String { message }
}
