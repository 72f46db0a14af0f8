#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Which files discovery takes: the extensions it reads in a folder, and the companion files an
/// XML template is read with.
extension Discovery {
    public static let extensions: Set<String> = ["yaml", "yml", "json", "template", "xml", "csdef", "cscfg"]
}

extension Discovery.Walk {
    /// The files an XML template is read with, even when only the template was named: a
    /// Service Fabric application's parameter files, publish profiles, startup services and
    /// application manifest, and the `.cscfg` configurations beside a Cloud Services `.csdef`.
    mutating func addCompanions() {
        for file in files where file.openPath.hasSuffix(".xml") || file.openPath.hasSuffix(".csdef") {
            let directory = PathParts.directory(file.openPath)
            let name = PathParts.fileName(file.openPath)
            if name == "ApplicationManifest.xml" || name == "StartupServices.xml" {
                // The application folder holds StartupServices.xml and ApplicationPackageRoot/.
                let application = name == "StartupServices.xml" ? directory : PathParts.directory(directory)
                guard enterCompanionFolder(application) else { continue }
                for folder in ["ApplicationParameters", "StartupServiceParameters", "PublishProfiles"] {
                    visitFiles(in: Self.join(application, folder), suffix: ".xml")
                }
                for companion in ["StartupServices.xml", "ApplicationPackageRoot/ApplicationManifest.xml"] {
                    let path = Self.join(application, companion)
                    var info = stat()
                    if stat(path, &info) == 0 { visit(path, explicit: false) }
                }
            } else if file.openPath.hasSuffix(".csdef") {
                guard enterCompanionFolder(directory) else { continue }
                visitFiles(in: directory, suffix: ".cscfg")
            }
        }
    }

    /// Makes the folder of a template's companions a root, which they are read from and
    /// anchored in; false when it does not exist.
    private mutating func enterCompanionFolder(_ folder: String) -> Bool {
        guard let real = Discovery.realPath(folder.isEmpty ? "." : folder) else { return false }
        if !roots.contains(real) { roots.append(real) }
        anchor = Discovery.anchor(of: real, configurationFolder: configurationFolder)
        return true
    }

    private mutating func visitFiles(in directory: String, suffix: String) {
        guard let handle = opendir(directory.isEmpty ? "." : directory) else { return }
        var names: [String] = []
        while let entry = readdir(handle) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(cString: raw.bindMemory(to: CChar.self).baseAddress!)
            }
            if name.hasSuffix(suffix), !name.hasPrefix(".") { names.append(name) }
        }
        closedir(handle)
        for name in names.sorted() { visit(Self.join(directory, name), explicit: false) }
    }

    /// Joins lexically, so that the same file reached two ways is one path.
    static func join(_ directory: String, _ name: String) -> String {
        directory.isEmpty ? name : normalize(directory + "/" + name, relative: !directory.hasPrefix("/"))
    }

    static func fileExtension(_ path: String) -> String {
        // On UTF-8 bytes: the dot and slash are ASCII, and a walk by characters costs more.
        let bytes = path.utf8
        guard let dot = bytes.lastIndex(of: UInt8(ascii: ".")), !bytes[dot...].contains(UInt8(ascii: "/")) else { return "" }
        return path[bytes.index(after: dot)...].lowercased()
    }
}
