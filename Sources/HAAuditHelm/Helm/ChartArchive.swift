import CZlib

/// Reads a chart archive (`.tgz`: a gzip'd tar) in memory, within limits that make a hostile
/// archive (a zip bomb, millions of entries) end in an error instead of exhausting memory.
public enum ChartArchive {
    public struct Limits: Sendable {
        /// Helm's own caps (`loader.MaxDecompressedChartSize`, `MaxDecompressedFileSize`).
        public var maxTotalBytes = 100 << 20
        public var maxFileBytes = 5 << 20
        public var maxEntries = 10_000
        /// Output at most this many times the compressed size (past the first MiB): charts
        /// compress 5-20 times, bombs a thousand times.
        public var maxRatio = 200
        public init() {}
    }

    public struct ArchiveError: Error, Sendable, Equatable, CustomStringConvertible {
        public var message: String
        public var description: String { message }
    }

    /// The files of the archive, regular files only, by path inside the archive.
    public static func files(_ compressed: [UInt8], limits: Limits = Limits()) throws(ArchiveError) -> [(name: String, data: [UInt8])] {
        let tar = try gunzip(compressed, limits: limits)
        return try entries(tar, limits: limits)
    }

    static func gunzip(_ compressed: [UInt8], limits: Limits) throws(ArchiveError) -> [UInt8] {
        let budget = min(limits.maxTotalBytes + 1024 * (limits.maxEntries + 2), max(1 << 20, compressed.count * limits.maxRatio))
        var stream = z_stream()
        // 15 + 32: a zlib window of 2^15 and automatic gzip header detection.
        guard inflateInit2_(&stream, 15 + 32, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw ArchiveError(message: "zlib could not start")
        }
        defer { inflateEnd(&stream) }
        var output: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        var input = compressed
        let status: Int32 = input.withUnsafeMutableBufferPointer { inputBuffer in
            stream.next_in = inputBuffer.baseAddress
            stream.avail_in = uInt(inputBuffer.count)
            while true {
                let result: Int32 = chunk.withUnsafeMutableBufferPointer { chunkBuffer in
                    stream.next_out = chunkBuffer.baseAddress
                    stream.avail_out = uInt(chunkBuffer.count)
                    return inflate(&stream, Z_NO_FLUSH)
                }
                let produced = chunk.count - Int(stream.avail_out)
                output.append(contentsOf: chunk[0..<produced])
                if output.count > budget { return -100 }
                switch result {
                case Z_STREAM_END: return Z_STREAM_END
                case Z_OK: if produced == 0 && stream.avail_in == 0 { return Z_BUF_ERROR }
                default: return result
                }
            }
        }
        switch status {
        case Z_STREAM_END: return output
        case -100:
            throw ArchiveError(message: "archive expands past \(budget) bytes (\(compressed.count) compressed): refused as a possible zip bomb")
        case Z_BUF_ERROR: throw ArchiveError(message: "archive is truncated")
        default:
            let message = stream.msg.map { String(cString: $0) } ?? "error \(status)"
            throw ArchiveError(message: "archive is not gzip data: \(message)")
        }
    }

    /// The regular files of a tar (ustar, with GNU long names and pax `path` records).
    static func entries(_ tar: [UInt8], limits: Limits) throws(ArchiveError) -> [(name: String, data: [UInt8])] {
        var files: [(name: String, data: [UInt8])] = []
        var offset = 0
        var total = 0
        var longName: String?
        var headers = 0
        while offset + 512 <= tar.count {
            let headerStart = offset
            let header = tar[offset..<offset + 512]
            if header.allSatisfy({ $0 == 0 }) { break }
            headers += 1
            guard headers <= limits.maxEntries * 2 else {
                throw ArchiveError(message: "archive has more than \(limits.maxEntries) entries")
            }
            guard let size = octal(tar[offset + 124..<offset + 136]) else {
                throw ArchiveError(message: "archive has a corrupt tar header at byte \(offset)")
            }
            let type = tar[offset + 156]
            let start = offset + 512
            guard size <= tar.count - start else { throw ArchiveError(message: "archive is truncated") }
            let body = Array(tar[start..<start + size])
            offset = start + (size + 511) / 512 * 512
            switch type {
            case UInt8(ascii: "L"):
                longName = String(decoding: body.prefix { $0 != 0 }, as: UTF8.self)
                continue
            case UInt8(ascii: "x"):
                longName = paxPath(body) ?? longName
                continue
            case UInt8(ascii: "0"), 0, UInt8(ascii: "7"):
                break
            default:
                longName = nil
                continue
            }
            var name = longName ?? headerName(header, base: headerStart)
            longName = nil
            if name.hasPrefix("./") { name.removeFirst(2) }
            guard size <= limits.maxFileBytes else {
                throw ArchiveError(message: "archive file \(name) is \(size) bytes, over the \(limits.maxFileBytes) a chart file may have")
            }
            total += size
            guard total <= limits.maxTotalBytes else {
                throw ArchiveError(message: "archive holds more than \(limits.maxTotalBytes) bytes")
            }
            guard files.count < limits.maxEntries else {
                throw ArchiveError(message: "archive has more than \(limits.maxEntries) entries")
            }
            files.append((name, body))
        }
        return files
    }

    /// `prefix/name` of a ustar header (the prefix field exists only with the `ustar` magic).
    private static func headerName(_ header: ArraySlice<UInt8>, base: Int) -> String {
        func field(_ from: Int, _ length: Int) -> String {
            String(decoding: header[base + from..<base + from + length].prefix { $0 != 0 }, as: UTF8.self)
        }
        let name = field(0, 100)
        let isUstar = header[base + 257..<base + 262].elementsEqual("ustar".utf8)
        let prefix = isUstar ? field(345, 155) : ""
        return prefix.isEmpty ? name : prefix + "/" + name
    }

    /// A pax extended header's `path` record (`"27 path=some/long/name\n"`).
    private static func paxPath(_ body: [UInt8]) -> String? {
        let text = String(decoding: body, as: UTF8.self)
        for record in text.split(separator: "\n") {
            guard let space = record.firstIndex(of: " ") else { continue }
            let pair = record[record.index(after: space)...]
            if pair.hasPrefix("path=") { return String(pair.dropFirst(5)) }
        }
        return nil
    }

    /// A tar number: octal digits padded with spaces or NULs (base-256 sizes are refused).
    private static func octal(_ field: ArraySlice<UInt8>) -> Int? {
        let digits = field.filter { $0 != 0 && $0 != UInt8(ascii: " ") }
        guard digits.count <= 12, digits.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "7") }) else { return nil }
        return digits.reduce(0) { $0 * 8 + Int($1 - UInt8(ascii: "0")) }
    }
}
