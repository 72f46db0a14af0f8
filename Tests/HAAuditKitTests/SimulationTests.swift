import Testing
@testable import HAAuditEngine
@testable import HAAuditFrontends
@testable import HAAuditModel
@testable import HAAuditParallel
@testable import HAAuditReaders
@testable import HAAuditReporters
@testable import HAAuditRules

/// `Simulation` over small topologies: each scenario's worst case, propagation, and unknowns.
@Suite("Failure simulation")
struct SimulationTests {
    func simulate(_ scenario: String, zones: Int? = nil, _ sources: [(path: String, text: String)]) throws -> [String: SimulatedComponent] {
        let topology = Audit(policy: try Policy.load("default")).run(sources: sources).topology
        let outcomes = try Simulation(scenario: FailureScenario(scenario), zones: zones).run(topology)
        return Dictionary(uniqueKeysWithValues: outcomes.map { ("\($0.component.kind)/\($0.component.name)", $0) })
    }

    static let store = (path: "store.yaml", text: """
        apiVersion: v1
        kind: Service
        metadata: {name: web}
        spec: {selector: {app: web}}
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web}
        spec:
          replicas: 3
          selector: {matchLabels: {app: web}}
          template:
            metadata: {labels: {app: web}}
            spec:
              topologySpreadConstraints:
                - {maxSkew: 1, topologyKey: topology.kubernetes.io/zone, whenUnsatisfiable: DoNotSchedule}
                - {maxSkew: 1, topologyKey: kubernetes.io/hostname, whenUnsatisfiable: DoNotSchedule}
              containers: [{name: web, image: web}]
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: db}
        spec: {selector: {app: db}}
        ---
        apiVersion: apps/v1
        kind: StatefulSet
        metadata: {name: db}
        spec:
          replicas: 2
          selector: {matchLabels: {app: db}}
          template:
            metadata: {labels: {app: db}}
            spec:
              nodeSelector: {topology.kubernetes.io/zone: eu-west-1a}
              containers: [{name: db, image: postgres}]
        """)

    @Test func aZoneCountThatIsNotInTheManifestsMakesTheAnswerUnknown() throws {
        let outcomes = try simulate("zone", [Self.store])
        #expect(outcomes["Deployment/web"]?.status == .unknown)
        #expect(outcomes["Deployment/web"]?.instancesAfter == nil)
        #expect(outcomes["Service/web"]?.status == .unknown)
    }

    @Test func threeReplicasOverThreeZonesLoseOne() throws {
        let outcomes = try simulate("zone", zones: 3, [Self.store])
        #expect(outcomes["Deployment/web"]?.status == .degraded)
        #expect(outcomes["Deployment/web"]?.instancesBefore == 3)
        #expect(outcomes["Deployment/web"]?.instancesAfter == 2)
        #expect(try simulate("zone", zones: 2, [Self.store])["Deployment/web"]?.instancesAfter == 1)
    }

    @Test func aWorkloadPinnedToOneZoneTakesItsServiceDown() throws {
        let outcomes = try simulate("zone", zones: 3, [Self.store])
        #expect(outcomes["StatefulSet/db"]?.status == .down)
        #expect(outcomes["StatefulSet/db"]?.reasons == ["confined to one zone (eu-west-1a)"])
        #expect(outcomes["Service/db"]?.status == .down)
        #expect(outcomes["Service/db"]?.chain.map(\.name) == ["db"])
    }

    /// Three replicas spread over zones, on EBS volumes of a class that binds them `mode`.
    static func spreadStatefulSet(bindingMode mode: String) -> (path: String, text: String) {
        (path: "queue.yaml", text: """
            apiVersion: apps/v1
            kind: StatefulSet
            metadata: {name: queue}
            spec:
              replicas: 3
              serviceName: queue
              selector: {matchLabels: {app: queue}}
              template:
                metadata: {labels: {app: queue}}
                spec:
                  topologySpreadConstraints:
                    - {maxSkew: 1, topologyKey: topology.kubernetes.io/zone, whenUnsatisfiable: DoNotSchedule}
                  containers: [{name: queue, image: rabbitmq:3}]
              volumeClaimTemplates:
                - metadata: {name: data}
                  spec: {storageClassName: ebs, accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
            ---
            apiVersion: storage.k8s.io/v1
            kind: StorageClass
            metadata: {name: ebs}
            provisioner: ebs.csi.aws.com
            volumeBindingMode: \(mode)
            """)
    }

