import Foundation
import Testing

/// The package's root folder, found from this file's path, so tests can read fixtures/ and policies/.
let packageRoot: String = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().path

/// `../shared` (the public corpus, the acceptance cases, the SARIF schema) sits beside the
/// repository in CI, not in a plain clone: the tests that read it are skipped, visibly, without it.
let sharedAvailable = FileManager.default.fileExists(atPath: "\(packageRoot)/../shared/corpus")
    && FileManager.default.fileExists(atPath: "\(packageRoot)/../shared/schemas")
let needsShared: Comment = "needs ../shared (the corpus and the SARIF schema beside the repository, as in CI)"

/// What a run of the built binary printed and returned.
struct HAAuditRun {
    var status: Int32
    var stdout: String
    var stderr: String
}

/// The haaudit executable built beside this test bundle (the test target depends on it, so
/// `swift test` builds it).
let haauditBinary: String = {
    let bundle = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
    return bundle.appendingPathComponent("haaudit").path
}()

/// Runs the built binary the way users and CI do.
func runHAAudit(_ arguments: [String], in directory: String = packageRoot, stdin: String? = nil,
                environment: [String: String] = ["NO_COLOR": "1"]) throws -> HAAuditRun {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: haauditBinary)
    process.arguments = arguments
    process.currentDirectoryURL = URL(fileURLWithPath: directory)
    process.environment = environment
    let out = Pipe(), err = Pipe(), input = Pipe()
    process.standardOutput = out
    process.standardError = err
    process.standardInput = input
    try process.run()
    if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
    try input.fileHandleForWriting.close()
    let stdout = out.fileHandleForReading.readDataToEndOfFile()
    let stderr = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return HAAuditRun(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                      stderr: String(decoding: stderr, as: UTF8.self))
}

/// A fresh folder under the temporary directory, removed by the caller.
func temporaryFolder() throws -> URL {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("haaudit-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    return folder
}

/// Runs a program to completion, for the Python helpers in scripts/.
func runProgram(_ path: String, _ arguments: [String]) throws -> HAAuditRun {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: path)
    process.arguments = arguments
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    let stdout = out.fileHandleForReading.readDataToEndOfFile()
    let stderr = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return HAAuditRun(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                      stderr: String(decoding: stderr, as: UTF8.self))
}

/// A time limit of a test, in seconds, scaled by `HAAUDIT_TIME_SCALE` (scripts/tsan sets it: under
/// ThreadSanitizer everything runs many times slower, and the limits are about complexity, not
/// about the sanitizer's overhead).
func timeBound(_ seconds: Double) -> Double {
    seconds * (ProcessInfo.processInfo.environment["HAAUDIT_TIME_SCALE"].flatMap(Double.init) ?? 1)
}
