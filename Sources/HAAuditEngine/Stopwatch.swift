#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Wall-clock time, for `--timing`.
public struct Stopwatch: Sendable {
    private var start = Stopwatch.now()

    public init() {}

    public static func now() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }

    public var seconds: Double { Stopwatch.now() - start }

    /// The seconds since the last lap (or the start), starting a new lap.
    public mutating func lap() -> Double {
        let now = Stopwatch.now()
        defer { start = now }
        return now - start
    }
}
