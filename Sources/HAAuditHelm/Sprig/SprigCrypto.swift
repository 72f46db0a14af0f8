/// Sprig's crypto functions (crypto.go). The digests are real (hand-written SHA-1/256/512 and
/// Adler-32: no crypto dependency). Keys, certificates and bcrypt hashes are stand-ins of the
/// right shape (see `Sprig`): an audit reads the rendered manifests' structure, never their
/// secrets.
extension Sprig {
    static var cryptoFunctions: TemplateFunctions {
        table([
            fn("sha1sum", 1) { c throws(TemplateError) in .string(SprigValue.hex(Digest.sha1(Array(try c.string(0).utf8)))) },
            fn("sha256sum", 1) { c throws(TemplateError) in .string(SprigValue.hex(Digest.sha256(Array(try c.string(0).utf8)))) },
            fn("sha512sum", 1) { c throws(TemplateError) in .string(SprigValue.hex(Digest.sha512(Array(try c.string(0).utf8)))) },
            fn("adler32sum", 1) { c throws(TemplateError) in .string(String(Digest.adler32(Array(try c.string(0).utf8)))) },
            fn("bcrypt", 1) { c throws(TemplateError) in .string(bcryptShape(try c.string(0))) },
            fn("htpasswd", 3) { c throws(TemplateError) in
                let (user, password, algorithm) = (try c.string(0), try c.string(1), try c.string(2))
                if user.contains(":") { return .string("invalid username: \(user)") }
                if algorithm == "sha" {
                    return .string(user + ":{SHA}" + Base64.encode(Digest.sha1(Array(password.utf8))))
                }
                return .string(user + ":" + bcryptShape(password))
            },
            fn("randBytes", 1) { c throws(TemplateError) in
                let count = try c.int(0)
                guard count >= 0, count <= maximumStringLength else { throw c.failure("randBytes: bad length \(count)") }
                return .string(Base64.encode((0..<count).map { _ in UInt8.random(in: 0...255) }))
            },
            fn("genPrivateKey", 1) { c throws(TemplateError) in
                let type = try c.string(0)
                guard let label = privateKeyLabels[type] else { return .string("Unknown type \(type)") }
                return .string(pem(label, seed: "key:\(type)"))
            },
            fn("buildCustomCert", 2) { c throws(TemplateError) in
                guard case .success(let cert) = Base64.decode(try c.string(0)) else { throw c.failure("unable to decode base64 certificate") }
                guard case .success(let key) = Base64.decode(try c.string(1)) else { throw c.failure("unable to decode base64 private key") }
                return .map(["Cert": .string(String(decoding: cert, as: UTF8.self)), "Key": .string(String(decoding: key, as: UTF8.self))])
            },
            fn("genCA", 2) { c throws(TemplateError) in try certificate(c, commonName: 0, seed: "ca", key: nil) },
            fn("genCAWithKey", 3) { c throws(TemplateError) in try certificate(c, commonName: 0, seed: "ca", key: 2) },
            fn("genSelfSignedCert", 4) { c throws(TemplateError) in try certificate(c, commonName: 0, seed: "self", key: nil) },
            fn("genSelfSignedCertWithKey", 5) { c throws(TemplateError) in try certificate(c, commonName: 0, seed: "self", key: 4) },
            fn("genSignedCert", 5) { c throws(TemplateError) in try certificate(c, commonName: 0, seed: "signed", key: nil) },
            fn("genSignedCertWithKey", 6) { c throws(TemplateError) in try certificate(c, commonName: 0, seed: "signed", key: 5) },
        ])
    }

    private static let privateKeyLabels = [
        "": "RSA PRIVATE KEY", "rsa": "RSA PRIVATE KEY", "dsa": "DSA PRIVATE KEY",
        "ecdsa": "EC PRIVATE KEY", "ed25519": "PRIVATE KEY",
    ]

    /// A PEM block of `label` whose body is deterministic filler derived from `seed`.
    static func pem(_ label: String, seed: String) -> String {
        var body: [UInt8] = []
        var block = Digest.sha512(Array(seed.utf8))
        while body.count < 384 {
            body += block
            block = Digest.sha512(block)
        }
        let text = Base64.encode(body)
        let lines = stride(from: 0, to: text.count, by: 64).map {
            String(text.dropFirst($0).prefix(64))
        }
        return "-----BEGIN \(label)-----\n" + lines.joined(separator: "\n") + "\n-----END \(label)-----\n"
    }

    /// Sprig's `certificate` struct as a map: `Cert` and `Key` PEM text.
    private static func certificate(_ c: SprigCall, commonName: Int, seed: String, key: Int?) throws(TemplateError) -> TemplateValue {
        let name = try c.string(commonName)
        let keyText = try key.map { (index: Int) throws(TemplateError) -> String in try c.string(index) } ?? pem("RSA PRIVATE KEY", seed: "key:\(seed):\(name)")
        return .map([
            "Cert": .string(pem("CERTIFICATE", seed: "cert:\(seed):\(name):\(keyText)")),
            "Key": .string(keyText),
        ])
    }

