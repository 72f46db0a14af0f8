import Foundation

/// Sprig's date functions (date.go). Layouts are Go's reference time ("2006-01-02 15:04:05"),
/// times carry their zone's name and offset, `Local` is the zone the functions were made with.
extension Sprig {
    static func dateFunctions(local: TimeZone) -> TemplateFunctions {
        let localNames = SprigTime.abbreviations(local.identifier)
        let localZone: @Sendable (Int64) -> TemplateValue.TimeZoneInfo = { SprigTime.zone(local, at: $0, names: localNames) }
        /// The instant a date argument names: a time, or Unix seconds as int/int64/int32; anything
        /// else is now (as in Sprig), clamped to `SprigTime.secondsLimit`.
        @Sendable func instant(_ value: TemplateValue) -> (Int64, Int32) {
            let limit = SprigTime.secondsLimit
            switch value {
            case .time(let seconds, let nanoseconds, _): return (min(max(seconds, -limit), limit), nanoseconds)
            case .int(let seconds, let type) where type != .int8 && type != .int16: return (min(max(seconds, -limit), limit), 0)
            default:
                let now = Date().timeIntervalSince1970
                return (Int64(now.rounded(.down)), Int32((now - now.rounded(.down)) * 1e9))
            }
        }
        @Sendable func inZone(_ layout: String, _ date: TemplateValue, _ zoneName: String) -> TemplateValue {
            let (seconds, nanoseconds) = instant(date)
            let zone = zoneName == "Local" ? localZone(seconds)
                : TimeZone(identifier: zoneName).map { SprigTime.zone($0, at: seconds, names: SprigTime.abbreviations(zoneName)) } ?? .utc
            return .string(SprigTime.format(layout: layout, seconds: seconds, nanoseconds: nanoseconds, zone: zone))
        }
        @Sendable func now() -> TemplateValue {
            let (seconds, nanoseconds) = instant(.null)
            return .time(seconds: seconds, nanoseconds: nanoseconds, zone: localZone(seconds))
        }
        @Sendable func modify(_ c: SprigCall, must: Bool) throws(TemplateError) -> TemplateValue {
            let text = try c.string(0)
            guard case .time(let seconds, let nanoseconds, let zone) = c[1] else { throw c.wrongType("time.Time", c[1]) }
            guard let duration = SprigTime.parseDuration(text) else {
                if must { throw c.failure("time: invalid duration \(GoQuote.quote(text))") }
                return c[1]
            }
            let total = Int64(nanoseconds) + duration % 1_000_000_000
            let carry = total >= 1_000_000_000 ? 1 : total < 0 ? -1 : 0
            let moved = min(max(seconds, -SprigTime.secondsLimit), SprigTime.secondsLimit) + duration / 1_000_000_000 + Int64(carry)
            return .time(seconds: min(max(moved, -SprigTime.secondsLimit), SprigTime.secondsLimit), nanoseconds: Int32(total - Int64(carry) * 1_000_000_000), zone: zone)
        }
        @Sendable func toDate(_ c: SprigCall, must: Bool) throws(TemplateError) -> TemplateValue {
            let (layout, text) = (try c.string(0), try c.string(1))
            switch SprigTime.parse(layout: layout, text, local: local, names: localNames) {
            case .success(let time): return time
            case .failure(let error):
                if must { throw error }
                return .time(seconds: SprigTime.zeroTimeSeconds, nanoseconds: 0, zone: .utc)
            }
        }
        return aliases(table([
            fn("now", 0) { _ in now() },
            fn("date", 2) { c throws(TemplateError) in inZone(try c.string(0), c[1], "Local") },
            fn("dateInZone", 3) { c throws(TemplateError) in inZone(try c.string(0), c[1], try c.string(2)) },
            fn("htmlDate", 1) { c in inZone("2006-01-02", c[0], "Local") },
            fn("htmlDateInZone", 2) { c throws(TemplateError) in inZone("2006-01-02", c[0], try c.string(1)) },
            fn("ago", 1) { c in
                let (seconds, nanoseconds) = instant(c[0])
                let (nowSeconds, nowNanoseconds) = instant(.null)
                let elapsed = SprigTime.nanoseconds(nowSeconds - seconds) &+ Int64(nowNanoseconds - nanoseconds)
                return .string(GoDuration.string(SprigTime.roundToSecond(elapsed)))
            },
            fn("toDate", 2) { c throws(TemplateError) in try toDate(c, must: false) },
            fn("mustToDate", 2) { c throws(TemplateError) in try toDate(c, must: true) },
            fn("dateModify", 2) { c throws(TemplateError) in try modify(c, must: false) },
            fn("mustDateModify", 2) { c throws(TemplateError) in try modify(c, must: true) },
            fn("unixEpoch", 1) { c throws(TemplateError) in
                guard case .time(let seconds, _, _) = c[0] else { throw c.wrongType("time.Time", c[0]) }
                return .string(String(seconds))
            },
            fn("duration", 1) { c in
                .string(GoDuration.string(SprigValue.int64(c[0]).multipliedReportingOverflow(by: 1_000_000_000).partialValue))
            },
            fn("durationRound", 1) { c in
                let nanoseconds: Int64 = switch c[0] {
                case .string(let text): SprigTime.parseDuration(text) ?? 0
                case .int(let value, .int64): value
                case .time(let seconds, _, _): SprigTime.nanoseconds(Int64(Date().timeIntervalSince1970) &- seconds)
                default: 0
                }
                return .string(SprigTime.roundedDuration(nanoseconds))
            },
        ]), [("date_in_zone", "dateInZone"), ("date_modify", "dateModify"), ("must_date_modify", "mustDateModify")])
    }
}

