/// Facts about haaudit itself.
public enum HAAudit {
    public static let version = "0.1.0"
}
