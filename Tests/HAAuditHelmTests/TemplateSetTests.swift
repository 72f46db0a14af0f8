import Testing
@testable import HAAuditHelm

/// The template set's API as the Helm engine uses it: shared definitions, contextual functions
/// (`include`, `tpl`), missing-key modes and the limits on hostile input.
@Suite("Template set")
struct TemplateSetTests {
    /// Helm's `include`: runs a named template of the running set, at most 1000 deep per name.
    static let include = TemplateFunction(arity: .exactly(2)) { context, arguments throws(TemplateError) in
        guard case .string(let name) = arguments[0] else { throw TemplateError("wrong type for value; expected string; got \(arguments[0].typeName)") }
        if context.counter(name) > 1000 {
            throw TemplateError("rendering template has a nested reference name: \(name): unable to execute template")
        }
        context.adjustCounter(name, by: 1)
        defer { context.adjustCounter(name, by: -1) }
        return .string(try context.execute(name: name, data: arguments[1]))
    }

    /// Helm's `tpl`: parses text into a copy of the set and runs it there.
    static let tpl = TemplateFunction(arity: .exactly(2)) { context, arguments throws(TemplateError) in
        guard case .string(let text) = arguments[0] else { throw TemplateError("wrong type for value; expected string; got \(arguments[0].typeName)") }
        let copy = context.set.clone()
        try copy.parse(name: context.set.name, text: text)
        return .string(try context.execute(name: context.set.name, data: arguments[1], in: copy))
    }

    static func makeSet(_ options: TemplateSet.Options = .init()) -> TemplateSet {
        TemplateSet(name: "gotpl", functions: ["include": include, "tpl": tpl], options: options)
    }

    @Test func definitionsAreSharedAcrossFiles() throws {
        let set = Self.makeSet()
        try set.parse(name: "chart/templates/_helpers.tpl", text: #"{{- define "name" -}}{{ .Name }}-app{{- end -}}"#)
        try set.parse(name: "chart/templates/a.yaml", text: #"name: {{ include "name" . | printf "%q" }}"#)
        #expect(set.hasTemplate("name"))
        #expect(try set.execute(name: "chart/templates/a.yaml", data: .map(["Name": .string("web")])) == #"name: "web-app""#)
    }

    @Test func includeRecursionStops() throws {
        let set = Self.makeSet()
        try set.parse(name: "base", text: #"{{define "recursion"}}{{include "recursion" .}}{{end}}{{include "recursion" .}}"#)
        #expect {
            _ = try set.execute(name: "base", data: .null)
        } throws: { error in
            (error as? TemplateError)?.message.hasSuffix("rendering template has a nested reference name: recursion: unable to execute template") == true
        }
    }

    @Test func includeOfAnUnknownTemplateNamesTheRoot() throws {
        let set = Self.makeSet()
        try set.parse(name: "svc.yaml", text: #"name: {{ include "missing" . }}"#)
        #expect(throws: TemplateError(#"template: svc.yaml:1:9: executing "svc.yaml" at <include "missing" .>: error calling include: template: no template "missing" associated with template "gotpl""#)) {
            _ = try set.execute(name: "svc.yaml", data: .null)
        }
    }

    @Test func tplSeesDefinitions() throws {
        let set = Self.makeSet()
        try set.parse(name: "_helpers.tpl", text: #"{{define "x"}}X{{.}}{{end}}"#)
        try set.parse(name: "a", text: #"{{tpl "{{template \"x\" .}}+{{.}}" "v"}}"#)
        #expect(try set.execute(name: "a", data: .null) == "Xv+v")
    }

    @Test func missingKeys() throws {
        let data = TemplateValue.map(["a": .map(["b": .int(1, .int)]), "n": .null])
        func run(_ text: String, _ missingKey: TemplateSet.MissingKey) throws -> String {
            let set = Self.makeSet(.init(missingKey: missingKey))
            try set.parse(name: "t", text: text)
            return try set.execute(name: "t", data: data)
        }
        #expect(try run("{{.x}} {{.x.y}} {{.a.b}}", .default) == "<no value> <no value> 1")
        #expect(try run("{{.x}}", .zero) == "<no value>")
        // A present nil (or a zero-filled missing key) cannot be indexed further.
        #expect(throws: TemplateError(#"template: t:1:4: executing "t" at <.n.y>: nil pointer evaluating interface {}.y"#)) { try run("{{.n.y}}", .default) }
        #expect(throws: TemplateError(#"template: t:1:4: executing "t" at <.x.y>: nil pointer evaluating interface {}.y"#)) { try run("{{.x.y}}", .zero) }
        #expect(throws: TemplateError(#"template: t:1:2: executing "t" at <.x>: map has no entry for key "x""#)) { try run("{{.x}}", .error) }
    }

    @Test func outputIsBounded() throws {
        var limits = TemplateSet.Limits()
        limits.maxOutputBytes = 1000
        let set = Self.makeSet(.init(limits: limits))
        try set.parse(name: "t", text: "{{range 200}}0123456789{{end}}")
        #expect { _ = try set.execute(name: "t", data: .null) } throws: { error in
            (error as? TemplateError)?.message.contains("output exceeds 1000 bytes") == true
        }
    }

    @Test func stepsAreBounded() throws {
        var limits = TemplateSet.Limits()
        limits.maxSteps = 10_000
        let set = Self.makeSet(.init(limits: limits))
        try set.parse(name: "t", text: "{{range 1000000000}}{{end}}")
        #expect { _ = try set.execute(name: "t", data: .null) } throws: { error in
            (error as? TemplateError)?.message.contains("execution exceeded 10000 steps") == true
        }
    }

    @Test func templateDepthIsBounded() throws {
        let set = Self.makeSet()
        try set.parse(name: "t", text: #"{{define "loop"}}{{template "loop" .}}{{end}}{{template "loop" .}}"#)
        #expect { _ = try set.execute(name: "t", data: .null) } throws: { error in
            (error as? TemplateError)?.message.contains("exceeded maximum template depth (10000)") == true
        }
    }

    @Test func expressionNestingIsBounded() throws {
        let set = Self.makeSet()
        let deep = String(repeating: "(", count: 1500) + "1" + String(repeating: ")", count: 1500)
        #expect { try set.parse(name: "t", text: "{{" + deep + "}}") } throws: { error in
            (error as? TemplateError)?.message.contains("max expression depth exceeded") == true
        }
        let fine = String(repeating: "(", count: 500) + "1" + String(repeating: ")", count: 500)
        try set.parse(name: "u", text: "{{" + fine + "}}")
        #expect(try set.execute(name: "u", data: .null) == "1")
    }

    @Test func goErrorLocations() throws {
        let set = Self.makeSet()
        try set.parse(name: "t", text: "a\n  {{ 3 | len }}")
        #expect(throws: TemplateError(#"template: t:2:9: executing "t" at <len>: error calling len: len of type int"#)) {
            _ = try set.execute(name: "t", data: .null)
        }
        #expect(throws: TemplateError(#"template: p:1: function "nope" not defined"#)) { try set.parse(name: "p", text: "{{nope}}") }
    }
}

