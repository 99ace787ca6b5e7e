import ArgumentParser

@main
struct CRPlan: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "crplan", abstract: "x", subcommands: [])
}
