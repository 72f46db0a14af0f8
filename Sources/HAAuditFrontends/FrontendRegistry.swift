/// Every input family haaudit reads. A document goes to the first that claims it, and each links
/// in this order, which is the order of the topology's components.
package enum FrontendRegistry {
    package static let all: [any Frontend.Type] = [
        KubernetesFrontend.self,
        CloudFormationFrontend.self,
        ServiceFabricFrontend.self,
        CloudServicesFrontend.self,
    ]
}
