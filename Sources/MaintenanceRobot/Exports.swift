// The connection settings and the session's public types (`ConnectionSettings`, `ConnectionError`,
// `DatabaseSession(borrowing:)`, `ServerNotice` …) are part of the robot's API: a server that imports
// MaintenanceRobot names them without importing the session module.
@_exported import RobotSession
