import ArgumentParser

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes a report to standard output, or to a file, so that a report is never lost silently:
/// a write that fails (a full disk, `/dev/full`, a closed standard output, a reader gone from
/// the pipe) is an error on standard error and exit 2.
///
/// A regular file (or a new one) is replaced atomically: a temporary file in the folder of the
/// file itself, at the end of any symbolic links (which stay links), then a rename, so that a
/// reader never sees half a report. Anything else (`/dev/null`, `/dev/stdout`, a named pipe,
/// any path through `/dev/` or `/proc/`) is written in place: renaming over it would replace
/// the device, the descriptor's link or the pipe with a file.
func emit(_ report: String, to path: String?) throws {
    guard let path else {
        guard writeAll(report, to: 1) else { throw writeFailure("standard output") }
        return
    }
    guard case .replacing(let target, let mode) = try OutputDestination(path) else {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard descriptor >= 0, writeAll(report, andClose: descriptor) else { throw writeFailure(path) }
        return
    }
    let temporary = target + ".haaudit-\(getpid()).tmp"
    // O_EXCL and O_NOFOLLOW: a link planted at the temporary name is never written through.
    let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0o644)
    guard descriptor >= 0 else { throw writeFailure(path) }
    if let mode { _ = fchmod(descriptor, mode) }
    guard writeAll(report, andClose: descriptor), rename(temporary, target) == 0 else {
        let failure = writeFailure(path)
        unlink(temporary)
        throw failure
    }
}

/// Writes all of `text` to `descriptor` and closes it; false when either fails.
private func writeAll(_ text: String, andClose descriptor: Int32) -> Bool {
    let written = writeAll(text, to: descriptor)
    return close(descriptor) == 0 && written
}

/// Where `--output` writes, decided once its symbolic links are followed to their end.
enum OutputDestination {
    /// Written where it is (a device, a pipe, a descriptor).
    case inPlace
    /// A regular file (or none yet) at `target`, replaced by a rename; `mode` keeps its permissions.
    case replacing(target: String, mode: mode_t?)

    init(_ path: String) throws {
        var current = path
        for _ in 0..<40 {
            // Devices and descriptors (/dev/stdout is a link to /proc/self/fd/1, which is a link to
            // the file or the pipe the shell opened) are only ever written in place.
            if current.hasPrefix("/dev/") || current.hasPrefix("/proc/") {
                self = .inPlace
                return
            }
            var info = stat()
            guard lstat(current, &info) == 0 else {
                guard errno == ENOENT else { throw writeFailure(path) }
                self = .replacing(target: current, mode: nil)
                return
            }
            switch info.st_mode & S_IFMT {
            case S_IFLNK:
                guard let link = Self.readLink(current) else { throw writeFailure(path) }
                current = link.hasPrefix("/") ? link : Self.folder(of: current) + link
            case S_IFREG:
                self = .replacing(target: current, mode: info.st_mode & 0o7777)
                return
            default:
                self = .inPlace
                return
            }
        }
        errno = ELOOP
        throw writeFailure(path)
    }

    private static func folder(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "" }
        return String(path[...slash])
    }

    private static func readLink(_ path: String) -> String? {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = readlink(path, &buffer, buffer.count - 1)
        guard count >= 0 else { return nil }
        return String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

/// Writes all of `text` to `descriptor`; false when the system refuses part of it. The text's
/// own UTF-8 is written without a copy (a report of many findings is megabytes).
func writeAll(_ text: String, to descriptor: Int32) -> Bool {
    var text = text
    return text.withUTF8 { bytes in
        var written = 0
        while written < bytes.count {
            let count = write(descriptor, bytes.baseAddress! + written, bytes.count - written)
            if count < 0 {
                if errno == EINTR { continue }
                return false
            }
            written += count
        }
        return true
    }
}

/// Reports the failure `errno` holds and ends the command with exit 2.
func writeFailure(_ destination: String) -> ExitCode {
    writeToStandardError("error: cannot write \(destination): \(String(cString: strerror(errno)))\n")
    return ExitCode(2)
}

/// Makes writes fail rather than end the process or go astray: SIGPIPE is ignored, so that a
/// reader gone from the pipe is the error EPIPE; a standard descriptor the caller closed is held
/// by a /dev/null opened the other way round, so that writing to it still fails (EBADF) and no
/// file opened later takes its number and receives the report by mistake.
func guardStandardDescriptors() {
    signal(SIGPIPE, SIG_IGN)
    for descriptor: Int32 in 0...2 where fcntl(descriptor, F_GETFD) < 0 {
        let held = open("/dev/null", descriptor == 0 ? O_WRONLY : O_RDONLY)
        if held >= 0 && held != descriptor {
            dup2(held, descriptor)
            close(held)
        }
    }
}
