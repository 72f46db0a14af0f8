/// A small Service Fabric application that rule examples about profiles and publish profiles
/// place their file beside.
enum ServiceFabricExamples {
    static let application: [(path: String, text: String)] = [
        ("ApplicationPackageRoot/ApplicationManifest.xml", """
            <?xml version="1.0" encoding="utf-8"?>
            <ApplicationManifest ApplicationTypeName="ShopType" ApplicationTypeVersion="1.0.0" xmlns="http://schemas.microsoft.com/2011/01/fabric">
              <Parameters>
                <Parameter Name="Web_InstanceCount" DefaultValue="-1" />
              </Parameters>
              <DefaultServices>
                <Service Name="Web">
                  <StatelessService ServiceTypeName="WebType" InstanceCount="[Web_InstanceCount]">
                    <SingletonPartition />
                  </StatelessService>
                </Service>
              </DefaultServices>
            </ApplicationManifest>
            """),
        ("ApplicationParameters/Cloud.xml", """
            <?xml version="1.0" encoding="utf-8"?>
            <Application Name="fabric:/Shop" xmlns="http://schemas.microsoft.com/2011/01/fabric">
              <Parameters>
                <Parameter Name="Web_InstanceCount" Value="-1" />
              </Parameters>
            </Application>
            """),
    ]
}
