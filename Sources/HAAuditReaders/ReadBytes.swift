import HAAuditModel

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The largest file any reader takes, whatever `--max-file-size` says: a tree stores offsets
/// as `Int32` and holds the file with the scalars it rewrites (at most as long again), so twice
/// this still fits.
public let largestReadableFile = Int(Int32.max) / 2

/// Reads a whole file, or standard input for `-`, refusing files over `maxBytes` (or over
/// `largestReadableFile`) before reading them.
package func readBytes(of file: InputFile, maxBytes: Int) -> Result<[UInt8], ReadError> {
    let descriptor = file.openPath == "-" ? 0 : open(file.openPath, O_RDONLY)
    guard descriptor >= 0 else {
        return .failure(ReadError(message: "cannot open: \(String(cString: strerror(errno)))", position: Position(line: 1, column: 1)))
    }
    defer { if descriptor != 0 { close(descriptor) } }
    let limit = min(maxBytes, largestReadableFile)
    func tooLarge(_ subject: String) -> Result<[UInt8], ReadError> {
        let reason = maxBytes <= largestReadableFile ? "the limit of \(maxBytes) (--max-file-size)"
            : "the \(largestReadableFile) bytes (1 GiB) haaudit reads at most"
        return .failure(ReadError(message: "\(subject) larger than \(reason)", position: Position(line: 1, column: 1)))
    }
    var bytes: [UInt8] = []
    var chunkSize = 1 << 16
    var info = stat()
    if fstat(descriptor, &info) == 0, info.st_mode & S_IFMT == S_IFREG {
        guard info.st_size <= limit else { return tooLarge("file is \(info.st_size) bytes,") }
        let size = Int(info.st_size)
        // A regular file is read straight into its array, in one call when it has not changed
        // size since `fstat` (nearly always): no buffer to clear and copy, no call that reads 0.
        var count = 0
        bytes = [UInt8](unsafeUninitializedCapacity: size) { buffer, initialized in
            count = read(descriptor, buffer.baseAddress, size)
            initialized = max(count, 0)
        }
        // (An empty size may still have content: files in /proc say 0.)
        if count == size && size > 0 { return .success(bytes) }
        if count < 0 && errno != EINTR {
            return .failure(ReadError(message: "cannot read: \(String(cString: strerror(errno)))", position: Position(line: 1, column: 1)))
        }
        chunkSize = min(chunkSize, size + 1)
    }
    var chunk = [UInt8](repeating: 0, count: chunkSize)
    while true {
        let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
        if count == 0 { break }
        if count < 0 {
            if errno == EINTR { continue }
            return .failure(ReadError(message: "cannot read: \(String(cString: strerror(errno)))", position: Position(line: 1, column: 1)))
        }
        bytes.append(contentsOf: chunk[0..<count])
        guard bytes.count <= limit else { return tooLarge("input is") }
    }
    return .success(bytes)
}
