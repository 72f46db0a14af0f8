import HAAuditModel

/// Data stores: what each needs for a standby and for automated backups is AWS's meaning
/// (`AWSDataStores`), read through the template.
extension CloudFormationLowering {
    func dataStore(_ resource: Template.Resource, _ describe: (CloudFormationProperties, Component) -> Void) -> Component {
        let component = component(resource, role: .datastore)
        describe(properties(resource), component)
        return component
    }
}