    @Test func volumesBoundBeforeSchedulingMayAllBeInTheLostZone() throws {
        let immediate = try simulate("zone", zones: 3, [Self.spreadStatefulSet(bindingMode: "Immediate")])["StatefulSet/queue"]
        #expect(immediate?.status == .down)
        #expect(immediate?.instancesAfter == 0)
        #expect(immediate?.reasons.first?.hasPrefix("its data volumes (StorageClass ebs) are each made in one zone before their pods are scheduled") == true)
        // Volumes made where the scheduler puts the pods follow the spread.
        let waiting = try simulate("zone", zones: 3, [Self.spreadStatefulSet(bindingMode: "WaitForFirstConsumer")])["StatefulSet/queue"]
        #expect(waiting?.status == .degraded)
        #expect(waiting?.instancesAfter == 2)
    }

    @Test func aSingleReplicaOnAZonalVolumeIsDownWithItsZone() throws {
        let source = (path: "cache.yaml", text: """
            apiVersion: apps/v1
            kind: StatefulSet
            metadata: {name: cache}
            spec:
              selector: {matchLabels: {app: cache}}
              template:
                metadata: {labels: {app: cache}}
                spec:
                  containers: [{name: cache, image: redis:7}]
              volumeClaimTemplates:
                - metadata: {name: data}
                  spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
            ---
            apiVersion: storage.k8s.io/v1
            kind: StorageClass
            metadata:
              name: standard-rwo
              annotations: {storageclass.kubernetes.io/is-default-class: "true"}
            provisioner: pd.csi.storage.gke.io
            volumeBindingMode: WaitForFirstConsumer
            """)
        let outcome = try simulate("zone", zones: 3, [source])["StatefulSet/cache"]
        #expect(outcome?.status == .down)
        #expect(outcome?.reasons == ["its one instance's data volume (StorageClass standard-rwo) is pinned to the lost zone: the pod cannot start in another"])
        // A node is not a zone: the pod starts again beside its volume.
        #expect(try simulate("node", [source])["StatefulSet/cache"]?.reasons.contains { $0.contains("volume") } == false)
    }

    @Test func replicasNotSpreadOverNodesMayShareTheLostNode() throws {
        let outcomes = try simulate("node", [Self.store])
        #expect(outcomes["Deployment/web"]?.status == .degraded)
        #expect(outcomes["StatefulSet/db"]?.status == .down)
        #expect(outcomes["StatefulSet/db"]?.instancesAfter == 0)
    }

    @Test func failingOneComponentShowsItsBlastRadius() throws {
        let outcomes = try simulate("db", [Self.store])
        #expect(outcomes["StatefulSet/db"]?.status == .down)
        #expect(outcomes["Service/db"]?.status == .down)
        #expect(outcomes["Deployment/web"]?.status == .up)
        #expect(throws: SimulationError.self) { try simulate("nothing-by-that-name", [Self.store]) }
    }

