// libFuzzer target: the XML reader, and the Service Fabric and Cloud Services frontends on it.

@testable import HAAuditFrontends
import HAAuditModel
@testable import HAAuditReaders

@_cdecl("LLVMFuzzerTestOneInput")
public func xmlFuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let root = try? XMLReader().read(bytes) else { return 0 }
    var topology = Topology()
    var diagnostics: [Diagnostic] = []
    let settings = FrontendSettings(profiles: ProfileSelection(requested: []), jobs: 1)
    let document = XMLSourceDocument(path: "App/ApplicationPackageRoot/ApplicationManifest.xml", root: root)
    var lowered = LoweredDocument()
    if ServiceFabricFrontend.lower(document, into: &lowered) {
        var serviceFabric = ServiceFabricFrontend(settings: settings)
        serviceFabric.add(lowered, to: &topology)
        serviceFabric.link(&topology, diagnostics: &diagnostics)
    } else if CloudServicesFrontend.lower(document, into: &lowered) {
        var cloudServices = CloudServicesFrontend(settings: settings)
        cloudServices.add(lowered, to: &topology)
        cloudServices.link(&topology, diagnostics: &diagnostics)
    }
    return 0
}
