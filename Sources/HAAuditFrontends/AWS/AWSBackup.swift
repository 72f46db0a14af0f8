import HAAuditModel

/// AWS Backup: a backup selection of a backup plan backs up the data stores it selects, whatever
/// their own backup settings say.
enum AWSBackup {
    /// Marks each data store with backup requirements that a backup selection declared alongside
    /// selects: by ARN (`!GetAtt X.Arn`, `!Ref X`, `${X}` in `!Sub`), `*`, or by tags
    /// (`ListOfTags`: any; `Conditions`: all).
    static func linkSelections<Properties: AWSResourceProperties>(_ resources: [Properties], components: [String: Component]) {
        let stores = resources.filter { components[$0.id].map { !$0.backupRequirements.isEmpty } ?? false }
        for resource in resources where resource.type == "AWS::Backup::BackupSelection" && resource.absentUnlessCondition == nil {
            guard let selection = resource.object(["BackupSelection"]) else { continue }
            let named = Set(selection.resourcesNamed(in: ["Resources"])?.ids ?? [])
            let arns: [AWSValue] = if case .list(let items)? = selection.property(["Resources"])?.value { items } else { [] }
            let everything = arns.contains { $0.text == "*" }
            let tagRules = selection.objects(["ListOfTags"])?.items ?? []
            let conditions = selection.object(["Conditions"])
            let selectsByTagsAlone = !selection.isSet("Resources") && tagRules.isEmpty && conditions != nil
            for store in stores {
                let tags = self.tags(store)
                let picked = everything || selectsByTagsAlone || named.contains(store.id)
                    || tagRules.contains { rule in
                        rule.text("ConditionType")?.uppercased() ?? "STRINGEQUALS" == "STRINGEQUALS"
                            && rule.text("ConditionKey").map { tags[$0] } == rule.text("ConditionValue")
                    }
                guard picked, conditions.map({ meets($0, tags) }) ?? true else { continue }
                components[store.id]?.backedUpBy = .known("backup selection \(resource.id)", at: resource.location,
                                                           source: "AWS::Backup::BackupSelection \(resource.id)")
            }
        }
    }

    /// A resource's tags (`Tags`, or an EFS file system's `FileSystemTags`) whose key and value resolve.
    private static func tags(_ resource: some AWSResourceProperties) -> [String: String] {
        let items = (resource.objects(["Tags"]) ?? resource.objects(["FileSystemTags"]))?.items ?? []
        var tags: [String: String] = [:]
        for item in items {
            if let key = item.text("Key"), let value = item.text("Value") { tags[key] = value }
        }
        return tags
    }

    /// Whether the tags meet every `StringEquals` and `StringNotEquals` condition; one of a kind
    /// haaudit does not compare (`StringLike`) is not taken as met.
    private static func meets(_ conditions: some AWSResourceProperties, _ tags: [String: String]) -> Bool {
        for (kind, expectsEqual) in [("StringEquals", true), ("StringNotEquals", false)] {
            for condition in conditions.objects([kind])?.items ?? [] {
                guard let key = condition.text("ConditionKey"), let value = condition.text("ConditionValue") else { return false }
                let tag = key.hasPrefix("aws:ResourceTag/") ? String(key.dropFirst("aws:ResourceTag/".count)) : key
                if (tags[tag] == value) != expectsEqual { return false }
            }
        }
        return ["StringLike", "StringNotLike"].allSatisfy { (conditions.objects([$0])?.items ?? []).isEmpty }
    }

    /// A custom resource (`Custom::*`, `AWS::CloudFormation::CustomResource`) handed a data
    /// store together with a property about snapshots, backups or retention may set the
    /// store's backups after it is created, in code haaudit cannot read.
    static func linkCustomResources(_ resources: [some AWSResourceProperties], components: [String: Component]) {
        for resource in resources where resource.absentUnlessCondition == nil
            && (resource.type.hasPrefix("Custom::") || resource.type == "AWS::CloudFormation::CustomResource") {
            guard resource.propertyNames.contains(where: { name in
                ["snapshot", "backup", "retention"].contains { name.lowercased().contains($0) }
            }) else { continue }
            for id in resource.resourcesNamed(in: [])?.ids ?? [] {
                guard let store = components[id], !store.backupRequirements.isEmpty, store.backupMayBeSetBy == nil else { continue }
                store.backupMayBeSetBy = .known("custom resource \(resource.id)", at: resource.location, source: "\(resource.type) \(resource.id)")
            }
        }
    }
}
