import HAAuditModel

/// Compute that nothing replaces when it dies.
public struct UnmanagedInstance: Rule {
    public init() {}

    public let description = RuleDescription(
        name: "unmanaged-instance",
        code: "HA401",
        category: .recovery,
        severity: .high,
        summary: "Nothing replaces this compute when it dies.",
        rationale: """
            A bare Pod is bound to its node: when the node fails, is drained or is upgraded, the Pod \
            is gone for good, because no controller exists to create it again. A standalone EC2 \
            instance is much the same: EC2's default automatic recovery may restart it in place \
            when its host fails, but when the instance itself fails (an OS hang, a failed instance \
            status check) or its zone does, nothing launches a replacement.
            """,
        remediation: "Run it under a controller that recreates it: a Deployment (or a StatefulSet for stable identity), or a Job for work that completes; on AWS, an Auto Scaling group (even of one) over subnets of two zones or more, which replaces it when the instance or its zone fails. A CloudWatch alarm on StatusCheckFailed_System whose action is arn:aws:automate:<region>:ec2:recover is accepted as a deliberate choice of in-place recovery, though like EC2's default it covers host failures only.",
        notes: [
            "AWS: EC2's simplified automatic recovery (on by default for supported instance types, unless a recover alarm replaces it) answers a failed system status check (a host failure) only: the message says what it leaves uncovered, an instance failure or a zone failure. An explicit recover alarm passes: the author chose in-place recovery.",
            "Two or more standalone EC2 instances of one template launched alike (the same launch template, or the same image and instance type) for the same role (the same instance profile, or the same security groups) in different zones (or in distinct subnets whose zones come at deploy time, such as two subnet parameters) are a redundant group built by hand: each still has no replacement, but its peers keep serving when it dies, so each is reported at medium (a lone instance: high) and names its peers. They are not single replicas: no redundancy rule treats them as lone instances.",
            "An EC2 instance whose user data ends it once its work is done is a one-shot task, like a Job, and is not checked: the user data terminates the instance it runs on (ec2 terminate-instances with the instance id from the instance metadata), or shuts it down (shutdown, poweroff, halt) while InstanceInitiatedShutdownBehavior is terminate.",
            "A bare Pod whose every container only idles (sleeps, tails /dev/null, runs pause), that declares no port and that no Service selects, and that is given settings or data (environment variables, volume mounts) is a client or toolbox set up to `kubectl exec` into: it is not judged. An idle Pod given nothing is a leftover scratch Pod, and is.",
            "A control-plane static Pod (the kubelet's mirror annotations, or a kube-system Pod bound to its node on the host network and labelled as the control plane) is restarted by the kubelet: it is managed.",
        ],
        examples: [
            .triggers(.kubernetes, "A bare Pod", line: 1, column: 1, """
                apiVersion: v1
                kind: Pod
                metadata: {name: scratch}
                spec:
                  containers: [{name: scratch, image: busybox}]
                """),
            .triggers(.cloudformation, "A standalone EC2 instance", line: 3, column: 3, """
                AWSTemplateFormatVersion: '2010-09-09'
                Resources:
                  Bastion:
                    Type: AWS::EC2::Instance
                    Properties: {ImageId: ami-12345678, InstanceType: t3.micro}
                """),
            .triggers(.cloudformation, "Two like instances in two zones: a redundant group nothing replaces", line: 9, column: 3, severity: .medium, """
                AWSTemplateFormatVersion: '2010-09-09'
                Resources:
                  SubnetA:
                    Type: AWS::EC2::Subnet
                    Properties: {VpcId: vpc-1, CidrBlock: 10.0.0.0/24, AvailabilityZone: !Select [0, !GetAZs '']}
                  SubnetB:
                    Type: AWS::EC2::Subnet
                    Properties: {VpcId: vpc-1, CidrBlock: 10.0.1.0/24, AvailabilityZone: !Select [1, !GetAZs '']}
                  WebA:
                    Type: AWS::EC2::Instance
                    Properties: {ImageId: ami-12345678, InstanceType: t3.small, SubnetId: !Ref SubnetA, SecurityGroupIds: [sg-web]}
                  WebB:
                    Type: AWS::EC2::Instance
                    Properties: {ImageId: ami-12345678, InstanceType: t3.small, SubnetId: !Ref SubnetB, SecurityGroupIds: [sg-web]}
                """),
            .passes(.cloudformation, "An instance with a recover alarm", """
                AWSTemplateFormatVersion: '2010-09-09'
                Resources:
                  Ledger:
                    Type: AWS::EC2::Instance
                    Properties: {ImageId: ami-12345678, InstanceType: m6i.large}
                  LedgerRecovery:
                    Type: AWS::CloudWatch::Alarm
                    Properties:
                      Namespace: AWS/EC2
                      MetricName: StatusCheckFailed_System
                      Dimensions: [{Name: InstanceId, Value: !Ref Ledger}]
                      Statistic: Maximum
                      Period: 60
                      EvaluationPeriods: 2
                      Threshold: 0
                      ComparisonOperator: GreaterThanThreshold
                      AlarmActions: [!Sub 'arn:aws:automate:${AWS::Region}:ec2:recover']
                """),
            .notApplicable(.cloudformation, "A one-shot instance that shuts itself down and is terminated", """
                AWSTemplateFormatVersion: '2010-09-09'
                Resources:
                  Seeder:
                    Type: AWS::EC2::Instance
                    Properties:
                      ImageId: ami-12345678
                      InstanceType: t3.micro
                      InstanceInitiatedShutdownBehavior: terminate
                      UserData:
                        Fn::Base64: !Sub |
                          #!/bin/bash
                          aws s3 cp s3://${AWS::StackName}-seed/data.sql /tmp/ && psql -f /tmp/data.sql
                          shutdown -h now
                """),
            .passes(.kubernetes, "The same container under a Deployment", """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: scratch}
                spec:
                  replicas: 2
                  selector: {matchLabels: {app: scratch}}
                  template:
                    metadata: {labels: {app: scratch}}
                    spec:
                      containers: [{name: scratch, image: busybox}]
                """),
            .notApplicable(.kubernetes, "A client Pod that only sleeps, to exec into", """
                apiVersion: v1
                kind: Pod
                metadata: {name: psql-client}
                spec:
                  containers:
                    - name: psql
                      image: postgres:15
                      command: [sleep, "3600"]
                      env: [{name: PGHOST, value: db}]
                """),
            .passes(.kubernetes, "A kube-apiserver static Pod, restarted by the kubelet", """
                apiVersion: v1
                kind: Pod
                metadata:
                  name: kube-apiserver-node-1
                  namespace: kube-system
                  labels: {component: kube-apiserver, tier: control-plane}
                spec:
                  nodeName: node-1
                  hostNetwork: true
                  containers: [{name: kube-apiserver, image: registry.k8s.io/kube-apiserver:v1.30.0}]
                """),
        ])

