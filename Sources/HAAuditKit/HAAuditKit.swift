// The library as one import: the layers are separate targets so that each sees only the layers
// below it (a rule cannot read a document, a reader cannot see a rule), and a program that
// embeds haaudit imports them together.
@_exported import HAAuditEngine
@_exported import HAAuditFrontends
@_exported import HAAuditModel
@_exported import HAAuditReaders
@_exported import HAAuditReporters
@_exported import HAAuditRules
