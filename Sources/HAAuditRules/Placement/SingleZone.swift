import HAAuditModel

/// Every instance confined to one zone.
public struct SingleZone: Rule {
    public init() {}

    public let description = RuleDescription(
        name: "single-zone",
        code: "HA201",
        category: .placement,
        severity: .high,
        summary: "Every instance is confined to one zone.",
        rationale: """
            Zones fail as a unit: power, network, a bad deploy of the cloud's own control plane. \
            However many replicas run, if all of them are pinned to one zone, that zone's outage \
            is the service's outage.
            """,
        remediation: "Allow at least two zones (list several in the `In` values, or drop the zone pin) and spread over them with a zone-keyed topologySpreadConstraint.",
        notes: [
            "AWS: the zones of the subnets of Auto Scaling groups (VPCZoneIdentifier), ECS services (awsvpc), EKS node groups, load balancers and Lambda functions in a VPC; `Fn::Select` of distinct indexes of `Fn::GetAZs` are distinct zones. EFS One Zone file systems, single-AZ Memcached clusters and ElastiCache groups pinned to one zone. Exactly one subnet (or zone) is one zone, whichever it is; among several, a subnet that names no zone (EC2 picks one) or comes from a parameter without a default makes the answer unknown (info). Application Load Balancers span two zones or more by AWS rule: never unknown.",
            "Reads `nodeSelector` and required node affinity on `topology.kubernetes.io/zone` and the legacy `failure-domain.beta.kubernetes.io/zone`; node affinity terms are ORed, so pods are confined only when every term confines them.",
        ],
        examples: [
            .triggers(.kubernetes, "A nodeSelector pinning one zone", line: 11, column: 9, """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web}
                spec:
                  replicas: 3
                  selector: {matchLabels: {app: web}}
                  template:
                    metadata: {labels: {app: web}}
                    spec:
                      nodeSelector:
                        topology.kubernetes.io/zone: eu-west-1a
                      containers: [{name: web, image: nginx}]
                """),
            .triggers(.cloudformation, "An Auto Scaling group in one subnet", line: 9, column: 7, """
                AWSTemplateFormatVersion: '2010-09-09'
                Resources:
                  SubnetA:
                    Type: AWS::EC2::Subnet
                    Properties: {VpcId: vpc-1, CidrBlock: 10.0.0.0/24, AvailabilityZone: !Select [0, !GetAZs '']}
                  Web:
                    Type: AWS::AutoScaling::AutoScalingGroup
                    Properties:
                      VPCZoneIdentifier: [!Ref SubnetA]
                      MinSize: '2'
                      MaxSize: '4'
                """),
            .triggers(.cloudformation, "An Auto Scaling group in one subnet given as a parameter, whatever its zone", line: 8, column: 7, """
                AWSTemplateFormatVersion: '2010-09-09'
                Parameters:
                  PublicSubnet: {Type: 'AWS::EC2::Subnet::Id'}
                Resources:
                  NatInstances:
                    Type: AWS::AutoScaling::AutoScalingGroup
                    Properties:
                      VPCZoneIdentifier: [!Ref PublicSubnet]
                      MinSize: '1'
                      MaxSize: '1'
                """),
            .passes(.cloudformation, "Two subnets in distinct zones", """
                AWSTemplateFormatVersion: '2010-09-09'
                Resources:
                  SubnetA:
                    Type: AWS::EC2::Subnet
                    Properties: {VpcId: vpc-1, CidrBlock: 10.0.0.0/24, AvailabilityZone: !Select [0, !GetAZs '']}
                  SubnetB:
                    Type: AWS::EC2::Subnet
                    Properties: {VpcId: vpc-1, CidrBlock: 10.0.1.0/24, AvailabilityZone: !Select [1, !GetAZs '']}
                  Web:
                    Type: AWS::AutoScaling::AutoScalingGroup
                    Properties:
                      VPCZoneIdentifier: [!Ref SubnetA, !Ref SubnetB]
                      MinSize: '2'
                      MaxSize: '4'
                """),
            .notApplicable(.cloudformation, "An Application Load Balancer whose subnets are parameters: AWS requires two zones", """
                AWSTemplateFormatVersion: '2010-09-09'
                Parameters:
                  SubnetA: {Type: 'AWS::EC2::Subnet::Id'}
                  SubnetB: {Type: 'AWS::EC2::Subnet::Id'}
                Resources:
                  Web:
                    Type: AWS::ElasticLoadBalancingV2::LoadBalancer
                    Properties:
                      Subnets: [!Ref SubnetA, !Ref SubnetB]
                """),
            .passes(.kubernetes, "Required node affinity allowing two zones", """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web}
                spec:
                  replicas: 3
                  selector: {matchLabels: {app: web}}
                  template:
                    metadata: {labels: {app: web}}
                    spec:
                      affinity:
                        nodeAffinity:
                          requiredDuringSchedulingIgnoredDuringExecution:
                            nodeSelectorTerms:
                              - matchExpressions:
                                  - {key: topology.kubernetes.io/zone, operator: In, values: [eu-west-1a, eu-west-1b]}
                      containers: [{name: web, image: nginx}]
                """),
        ])

    public func evaluate(_ component: Component, in context: RuleContext) -> [Violation]? {
        guard component.workloadShape != .batch, let placement = component.placement else { return nil }
        guard let zones = placement.confinedZones else { return [] }
        guard let list = zones.value else {
            return [Violation("\(component.title): the zones it may run in are unknown; \(zones.explained()).",
                              at: zones.location, isUncertain: true)]
        }
        guard list.count == 1 else { return [] }
        return [Violation("\(component.title) runs in one zone only (\(zones.explained { $0.joined(separator: ", ") })); losing that zone takes it down.",
                          at: zones.location)]
    }
}
