import Synchronization

/// Sprig's `derivePassword`: the Master Password algorithm (scrypt of the master password,
/// HMAC-SHA256 of the site, a template of character classes), with scrypt written out here.
extension Sprig {
    /// Each call costs scrypt(N = 32768, r = 8, p = 2): 32 MB and a second of CPU in a debug
    /// build. A function table answers this many calls and then fails, so a hostile chart cannot
    /// loop it.
    static let maximumDerivedPasswords = 64

    static var passwordFunctions: TemplateFunctions {
        let calls = CallCounter()
        return table([
            fn("derivePassword", 5) { c throws(TemplateError) in
                let counter = try c.int(0)
                let (type, password, user, site) = (try c.string(1), try c.string(2), try c.string(3), try c.string(4))
                guard let templates = passwordTemplates[type] else { return .string("cannot find password template \(type)") }
                guard calls.count.add(1, ordering: .relaxed).newValue <= maximumDerivedPasswords else {
                    throw c.failure("derivePassword: more than \(maximumDerivedPasswords) calls")
                }
                return .string(derivePassword(UInt32(truncatingIfNeeded: counter), templates, password, user, site))
            },
        ])
    }

    private final class CallCounter: Sendable {
        let count = Atomic<Int>(0)
    }

    private static let passwordTemplates: [String: [String]] = [
        "maximum": ["anoxxxxxxxxxxxxxxxxx", "axxxxxxxxxxxxxxxxxno"],
        "long": [
            "CvcvnoCvcvCvcv", "CvcvCvcvnoCvcv", "CvcvCvcvCvcvno", "CvccnoCvcvCvcv", "CvccCvcvnoCvcv", "CvccCvcvCvcvno",
            "CvcvnoCvccCvcv", "CvcvCvccnoCvcv", "CvcvCvccCvcvno", "CvcvnoCvcvCvcc", "CvcvCvcvnoCvcc", "CvcvCvcvCvccno",
            "CvccnoCvccCvcv", "CvccCvccnoCvcv", "CvccCvccCvcvno", "CvcvnoCvccCvcc", "CvcvCvccnoCvcc", "CvcvCvccCvccno",
            "CvccnoCvcvCvcc", "CvccCvcvnoCvcc", "CvccCvcvCvccno",
        ],
        "medium": ["CvcnoCvc", "CvcCvcno"],
        "short": ["Cvcn"],
        "basic": ["aaanaaan", "aannaaan", "aaannaaa"],
        "pin": ["nnnn"],
    ]

    private static let passwordCharacters: [Character: [UInt8]] = [
        "V": Array("AEIOU".utf8),
        "C": Array("BCDFGHJKLMNPQRSTVWXYZ".utf8),
        "v": Array("aeiou".utf8),
        "c": Array("bcdfghjklmnpqrstvwxyz".utf8),
        "A": Array("AEIOUBCDFGHJKLMNPQRSTVWXYZ".utf8),
        "a": Array("AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz".utf8),
        "n": Array("0123456789".utf8),
        "o": Array("@&%?,=[]_:-+*$#!'^~;()/.".utf8),
        "x": Array("AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz0123456789!@#$%^&*()".utf8),
    ]

    private static func derivePassword(_ counter: UInt32, _ templates: [String], _ password: String, _ user: String, _ site: String) -> String {
        let scope = Array("com.lyndir.masterpassword".utf8)
        func bigEndian(_ value: UInt32) -> [UInt8] { withUnsafeBytes(of: value.bigEndian, Array.init) }
        let salt = scope + bigEndian(UInt32(user.utf8.count)) + Array(user.utf8)
        let key = Scrypt.derive(password: Array(password.utf8), salt: salt, n: 32768, r: 8, p: 2, length: 64)
        let seed = Scrypt.hmacSHA256(key: key, scope + bigEndian(UInt32(site.utf8.count)) + Array(site.utf8) + bigEndian(counter))
        let template = Array(templates[Int(seed[0]) % templates.count])
        var out: [UInt8] = []
        for (index, characterClass) in template.enumerated() {
            let characters = passwordCharacters[characterClass]!
            out.append(characters[Int(seed[index + 1]) % characters.count])
        }
        return String(decoding: out, as: UTF8.self)
    }
}

/// scrypt (RFC 7914) over HMAC-SHA256.
enum Scrypt {
    static func hmacSHA256(key: [UInt8], _ message: [UInt8]) -> [UInt8] {
        var block = key.count > 64 ? Digest.sha256(key) : key
        block += [UInt8](repeating: 0, count: 64 - block.count)
        let inner = Digest.sha256(block.map { $0 ^ 0x36 } + message)
        return Digest.sha256(block.map { $0 ^ 0x5c } + inner)
    }

    /// PBKDF2-HMAC-SHA256 with one iteration (all scrypt needs).
    static func pbkdf2(password: [UInt8], salt: [UInt8], length: Int) -> [UInt8] {
        var out: [UInt8] = []
        var index: UInt32 = 1
        while out.count < length {
            out += hmacSHA256(key: password, salt + withUnsafeBytes(of: index.bigEndian, Array.init))
            index += 1
        }
        return Array(out.prefix(length))
    }

