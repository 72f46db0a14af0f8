/// A function a template calls by name (a builtin, Sprig's, Helm's). Arguments arrive evaluated,
/// in order (the piped value last); a thrown `TemplateError` stops execution, as a Go function
/// returning a non-nil error does.
public struct TemplateFunction: Sendable {
    public var call: @Sendable ([TemplateValue]) throws(TemplateError) -> TemplateValue

    public init(_ call: @escaping @Sendable ([TemplateValue]) throws(TemplateError) -> TemplateValue) {
        self.call = call
    }
}

/// Functions by name. The executor looks names up here at parse time: an unknown name fails the
/// parse, as in Go.
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
