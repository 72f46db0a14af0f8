import HAAuditModel

/// A container image named by a tag that moves: `:latest`, or no tag at all.
public struct MutableImageTag: Rule {
    public init() {}

    public let description = RuleDescription(
        name: "mutable-image-tag",
        code: "HA505",
        category: .disruption,
        severity: .low,
        summary: "A container image is `:latest` or has no tag.",
        rationale: """
            An image without a tag is `:latest`, and `:latest` moves with every push. A pod \
            rescheduled after a node failure, a scale-out or a rollback then pulls whatever the tag \
            points at now: replicas run different code, and rolling back to the previous manifest \
            does not bring the previous code back.
            """,
        remediation: "Name the image by a version tag (`example/web:1.4.2`) or, to be sure, by its digest (`example/web@sha256:…`), and change it with each release.",
        notes: [
            "A digest (`@sha256:`) pins the image whatever its tag. A registry port is not a tag (`registry:5000/app` has none).",
            "Kubernetes: the containers of every workload (init containers are not checked). ECS: the containers of a service's task definition declared in the same template.",
            "An image that is a template placeholder, an unresolved parameter, not a valid image name (upper case: `IMAGE`) or whose tag is empty is unknown: the finding is info. `ko://` references are built and pinned by ko, and pass.",
            "Bare image names that a build tool replaces at deploy time (Skaffold, Tilt: `image: adservice`) are reported: haaudit does not read their configuration. Suppress the rule on such manifests, or scan what the tool renders.",
        ],
        examples: [
            .triggers(.kubernetes, "An image without a tag", line: 12, column: 11, """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web}
                spec:
                  replicas: 2
                  selector: {matchLabels: {app: web}}
                  template:
                    metadata: {labels: {app: web}}
                    spec:
                      containers:
                        - name: web
                          image: registry.example.com:5000/team/web
                """),
            .triggers(.cloudformation, "An ECS container on :latest", line: 9, column: 18, """
                AWSTemplateFormatVersion: '2010-09-09'
                Resources:
                  Task:
                    Type: AWS::ECS::TaskDefinition
                    Properties:
                      RequiresCompatibilities: [FARGATE]
                      ContainerDefinitions:
                        - Name: api
                          Image: example/api:latest
                          PortMappings: [{ContainerPort: 8080}]
                  Api:
                    Type: AWS::ECS::Service
                    Properties: {Cluster: main, DesiredCount: 2, TaskDefinition: !Ref Task}
                """),
            .passes(.kubernetes, "A version tag, and a digest", """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web}
                spec:
                  replicas: 2
                  selector: {matchLabels: {app: web}}
                  template:
                    metadata: {labels: {app: web}}
                    spec:
                      containers:
                        - name: web
                          image: registry.example.com:5000/team/web:1.4.2
                        - name: proxy
                          image: envoyproxy/envoy@sha256:4b7e2a5f0c1d3e6f8a9b0c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6a7b8c9d0e1f
                """),
            .passes(.cloudformation, "An ECS container on a version tag", """
                AWSTemplateFormatVersion: '2010-09-09'
                Resources:
                  Task:
                    Type: AWS::ECS::TaskDefinition
                    Properties:
                      ContainerDefinitions:
                        - Name: api
                          Image: example/api:2.3.1
                  Api:
                    Type: AWS::ECS::Service
                    Properties: {Cluster: main, DesiredCount: 2, TaskDefinition: !Ref Task}
                """),
        ])

    public func evaluate(_ component: Component, in context: RuleContext) -> [Violation]? {
        let imaged = component.containers.filter { $0.image != nil }
        guard !imaged.isEmpty else { return nil }
        return imaged.compactMap { container in
            guard let image = container.image else { return nil }
            let subject = "Container \(container.name) of \(component.title)"
            let reference = image.value.map(Self.judge) ?? .unresolved(image.reason ?? "it cannot be resolved")
            switch reference {
            case .pinned:
                return nil
            case .unresolved(let reason):
                return Violation("\(subject) may run a mutable image: \(image.source) cannot be resolved (\(reason)).",
                                 at: image.location, isUncertain: true, key: container.name)
            case .latest, .untagged:
                let how = reference == .latest ? "is tagged :latest" : "has no tag, so it is :latest"
                return Violation("\(subject) runs image \(image.value ?? "") which \(how): a rescheduled \(component.platform.instanceNoun) or a rollback may run different code.",
                                 at: image.location, key: container.name)
            }
        }
    }

    enum Reference: Equatable {
        case pinned, latest, untagged
        case unresolved(String)
    }

    /// Template and shell placeholders, and the `*` that stands for parts known only at deploy time.
    private static let placeholderMarks = ["{{", "$", "*", "<", "%"]

    /// What an image reference pins: `name[:tag][@digest]`, where the name may start with a
    /// registry host and port (`registry:5000/app`), so the tag is after the last colon of the
    /// last path segment.
    static func judge(_ text: String) -> Reference {
        if text.hasPrefix("ko://") { return .pinned }
        if let at = text.firstIndex(of: "@"), text[at...].contains(":") { return .pinned }
        guard !text.isEmpty else { return .unresolved("it is empty") }
        let segment = text.split(separator: "/", omittingEmptySubsequences: false).last ?? Substring(text)
        let parts = segment.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        let repository = parts[0]
        // A placeholder in the tag, or in a last segment that may carry one, hides the tag.
        let hidden = parts.count == 2 ? parts[1] : segment
        if placeholderMarks.contains(where: { hidden.contains($0) }) { return .unresolved("'\(text)' is a template placeholder") }
        if repository.contains(where: \.isUppercase) { return .unresolved("'\(text)' is not a valid image name, so a placeholder") }
        guard parts.count == 2 else { return .untagged }
        if parts[1].isEmpty { return .unresolved("the tag of '\(text)' is empty") }
        return parts[1] == "latest" ? .latest : .pinned
    }
}
