import HAAuditModel

/// A traffic-serving container with no readiness signal.
public struct MissingReadinessProbe: Rule {
    public init() {}

    public let description = RuleDescription(
        name: "missing-readiness-probe",
        code: "HA301",
        category: .health,
        severity: .medium,
        summary: "A traffic-serving container has no readiness probe.",
        rationale: """
            Without a readiness probe a pod receives traffic as soon as its process starts, before it \
            can answer, and keeps receiving it while it is overloaded or cut off from what it depends \
            on. Rollouts then shift traffic to instances that are not ready.
            """,
        remediation: """
            Add a readiness probe on an endpoint that reports whether this instance can serve:

            ```yaml
            readinessProbe:
              httpGet: {path: /ready, port: http}
              periodSeconds: 5
            ```
            """,
        notes: [
            "Kubernetes: a container serves traffic when it declares a port, or when a Service selects its pods (then, if none of the pod's containers declares a port, each that does more than sleep). Queue workers and outbound-only clients with neither are not checked.",
            "DaemonSets, Jobs and CronJobs are not checked; init containers are not either.",
            "Cloud Services: a role with an InputEndpoint that is not bound to a LoadBalancerProbe; without one, only the guest agent's Ready state is checked, so an application returning errors stays in rotation.",
            "ECS: a container of the service's task definition (in the same template) without a HealthCheck, in a service with no load balancer whose health check would stand in for it. A container serves traffic when a load balancer or service discovery (ServiceRegistries, Service Connect) routes to its service or it declares PortMappings; a queue worker with neither is not checked.",
        ],
        examples: [
            .triggers(.kubernetes, "A container that declares a port, without a readiness probe", line: 11, column: 11, """
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
                          ports: [{name: http, containerPort: 80}]
                """),
            .triggers(.kubernetes, "No declared port, but a Service routes to the pods", line: 11, column: 11, """
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
                ---
                apiVersion: v1
                kind: Service
                metadata: {name: web}
                spec:
                  selector: {app: web}
                  ports: [{port: 80}]
                """),
            .notApplicable(.kubernetes, "A queue worker: no port, and no Service selects it", """
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
                          args: [--queue, jobs]
                """),
            .triggers(.cloudformation, "An ECS container with a port, without a health check, and no load balancer", line: 8, column: 11, """
                AWSTemplateFormatVersion: '2010-09-09'
                Resources:
                  Task:
                    Type: AWS::ECS::TaskDefinition
                    Properties:
                      RequiresCompatibilities: [FARGATE]
                      ContainerDefinitions:
                        - Name: api
                          Image: example/api:1
                          PortMappings: [{ContainerPort: 8080}]
                  Api:
                    Type: AWS::ECS::Service
                    Properties: {Cluster: main, DesiredCount: 2, TaskDefinition: !Ref Task}
                """),
            .notApplicable(.cloudformation, "An ECS queue worker: no port, no load balancer", """
                AWSTemplateFormatVersion: '2010-09-09'
                Resources:
                  Task:
                    Type: AWS::ECS::TaskDefinition
                    Properties:
                      ContainerDefinitions:
                        - Name: worker
                          Image: example/worker:1
                  Workers:
                    Type: AWS::ECS::Service
                    Properties: {Cluster: main, DesiredCount: 2, TaskDefinition: !Ref Task}
                """),
            .passes(.cloudformation, "An ECS container with a health check", """
                AWSTemplateFormatVersion: '2010-09-09'
                Resources:
                  Task:
                    Type: AWS::ECS::TaskDefinition
                    Properties:
                      ContainerDefinitions:
                        - Name: api
                          Image: example/api:1
                          PortMappings: [{ContainerPort: 8080}]
                          HealthCheck: {Command: [CMD-SHELL, api health]}
                  Api:
                    Type: AWS::ECS::Service
                    Properties: {Cluster: main, DesiredCount: 2, TaskDefinition: !Ref Task}
                """),
            .triggers(.cloudservices, "An input endpoint bound to no load balancer probe", line: 3, column: 3, file: "ServiceDefinition.csdef", """
                <?xml version="1.0" encoding="utf-8"?>
                <ServiceDefinition name="Shop" xmlns="http://schemas.microsoft.com/ServiceHosting/2008/10/ServiceDefinition">
                  <WebRole name="Frontend" vmsize="Standard_D1_v2">
                    <Endpoints>
                      <InputEndpoint name="Http" protocol="http" port="80" />
                    </Endpoints>
                  </WebRole>
                </ServiceDefinition>
                """),
            .passes(.cloudservices, "An endpoint bound to an HTTP probe", file: "ServiceDefinition.csdef", """
                <?xml version="1.0" encoding="utf-8"?>
                <ServiceDefinition name="Shop" xmlns="http://schemas.microsoft.com/ServiceHosting/2008/10/ServiceDefinition">
                  <LoadBalancerProbes>
                    <LoadBalancerProbe name="Health" protocol="http" path="/health" port="80" />
                  </LoadBalancerProbes>
                  <WebRole name="Frontend" vmsize="Standard_D1_v2">
                    <Endpoints>
                      <InputEndpoint name="Http" protocol="http" port="80" loadBalancerProbe="Health" />
                    </Endpoints>
                  </WebRole>
                </ServiceDefinition>
                """),
            .passes(.kubernetes, "A readiness probe on a declared port", """
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
                          ports: [{name: http, containerPort: 80}]
                          readinessProbe:
                            httpGet: {path: /ready, port: http}
                """),
        ])

    public func evaluate(_ component: Component, in context: RuleContext) -> [Violation]? {
        let serving = component.containers.filter(\.servesTraffic)
        guard !serving.isEmpty else { return nil }
        return serving.filter { $0.readiness == nil }.map { container in
            // A Cloud Services role is its own unit: no container name to add.
            let subject = container.name == component.name ? component.title : "Container \(container.name) of \(component.title)"
            return Violation("\(subject) has no readiness probe; it gets traffic before it can serve.", at: container.location, key: container.name)
        }
    }
}