/// Go's time formatting, parsing and durations.
enum SprigTime {
    /// Times are kept within ±2^50 seconds of 1970 (about 35 million years), where calendar
    /// arithmetic cannot overflow: `dateModify` and huge Unix seconds saturate there.
    static let secondsLimit: Int64 = 1 << 50

    /// Go's zero `time.Time` (January 1, year 1, UTC) in Unix seconds.
    static let zeroTimeSeconds: Int64 = -62_135_596_800

    /// A zone at an instant: Foundation gives the offset; the name is the tz database's
    /// abbreviation for that offset (`CET`, `EDT`, `UTC`) as Go prints it, from `names`.
    static func zone(_ zone: TimeZone, at seconds: Int64, names: [Abbreviation]) -> TemplateValue.TimeZoneInfo {
        let date = Date(timeIntervalSince1970: TimeInterval(seconds))
        let offset = zone.secondsFromGMT(for: date)
        let daylight = zone.isDaylightSavingTime(for: date)
        let name = names.last { $0.offset == offset && $0.daylight == daylight }?.name
            ?? names.last { $0.offset == offset }?.name
            ?? zone.abbreviation(for: date) ?? ""
        return .init(name: name, offsetSeconds: offset)
    }

    struct Abbreviation: Sendable {
        var offset: Int, daylight: Bool, name: String
    }

