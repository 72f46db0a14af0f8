// libFuzzer target: the CloudFormation evaluator and lowering, on whatever parses as a template.

@testable import HAAuditFrontends
import HAAuditModel
@testable import HAAuditReaders

@_cdecl("LLVMFuzzerTestOneInput")
public func cloudFormationFuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let syntax = DocumentSyntax.detect(path: "fuzz.template", bytes: bytes)
    for root in (try? syntax.reader().read(bytes)) ?? [] where root.isMapping {
        let document = SourceDocument(path: "fuzz.template", root: root)
        guard let template = Template(document) else { continue }
        for resource in template.resources {
            for entry in resource.properties?.entries ?? [] {
                _ = template.evaluate(entry.value)
                _ = template.referencedResources(in: entry.value)
            }
        }
        for name in template.conditions.keys { _ = template.condition(name) }
        var lowered = LoweredDocument()
        if CloudFormationFrontend.lower(document, into: &lowered) {
            var topology = Topology()
            CloudFormationFrontend.assemble([lowered], into: &topology)
        }
    }
    return 0
}
