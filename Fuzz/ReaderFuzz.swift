// libFuzzer target: the YAML and JSON readers. Built by scripts/fuzz with the library's sources.

@_cdecl("LLVMFuzzerTestOneInput")
public func readerFuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    for document in (try? YAMLReader(limits: ReaderLimits()).read(bytes)) ?? [] { touch(document) }
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
