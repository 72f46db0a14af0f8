/// Folder arithmetic on paths as written: how discovery finds companion files, the
/// configuration its folder, and the XML frontends the parameter files and configurations
/// that belong together.
package enum PathParts {
    package static func directory(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "" }
        return String(path[..<slash])
    }

    package static func fileName(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return path }
        return String(path[path.index(after: slash)...])
    }

    /// The file name without its extension: the profile a parameter file stands for.
    package static func stem(_ path: String) -> String {
        let name = fileName(path.replacingBackslashes())
        guard let dot = name.lastIndex(of: ".") else { return name }
        return String(name[..<dot])
    }
}

extension String {
    /// Windows paths (`..\\ApplicationParameters\\Cloud.xml`) as forward-slash paths.
    func replacingBackslashes() -> String {
        String(map { $0 == "\\" ? "/" : $0 })
    }
}