    /// scrypt's key. The mixing works on raw pointers with wrapping shifts (`&<<`): unoptimized
    /// builds (the tests) would otherwise spend seconds per call in bounds checks and generic
    /// shifts.
    static func derive(password: [UInt8], salt: [UInt8], n: Int, r: Int, p: Int, length: Int) -> [UInt8] {
        let blockWords = 32 * r
        let bytes = pbkdf2(password: password, salt: salt, length: p * 128 * r)
        var words = stride(from: 0, to: bytes.count, by: 4).map {
            UInt32(bytes[$0]) | UInt32(bytes[$0 + 1]) << 8 | UInt32(bytes[$0 + 2]) << 16 | UInt32(bytes[$0 + 3]) << 24
        }
        let table = UnsafeMutablePointer<UInt32>.allocate(capacity: n * blockWords)
        let scratch = UnsafeMutablePointer<UInt32>.allocate(capacity: blockWords + 16)
        defer {
            table.deallocate()
            scratch.deallocate()
        }
        words.withUnsafeMutableBufferPointer { b in
            for block in 0..<p {
                roMix(b.baseAddress! + block * blockWords, n: n, r: r, v: table, scratch: scratch)
            }
        }
        let mixed = words.flatMap { withUnsafeBytes(of: $0.littleEndian, Array.init) }
        return pbkdf2(password: password, salt: mixed, length: length)
    }

    private static func roMix(_ x: UnsafeMutablePointer<UInt32>, n: Int, r: Int, v: UnsafeMutablePointer<UInt32>, scratch: UnsafeMutablePointer<UInt32>) {
        let words = 32 * r
        var i = 0
        while i < n {
            (v + i * words).update(from: x, count: words)
            blockMix(x, r: r, scratch: scratch)
            i += 1
        }
        i = 0
        while i < n {
            let row = v + (Int(x[words - 16]) & (n - 1)) * words
            var k = 0
            while k < words { x[k] ^= row[k]; k += 1 }
            blockMix(x, r: r, scratch: scratch)
            i += 1
        }
    }

    /// BlockMix: Salsa20/8 chained over the 2r 64-byte blocks, even outputs first.
    private static func blockMix(_ b: UnsafeMutablePointer<UInt32>, r: Int, scratch: UnsafeMutablePointer<UInt32>) {
        let words = 32 * r
        let x = scratch + words
        x.update(from: b + words - 16, count: 16)
        var i = 0
        while i < 2 * r {
            var k = 0
            while k < 16 { x[k] ^= b[i * 16 + k]; k += 1 }
            salsa8(x)
            (scratch + (i % 2 == 0 ? i / 2 : r + i / 2) * 16).update(from: x, count: 16)
            i += 1
        }
        b.update(from: scratch, count: words)
    }

    private static func salsa8(_ b: UnsafeMutablePointer<UInt32>) {
        var (x0, x1, x2, x3, x4, x5, x6, x7) = (b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7])
        var (x8, x9, x10, x11, x12, x13, x14, x15) = (b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15])
        var t: UInt32
        var round = 0
        while round < 4 {
            t = x0 &+ x12; x4 ^= t &<< 7 | t &>> 25; t = x4 &+ x0; x8 ^= t &<< 9 | t &>> 23
            t = x8 &+ x4; x12 ^= t &<< 13 | t &>> 19; t = x12 &+ x8; x0 ^= t &<< 18 | t &>> 14
            t = x5 &+ x1; x9 ^= t &<< 7 | t &>> 25; t = x9 &+ x5; x13 ^= t &<< 9 | t &>> 23
            t = x13 &+ x9; x1 ^= t &<< 13 | t &>> 19; t = x1 &+ x13; x5 ^= t &<< 18 | t &>> 14
            t = x10 &+ x6; x14 ^= t &<< 7 | t &>> 25; t = x14 &+ x10; x2 ^= t &<< 9 | t &>> 23
            t = x2 &+ x14; x6 ^= t &<< 13 | t &>> 19; t = x6 &+ x2; x10 ^= t &<< 18 | t &>> 14
            t = x15 &+ x11; x3 ^= t &<< 7 | t &>> 25; t = x3 &+ x15; x7 ^= t &<< 9 | t &>> 23
            t = x7 &+ x3; x11 ^= t &<< 13 | t &>> 19; t = x11 &+ x7; x15 ^= t &<< 18 | t &>> 14
            t = x0 &+ x3; x1 ^= t &<< 7 | t &>> 25; t = x1 &+ x0; x2 ^= t &<< 9 | t &>> 23
            t = x2 &+ x1; x3 ^= t &<< 13 | t &>> 19; t = x3 &+ x2; x0 ^= t &<< 18 | t &>> 14
            t = x5 &+ x4; x6 ^= t &<< 7 | t &>> 25; t = x6 &+ x5; x7 ^= t &<< 9 | t &>> 23
            t = x7 &+ x6; x4 ^= t &<< 13 | t &>> 19; t = x4 &+ x7; x5 ^= t &<< 18 | t &>> 14
            t = x10 &+ x9; x11 ^= t &<< 7 | t &>> 25; t = x11 &+ x10; x8 ^= t &<< 9 | t &>> 23
            t = x8 &+ x11; x9 ^= t &<< 13 | t &>> 19; t = x9 &+ x8; x10 ^= t &<< 18 | t &>> 14
            t = x15 &+ x14; x12 ^= t &<< 7 | t &>> 25; t = x12 &+ x15; x13 ^= t &<< 9 | t &>> 23
            t = x13 &+ x12; x14 ^= t &<< 13 | t &>> 19; t = x14 &+ x13; x15 ^= t &<< 18 | t &>> 14
            round += 1
        }
        b[0] &+= x0; b[1] &+= x1; b[2] &+= x2; b[3] &+= x3; b[4] &+= x4; b[5] &+= x5; b[6] &+= x6; b[7] &+= x7
        b[8] &+= x8; b[9] &+= x9; b[10] &+= x10; b[11] &+= x11; b[12] &+= x12; b[13] &+= x13; b[14] &+= x14; b[15] &+= x15
    }
}