    /// The local time types of a zone's TZif file (RFC 8536) under /usr/share/zoneinfo: offset,
    /// daylight flag, abbreviation. Empty when the name or the file is not usable.
    static func abbreviations(_ identifier: String) -> [Abbreviation] {
        guard !identifier.isEmpty, !identifier.hasPrefix("/"), !identifier.split(separator: "/").contains(".."),
              let data = FileManager.default.contents(atPath: "/usr/share/zoneinfo/" + identifier),
              data.count >= 44, data.prefix(4) == Data("TZif".utf8) else { return [] }
        let bytes = [UInt8](data)
        func u32(_ at: Int) -> Int { bytes[at..<at + 4].reduce(0) { $0 << 8 | Int($1) } }
        let (timeCount, typeCount, charCount) = (u32(32), u32(36), u32(40))
        let typesStart = 44 + timeCount * 5
        let charsStart = typesStart + typeCount * 6
        guard charsStart + charCount <= bytes.count else { return [] }
        return (0..<typeCount).compactMap { index in
            let at = typesStart + index * 6
            let offset = Int(Int32(bitPattern: UInt32(u32(at))))
            let start = charsStart + Int(bytes[at + 5])
            guard start < charsStart + charCount else { return nil }
            let end = bytes[start..<(charsStart + charCount)].firstIndex(of: 0) ?? charsStart + charCount
            return Abbreviation(offset: offset, daylight: bytes[at + 4] != 0, name: String(decoding: bytes[start..<end], as: UTF8.self))
        }
    }

    // MARK: Calendar arithmetic

    struct Civil {
        var year: Int64, month: Int, day: Int, hour: Int, minute: Int, second: Int
        var weekday: Int, yearDay: Int
    }

    /// The proleptic Gregorian date of a count of days since 1970-01-01 (H. Hinnant's algorithm).
    static func civil(_ seconds: Int64) -> Civil {
        let days = seconds >= 0 ? seconds / 86400 : (seconds - 86399) / 86400
        let secondOfDay = Int(seconds - days * 86400)
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = Int(dayOfYear - (153 * mp + 2) / 5 + 1)
        let month = Int(mp < 10 ? mp + 3 : mp - 9)
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        let weekday = Int(((days % 7) + 11) % 7)
        let yearDay = Int(days - daysFromCivil(year, 1, 1)) + 1
        return Civil(year: year, month: month, day: day, hour: secondOfDay / 3600, minute: secondOfDay / 60 % 60,
                     second: secondOfDay % 60, weekday: weekday, yearDay: yearDay)
    }

