// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "haaudit",
    // Built and tested on Linux only. On macOS, Synchronization's Atomic (Engine/Parallel.swift)
    // needs macOS 15; that build is not tested.
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "haaudit", targets: ["haaudit"]),
        .library(name: "HAAuditKit", targets: ["HAAuditKit"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // libyaml's event parser: the reader builds its own positioned tree from the events.
        .systemLibrary(
            name: "CLibYAML",
            pkgConfig: "yaml-0.1",
            providers: [.apt(["libyaml-dev"]), .brew(["libyaml"])]
        ),
        // libxml2 for the XML templates (Service Fabric, Cloud Services); no external entities,
        // no network.
        .systemLibrary(
            name: "CLibXML2",
            pkgConfig: "libxml-2.0",
            providers: [.apt(["libxml2-dev"]), .brew(["libxml2"])]
        ),
        // zlib's inflate for chart archives (`charts/*.tgz`), bounded by the caller.
        .systemLibrary(
            name: "CZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"]), .brew(["zlib"])]
        ),
        // The pipeline's layers, each a target so that it can import only the layers below it:
        // readers -> frontends -> model <- rules; the engine runs them; reporters format its result.
        .target(name: "HAAuditParallel"),
        .target(name: "HAAuditModel"),
        .target(name: "HAAuditReaders", dependencies: ["HAAuditModel", "CLibYAML", "CLibXML2"]),
        .target(name: "HAAuditFrontends", dependencies: ["HAAuditModel", "HAAuditReaders", "HAAuditParallel"]),
        // Helm charts rendered natively: Go text/template, Sprig and Helm's engine (DESIGN 12).
        .target(name: "HAAuditHelm", dependencies: ["HAAuditModel", "HAAuditReaders", "CZlib"]),
        // Rules see the topology model and nothing else.
        .target(name: "HAAuditRules", dependencies: ["HAAuditModel"]),
        // Discovery, loading, the rule loop, suppressions, policy, scoring, the gate, simulation.
        .target(
            name: "HAAuditEngine",
            dependencies: ["HAAuditModel", "HAAuditReaders", "HAAuditFrontends", "HAAuditRules", "HAAuditParallel"]
        ),
        .target(
            name: "HAAuditReporters",
            dependencies: ["HAAuditModel", "HAAuditRules", "HAAuditEngine", "HAAuditParallel"]
        ),
        // The library as one import.
        .target(
            name: "HAAuditKit",
            dependencies: ["HAAuditModel", "HAAuditReaders", "HAAuditFrontends", "HAAuditRules", "HAAuditEngine", "HAAuditReporters"]
        ),
        .executableTarget(
            name: "haaudit",
            dependencies: [
                "HAAuditKit",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // The command-line tests run the binary: depending on it makes `swift test` build it.
        .testTarget(
            name: "HAAuditKitTests",
            dependencies: [
                "HAAuditKit", "HAAuditModel", "HAAuditReaders", "HAAuditFrontends", "HAAuditRules",
                "HAAuditEngine", "HAAuditReporters", "HAAuditParallel", "haaudit",
            ]
        ),
        // The renderer against ../shared/helm-conformance (Go, Sprig and Helm test vectors).
        .testTarget(name: "HAAuditHelmTests", dependencies: ["HAAuditHelm", "HAAuditModel", "CZlib"]),
    ]
)
