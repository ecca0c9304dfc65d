import ArgumentParser

@main
struct Robot: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "robot",
        abstract: "Brings a PostgreSQL database to the shape its service expects, idempotently."
    )
}