extension TemplateSetTests {
    @Test func trimMarkersNeedASpace() throws {
        let set = Self.makeSet()
        try set.parse(name: "t", text: "a {{-3}} b {{- 3 -}} c")
        #expect(try set.execute(name: "t", data: .null) == "a -3 b3c")
    }

    @Test func complexConstantsAreRejected() throws {
        let set = Self.makeSet()
        try set.parse(name: "t", text: "{{1+2i}}")
        #expect { _ = try set.execute(name: "t", data: .null) } throws: { error in
            (error as? TemplateError)?.message.contains("complex constants are not supported") == true
        }
    }

    @Test func timesPrintLikeGo() {
        let time = TemplateValue.time(seconds: 1_560_458_379, nanoseconds: 500, zone: .init(name: "CEST", offsetSeconds: 7200))
        #expect(GoFormat.string(time) == "2019-06-13 22:39:39.0000005 +0200 CEST")
    }
}

extension TemplateSetTests {
    @Test func integerKeyedMapsInNumericOrder() throws {
        let map = TemplateValue.map(["10": .string("b"), "2": .string("a")], type: .init(key: "int", element: "string"))
        #expect(GoFormat.string(map) == "map[2:a 10:b]")
        let set = Self.makeSet()
        try set.parse(name: "t", text: "{{range $k, $v := .}}{{printf \"%T\" $k}}{{$k}}={{$v}} {{end}}")
        #expect(try set.execute(name: "t", data: map) == "int2=a int10=b ")
    }

