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
        .target(
            name: "HAAuditKit",
            dependencies: ["CLibYAML", "CLibXML2"]
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
            dependencies: ["HAAuditKit", "haaudit"]
        ),
    ]
)
