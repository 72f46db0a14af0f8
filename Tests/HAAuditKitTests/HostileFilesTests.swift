import Foundation
import Testing

/// What haaudit reads and writes on disk is safe however the paths are laid out: reports go
/// through links and into devices without replacing them and are never lost silently, links do
/// not lead the walk out of the named folders, ids do not depend on where the run starts, and
/// command-line numbers never trap.
@Suite("Hostile files", .serialized)
struct HostileFilesTests {
    static let deployment = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: NAME}\nspec:\n  replicas: 1\n  selector: {matchLabels: {app: web}}\n"
    static let template = """
        AWSTemplateFormatVersion: '2010-09-09'
        Resources:
          Orders:
            Type: AWS::RDS::DBInstance
            Properties: {Engine: postgres, DBInstanceClass: db.t3.micro, MultiAZ: false}

        """

    /// A fresh folder holding `files` (path → text, folders made as needed), removed by the caller.
    func folder(_ files: [String: String]) throws -> URL {
        let folder = try temporaryFolder()
        for (path, text) in files {
            let url = folder.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
        return folder
    }

    func json(_ run: HAAuditRun) -> [String: Any]? {
        try? JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any]
    }

    func componentNames(_ report: [String: Any]?) -> [String] {
        (report?["findings"] as? [[String: Any]] ?? []).compactMap { ($0["component"] as? [String: Any])?["name"] as? String }
    }

    func diagnostics(_ report: [String: Any]?) -> [[String: Any]] {
        report?["diagnostics"] as? [[String: Any]] ?? []
    }

    /// Runs the binary through the shell, for redirections the test process cannot make itself.
    func shell(_ script: String, _ arguments: [String]) throws -> HAAuditRun {
        try runProgram("/bin/sh", ["-c", script, haauditBinary] + arguments)
    }

    // MARK: Writing reports

    @Test func anOutputThroughASymbolicLinkReplacesItsTargetAndTheLinkStays() throws {
        let root = try folder(["web.yaml": Self.deployment.replacingOccurrences(of: "NAME", with: "web"), "reports/real.json": "old"])
        defer { try? FileManager.default.removeItem(at: root) }
        let link = root.appendingPathComponent("report.json").path
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: "reports/real.json")
        let run = try runHAAudit(["scan", "web.yaml", "--format", "json", "--output", "report.json"], in: root.path)
        #expect(run.status == 1, "\(run.stderr)")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link) == "reports/real.json")
        let written = try String(contentsOfFile: root.appendingPathComponent("reports/real.json").path, encoding: .utf8)
        #expect(written.contains("\"single-replica\""))
        #expect(try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("reports").path) == ["real.json"],
                "no temporary file is left behind")
    }

    /// As root, `--output /dev/stdout > r.sarif` once replaced the device's link with a file and
    /// left r.sarif empty: descriptors are written in place, and the redirected file gets the report.
    @Test func aDescriptorRedirectedToAFileGetsTheReport() throws {
        let root = try folder(["web.yaml": Self.deployment.replacingOccurrences(of: "NAME", with: "web")])
        defer { try? FileManager.default.removeItem(at: root) }
        // The descriptor links that are safe to get wrong come first: a binary that still renames
        // over them fails there, before it could replace /dev/stdout.
        for descriptor in ["/proc/self/fd/1", "/dev/fd/1", "/dev/stdout"] {
            let report = root.appendingPathComponent("r.sarif").path
            let run = try shell(#""$0" scan "$1" --format sarif --output "$2" > "$3""#,
                                [root.appendingPathComponent("web.yaml").path, descriptor, report])
            try #require(run.status == 1, "\(descriptor): \(run.stderr)")
            let written = try String(contentsOfFile: report, encoding: .utf8)
            try #require(written.contains("\"HA101\""), "\(descriptor) left the redirected file without the report")
        }
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: "/dev/stdout").hasPrefix("/proc/"))
    }

    @Test func aFullDeviceIsAnErrorNotASilentLoss() throws {
        let root = try folder(["web.yaml": Self.deployment.replacingOccurrences(of: "NAME", with: "web")])
        defer { try? FileManager.default.removeItem(at: root) }
        let named = try runHAAudit(["scan", "web.yaml", "--output", "/dev/full"], in: root.path)
        #expect(named.status == 2)
        #expect(named.stderr.contains("cannot write /dev/full"), "\(named.stderr)")
        let redirected = try shell(#""$0" scan "$1" > /dev/full"#, [root.appendingPathComponent("web.yaml").path])
        #expect(redirected.status == 2)
        #expect(redirected.stderr.contains("cannot write standard output"), "\(redirected.stderr)")
    }

    @Test func aClosedStandardOutputIsAnError() throws {
        let root = try folder(["web.yaml": Self.deployment.replacingOccurrences(of: "NAME", with: "web")])
        defer { try? FileManager.default.removeItem(at: root) }
        for arguments in [["scan", "web.yaml"], ["topology", "web.yaml"], ["rules"], ["version"]] {
            let run = try shell(#"cd "$1" && shift && "$0" "$@" >&-"#, [root.path] + arguments)
            #expect(run.status == 2, "\(arguments): \(run.stderr)")
            #expect(run.stderr.contains("cannot write standard output"), "\(arguments): \(run.stderr)")
        }
    }

    @Test func aReaderGoneFromThePipeIsAnErrorNotASignal() throws {
        let root = try folder(["web.yaml": Self.deployment.replacingOccurrences(of: "NAME", with: "web")])
        defer { try? FileManager.default.removeItem(at: root) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: haauditBinary)
        process.arguments = ["scan", root.appendingPathComponent("web.yaml").path]
        let out = Pipe(), err = Pipe()
        try out.fileHandleForReading.close()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        try out.fileHandleForWriting.close()
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationReason == .exit, "not killed by SIGPIPE")
        #expect(process.terminationStatus == 2)
        #expect(stderr.contains("cannot write standard output"), "\(stderr)")
    }

    // MARK: Walking

    @Test func aSymbolicLinkOutOfTheNamedFoldersIsNotFollowed() throws {
        let root = try folder(["repo/web.yaml": Self.deployment.replacingOccurrences(of: "NAME", with: "web"),
                               "elsewhere/secret.yaml": Self.deployment.replacingOccurrences(of: "NAME", with: "topsecret"),
                               "elsewhere/more/secret.yaml": Self.deployment.replacingOccurrences(of: "NAME", with: "alsosecret")])
        defer { try? FileManager.default.removeItem(at: root) }
        let repo = root.appendingPathComponent("repo")
        try FileManager.default.createSymbolicLink(atPath: repo.appendingPathComponent("leak.yaml").path, withDestinationPath: "../elsewhere/secret.yaml")
        try FileManager.default.createSymbolicLink(atPath: repo.appendingPathComponent("etc").path, withDestinationPath: root.appendingPathComponent("elsewhere/more").path)
        try FileManager.default.createSymbolicLink(atPath: repo.appendingPathComponent("inside.yaml").path, withDestinationPath: "web.yaml")
        let run = try runHAAudit(["scan", ".", "--format", "json"], in: repo.path)
        let report = json(run)
        #expect(run.status == 1, "warnings do not fail the audit: \(run.stderr)")
        #expect(componentNames(report) == ["web"], "a link inside the folder is still followed, once")
        #expect(!run.stdout.contains("secret") && !run.stderr.contains("secret"))
        let warnings = diagnostics(report).filter { $0["level"] as? String == "warning" }.compactMap { $0["message"] as? String }
        #expect(warnings.count == 2)
        #expect(warnings.contains { $0.contains("skipped leak.yaml") } && warnings.contains { $0.contains("skipped etc") }, "\(warnings)")
    }

    @Test func aFileReachedThroughSeveralLinksIsAuditedOnce() throws {
        let root = try folder(["deploy/web.yaml": Self.deployment.replacingOccurrences(of: "NAME", with: "web")])
        defer { try? FileManager.default.removeItem(at: root) }
        try FileManager.default.createSymbolicLink(atPath: root.appendingPathComponent("first.yaml").path, withDestinationPath: "deploy/web.yaml")
        try FileManager.default.createSymbolicLink(atPath: root.appendingPathComponent("second.yaml").path, withDestinationPath: "first.yaml")
        try FileManager.default.createSymbolicLink(atPath: root.appendingPathComponent("mirror").path, withDestinationPath: "deploy")
        let run = try runHAAudit(["scan", ".", "deploy/web.yaml", "--format", "json"], in: root.path)
        let report = json(run)
        #expect((report?["summary"] as? [String: Any])?["files"] as? Int == 1)
        #expect(componentNames(report) == ["web"])
        #expect(diagnostics(report).isEmpty, "a duplicate is no error: \(diagnostics(report))")
    }

    // MARK: Identity

    /// A baseline written at a project's root still holds its findings when the run starts in its
    /// parent or in a subfolder: ids are relative to the project, not to the working directory.
    @Test(arguments: [false, true])
    func aBaselineMatchesWhereverTheRunStarts(inGitWorkTree: Bool) throws {
        var files = ["proj/web.yaml": Self.deployment.replacingOccurrences(of: "NAME", with: "web"),
                     "proj/infra/db.yaml": Self.template]
        if inGitWorkTree { files["proj/.git/HEAD"] = "ref: refs/heads/main\n" }
        let root = try folder(files)
        defer { try? FileManager.default.removeItem(at: root) }
        let project = root.appendingPathComponent("proj").path
        let baseline = root.appendingPathComponent("baseline.json").path
        let written = try runHAAudit(["scan", ".", "--format", "json", "--write-baseline", baseline], in: project)
        let names = componentNames(json(written))
        #expect(names.contains("web") && names.contains("Orders"), "\(names)")
        let ids = (json(written)?["findings"] as? [[String: Any]] ?? []).compactMap { ($0["component"] as? [String: Any])?["id"] as? String }
        #expect(ids.contains { $0.hasPrefix("cfn:infra/db.yaml#Orders") }, "\(ids)")

        var runs = [(directory: root.path, arguments: ["proj"]), (directory: project + "/infra", arguments: [".."])]
        // Inside a git work tree a subfolder scanned alone still has the project's ids.
        if inGitWorkTree { runs.append((project + "/infra", ["."])) }
        for (directory, arguments) in runs {
            let run = try runHAAudit(["scan"] + arguments + ["--format", "json", "--baseline", baseline], in: directory)
            let report = json(run)
            #expect(run.status == 0, "\(directory) \(arguments): \(run.stderr)")
            #expect(componentNames(report).isEmpty, "\(directory) \(arguments): \(componentNames(report))")
            #expect(((report?["summary"] as? [String: Any])?["baselined"] as? Int ?? 0) > 0)
        }
    }

    // MARK: Command-line numbers

    @Test func badNumbersAreExit2WithAMessage() throws {
        let root = try folder(["web.yaml": Self.deployment.replacingOccurrences(of: "NAME", with: "web")])
        defer { try? FileManager.default.removeItem(at: root) }
        let cases: [(arguments: [String], message: String)] = [
            (["scan", "--max-file-size=-5M"], "--max-file-size takes a size of 0 or more"),
            (["scan", "--max-file-size=-1"], "--max-file-size takes a size of 0 or more"),
            (["scan", "--max-file-size", "12X"], "--max-file-size takes a size of 0 or more"),
            (["scan", "--max-file-size", "M"], "--max-file-size takes a size of 0 or more"),
            (["scan", "--jobs", "0"], "--jobs takes a count of 1 or more"),
            (["scan", "--jobs=-1"], "--jobs takes a count of 1 or more"),
            (["scan", "--jobs", "99999999999999999999"], "--jobs"),
            (["simulate", "--fail", "zone", "--zones", "0"], "--zones takes a count of 1 or more"),
        ]
        for (arguments, message) in cases {
            let run = try runHAAudit(arguments + ["web.yaml"], in: root.path)
            #expect(run.status == 2, "\(arguments): \(run.stderr)")
            #expect(run.stderr.contains(message), "\(arguments): \(run.stderr)")
        }
    }

    @Test func hugeNumbersAreClampedNotTrapped() throws {
        let root = try folder(["web.yaml": Self.deployment.replacingOccurrences(of: "NAME", with: "web")])
        defer { try? FileManager.default.removeItem(at: root) }
        for size in ["9223372036854775807K", "99999999999999999999G", "9223372036854775807"] {
            let run = try runHAAudit(["scan", "web.yaml", "--max-file-size", size], in: root.path)
            #expect(run.status == 1, "\(size): \(run.stderr)")
        }
        let jobs = try runHAAudit(["scan", "web.yaml", "--jobs", "9223372036854775807", "--timing"], in: root.path)
        #expect(jobs.status == 1, "\(jobs.stderr)")
        #expect(jobs.stderr.contains("256 jobs"), "\(jobs.stderr)")
        // A workload spread over zones: its worst-case share of --zones is computed.
        let zones = try runHAAudit(["simulate", "fixtures/simulation/kubernetes", "--fail", "zone", "--zones", "9223372036854775807"])
        #expect(zones.status == 0, "\(zones.stderr)")
        #expect(zones.stdout.contains("3 spread over 9223372036854775807 zones: loses 1"), "\(zones.stdout)")
    }

    /// A file larger than a reader's offsets can hold (a sparse file: nothing is written) is
    /// refused before it is read, whatever `--max-file-size` allows.
    @Test func aFileBeyondWhatAReaderCanHoldIsRefused() throws {
        let root = try folder(["web.yaml": Self.deployment.replacingOccurrences(of: "NAME", with: "web")])
        defer { try? FileManager.default.removeItem(at: root) }
        let huge = root.appendingPathComponent("huge.yaml")
        #expect(FileManager.default.createFile(atPath: huge.path, contents: nil))
        let handle = try FileHandle(forWritingTo: huge)
        try handle.truncate(atOffset: 3 << 30)
        try handle.close()
        let started = Date()
        let run = try runHAAudit(["scan", ".", "--format", "json", "--max-file-size", "8G"], in: root.path)
        #expect(Date().timeIntervalSince(started) < timeBound(10))
        #expect(run.status == 2, "\(run.stderr)")
        #expect(componentNames(json(run)) == ["web"], "the other files are still audited")
        let messages = diagnostics(json(run)).compactMap { $0["message"] as? String }
        #expect(messages.contains { $0.contains("file is \(3 << 30) bytes, larger than the 1073741823 bytes (1 GiB) haaudit reads at most") },
                "\(messages)")
    }
}
