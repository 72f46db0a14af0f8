import HAAuditModel

/// Which AWS resources become components, in which role, and what each means: the entry point
/// a frontend lowers each resource through, whatever syntax declared it.
enum AWSResources {
    /// The component a resource becomes (nil for a type haaudit does not model), made by `make` in the role AWS gives it; relationships it
    /// names are added to `relationships`.
    static func lower(_ properties: some AWSResourceProperties, make: (Component.Role) -> Component,
                      relationships: inout [AWSRelationship]) -> Component? {
        func lowered(_ role: Component.Role, _ describe: (Component, inout [AWSRelationship]) -> Void) -> Component {
            let component = make(role)
            describe(component, &relationships)
            return component
        }
        switch properties.type {
        case "AWS::AutoScaling::AutoScalingGroup":
            return lowered(.workload(.service)) { AWSCompute.autoScalingGroup(properties, $0, relationships: &$1) }
        case "AWS::EC2::Instance":
            // A one-shot instance runs to completion, like a Kubernetes Job.
            let shape: Component.WorkloadShape = AWSCompute.isOneShotInstance(properties) ? .batch : .standalone
            return lowered(.workload(shape)) { AWSCompute.instance(properties, $0, relationships: &$1) }
        case "AWS::ECS::Service":
            let shape: Component.WorkloadShape = AWSCompute.ecsServiceIsDaemon(properties) ? .perNode : .service
            return lowered(.workload(shape)) { AWSCompute.ecsService(properties, $0, relationships: &$1) }
        case "AWS::EKS::Nodegroup":
            return lowered(.workload(.service)) { AWSCompute.eksNodegroup(properties, $0, relationships: &$1) }
        case "AWS::Lambda::Function":
            return lowered(.workload(.service)) { AWSMessaging.lambdaFunction(properties, $0, relationships: &$1) }
        case "AWS::SQS::Queue":
            return lowered(.datastore) { component, _ in AWSMessaging.queue(properties, component) }
        case "AWS::RDS::DBInstance":
            return lowered(.datastore) { component, _ in AWSDataStores.rdsInstance(properties, component) }
        case "AWS::RDS::DBCluster", "AWS::DocDB::DBCluster", "AWS::Neptune::DBCluster":
            return lowered(.datastore) { component, _ in AWSDataStores.databaseCluster(properties, component) }
        case "AWS::DocDB::DBInstance", "AWS::Neptune::DBInstance": return make(.datastore)
        case "AWS::ElastiCache::ReplicationGroup":
            return lowered(.datastore) { component, _ in AWSDataStores.cacheReplicationGroup(properties, component) }
        case "AWS::ElastiCache::ServerlessCache":
            return lowered(.datastore) { component, _ in AWSDataStores.serverlessCache(properties, component) }
        case "AWS::ElastiCache::CacheCluster":
            return lowered(.datastore) { component, _ in AWSDataStores.cacheCluster(properties, component) }
        case "AWS::DynamoDB::Table":
            return lowered(.datastore) { component, _ in AWSDataStores.dynamoTable(properties, component) }
        case "AWS::OpenSearchService::Domain", "AWS::Elasticsearch::Domain":
            return lowered(.datastore) { component, _ in AWSDataStores.searchDomain(properties, component) }
        case "AWS::EFS::FileSystem":
            return lowered(.datastore) { component, _ in AWSDataStores.fileSystem(properties, component) }
        case "AWS::AmazonMQ::Broker":
            return lowered(.datastore) { component, _ in AWSDataStores.messageBroker(properties, component) }
        case "AWS::Redshift::Cluster":
            return lowered(.datastore) { component, _ in AWSDataStores.warehouse(properties, component) }
        case "AWS::MSK::Cluster":
            return lowered(.datastore) { component, _ in AWSDataStores.kafkaCluster(properties, component) }
        case "AWS::EC2::Subnet":
            return lowered(.network) { component, _ in component.zone = AWSPlacement.zone(ofSubnet: properties) }
        case "AWS::ElasticLoadBalancingV2::LoadBalancer":
            return lowered(.traffic) { AWSLoadBalancing.loadBalancerV2(properties, $0, relationships: &$1) }
        case "AWS::ElasticLoadBalancing::LoadBalancer":
            return lowered(.traffic) { AWSLoadBalancing.classicLoadBalancer(properties, $0, relationships: &$1) }
        case "AWS::ElasticLoadBalancingV2::TargetGroup":
            return lowered(.traffic) { AWSLoadBalancing.targetGroup(properties, $0, relationships: &$1) }
        case "AWS::EC2::NatGateway":
            return lowered(.traffic) { AWSNetwork.natGateway(properties, $0, relationships: &$1) }
        case "AWS::Route53::RecordSet":
            guard let failover = AWSNetwork.failover(properties) else { return nil }
            return lowered(.traffic) { component, _ in component.failover = failover }
        case "AWS::CloudWatch::Alarm":
            return lowered(.control) { AWSAlarms.alarm(properties, $0, relationships: &$1) }
        default:
            return nil
        }
    }
}
