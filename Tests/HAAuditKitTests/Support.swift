import Foundation

/// The package's root folder, found from this file's path, so tests can read fixtures/ and policies/.
let packageRoot: String = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().path