    public func evaluate(_ component: Component, in context: RuleContext) -> [Violation]? {
        guard let recovery = component.recovery else { return nil }
        if case .platform = recovery.value { return nil }
        guard recovery.value == Recovery.none else { return [] }
        if isIdleClient(component, context.topology) { return nil }
        let fate = component.inPlaceRecovery ?? "when it dies, it stays dead"
        let peers = component.redundantPeers
        guard !peers.isEmpty else {
            return [Violation("\(component.title) is not managed by anything that replaces it (\(recovery.source)); \(fate).", at: recovery.location)]
        }
        let named = listed(peers.map { "\($0.name) in \($0.placement)" })
        var violation = Violation("\(component.title) is not managed by anything that replaces it (\(recovery.source)); \(fate). Its like instances elsewhere keep serving meanwhile (\(named)), but the group shrinks with each failure and nothing restores it.",
                                  at: recovery.location, related: peers.map { RelatedLocation("like instance \($0.name) in \($0.placement)", at: $0.location) })
        violation.severityCap = .medium
        return [violation]
    }

    /// A bare Pod that only idles, listens on nothing and receives nothing, but is set up with
    /// settings or data: it waits for someone to `kubectl exec` a client in it, and a controller
    /// would add nothing.
    private func isIdleClient(_ component: Component, _ topology: Topology) -> Bool {
        component.workloadShape == .standalone && !component.containers.isEmpty
            && component.containers.allSatisfy { $0.isPlaceholder && $0.ports.isEmpty }
            && component.containers.contains(where: \.hasSettingsOrMounts)
            && !topology.hasIncoming(component, .selects)
    }
}
