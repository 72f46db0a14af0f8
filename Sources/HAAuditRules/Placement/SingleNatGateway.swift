import HAAuditModel

/// One zonal NAT gateway carrying the outbound traffic of several zones.
public struct SingleNatGateway: Rule {
    public init() {}

    public let description = RuleDescription(
        name: "single-nat-gateway",
        code: "HA204",
        category: .placement,
        severity: .medium,
        summary: "One zonal NAT gateway carries the default route of private subnets in several zones.",
        rationale: """
            A NAT gateway lives in one zone. When private subnets of other zones route through it, \
            an outage of its zone cuts their outbound traffic too (package mirrors, third-party \
            APIs, AWS endpoints without VPC endpoints): the zones meant to survive go down with it.
            """,
        remediation: "Create one NAT gateway per zone and route each zone's private subnets through the gateway of their own zone, or use a regional NAT gateway (AvailabilityMode: regional).",
        notes: [
            "A regional NAT gateway spans zones and is never reported. Subnets whose zone cannot be resolved make the finding uncertain (info).",
            "Zones are distinct when they are distinct text (parameters with different defaults), distinct indexes of `Fn::GetAZs`, or distinct zone parameters (`AWS::EC2::AvailabilityZone::Name`) without defaults: two such parameters could be given the same zone, but a template that asks for two zones under two names means two zones, so the finding is certain.",
        ],
        examples: [
            .triggers(.cloudformation, "Two zones, one NAT gateway", line: 21, column: 3, """
                AWSTemplateFormatVersion: '2010-09-09'
                Resources:
                  PublicA:
                    Type: AWS::EC2::Subnet
                    Properties: {VpcId: vpc-1, CidrBlock: 10.0.0.0/24, AvailabilityZone: !Select [0, !GetAZs '']}
                  PrivateA:
                    Type: AWS::EC2::Subnet
                    Properties: {VpcId: vpc-1, CidrBlock: 10.0.10.0/24, AvailabilityZone: !Select [0, !GetAZs '']}
                  PrivateB:
                    Type: AWS::EC2::Subnet
                    Properties: {VpcId: vpc-1, CidrBlock: 10.0.11.0/24, AvailabilityZone: !Select [1, !GetAZs '']}
                  Routes:
                    Type: AWS::EC2::RouteTable
                    Properties: {VpcId: vpc-1}
                  AssocA:
                    Type: AWS::EC2::SubnetRouteTableAssociation
                    Properties: {SubnetId: !Ref PrivateA, RouteTableId: !Ref Routes}
                  AssocB:
                    Type: AWS::EC2::SubnetRouteTableAssociation
                    Properties: {SubnetId: !Ref PrivateB, RouteTableId: !Ref Routes}
                  Nat:
                    Type: AWS::EC2::NatGateway
                    Properties: {SubnetId: !Ref PublicA, AllocationId: eipalloc-1}
                  DefaultRoute:
                    Type: AWS::EC2::Route
                    Properties: {RouteTableId: !Ref Routes, DestinationCidrBlock: 0.0.0.0/0, NatGatewayId: !Ref Nat}
                """),
            .triggers(.cloudformation, "Private subnets in two zone parameters without defaults, one NAT gateway", line: 21, column: 3, """
                AWSTemplateFormatVersion: '2010-09-09'
                Parameters:
                  Zone1: {Type: 'AWS::EC2::AvailabilityZone::Name'}
                  Zone2: {Type: 'AWS::EC2::AvailabilityZone::Name'}
                Resources:
                  PrivateA:
                    Type: AWS::EC2::Subnet
                    Properties: {VpcId: vpc-1, CidrBlock: 10.0.10.0/24, AvailabilityZone: !Ref Zone1}
                  PrivateB:
                    Type: AWS::EC2::Subnet
                    Properties: {VpcId: vpc-1, CidrBlock: 10.0.11.0/24, AvailabilityZone: !Ref Zone2}
                  Routes:
                    Type: AWS::EC2::RouteTable
                    Properties: {VpcId: vpc-1}
                  AssocA:
                    Type: AWS::EC2::SubnetRouteTableAssociation
                    Properties: {SubnetId: !Ref PrivateA, RouteTableId: !Ref Routes}
                  AssocB:
                    Type: AWS::EC2::SubnetRouteTableAssociation
                    Properties: {SubnetId: !Ref PrivateB, RouteTableId: !Ref Routes}
                  Nat:
                    Type: AWS::EC2::NatGateway
                    Properties: {SubnetId: subnet-public, AllocationId: eipalloc-1}
                  DefaultRoute:
                    Type: AWS::EC2::Route
                    Properties: {RouteTableId: !Ref Routes, DestinationCidrBlock: 0.0.0.0/0, NatGatewayId: !Ref Nat}
                """),
            .passes(.cloudformation, "One NAT gateway per zone", """
                AWSTemplateFormatVersion: '2010-09-09'
                Resources:
                  PublicA:
                    Type: AWS::EC2::Subnet
                    Properties: {VpcId: vpc-1, CidrBlock: 10.0.0.0/24, AvailabilityZone: !Select [0, !GetAZs '']}
                  PrivateA:
                    Type: AWS::EC2::Subnet
                    Properties: {VpcId: vpc-1, CidrBlock: 10.0.10.0/24, AvailabilityZone: !Select [0, !GetAZs '']}
                  RoutesA:
                    Type: AWS::EC2::RouteTable
                    Properties: {VpcId: vpc-1}
                  AssocA:
                    Type: AWS::EC2::SubnetRouteTableAssociation
                    Properties: {SubnetId: !Ref PrivateA, RouteTableId: !Ref RoutesA}
                  NatA:
                    Type: AWS::EC2::NatGateway
                    Properties: {SubnetId: !Ref PublicA, AllocationId: eipalloc-1}
                  DefaultRouteA:
                    Type: AWS::EC2::Route
                    Properties: {RouteTableId: !Ref RoutesA, DestinationCidrBlock: 0.0.0.0/0, NatGatewayId: !Ref NatA}
                """),
            .notApplicable(.cloudformation, "A regional NAT gateway", """
                AWSTemplateFormatVersion: '2010-09-09'
                Resources:
                  PrivateA:
                    Type: AWS::EC2::Subnet
                    Properties: {VpcId: vpc-1, CidrBlock: 10.0.10.0/24, AvailabilityZone: !Select [0, !GetAZs '']}
                  PrivateB:
                    Type: AWS::EC2::Subnet
                    Properties: {VpcId: vpc-1, CidrBlock: 10.0.11.0/24, AvailabilityZone: !Select [1, !GetAZs '']}
                  Routes:
                    Type: AWS::EC2::RouteTable
                    Properties: {VpcId: vpc-1}
                  AssocA:
                    Type: AWS::EC2::SubnetRouteTableAssociation
                    Properties: {SubnetId: !Ref PrivateA, RouteTableId: !Ref Routes}
                  AssocB:
                    Type: AWS::EC2::SubnetRouteTableAssociation
                    Properties: {SubnetId: !Ref PrivateB, RouteTableId: !Ref Routes}
                  Nat:
                    Type: AWS::EC2::NatGateway
                    Properties: {AvailabilityMode: regional, VpcId: vpc-1}
                  DefaultRoute:
                    Type: AWS::EC2::Route
                    Properties: {RouteTableId: !Ref Routes, DestinationCidrBlock: 0.0.0.0/0, NatGatewayId: !Ref Nat}
                """),
        ])

    public func evaluate(_ component: Component, in context: RuleContext) -> [Violation]? {
        guard let gateway = component.natGateway, !gateway.isRegional, !gateway.routedSubnets.isEmpty else { return nil }
        let zones = Set(gateway.routedSubnets.compactMap(\.zone.value))
        let related = gateway.routedSubnets.lazy.map { RelatedLocation("default route of subnet \($0.subnet) through this gateway", at: $0.route) }
        if zones.count >= 2 {
            let where_ = gateway.zone?.value.map { " (in \($0))" } ?? ""
            return [Violation("\(component.title)\(where_) carries the default route of private subnets in \(zones.count) zones (\(zones.sorted().joined(separator: ", "))); if its zone fails, all of them lose outbound traffic.",
                              at: component.location, related: related)]
        }
        let unknown = gateway.routedSubnets.filter { $0.zone.isUnknown }
        guard !unknown.isEmpty, gateway.routedSubnets.count >= 2 else { return [] }
        return [Violation("\(component.title) carries the default route of \(gateway.routedSubnets.count) private subnets whose zones cannot all be resolved (\(unknown[0].zone.explained())); they may span several zones.",
                          at: component.location, related: related, isUncertain: true)]
    }
}
