// libFuzzer target: the YAML and JSON readers, and the YAML fast path against libyaml. Built by scripts/fuzz with the library's sources.

@testable import HAAuditFrontends
import HAAuditModel
@testable import HAAuditReaders

@_cdecl("LLVMFuzzerTestOneInput")
public func readerFuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    for document in (try? YAMLReader(limits: ReaderLimits()).read(bytes)) ?? [] { touch(document) }
    checkFastPathAgreesWithLibyaml(bytes)
    for document in (try? JSONReader(limits: ReaderLimits()).read(bytes)) ?? [] { touch(document) }
    return 0
}

/// Walks every node through the accessors frontends use.
private func touch(_ node: Node, depth: Int = 0) {
    guard depth < 64 else { return }
    _ = (node.position, node.tag, node.string, node.int, node.bool, node.isNull)
    for entry in node.entries {
        _ = node[entry.key.scalar ?? ""]
        touch(entry.value, depth: depth + 1)
    }
    for item in node.items { touch(item, depth: depth + 1) }
}

/// Where the fast path accepts an input, libyaml must read it too, into the same tree.
private func checkFastPathAgreesWithLibyaml(_ bytes: [UInt8]) {
    guard let fast = bytes.withUnsafeBufferPointer({ YAMLFastPath.read($0, maxDepth: ReaderLimits().maxDepth) }) else { return }
    guard let reference = try? YAMLReader(limits: ReaderLimits()).readWithLibyaml(bytes) else {
        fatalError("the fast path accepted what libyaml rejects: \(String(decoding: bytes, as: UTF8.self).debugDescription)")
    }
    let fastOutline = fast.map(\.outline), referenceOutline = reference.map(\.outline)
    if fastOutline != referenceOutline {
        fatalError("the fast path built another tree than libyaml:\n\(fastOutline.joined(separator: "\n---\n"))\nlibyaml:\n\(referenceOutline.joined(separator: "\n---\n"))")
    }
}
