/// Helm's own template functions that need no executor (pkg/engine/funcs.go): YAML, JSON and
/// TOML conversion, the duration helpers and the `lookup` placeholder. `include`, `tpl`,
/// `required` and `fail` belong to the engine, which adds them over these.
public enum HelmFunctions {
    public static var functions: TemplateFunctions {
        var table: TemplateFunctions = [
            "toYaml": one { value in (try? HelmYAML.marshal(value)).map { .string(trimFinalNewline($0)) } ?? .string("") },
            "mustToYaml": one { value throws(TemplateError) in .string(trimFinalNewline(try HelmYAML.marshal(value))) },
            "toYamlPretty": one { value in (try? HelmYAML.marshal(value, indentLists: true)).map { .string(trimFinalNewline($0)) } ?? .string("") },
            "fromYaml": one { value throws(TemplateError) in fromYAML(try text(value), asList: false) },
            "fromYamlArray": one { value throws(TemplateError) in fromYAML(try text(value), asList: true) },
            "toJson": one { value in .string((try? HelmJSON.encode(value)) ?? "") },
            "mustToJson": one { value throws(TemplateError) in .string(try HelmJSON.encode(value)) },
            "fromJson": one { value throws(TemplateError) in fromJSON(try text(value), asList: false) },
            "fromJsonArray": one { value throws(TemplateError) in fromJSON(try text(value), asList: true) },
            "toToml": one { value in
                do throws(TemplateError) { return .string(try HelmTOML.encode(value)) } catch { return .string(error.message) }
            },
            "mustToToml": one { value throws(TemplateError) in .string(try HelmTOML.encode(value)) },
            "fromToml": one { value throws(TemplateError) in
                let source = try text(value)
                do throws(TemplateError) { return try HelmTOML.decode(source) } catch { return .map(["Error": .string(error.message)]) }
            },
            // No cluster: `lookup` finds nothing, as under `helm template`.
            "lookup": TemplateFunction { arguments throws(TemplateError) in
                guard arguments.count == 4 else { throw argumentCount("lookup", 4, arguments.count) }
                return .map([:])
            },
            "mustToDuration": one { value throws(TemplateError) in .duration(try HelmDuration.from(value)) },
            "toDuration": one { value in .duration((try? HelmDuration.from(value)) ?? 0) },
            "durationRoundTo": two { value, multiple in rounded(value, multiple, HelmDuration.round) },
            "durationTruncateTo": two { value, multiple in rounded(value, multiple, HelmDuration.truncate) },
        ]
        // Each converts to a duration (0 when the value is not one) and reads it in a unit.
        let seconds: [(String, Double)] = [
            ("durationSeconds", 1), ("durationMinutes", 60), ("durationHours", 3600),
            ("durationDays", 86400), ("durationWeeks", 604_800),
        ]
        for (name, unit) in seconds {
            table[name] = one { value in
                let nanoseconds = (try? HelmDuration.from(value)) ?? 0
                return .float(Double(nanoseconds) / 1e9 / unit)
            }
        }
        let integers: [(String, Int64)] = [
            ("durationMilliseconds", 1_000_000), ("durationMicroseconds", 1000), ("durationNanoseconds", 1),
        ]
        for (name, unit) in integers {
            table[name] = one { value in .int(((try? HelmDuration.from(value)) ?? 0) / unit, .int64) }
        }
        return table
    }

    private static func one(_ body: @escaping @Sendable (TemplateValue) throws(TemplateError) -> TemplateValue) -> TemplateFunction {
        TemplateFunction { arguments throws(TemplateError) in
            guard arguments.count == 1 else { throw argumentCount(nil, 1, arguments.count) }
            return try body(arguments[0])
        }
    }

    private static func two(_ body: @escaping @Sendable (TemplateValue, TemplateValue) throws(TemplateError) -> TemplateValue) -> TemplateFunction {
        TemplateFunction { arguments throws(TemplateError) in
            guard arguments.count == 2 else { throw argumentCount(nil, 2, arguments.count) }
            return try body(arguments[0], arguments[1])
        }
    }

    private static func argumentCount(_ name: String?, _ expected: Int, _ got: Int) -> TemplateError {
        TemplateError("wrong number of args\(name.map { " for \($0)" } ?? ""): want \(expected) got \(got)")
    }

    private static func trimFinalNewline(_ text: String) -> String {
        text.hasSuffix("\n") ? String(text.dropLast()) : text
    }

    /// A `string` parameter: Go refuses any other type before calling the function.
    private static func text(_ value: TemplateValue) throws(TemplateError) -> String {
        switch value {
        case .string(let text): return text
        case .null: throw TemplateError("invalid value; expected string")
        default: throw TemplateError("wrong type for value; expected string; got \(value.typeName)")
        }
    }

    /// `durationRoundTo`/`durationTruncateTo`: `v` unchanged when `m` is not a positive duration.
    private static func rounded(_ value: TemplateValue, _ multiple: TemplateValue, _ operation: (Int64, Int64) -> Int64) -> TemplateValue {
        let duration = (try? HelmDuration.from(value)) ?? 0
        guard let step = try? HelmDuration.from(multiple), step > 0 else { return .duration(duration) }
        return .duration(operation(duration, step))
    }

    /// Parse errors come back in the result: `{Error: message}` for a map, `[message]` for a list.
    private static func fromYAML(_ source: String, asList: Bool) -> TemplateValue {
        let parsed: TemplateValue
        do {
            parsed = try HelmYAML.unmarshal(source)
        } catch {
            return failure(error.message, asList: asList)
        }
        return shaped(parsed, asList: asList, prefix: "error unmarshaling JSON: while decoding JSON: ")
    }

    private static func fromJSON(_ source: String, asList: Bool) -> TemplateValue {
        let parsed: TemplateValue
        do {
            parsed = try HelmJSON.decode(source)
        } catch {
            return failure(error.message, asList: asList)
        }
        return shaped(parsed, asList: asList, prefix: "")
    }

    /// The decoded value when it has the wanted shape (null decodes to an empty one), else
    /// encoding/json's type error.
    private static func shaped(_ parsed: TemplateValue, asList: Bool, prefix: String) -> TemplateValue {
        switch (parsed, asList) {
        case (.map, false), (.list, true): return parsed
        case (.null, _): return asList ? .list([]) : .map([:])
        default:
            let target = asList ? "[]interface {}" : "map[string]interface {}"
            return failure("\(prefix)json: cannot unmarshal \(HelmJSON.kindWord(parsed)) into Go value of type \(target)", asList: asList)
        }
    }

    private static func failure(_ message: String, asList: Bool) -> TemplateValue {
        asList ? .list([.string(message)]) : .map(["Error": .string(message)])
    }
}
