/// How every message and report counts things, so that the simulator, the rules and the reporters
/// say it alike.
///
/// "1 finding", "3 findings".
package func counted(_ count: Int, _ noun: String) -> String {
    "\(count) \(noun)\(count == 1 ? "" : "s")"
}
