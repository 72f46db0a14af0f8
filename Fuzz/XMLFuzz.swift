// libFuzzer target: the XML reader, and the Service Fabric and Cloud Services frontends on it.

@testable import HAAuditKit

@_cdecl("LLVMFuzzerTestOneInput")
public func xmlFuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let root = try? XMLReader().read(bytes) else { return 0 }
    var topology = Topology()
    var diagnostics: [Diagnostic] = []
    var serviceFabric = ServiceFabricFrontend(profiles: ProfileSelection(requested: []))
    var cloudServices = CloudServicesFrontend(profiles: ProfileSelection(requested: []))
    let document = XMLSourceDocument(path: "App/ApplicationPackageRoot/ApplicationManifest.xml", root: root)
    _ = serviceFabric.claim(document) || cloudServices.claim(document)
    serviceFabric.lower(into: &topology, diagnostics: &diagnostics)
    cloudServices.lower(into: &topology, diagnostics: &diagnostics)
    return 0
}
