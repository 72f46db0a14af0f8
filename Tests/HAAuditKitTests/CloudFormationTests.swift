import Testing
@testable import HAAuditEngine
@testable import HAAuditFrontends
@testable import HAAuditModel
@testable import HAAuditParallel
@testable import HAAuditReaders
@testable import HAAuditReporters
@testable import HAAuditRules

@Suite("CloudFormation evaluator")
struct CloudFormationTests {
    static let text = """
        AWSTemplateFormatVersion: '2010-09-09'
        Parameters:
          Env: {Type: String, Default: prod}
          NoDefault: {Type: String}
          Zones: {Type: CommaDelimitedList, Default: 'a, b'}
        Mappings:
          Sizes: {prod: {Min: '3'}}
        Conditions:
          IsProd: !Equals [!Ref Env, prod]
          IsNotProd: !Not [!Condition IsProd]
          Either: {"Fn::Or": [{"Condition": "IsNotProd"}, {"Fn::Equals": [{"Ref": "NoDefault"}, "x"]}]}
        Resources:
          Subnet:
            Type: AWS::EC2::Subnet
            Properties: {VpcId: vpc-1}
          Values:
            Type: AWS::CloudFormation::WaitConditionHandle
            Properties:
              ref: !Ref Env
              noDefault: !Ref NoDefault
              select: !Select [1, !GetAZs '']
              selectLong: {"Fn::Select": ["0", {"Fn::GetAZs": {"Ref": "AWS::Region"}}]}
              ifTrue: !If [IsProd, yes-prod, no-prod]
              ifUnknown: !If [Either, a, b]
              join: !Join ['-', [!Ref Env, web]]
              sub: !Sub 'arn:aws:automate:${AWS::Region}:ec2:recover'
              subVars: !Sub ['${Name}-${Env}', {Name: shop}]
              findInMap: !FindInMap [Sizes, !Ref Env, Min]
              split: !Select [1, !Split [',', 'x,y,z']]
              list: !Ref Zones
              getAtt: !GetAtt Subnet.AvailabilityZone
              noValue: !If [IsNotProd, keep, !Ref AWS::NoValue]
        """

    func values() throws -> (Template, Node) {
        let node = try #require(try YAMLReader(limits: ReaderLimits()).read(Array(Self.text.utf8)).first)
        let template = try #require(Template(SourceDocument(path: "t.yaml", root: node)))
        return (template, try #require(template.resource("Values")?.properties))
    }

    @Test func resolvesParametersWithTheirDefaultAndSaysSo() throws {
        let (template, values) = try values()
        let resolved = template.evaluate(values["ref"]!)
        #expect(resolved.value.text == "prod")
        #expect(resolved.note == "parameter Env, default prod")
        #expect(template.evaluate(values["noDefault"]!).value.unknownReason == "parameter NoDefault has no default")
    }

    @Test func distinctIndexesOfGetAZsAreDistinctZones() throws {
        let (template, values) = try values()
        guard case .zone(1) = template.evaluate(values["select"]!).value else { Issue.record("not zone 1"); return }
        guard case .zone(0) = template.evaluate(values["selectLong"]!).value else { Issue.record("not zone 0"); return }
    }

    @Test func evaluatesConditionsOrSaysWhichCannotBeResolved() throws {
        let (template, values) = try values()
        let resolved = template.evaluate(values["ifTrue"]!)
        #expect(resolved.value.text == "yes-prod")
        #expect(resolved.note == "condition IsProd is true")
        #expect(template.evaluate(values["ifUnknown"]!).value.unknownReason == "condition Either cannot be resolved")
        #expect(template.condition("IsNotProd") == false)
        guard case .noValue = template.evaluate(values["noValue"]!).value else { Issue.record("not NoValue"); return }
    }

    @Test func joinsSubstitutesMapsAndSplits() throws {
        let (template, values) = try values()
        #expect(template.evaluate(values["join"]!).value.text == "prod-web")
        guard case .pattern("arn:aws:automate:*:ec2:recover") = template.evaluate(values["sub"]!).value else {
            Issue.record("the region should be a wildcard"); return
        }
        #expect(template.evaluate(values["subVars"]!).value.text == "shop-prod")
        #expect(template.evaluate(values["findInMap"]!).value.text == "3")
        #expect(template.evaluate(values["split"]!).value.text == "y")
        guard case .list(let items) = template.evaluate(values["list"]!).value else { Issue.record("not a list"); return }
        #expect(items.compactMap(\.text) == ["a", "b"])
        guard case .resource("Subnet", "AvailabilityZone") = template.evaluate(values["getAtt"]!).value else {
            Issue.record("not a GetAtt"); return
        }
    }

    @Test func recognisesTemplatesAndLeavesOtherDocumentsAlone() throws {
        let kubernetes = try #require(try YAMLReader(limits: ReaderLimits()).read(Array("apiVersion: v1\nkind: Pod\n".utf8)).first)
        #expect(Template(SourceDocument(path: "p.yaml", root: kubernetes)) == nil)
        let resourcesOnly = try #require(try YAMLReader(limits: ReaderLimits()).read(Array("Resources:\n  Q: {Type: AWS::SQS::Queue}\n".utf8)).first)
        #expect(Template(SourceDocument(path: "q.yaml", root: resourcesOnly)) != nil)
    }

    @Test func aRecoverAlarmWrittenWithFnJoinRecoversItsInstance() throws {
        let result = Audit(policy: try Policy.load("default")).run(sources: [("t.json", """
            {"Resources": {
              "Box": {"Type": "AWS::EC2::Instance", "Properties": {"ImageId": "ami-1"}},
              "Recover": {"Type": "AWS::CloudWatch::Alarm", "Properties": {
                "MetricName": "StatusCheckFailed_System", "Namespace": "AWS/EC2",
                "Dimensions": [{"Name": "InstanceId", "Value": {"Ref": "Box"}}],
                "AlarmActions": [{"Fn::Join": ["", ["arn:aws:automate:", {"Ref": "AWS::Region"}, ":ec2:recover"]]}]}}}}
            """)])
        #expect(result.diagnostics.isEmpty)
        #expect(!result.findings.contains { $0.ruleName == "unmanaged-instance" })
        #expect(!result.findings.contains { $0.ruleName == "no-alarm" })
    }
}