    @Test func aWorkloadIsDownWhenTheDataStoreItNamesIsDownAndUpWhenItFailsOver() throws {
        func stack(multiAZ: String) -> (path: String, text: String) {
            (path: "stack.yaml", text: """
                Resources:
                  Web:
                    Type: AWS::AutoScaling::AutoScalingGroup
                    Properties:
                      MinSize: '2'
                      MaxSize: '4'
                      AvailabilityZones: [eu-west-1a, eu-west-1b]
                      LaunchTemplate: {LaunchTemplateId: !Ref Launch, Version: '1'}
                  Launch:
                    Type: AWS::EC2::LaunchTemplate
                    Properties:
                      LaunchTemplateData:
                        UserData: {'Fn::Base64': !Sub 'DB=${Db.Endpoint.Address}'}
                  Db:
                    Type: AWS::RDS::DBInstance
                    Properties: {Engine: postgres, MultiAZ: \(multiAZ)}
                """)
        }
        let single = try simulate("zone", [stack(multiAZ: "false")])
        #expect(single["AWS::RDS::DBInstance/Db"]?.status == .down)
        #expect(single["AWS::AutoScaling::AutoScalingGroup/Web"]?.status == .down)
        #expect(single["AWS::AutoScaling::AutoScalingGroup/Web"]?.instancesAfter == 1)
        #expect(single["AWS::AutoScaling::AutoScalingGroup/Web"]?.chain.map(\.name) == ["Db"])
        let standby = try simulate("zone", [stack(multiAZ: "true")])
        #expect(standby["AWS::RDS::DBInstance/Db"]?.status == .up)
        #expect(standby["AWS::AutoScaling::AutoScalingGroup/Web"]?.status == .degraded)
        let unresolved = try simulate("zone", [stack(multiAZ: "!Ref NoSuchParameter")])
        #expect(unresolved["AWS::RDS::DBInstance/Db"]?.status == .unknown)
        #expect(unresolved["AWS::AutoScaling::AutoScalingGroup/Web"]?.status == .unknown)
    }

    @Test func aFunctionWithZeroReservedConcurrencyIsDownInEveryScenario() throws {
        func functions(reserved: String) -> (path: String, text: String) {
            (path: "functions.yaml", text: """
                Resources:
                  Resize:
                    Type: AWS::Lambda::Function
                    Properties: {Runtime: python3.12, Handler: app.handler, ReservedConcurrentExecutions: \(reserved)}
                  Thumbnail:
                    Type: AWS::Lambda::Function
                    Properties: {Runtime: python3.12, Handler: app.handler}
                """)
        }
        for scenario in ["zone", "node", "instance", "Thumbnail"] {
            let outcomes = try simulate(scenario, zones: 3, [functions(reserved: "0")])
            #expect(outcomes["AWS::Lambda::Function/Resize"]?.status == .down, "\(scenario)")
            #expect(outcomes["AWS::Lambda::Function/Resize"]?.reasons == ["ReservedConcurrentExecutions is 0: every invocation is throttled"])
        }
        #expect(try simulate("zone", zones: 3, [functions(reserved: "5")])["AWS::Lambda::Function/Resize"]?.status == .up)
        #expect(try simulate("zone", zones: 3, [functions(reserved: "0")])["AWS::Lambda::Function/Thumbnail"]?.status == .up)
    }
}

@Suite("Topology graphs")
struct GraphTests {
    @Test func labelsAreEscapedForMermaidAndDot() {
        // A line break from the input is shown as an escape (InertReportTests).
        #expect(Escaping.mermaidLabel("a \"b\" <c>\nd") == "a #quot;b#quot; #lt;c#gt;\\nd")
        #expect(Escaping.dotString("a \"b\" \\c\nd") == "a \\\"b\\\" \\\\c\\\\nd")
    }

    @Test func componentsAreColouredByTheirWorstFindingAndHeldInTheirZone() throws {
        let result = Audit(policy: try Policy.load("default")).run(sources: [SimulationTests.store])
        let graph = GraphReporter.mermaid(result)
        #expect(graph.contains("subgraph zone0[\"zone eu-west-1a\"]\n    n3[\"StatefulSet default/db<br/>high\"]\n  end"))
        #expect(graph.contains("n0 -->|selects| n1"))
        #expect(GraphReporter.dot(result).contains("n3 [label=\"StatefulSet default/db\\nhigh\", fillcolor=\"#e4606d\""))
    }
}
