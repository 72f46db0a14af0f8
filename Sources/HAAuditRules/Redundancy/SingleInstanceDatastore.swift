import HAAuditModel

/// A data store with no standby to fail over to.
public struct SingleInstanceDatastore: Rule {
    public init() {}

    public let description = RuleDescription(
        name: "single-instance-datastore",
        code: "HA102",
        category: .redundancy,
        severity: .high,
        summary: "A data store has no standby to fail over to.",
        rationale: """
            Stateless services can be replaced in seconds; a database cannot. When its only node \
            fails (hardware, a zone outage, a maintenance reboot), everything that depends on it is \
            down until it is rebuilt or restored, and writes since the last backup may be gone.
            """,
        remediation: "Give it a standby in another zone: RDS MultiAZ: true (SQL Server Express and Web editions cannot be Multi-AZ: move to Standard or Enterprise); a second Aurora, DocumentDB or Neptune instance in the cluster; ElastiCache automatic failover with two or more nodes; OpenSearch with three or more data nodes and zone awareness; Amazon MQ ACTIVE_STANDBY_MULTI_AZ (ActiveMQ) or CLUSTER_MULTI_AZ (RabbitMQ); a multi-node Redshift cluster; two or more MSK brokers.",
        notes: [
            "Aurora instances are judged through their cluster, which needs two instances (a writer and a reader to promote); Multi-AZ DB clusters and Aurora Serverless v1 carry their standbys themselves. Read replicas (SourceDBInstanceIdentifier) are not judged.",
            "Service Fabric: a stateful service needs TargetReplicaSetSize of 3 or more and MinReplicaSetSize of 2 or more (both default to 1), per profile.",
            "An absent MultiAZ or AutomaticFailoverEnabled is false, NumCacheClusters defaults to 1, an OpenSearch InstanceCount to 1, an Amazon MQ DeploymentMode to SINGLE_INSTANCE.",
            "Amazon MQ brokers, Redshift clusters (ClusterType single-node) and MSK clusters (NumberOfBrokerNodes; MSK spreads brokers over the client subnets' zones) are data stores too.",
            "ElastiCache Serverless caches replicate their data over several zones by design, and Kinesis streams over three: never reported (a serverless cache is still asked for backups by `no-backup`).",
        ],
        examples: [
            .triggers(.cloudformation, "An RDS instance without MultiAZ", line: 3, column: 3, """
                AWSTemplateFormatVersion: '2010-09-09'
                Resources:
                  OrdersDb:
                    Type: AWS::RDS::DBInstance
                    Properties:
                      Engine: postgres
                      DBInstanceClass: db.m6g.large
                      AllocatedStorage: '100'
                """),
            .triggers(.cloudformation, "An Aurora cluster with a single instance", line: 3, column: 3, """
                AWSTemplateFormatVersion: '2010-09-09'
                Resources:
                  Catalog:
                    Type: AWS::RDS::DBCluster
                    Properties:
                      Engine: aurora-postgresql
                  CatalogWriter:
                    Type: AWS::RDS::DBInstance
                    Properties:
                      Engine: aurora-postgresql
                      DBClusterIdentifier: !Ref Catalog
                      DBInstanceClass: db.r6g.large
                """),
            .triggers(.cloudformation, "An Amazon MQ broker in SINGLE_INSTANCE mode", line: 6, column: 7, """
                AWSTemplateFormatVersion: '2010-09-09'
                Resources:
                  Broker:
                    Type: AWS::AmazonMQ::Broker
                    Properties:
                      DeploymentMode: SINGLE_INSTANCE
                      EngineType: RABBITMQ
                      HostInstanceType: mq.m5.large
                """),
            .triggers(.cloudformation, "A single-node Redshift cluster", line: 6, column: 7, """
                AWSTemplateFormatVersion: '2010-09-09'
                Resources:
                  Warehouse:
                    Type: AWS::Redshift::Cluster
                    Properties:
                      ClusterType: single-node
                      NodeType: ra3.xlplus
                """),
            .passes(.cloudformation, "A RabbitMQ broker cluster over several zones", """
                AWSTemplateFormatVersion: '2010-09-09'
                Resources:
                  Broker:
                    Type: AWS::AmazonMQ::Broker
                    Properties:
                      DeploymentMode: CLUSTER_MULTI_AZ
                      EngineType: RABBITMQ
                      HostInstanceType: mq.m5.large
                """),
            .triggers(.servicefabric, "A stateful service with the default replica set (1/1)", line: 5, column: 7, file: "ApplicationPackageRoot/ApplicationManifest.xml", """
                <?xml version="1.0" encoding="utf-8"?>
                <ApplicationManifest ApplicationTypeName="ShopType" ApplicationTypeVersion="1.0.0" xmlns="http://schemas.microsoft.com/2011/01/fabric">
                  <DefaultServices>
                    <Service Name="Tally">
                      <StatefulService ServiceTypeName="TallyType">
                        <SingletonPartition />
                      </StatefulService>
                    </Service>
                  </DefaultServices>
                </ApplicationManifest>
                """),
            .passes(.servicefabric, "Target 3, minimum 2", file: "ApplicationPackageRoot/ApplicationManifest.xml", """
                <?xml version="1.0" encoding="utf-8"?>
                <ApplicationManifest ApplicationTypeName="ShopType" ApplicationTypeVersion="1.0.0" xmlns="http://schemas.microsoft.com/2011/01/fabric">
                  <DefaultServices>
                    <Service Name="Tally">
                      <StatefulService ServiceTypeName="TallyType" TargetReplicaSetSize="3" MinReplicaSetSize="2">
                        <UniformInt64Partition PartitionCount="5" LowKey="0" HighKey="25" />
                      </StatefulService>
                    </Service>
                  </DefaultServices>
                </ApplicationManifest>
                """),
            .passes(.cloudformation, "MultiAZ from a parameter whose default is true", """
                AWSTemplateFormatVersion: '2010-09-09'
                Parameters:
                  MultiAZ: {Type: String, Default: 'true'}
                Resources:
                  OrdersDb:
                    Type: AWS::RDS::DBInstance
                    Properties:
                      Engine: postgres
                      DBInstanceClass: db.m6g.large
                      MultiAZ: !Ref MultiAZ
                """),
            .passes(.cloudformation, "A Redis replication group with failover and two nodes", """
                AWSTemplateFormatVersion: '2010-09-09'
                Resources:
                  Sessions:
                    Type: AWS::ElastiCache::ReplicationGroup
                    Properties:
                      ReplicationGroupDescription: sessions
                      Engine: redis
                      CacheNodeType: cache.r6g.large
                      AutomaticFailoverEnabled: true
                      NumCacheClusters: 2
                      SnapshotRetentionLimit: 3
                """),
        ])

    public func evaluate(_ component: Component, in context: RuleContext) -> [Violation]? {
        guard !component.standbyRequirements.isEmpty else { return nil }
        for requirement in component.standbyRequirements {
            guard let unmet = requirement.unmet else { continue }
            if unmet.isUnknown {
                return [Violation("\(component.title): whether it has a standby is unknown; \(unmet.fact).", at: unmet.location, isUncertain: true)]
            }
            return [Violation("\(component.title) has no standby to fail over to (\(unmet.fact)); losing its node loses the data store.",
                              at: unmet.location, related: requirement.usedAt.map { [RelatedLocation("where the parameter is used", at: $0)] } ?? [])]
        }
        return []
    }
}