    /// `$2a$10$` and 53 characters of bcrypt's base64 alphabet, derived from the password.
    private static func bcryptShape(_ password: String) -> String {
        let alphabet = Array("./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
        let digest = Digest.sha512(Array(("bcrypt:" + password).utf8))
        return "$2a$10$" + String(digest.prefix(53).map { alphabet[Int($0) % 64] })
    }
}

/// SHA-1, SHA-256, SHA-512 (FIPS 180-4) and Adler-32 (RFC 1950).
enum Digest {
    static func adler32(_ bytes: [UInt8]) -> UInt32 {
        var (a, b): (UInt32, UInt32) = (1, 0)
        for byte in bytes {
            a = (a + UInt32(byte)) % 65521
            b = (b + a) % 65521
        }
        return b << 16 | a
    }

    /// The message padded to a multiple of `blockSize` with its bit length in the last
    /// `lengthSize` bytes, big-endian.
    private static func pad(_ bytes: [UInt8], blockSize: Int, lengthSize: Int) -> [UInt8] {
        var message = bytes + [0x80]
        while message.count % blockSize != blockSize - lengthSize { message.append(0) }
        message += [UInt8](repeating: 0, count: lengthSize - 8)
        return message + withUnsafeBytes(of: (UInt64(bytes.count) &* 8).bigEndian, Array.init)
    }

    private static func rotl(_ x: UInt32, _ n: UInt32) -> UInt32 { x << n | x >> (32 - n) }
    private static func rotr(_ x: UInt32, _ n: UInt32) -> UInt32 { x >> n | x << (32 - n) }
    private static func rotr(_ x: UInt64, _ n: UInt64) -> UInt64 { x >> n | x << (64 - n) }

    private static func words32(_ block: ArraySlice<UInt8>) -> [UInt32] {
        stride(from: block.startIndex, to: block.endIndex, by: 4).map { i in
            UInt32(block[i]) << 24 | UInt32(block[i + 1]) << 16 | UInt32(block[i + 2]) << 8 | UInt32(block[i + 3])
        }
    }

    private static func bytes32(_ words: [UInt32]) -> [UInt8] {
        words.flatMap { withUnsafeBytes(of: $0.bigEndian, Array.init) }
    }

    static func sha1(_ bytes: [UInt8]) -> [UInt8] {
        var h: [UInt32] = [0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476, 0xC3D2E1F0]
        let message = pad(bytes, blockSize: 64, lengthSize: 8)
        for start in stride(from: 0, to: message.count, by: 64) {
            var w = words32(message[start..<start + 64])
            for t in 16..<80 { w.append(rotl(w[t - 3] ^ w[t - 8] ^ w[t - 14] ^ w[t - 16], 1)) }
            var (a, b, c, d, e) = (h[0], h[1], h[2], h[3], h[4])
            for t in 0..<80 {
                let (f, k): (UInt32, UInt32) = switch t {
                case 0..<20: ((b & c) | (~b & d), 0x5A827999)
                case 20..<40: (b ^ c ^ d, 0x6ED9EBA1)
                case 40..<60: ((b & c) | (b & d) | (c & d), 0x8F1BBCDC)
                default: (b ^ c ^ d, 0xCA62C1D6)
                }
                let temp = rotl(a, 5) &+ f &+ e &+ k &+ w[t]
                (e, d, c, b, a) = (d, c, rotl(b, 30), a, temp)
            }
            h[0] &+= a; h[1] &+= b; h[2] &+= c; h[3] &+= d; h[4] &+= e
        }
        return bytes32(h)
    }

    private static let k256: [UInt32] = [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
        0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
        0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
        0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
        0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
        0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
        0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
    ]

    static func sha256(_ bytes: [UInt8]) -> [UInt8] {
        var h: [UInt32] = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]
        let message = pad(bytes, blockSize: 64, lengthSize: 8)
        for start in stride(from: 0, to: message.count, by: 64) {
            var w = words32(message[start..<start + 64])
            for t in 16..<64 {
                let s0 = rotr(w[t - 15], 7) ^ rotr(w[t - 15], 18) ^ (w[t - 15] >> 3)
                let s1 = rotr(w[t - 2], 17) ^ rotr(w[t - 2], 19) ^ (w[t - 2] >> 10)
                w.append(w[t - 16] &+ s0 &+ w[t - 7] &+ s1)
            }
            var v = h
            for t in 0..<64 {
                let s1 = rotr(v[4], 6) ^ rotr(v[4], 11) ^ rotr(v[4], 25)
                let choice = (v[4] & v[5]) ^ (~v[4] & v[6])
                let temp1 = v[7] &+ s1 &+ choice &+ k256[t] &+ w[t]
                let s0 = rotr(v[0], 2) ^ rotr(v[0], 13) ^ rotr(v[0], 22)
                let majority = (v[0] & v[1]) ^ (v[0] & v[2]) ^ (v[1] & v[2])
                v = [temp1 &+ s0 &+ majority, v[0], v[1], v[2], v[3] &+ temp1, v[4], v[5], v[6]]
            }
            for i in 0..<8 { h[i] &+= v[i] }
        }
        return bytes32(h)
    }

