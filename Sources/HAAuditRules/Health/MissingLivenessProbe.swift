import HAAuditModel

/// A long-running container with no liveness probe.
public struct MissingLivenessProbe: Rule {
    public init() {}

    public let description = RuleDescription(
        name: "missing-liveness-probe",
        code: "HA302",
        category: .health,
        severity: .low,
        summary: "A long-running container has no liveness probe.",
        rationale: """
            A process that deadlocks or wedges without exiting is never restarted unless something \
            asks whether it is alive. The liveness probe is that question.
            """,
        remediation: """
            Add a liveness probe on a cheap endpoint that fails only when a restart would help, with a \
            failure budget longer than the readiness probe's:

            ```yaml
            livenessProbe:
              httpGet: {path: /live, port: http}
              periodSeconds: 10
              failureThreshold: 6
            ```
            """,
        notes: [
            "Jobs and CronJobs run to completion and are not checked.",
            "Placeholder containers are not checked: the pause image, and commands that only sleep or tail (`sleep infinity`, `tail -f /dev/null`), as image pre-pullers and debug shells run.",
            "Service Fabric: container code packages need a liveness probe (`CodePackagePolicy/Probes/Probe Type=\"Liveness\"`) or Docker HEALTHCHECK integration (`HealthConfig IncludeDockerHealthStatusInSystemHealthReport=\"true\"`). Other code packages report health from their code, which cannot be seen statically, so they are not judged.",
        ],
        examples: [
            .triggers(.kubernetes, "A container without a liveness probe", line: 11, column: 11, """
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
                          image: nginx
                """),
            .triggers(.servicefabric, "A container package without a liveness probe", line: 4, column: 3, file: "WebPkg/ServiceManifest.xml", """
                <?xml version="1.0" encoding="utf-8"?>
                <ServiceManifest Name="WebPkg" Version="1.0.0" xmlns="http://schemas.microsoft.com/2011/01/fabric">
                  <ServiceTypes><StatelessServiceType ServiceTypeName="WebType" UseImplicitHost="true" /></ServiceTypes>
                  <CodePackage Name="Code" Version="1.0.0">
                    <EntryPoint><ContainerHost><ImageName>example/web:1</ImageName></ContainerHost></EntryPoint>
                  </CodePackage>
                </ServiceManifest>
                """, context: [("ApplicationPackageRoot/ApplicationManifest.xml", """
                <?xml version="1.0" encoding="utf-8"?>
                <ApplicationManifest ApplicationTypeName="ShopType" ApplicationTypeVersion="1.0.0" xmlns="http://schemas.microsoft.com/2011/01/fabric">
                  <ServiceManifestImport>
                    <ServiceManifestRef ServiceManifestName="WebPkg" ServiceManifestVersion="1.0.0" />
                  </ServiceManifestImport>
                  <DefaultServices>
                    <Service Name="Web">
                      <StatelessService ServiceTypeName="WebType" InstanceCount="-1"><SingletonPartition /></StatelessService>
                    </Service>
                  </DefaultServices>
                </ApplicationManifest>
                """)]),
            .passes(.servicefabric, "A liveness probe in the application's policies", file: "ApplicationPackageRoot/ApplicationManifest.xml", """
                <?xml version="1.0" encoding="utf-8"?>
                <ApplicationManifest ApplicationTypeName="ShopType" ApplicationTypeVersion="1.0.0" xmlns="http://schemas.microsoft.com/2011/01/fabric">
                  <ServiceManifestImport>
                    <ServiceManifestRef ServiceManifestName="WebPkg" ServiceManifestVersion="1.0.0" />
                    <Policies>
                      <CodePackagePolicy CodePackageRef="Code">
                        <Probes>
                          <Probe Type="Liveness" FailureThreshold="6"><HttpGet Path="/live" Port="8080" /></Probe>
                        </Probes>
                      </CodePackagePolicy>
                    </Policies>
                  </ServiceManifestImport>
                  <DefaultServices>
                    <Service Name="Web">
                      <StatelessService ServiceTypeName="WebType" InstanceCount="-1"><SingletonPartition /></StatelessService>
                    </Service>
                  </DefaultServices>
                </ApplicationManifest>
                """, context: [("WebPkg/ServiceManifest.xml", """
                <?xml version="1.0" encoding="utf-8"?>
                <ServiceManifest Name="WebPkg" Version="1.0.0" xmlns="http://schemas.microsoft.com/2011/01/fabric">
                  <ServiceTypes><StatelessServiceType ServiceTypeName="WebType" UseImplicitHost="true" /></ServiceTypes>
                  <CodePackage Name="Code" Version="1.0.0">
                    <EntryPoint><ContainerHost><ImageName>example/web:1</ImageName></ContainerHost></EntryPoint>
                  </CodePackage>
                </ServiceManifest>
                """)]),
            .passes(.kubernetes, "A sidecar that only sleeps, beside a probed container", """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: worker}
                spec:
                  replicas: 2
                  selector: {matchLabels: {app: worker}}
                  template:
                    metadata: {labels: {app: worker}}
                    spec:
                      containers:
                        - name: worker
                          image: example/worker:1
                          livenessProbe:
                            exec: {command: [worker, health]}
                        - name: debug-shell
                          image: busybox:1.36
                          command: [/bin/sh, -c, "sleep infinity"]
                """),
            .passes(.kubernetes, "A liveness probe", """
                apiVersion: apps/v1
                kind: DaemonSet
                metadata: {name: agent}
                spec:
                  selector: {matchLabels: {app: agent}}
                  template:
                    metadata: {labels: {app: agent}}
                    spec:
                      containers:
                        - name: agent
                          image: example/agent
                          livenessProbe:
                            exec: {command: [agent, health]}
                """),
        ])

    public func evaluate(_ component: Component, in context: RuleContext) -> [Violation]? {
        let probeable = component.containers.filter { $0.supportsLivenessProbe && !$0.isPlaceholder }
        guard let shape = component.workloadShape, shape != .batch, !probeable.isEmpty else { return nil }
        return probeable.filter { $0.liveness == nil }.map { container in
            Violation("Container \(container.name) of \(component.title) has no liveness probe; a hung process is never restarted.",
                      at: container.location, key: container.name)
        }
    }
}
