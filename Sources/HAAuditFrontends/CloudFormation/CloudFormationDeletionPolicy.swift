import HAAuditModel
import HAAuditReaders

/// What CloudFormation does with a stateful resource when the stack is deleted, the resource is
/// removed from it (DeletionPolicy), or an update replaces it (UpdateReplacePolicy). Both are
/// attributes of the resource, beside its properties: CloudFormation's own, not AWS's.
extension CloudFormationLowering {
    func deletionPolicies(_ resource: Template.Resource, into safeguards: DeletionSafeguards) -> DeletionSafeguards {
        var safeguards = safeguards
        // "The default policy is Snapshot for AWS::RDS::DBCluster resources and for
        // AWS::RDS::DBInstance resources that don't specify the DBClusterIdentifier property";
        // every other type is deleted.
        let snapshotByDefault = resource.type == "AWS::RDS::DBCluster"
            || (resource.type == "AWS::RDS::DBInstance" && resource.properties?["DBClusterIdentifier"] == nil)
        safeguards.onDelete = policy(resource, "DeletionPolicy", default: snapshotByDefault ? "Snapshot" : "Delete")
        // "By default, CloudFormation then deletes the old resource", whatever its type.
        safeguards.onReplace = policy(resource, "UpdateReplacePolicy", default: "Delete")
        return safeguards
    }

    /// The attribute as a fact: known where it resolves to text (a parameter's default, an
    /// `Fn::If` whose condition resolves), unknown otherwise.
    private func policy(_ resource: Template.Resource, _ attribute: String, default defaultValue: String) -> Fact<String> {
        guard let entry = resource.node.entry(attribute) else {
            return .defaulted(defaultValue, at: location(resource), source: attribute)
        }
        let resolved = template.evaluate(entry.value)
        switch CloudFormationProperties.awsValue(resolved.value, in: template) {
        case .text(let text): return .known(text, at: location(entry.key), source: attribute, note: resolved.note)
        case let value: return .unknown(at: location(entry.key), source: attribute, reason: value.unknownReason ?? "it is not text")
        }
    }
}