    /// A whitespace-only `tpl` text runs as empty even where the set keeps an earlier
    /// non-empty template of that name (Go runs the new object's own tree).
    @Test func nestedEmptyTplRunsItsOwnTree() throws {
        let tpl = TemplateFunction(arity: .exactly(2)) { context, arguments throws(TemplateError) in
            guard case .string(let text) = arguments[0] else { return .null }
            let copy = context.set.clone()
            try copy.parse(name: copy.name, text: text)
            return .string(try context.executeParsed(name: copy.name, data: arguments[1], in: copy))
        }
        let set = TemplateSet(name: "gotpl", functions: ["tpl": tpl])
        try set.parse(name: "a", text: #"[{{tpl "<{{tpl \" \" .}}>" .}}]"#)
        #expect(try set.execute(name: "a", data: .null) == "[< >]")
    }
}

extension TemplateSetTests {
    @Test func outputSpansPointAtTemplateLines() throws {
        let set = Self.makeSet()
        try set.parse(name: "_helpers.tpl", text: "{{define \"labels\"}}app: {{ .name }}\n{{end}}")
        try set.parse(name: "deploy.yaml", text: "kind: Deployment\nmetadata:\n  {{- template \"labels\" . }}\nreplicas: {{ .replicas }}\n")
        let (output, spans) = try set.executeWithSpans(name: "deploy.yaml", data: .map(["name": .string("web"), "replicas": .float(3)]))
        #expect(output == "kind: Deployment\nmetadata:app: web\n\nreplicas: 3\n")
        let described = spans.map { "\($0.offset) \($0.file):\($0.line):\($0.column) \($0.template) \($0.isText ? "text" : "action")" }
        #expect(described == [
            "0 deploy.yaml:1:0 deploy.yaml text",
            "26 _helpers.tpl:1:19 labels text",
            "31 _helpers.tpl:1:27 labels action",
            "34 _helpers.tpl:1:35 labels text",
            "35 deploy.yaml:3:28 deploy.yaml text",
            "46 deploy.yaml:4:13 deploy.yaml action",
            "47 deploy.yaml:4:25 deploy.yaml text",
        ])
    }
}

/// Spans through `include` and `tpl`: the printed text keeps the positions it had where it was
/// written, re-based past the indentation `nindent` adds.
extension TemplateSetTests {
    /// Where the byte at `needle`'s first occurrence was written, as `HelmStage` reads spans:
    /// `file:line:column`, plus the values path of an action's piece.
    static func origin(of needle: String, in output: String, _ spans: [TemplateOutputSpan]) -> String {
        let bytes = Array(output.utf8)
        guard let range = output.range(of: needle) else { return "\(needle) not printed" }
        let offset = output.utf8.distance(from: output.startIndex, to: range.lowerBound)
        guard let span = spans.last(where: { $0.offset <= offset }) else { return "no span" }
        var line = span.line, column = span.column + (offset - span.offset)
        if span.isText {
            for index in span.offset..<offset where bytes[index] == UInt8(ascii: "\n") {
                line += 1
                column = offset - index - 1
            }
        }
        let values = span.valuesPath.map { " " + $0.joined(separator: ".") } ?? ""
        return span.isText ? "\(span.file):\(line):\(column)" : "\(span.file):\(span.line):\(span.column) action\(values)"
    }

    /// A set with Helm's functions (Sprig's, `include`, `tpl`).
    static func helmSet() -> TemplateSet {
        TemplateSet(name: "gotpl", functions: HelmEngineFunctions.table(options: .init()))
    }

    static let labels = """
        {{- define "labels" -}}
        app: {{ .name }}
        tier: web
        {{- end }}
        {{- define "resources" -}}
        {{ toYaml .resources }}
        {{- end }}
        """

    @Test func includedTextKeepsItsLinesThroughNindent() throws {
        let set = Self.helmSet()
        try set.parse(name: "_helpers.tpl", text: Self.labels)
        try set.parse(name: "deploy.yaml", text: "metadata:\n  labels:\n    {{- include \"labels\" . | nindent 4 }}\nspec:\n  replicas: 1\n")
        let (output, spans) = try set.executeWithSpans(name: "deploy.yaml", data: .map(["name": .string("web")]))
        #expect(output == "metadata:\n  labels:\n    app: web\n    tier: web\nspec:\n  replicas: 1\n")
        #expect(Self.origin(of: "app:", in: output, spans) == "_helpers.tpl:2:0")
        #expect(Self.origin(of: "web\n    tier", in: output, spans) == "_helpers.tpl:2:8 action")
        #expect(Self.origin(of: "tier:", in: output, spans) == "_helpers.tpl:3:0")
        #expect(Self.origin(of: "spec:", in: output, spans) == "deploy.yaml:4:0")
        #expect(Self.origin(of: "replicas", in: output, spans) == "deploy.yaml:5:2")
    }

    @Test func valuesPrintedInsideAnIncludeKeepTheirPath() throws {
        let set = Self.helmSet()
        try set.parse(name: "_helpers.tpl", text: "{{- define \"limits\" -}}\nmemory: {{ .Values.memory }}\ncpu: 1\n{{- end }}")
        try set.parse(name: "deploy.yaml", text: "resources:\n  limits: {{- include \"limits\" . | nindent 4 }}\n")
        let (output, spans) = try set.executeWithSpans(name: "deploy.yaml", data: .map(["Values": .map(["memory": .string("1Gi")])]))
        #expect(output == "resources:\n  limits:\n    memory: 1Gi\n    cpu: 1\n")
        #expect(Self.origin(of: "1Gi", in: output, spans) == "_helpers.tpl:2:11 action memory")
        #expect(Self.origin(of: "cpu", in: output, spans) == "_helpers.tpl:3:0")
    }