    static func daysFromCivil(_ year: Int64, _ month: Int, _ day: Int) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let m = Int64(month)
        let dayOfYear = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + Int64(day) - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    static let monthNames = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]
    static let dayNames = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]

    // MARK: Layouts

    enum Element: Equatable {
        case literal(String)
        case longMonth, month, numMonth, zeroMonth, longWeekDay, weekDay
        case day, underDay, zeroDay, underYearDay, zeroYearDay
        case hour, hour12, zeroHour12, minute, zeroMinute, second, zeroSecond
        case longYear, year, pm, lowerPM, zoneName
        /// A numeric zone: `Z` for UTC when `z`; with colons; with seconds; hours only.
        case offset(z: Bool, colon: Bool, seconds: Bool, hoursOnly: Bool)
        /// Fractional seconds: the digit count, trailing zeros trimmed when `trim` (`.999`).
        case fraction(digits: Int, trim: Bool, separator: Character)
    }

    /// Go's `nextStdChunk`, applied to the whole layout.
    static func elements(_ layout: String) -> [Element] {
        let chars = Array(layout)
        var result: [Element] = []
        var literal = ""
        var i = 0
        func has(_ text: String) -> Bool {
            let t = Array(text)
            return i + t.count <= chars.count && Array(chars[i..<i + t.count]) == t
        }
        let table: [(String, Element)] = [
            ("January", .longMonth), ("Jan", .month), ("Monday", .longWeekDay), ("Mon", .weekDay), ("MST", .zoneName),
            ("01", .zeroMonth), ("02", .zeroDay), ("03", .zeroHour12), ("04", .zeroMinute), ("05", .zeroSecond), ("06", .year),
            ("002", .zeroYearDay), ("15", .hour), ("1", .numMonth), ("2006", .longYear), ("2", .day), ("__2", .underYearDay),
            ("_2", .underDay), ("3", .hour12), ("4", .minute), ("5", .second), ("PM", .pm), ("pm", .lowerPM),
            ("Z070000", .offset(z: true, colon: false, seconds: true, hoursOnly: false)),
            ("Z07:00:00", .offset(z: true, colon: true, seconds: true, hoursOnly: false)),
            ("Z0700", .offset(z: true, colon: false, seconds: false, hoursOnly: false)),
            ("Z07:00", .offset(z: true, colon: true, seconds: false, hoursOnly: false)),
            ("Z07", .offset(z: true, colon: false, seconds: false, hoursOnly: true)),
            ("-070000", .offset(z: false, colon: false, seconds: true, hoursOnly: false)),
            ("-07:00:00", .offset(z: false, colon: true, seconds: true, hoursOnly: false)),
            ("-0700", .offset(z: false, colon: false, seconds: false, hoursOnly: false)),
            ("-07:00", .offset(z: false, colon: true, seconds: false, hoursOnly: false)),
            ("-07", .offset(z: false, colon: false, seconds: false, hoursOnly: true)),
        ]
        // Longest spelling first among those starting at the same character.
        let ordered = table.sorted { $0.0.count > $1.0.count }
        outer: while i < chars.count {
            let c = chars[i]
            if (c == "." || c == ","), i + 1 < chars.count, chars[i + 1] == "0" || chars[i + 1] == "9" {
                let digit = chars[i + 1]
                var j = i + 1
                while j < chars.count, chars[j] == digit { j += 1 }
                if j >= chars.count || !chars[j].isNumber {
                    if !literal.isEmpty { result.append(.literal(literal)); literal = "" }
                    result.append(.fraction(digits: j - i - 1, trim: digit == "9", separator: c))
                    i = j
                    continue
                }
            }
            // "_2006" is an underscore and a year, not a space-padded day.
            if has("_2006") {
                literal.append("_")
                i += 1
                continue
            }
            for (spelling, element) in ordered where has(spelling) {
                // "Jan"/"Mon" inside a longer lower-case word are text; "2006" wins over "2".
                if element == .month || element == .weekDay || element == .longMonth || element == .longWeekDay {
                    let end = i + spelling.count
                    if end < chars.count, chars[end].isLowercase, element == .month || element == .weekDay { continue }
                }
                if !literal.isEmpty { result.append(.literal(literal)); literal = "" }
                result.append(element)
                i += spelling.count
                continue outer
            }
            literal.append(c)
            i += 1
        }
        if !literal.isEmpty { result.append(.literal(literal)) }
        return result
    }

    static func format(layout: String, seconds: Int64, nanoseconds: Int32, zone: TemplateValue.TimeZoneInfo) -> String {
        let t = civil(seconds &+ Int64(zone.offsetSeconds))
        func pad(_ value: Int64, _ width: Int, _ padding: Character = "0") -> String {
            let text = String(abs(value))
            return (value < 0 ? "-" : "") + String(repeating: padding, count: max(0, width - text.count)) + text
        }
        var out = ""
        for element in elements(layout) {
            switch element {
            case .literal(let text): out += text
            case .longMonth: out += monthNames[t.month - 1]
            case .month: out += String(monthNames[t.month - 1].prefix(3))
            case .numMonth: out += String(t.month)
            case .zeroMonth: out += pad(Int64(t.month), 2)
            case .longWeekDay: out += dayNames[t.weekday]
            case .weekDay: out += String(dayNames[t.weekday].prefix(3))
            case .day: out += String(t.day)
            case .underDay: out += pad(Int64(t.day), 2, " ")
            case .zeroDay: out += pad(Int64(t.day), 2)
            case .underYearDay: out += pad(Int64(t.yearDay), 3, " ")
            case .zeroYearDay: out += pad(Int64(t.yearDay), 3)
            case .hour: out += pad(Int64(t.hour), 2)
            case .hour12: out += String(t.hour % 12 == 0 ? 12 : t.hour % 12)
            case .zeroHour12: out += pad(Int64(t.hour % 12 == 0 ? 12 : t.hour % 12), 2)
            case .minute: out += String(t.minute)
            case .zeroMinute: out += pad(Int64(t.minute), 2)
            case .second: out += String(t.second)
            case .zeroSecond: out += pad(Int64(t.second), 2)
            case .longYear: out += pad(t.year, 4)
            case .year: out += pad(t.year % 100, 2)
            case .pm: out += t.hour >= 12 ? "PM" : "AM"
            case .lowerPM: out += t.hour >= 12 ? "pm" : "am"
            case .zoneName:
                if !zone.name.isEmpty, !zone.name.hasPrefix("GMT+"), !zone.name.hasPrefix("GMT-") { out += zone.name; continue }
                let minutes = zone.offsetSeconds / 60
                out += (minutes < 0 ? "-" : "+") + pad(Int64(abs(minutes) / 60), 2) + pad(Int64(abs(minutes) % 60), 2)
            case .offset(let z, let colon, let withSeconds, let hoursOnly):
                if z, zone.offsetSeconds == 0 { out += "Z"; continue }
                let total = abs(zone.offsetSeconds)
                out += (zone.offsetSeconds < 0 ? "-" : "+") + pad(Int64(total / 3600), 2)
                if !hoursOnly { out += (colon ? ":" : "") + pad(Int64(total / 60 % 60), 2) }
                if withSeconds { out += (colon ? ":" : "") + pad(Int64(total % 60), 2) }
            case .fraction(let digits, let trim, let separator):
                var text = String(pad(Int64(nanoseconds), 9).prefix(digits))
                if trim {
                    while text.hasSuffix("0") { text.removeLast() }
                    if text.isEmpty { continue }
                }
                out += String(separator) + text
            }
        }
        return out
    }

    /// `time.ParseInLocation(layout, text, local)`: the fields the layout names; a numeric
    /// offset or `Z` in the text fixes the zone, otherwise the local zone applies.
    static func parse(layout: String, _ text: String, local: TimeZone, names: [Abbreviation]) -> Result<TemplateValue, TemplateError> {
        var rest = Substring(text)
        var (year, month, day, hour, minute, second): (Int64, Int, Int, Int, Int, Int) = (1, 1, 1, 0, 0, 0)
        var nanoseconds: Int32 = 0
        var pm: Bool?
        var offset: Int?
        var zoneName: String?
        func fail() -> Result<TemplateValue, TemplateError> {
            .failure(TemplateError("parsing time \(GoQuote.quote(text)) as \(GoQuote.quote(layout)): cannot parse \(GoQuote.quote(String(rest)))"))
        }
        func number(_ minimum: Int, _ maximum: Int) -> Int? {
            let digits = rest.prefix(maximum).prefix(while: { $0.isASCII && $0.isNumber })
            guard digits.count >= minimum, let value = Int(digits) else { return nil }
            rest = rest.dropFirst(digits.count)
            return value
        }
        func name(_ names: [String]) -> Int? {
            for (index, candidate) in names.enumerated() where rest.lowercased().hasPrefix(candidate.lowercased()) {
                rest = rest.dropFirst(candidate.count)
                return index
            }
            return nil
        }
        for element in elements(layout) {
            switch element {
            case .literal(let literal):
                guard rest.hasPrefix(literal) else { return fail() }
                rest = rest.dropFirst(literal.count)
            case .longMonth: guard let m = name(monthNames) else { return fail() }; month = m + 1
            case .month: guard let m = name(monthNames.map { String($0.prefix(3)) }) else { return fail() }; month = m + 1
            case .numMonth, .zeroMonth: guard let m = number(element == .zeroMonth ? 2 : 1, 2), (1...12).contains(m) else { return fail() }; month = m
            case .longWeekDay: guard name(dayNames) != nil else { return fail() }
            case .weekDay: guard name(dayNames.map { String($0.prefix(3)) }) != nil else { return fail() }
            case .day, .underDay, .zeroDay:
                if element == .underDay, rest.hasPrefix(" ") { rest = rest.dropFirst() }
                guard let d = number(element == .zeroDay ? 2 : 1, 2), (1...31).contains(d) else { return fail() }
                day = d
            case .underYearDay, .zeroYearDay:
                while rest.hasPrefix(" ") { rest = rest.dropFirst() }
                guard number(1, 3) != nil else { return fail() }
            case .hour: guard let h = number(2, 2), h < 24 else { return fail() }; hour = h
            case .hour12, .zeroHour12: guard let h = number(element == .zeroHour12 ? 2 : 1, 2), (1...12).contains(h) else { return fail() }; hour = h
            case .minute, .zeroMinute: guard let m = number(element == .zeroMinute ? 2 : 1, 2), m < 60 else { return fail() }; minute = m
            case .second, .zeroSecond:
                guard let s = number(element == .zeroSecond ? 2 : 1, 2), s < 60 else { return fail() }
                second = s
                // Go accepts a fraction after seconds even when the layout has none.
                if rest.hasPrefix("."), rest.dropFirst().first?.isNumber == true {
                    rest = rest.dropFirst()
                    let digits = rest.prefix(while: { $0.isASCII && $0.isNumber })
                    rest = rest.dropFirst(digits.count)
                    nanoseconds = Int32((digits.prefix(9) + String(repeating: "0", count: max(0, 9 - digits.count))).prefix(9))!
                }
            case .longYear: guard let y = number(4, 4) else { return fail() }; year = Int64(y)
            case .year: guard let y = number(2, 2) else { return fail() }; year = Int64(y >= 69 ? 1900 + y : 2000 + y)
            case .pm, .lowerPM:
                let marker = rest.prefix(2).uppercased()
                guard marker == "AM" || marker == "PM" else { return fail() }
                pm = marker == "PM"
                rest = rest.dropFirst(2)
            case .zoneName:
                let letters = rest.prefix(while: { $0.isUppercase })
                guard letters.count >= 3 else { return fail() }
                zoneName = String(letters)
                rest = rest.dropFirst(letters.count)
            case .offset(let z, let colon, let withSeconds, let hoursOnly):
                if z, rest.hasPrefix("Z") { rest = rest.dropFirst(); offset = 0; continue }
                guard let sign = rest.first, sign == "+" || sign == "-" else { return fail() }
                rest = rest.dropFirst()
                guard let h = number(2, 2) else { return fail() }
                var total = h * 3600
                if !hoursOnly {
                    if colon { guard rest.hasPrefix(":") else { return fail() }; rest = rest.dropFirst() }
                    guard let m = number(2, 2) else { return fail() }
                    total += m * 60
                }
                if withSeconds {
                    if colon { guard rest.hasPrefix(":") else { return fail() }; rest = rest.dropFirst() }
                    guard let s = number(2, 2) else { return fail() }
                    total += s
                }
                offset = sign == "-" ? -total : total
            case .fraction(let digits, _, let separator):
                guard rest.first == separator else { if digits > 0 { return fail() }; continue }
                rest = rest.dropFirst()
                let found = rest.prefix(while: { $0.isASCII && $0.isNumber })
                rest = rest.dropFirst(found.count)
                nanoseconds = Int32((found.prefix(9) + String(repeating: "0", count: max(0, 9 - found.count))).prefix(9)) ?? 0
            }
        }
        guard rest.isEmpty else {
            return .failure(TemplateError("parsing time \(GoQuote.quote(text)): extra text: \(GoQuote.quote(String(rest)))"))
        }
        if let pm { hour = hour % 12 + (pm ? 12 : 0) }
        let wall = daysFromCivil(year, month, day) * 86400 + Int64(hour * 3600 + minute * 60 + second)
        if let offset {
            // Go names an unnamed fixed zone by its offset when printing ("+0200").
            let minutes = abs(offset) / 60
            let offsetName = (offset < 0 ? "-" : "+") + String(format: "%02d%02d", minutes / 60, minutes % 60)
            let zone = offset == 0 && zoneName == nil ? TemplateValue.TimeZoneInfo.utc
                : .init(name: zoneName ?? offsetName, offsetSeconds: offset)
            return .success(.time(seconds: wall - Int64(offset), nanoseconds: nanoseconds, zone: zone))
        }
        if let zoneName, zoneName == "UTC" || zoneName == "GMT" {
            return .success(.time(seconds: wall, nanoseconds: nanoseconds, zone: .init(name: zoneName, offsetSeconds: 0)))
        }
        // The local offset at that wall time (re-checked once around a transition).
        var zone = Self.zone(local, at: wall, names: names)
        zone = Self.zone(local, at: wall - Int64(zone.offsetSeconds), names: names)
        return .success(.time(seconds: wall - Int64(zone.offsetSeconds), nanoseconds: nanoseconds, zone: zone))
    }

    // MARK: Durations

    /// `time.ParseDuration`: a sequence of decimal numbers with units (ns, us, µs, ms, s, m, h).
    static func parseDuration(_ text: String) -> Int64? {
        var rest = Substring(text)
        var negative = false
        if let sign = rest.first, sign == "-" || sign == "+" {
            negative = sign == "-"
            rest = rest.dropFirst()
        }
        if rest == "0" { return 0 }
        guard !rest.isEmpty else { return nil }
        let units: [(String, Double)] = [
            ("ns", 1), ("us", 1e3), ("µs", 1e3), ("μs", 1e3), ("ms", 1e6), ("s", 1e9), ("m", 6e10), ("h", 3.6e12),
        ]
        var total: Double = 0
        while !rest.isEmpty {
            let number = rest.prefix(while: { $0.isASCII && ($0.isNumber || $0 == ".") })
            guard !number.isEmpty, number != ".", let value = Double(number.hasPrefix(".") ? "0" + number : number) else { return nil }
            rest = rest.dropFirst(number.count)
            let unitText = rest.prefix(while: { !($0.isASCII && ($0.isNumber || $0 == ".")) })
            guard let unit = units.first(where: { $0.0 == unitText }) else { return nil }
            rest = rest.dropFirst(unitText.count)
            total += value * unit.1
        }
        guard total < 9.223372036854775e18 else { return nil }
        return negative ? -Int64(total.rounded()) : Int64(total.rounded())
    }

    /// Seconds as a Duration, saturating where Go's arithmetic would overflow.
    static func nanoseconds(_ seconds: Int64) -> Int64 {
        let (product, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        return overflow ? (seconds < 0 ? .min : .max) : product
    }

    /// `Duration.Round(time.Second)`: halves away from zero.
    static func roundToSecond(_ nanoseconds: Int64) -> Int64 {
        let remainder = nanoseconds % 1_000_000_000
        var rounded = nanoseconds - remainder
        if abs(remainder) * 2 >= 1_000_000_000 {
            let (sum, overflow) = rounded.addingReportingOverflow(nanoseconds < 0 ? -1_000_000_000 : 1_000_000_000)
            rounded = overflow ? (nanoseconds < 0 ? .min : .max) : sum
        }
        return rounded
    }

    /// Sprig's `durationRound`: the largest unit only (`2h`, `1d`, `3mo`, `1y`).
    static func roundedDuration(_ nanoseconds: Int64) -> String {
        let u = nanoseconds.magnitude
        let second: UInt64 = 1_000_000_000
        let units: [(UInt64, String)] = [
            (second * 3600 * 24 * 365, "y"), (second * 3600 * 24 * 30, "mo"), (second * 3600 * 24, "d"),
            (second * 3600, "h"), (second * 60, "m"), (second, "s"),
        ]
        for (size, name) in units where u > size { return String(u / size) + name }
        return "0s"
    }
}
