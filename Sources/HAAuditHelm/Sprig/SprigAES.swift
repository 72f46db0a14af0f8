/// Sprig's `encryptAES`/`decryptAES`: AES-256-CBC, the key being the password's bytes padded
/// with zeros (or cut) to 32, PKCS#7 padding, a random IV before the ciphertext, base64. Real AES
/// (FIPS 197) so that a chart can decrypt values encrypted by Helm.
extension Sprig {
    static var aesFunctions: TemplateFunctions {
        table([
            fn("encryptAES", 2) { c throws(TemplateError) in
                let (password, plain) = (try c.string(0), Array(try c.string(1).utf8))
                if plain.isEmpty { return .string("") }
                let padding = 16 - plain.count % 16
                let content = plain + [UInt8](repeating: UInt8(padding), count: padding)
                let iv = (0..<16).map { _ in UInt8.random(in: 0...255) }
                let aes = AES256(key: aesKey(password))
                var previous = iv
                var out = iv
                for start in stride(from: 0, to: content.count, by: 16) {
                    previous = aes.encrypt(zip(content[start..<start + 16], previous).map { $0 ^ $1 })
                    out += previous
                }
                return .string(Base64.encode(out))
            },
            fn("decryptAES", 2) { c throws(TemplateError) in
                let password = try c.string(0)
                guard case .success(let bytes) = Base64.decode(try c.string(1)) else {
                    throw c.failure("illegal base64 data")
                }
                guard bytes.count >= 16, bytes.count % 16 == 0 else {
                    throw c.failure("crypto/cipher: input not full blocks")
                }
                let aes = AES256(key: aesKey(password))
                var plain: [UInt8] = []
                for start in stride(from: 16, to: bytes.count, by: 16) {
                    let block = aes.decrypt(Array(bytes[start..<start + 16]))
                    plain += zip(block, bytes[(start - 16)..<start]).map { $0 ^ $1 }
                }
                // Sprig trims the padding length the last byte names, unchecked (Go panics when
                // it is longer than the text).
                guard let last = plain.last, Int(last) <= plain.count else {
                    if plain.isEmpty { throw c.failure("runtime error: index out of range [-1]") }
                    throw c.failure("runtime error: slice bounds out of range")
                }
                return .string(String(decoding: plain.dropLast(Int(last)), as: UTF8.self))
            },
        ])
    }

    private static func aesKey(_ password: String) -> [UInt8] {
        let bytes = Array(password.utf8.prefix(32))
        return bytes + [UInt8](repeating: 0, count: 32 - bytes.count)
    }
}

/// AES with a 256-bit key (FIPS 197), one 16-byte block at a time.
struct AES256 {
    private let roundKeys: [[UInt8]]

    init(key: [UInt8]) {
        var words: [[UInt8]] = stride(from: 0, to: 32, by: 4).map { Array(key[$0..<$0 + 4]) }
        var rcon: UInt8 = 1
        for index in 8..<60 {
            var word = words[index - 1]
            if index % 8 == 0 {
                word = [Self.sbox[Int(word[1])] ^ rcon, Self.sbox[Int(word[2])], Self.sbox[Int(word[3])], Self.sbox[Int(word[0])]]
                rcon = Self.times2(rcon)
            } else if index % 8 == 4 {
                word = word.map { Self.sbox[Int($0)] }
            }
            words.append(zip(word, words[index - 8]).map { $0 ^ $1 })
        }
        roundKeys = (0..<15).map { round in words[(round * 4)..<(round * 4 + 4)].flatMap { $0 } }
    }

    func encrypt(_ block: [UInt8]) -> [UInt8] {
        var state = zip(block, roundKeys[0]).map { $0 ^ $1 }
        for round in 1...14 {
            state = state.map { Self.sbox[Int($0)] }
            state = Self.shiftRows(state, inverse: false)
            if round < 14 { state = Self.mixColumns(state, inverse: false) }
            state = zip(state, roundKeys[round]).map { $0 ^ $1 }
        }
        return state
    }

    func decrypt(_ block: [UInt8]) -> [UInt8] {
        var state = zip(block, roundKeys[14]).map { $0 ^ $1 }
        for round in stride(from: 13, through: 0, by: -1) {
            state = Self.shiftRows(state, inverse: true)
            state = state.map { Self.inverseSbox[Int($0)] }
            state = zip(state, roundKeys[round]).map { $0 ^ $1 }
            if round > 0 { state = Self.mixColumns(state, inverse: true) }
        }
        return state
    }

    /// The state is column-major: byte `row + 4 * column`. Row r rotates left by r (right when
    /// inverse).
    private static func shiftRows(_ s: [UInt8], inverse: Bool) -> [UInt8] {
        (0..<16).map { index in
            let (row, column) = (index % 4, index / 4)
            let source = inverse ? (column - row + 4) % 4 : (column + row) % 4
            return s[row + 4 * source]
        }
    }

    private static func mixColumns(_ s: [UInt8], inverse: Bool) -> [UInt8] {
        let matrix: [UInt8] = inverse ? [14, 11, 13, 9] : [2, 3, 1, 1]
        var out = s
        for column in 0..<4 {
            let a = Array(s[(column * 4)..<(column * 4 + 4)])
            for row in 0..<4 {
                out[column * 4 + row] = (0..<4).reduce(0) { $0 ^ multiply(a[($1 + row) % 4], matrix[$1]) }
            }
        }
        return out
    }

    private static func times2(_ x: UInt8) -> UInt8 { x << 1 ^ (x & 0x80 != 0 ? 0x1b : 0) }

    private static func multiply(_ a: UInt8, _ b: UInt8) -> UInt8 {
        var (a, b, product): (UInt8, UInt8, UInt8) = (a, b, 0)
        while b != 0 {
            if b & 1 != 0 { product ^= a }
            a = times2(a)
            b >>= 1
        }
        return product
    }

    private static let sbox: [UInt8] = {
        // The multiplicative inverse in GF(2^8) followed by the affine transform.
        (0..<256).map { value in
            let x = UInt8(value)
            let inverse = x == 0 ? 0 : (1...255).map(UInt8.init).first { multiply(x, $0) == 1 }!
            var result = inverse
            for shift in 1...4 { result ^= inverse << shift | inverse >> (8 - shift) }
            return result ^ 0x63
        }
    }()

    private static let inverseSbox: [UInt8] = {
        var table = [UInt8](repeating: 0, count: 256)
        for (index, value) in sbox.enumerated() { table[Int(value)] = UInt8(index) }
        return table
    }()
}