    @Test func nestedIncludesAndTrimKeepTheInnermostLines() throws {
        let set = Self.helmSet()
        try set.parse(name: "_helpers.tpl", text: Self.labels + "\n{{- define \"all\" }}\n{{ include \"labels\" . }}\n{{ end }}")
        try set.parse(name: "deploy.yaml", text: "labels:\n  {{- include \"all\" . | trim | nindent 2 }}\nkind: x\n")
        let (output, spans) = try set.executeWithSpans(name: "deploy.yaml", data: .map(["name": .string("web")]))
        #expect(output == "labels:\n  app: web\n  tier: web\nkind: x\n")
        #expect(Self.origin(of: "app:", in: output, spans) == "_helpers.tpl:2:0")
        #expect(Self.origin(of: "tier:", in: output, spans) == "_helpers.tpl:3:0")
        #expect(Self.origin(of: "kind", in: output, spans) == "deploy.yaml:3:0")
    }

    @Test func unrecognisableIncludedTextIsTheAction() throws {
        let set = Self.helmSet()
        try set.parse(name: "_helpers.tpl", text: Self.labels)
        try set.parse(name: "deploy.yaml", text: "labels:\n  {{- include \"labels\" . | upper | nindent 2 }}\n")
        let (output, spans) = try set.executeWithSpans(name: "deploy.yaml", data: .map(["name": .string("web")]))
        #expect(output == "labels:\n  APP: WEB\n  TIER: WEB\n")
        #expect(Self.origin(of: "TIER", in: output, spans) == "deploy.yaml:2:6 action")
    }

    @Test func tplTextIsTheActionButItsValuesKeepTheirPath() throws {
        let set = Self.helmSet()
        try set.parse(name: "deploy.yaml", text: "annotations:\n  {{- tpl .Values.annotations . | nindent 2 }}\n")
        let data = TemplateValue.map(["Values": .map(["annotations": .string("a: {{ .Values.b }}\nc: d"), "b": .string("x")])])
        let (output, spans) = try set.executeWithSpans(name: "deploy.yaml", data: data)
        #expect(output == "annotations:\n  a: x\n  c: d\n")
        #expect(Self.origin(of: "a:", in: output, spans) == "deploy.yaml:2:6 action")
        #expect(Self.origin(of: "x\n", in: output, spans) == "deploy.yaml:2:6 action b")
        #expect(Self.origin(of: "c:", in: output, spans) == "deploy.yaml:2:6 action")
    }

    /// bitnami's `common.tplvalues.render`: the value reaches the define through `dict` and is
    /// printed from a variable; the piece printing exactly its YAML is the handing action's, with
    /// the values path.
    @Test func valuesHandedThroughDictKeepTheirPath() throws {
        let set = Self.helmSet()
        try set.parse(name: "_helpers.tpl", text: """
            {{- define "render" -}}
            {{- $value := typeIs "string" .value | ternary .value (.value | toYaml) }}
            {{- $value }}
            {{- end -}}
            {{- define "labels" -}}
            {{ toYaml (merge (dict "app" "web") .custom) }}
            {{- end -}}
            """)
        try set.parse(name: "deploy.yaml", text: """
            affinity: {{- include "render" (dict "value" .Values.affinity "context" $) | nindent 2 }}
            labels: {{- include "labels" (dict "custom" .Values.labels "context" $) | nindent 2 }}

            """)
        let values = TemplateValue.map(["affinity": .map(["nodeAffinity": .map(["weight": .float(1)])]), "labels": .map(["team": .string("a")])])
        let (output, spans) = try set.executeWithSpans(name: "deploy.yaml", data: .map(["Values": values]))
        #expect(output == "affinity:\n  nodeAffinity:\n    weight: 1\nlabels:\n  app: web\n  team: a\n")
        #expect(Self.origin(of: "weight", in: output, spans) == "deploy.yaml:1:14 action affinity")
        // The merged labels are not the values handed in: no path.
        #expect(Self.origin(of: "team", in: output, spans) == "_helpers.tpl:6:3 action")
    }
}

extension TemplateSetTests {
    /// Included text that almost matches the printed text at every line (hostile: quadratic to
    /// align naively) is given up on after a few comparisons per line; text found at once is not.
    @Test func alignmentGivesUpOnRepetitiveText() {
        let included = LineTable(Array((String(repeating: "a\n", count: 20) + "b").utf8))
        let indented = LineTable(Array(("\n" + String(repeating: "  a\n", count: 20) + "  b").utf8))
        #expect(included.alignment(in: indented, from: 0)?.map(\.printedLine) == Array(1...21))
        let late = LineTable(Array((String(repeating: "a\n", count: 1000) + String(repeating: "a\n", count: 20) + "b").utf8))
        #expect(included.alignment(in: late, from: 0) == nil)
    }
}