    private static let k512: [UInt64] = [
        0x428a2f98d728ae22, 0x7137449123ef65cd, 0xb5c0fbcfec4d3b2f, 0xe9b5dba58189dbbc, 0x3956c25bf348b538,
        0x59f111f1b605d019, 0x923f82a4af194f9b, 0xab1c5ed5da6d8118, 0xd807aa98a3030242, 0x12835b0145706fbe,
        0x243185be4ee4b28c, 0x550c7dc3d5ffb4e2, 0x72be5d74f27b896f, 0x80deb1fe3b1696b1, 0x9bdc06a725c71235,
        0xc19bf174cf692694, 0xe49b69c19ef14ad2, 0xefbe4786384f25e3, 0x0fc19dc68b8cd5b5, 0x240ca1cc77ac9c65,
        0x2de92c6f592b0275, 0x4a7484aa6ea6e483, 0x5cb0a9dcbd41fbd4, 0x76f988da831153b5, 0x983e5152ee66dfab,
        0xa831c66d2db43210, 0xb00327c898fb213f, 0xbf597fc7beef0ee4, 0xc6e00bf33da88fc2, 0xd5a79147930aa725,
        0x06ca6351e003826f, 0x142929670a0e6e70, 0x27b70a8546d22ffc, 0x2e1b21385c26c926, 0x4d2c6dfc5ac42aed,
        0x53380d139d95b3df, 0x650a73548baf63de, 0x766a0abb3c77b2a8, 0x81c2c92e47edaee6, 0x92722c851482353b,
        0xa2bfe8a14cf10364, 0xa81a664bbc423001, 0xc24b8b70d0f89791, 0xc76c51a30654be30, 0xd192e819d6ef5218,
        0xd69906245565a910, 0xf40e35855771202a, 0x106aa07032bbd1b8, 0x19a4c116b8d2d0c8, 0x1e376c085141ab53,
        0x2748774cdf8eeb99, 0x34b0bcb5e19b48a8, 0x391c0cb3c5c95a63, 0x4ed8aa4ae3418acb, 0x5b9cca4f7763e373,
        0x682e6ff3d6b2b8a3, 0x748f82ee5defb2fc, 0x78a5636f43172f60, 0x84c87814a1f0ab72, 0x8cc702081a6439ec,
        0x90befffa23631e28, 0xa4506cebde82bde9, 0xbef9a3f7b2c67915, 0xc67178f2e372532b, 0xca273eceea26619c,
        0xd186b8c721c0c207, 0xeada7dd6cde0eb1e, 0xf57d4f7fee6ed178, 0x06f067aa72176fba, 0x0a637dc5a2c898a6,
        0x113f9804bef90dae, 0x1b710b35131c471b, 0x28db77f523047d84, 0x32caab7b40c72493, 0x3c9ebe0a15c9bebc,
        0x431d67c49c100d4c, 0x4cc5d4becb3e42b6, 0x597f299cfc657e2a, 0x5fcb6fab3ad6faec, 0x6c44198c4a475817,
    ]

    static func sha512(_ bytes: [UInt8]) -> [UInt8] {
        var h: [UInt64] = [
            0x6a09e667f3bcc908, 0xbb67ae8584caa73b, 0x3c6ef372fe94f82b, 0xa54ff53a5f1d36f1,
            0x510e527fade682d1, 0x9b05688c2b3e6c1f, 0x1f83d9abfb41bd6b, 0x5be0cd19137e2179,
        ]
        let message = pad(bytes, blockSize: 128, lengthSize: 16)
        for start in stride(from: 0, to: message.count, by: 128) {
            var w: [UInt64] = stride(from: start, to: start + 128, by: 8).map { i in
                message[i..<i + 8].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
            }
            for t in 16..<80 {
                let s0 = rotr(w[t - 15], 1) ^ rotr(w[t - 15], 8) ^ (w[t - 15] >> 7)
                let s1 = rotr(w[t - 2], 19) ^ rotr(w[t - 2], 61) ^ (w[t - 2] >> 6)
                w.append(w[t - 16] &+ s0 &+ w[t - 7] &+ s1)
            }
            var v = h
            for t in 0..<80 {
                let s1 = rotr(v[4], 14) ^ rotr(v[4], 18) ^ rotr(v[4], 41)
                let choice = (v[4] & v[5]) ^ (~v[4] & v[6])
                let temp1 = v[7] &+ s1 &+ choice &+ k512[t] &+ w[t]
                let s0 = rotr(v[0], 28) ^ rotr(v[0], 34) ^ rotr(v[0], 39)
                let majority = (v[0] & v[1]) ^ (v[0] & v[2]) ^ (v[1] & v[2])
                v = [temp1 &+ s0 &+ majority, v[0], v[1], v[2], v[3] &+ temp1, v[4], v[5], v[6]]
            }
            for i in 0..<8 { h[i] &+= v[i] }
        }
        return h.flatMap { withUnsafeBytes(of: $0.bigEndian, Array.init) }
    }
}
