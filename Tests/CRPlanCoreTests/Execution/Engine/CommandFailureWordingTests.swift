import Testing
@testable import CRPlanCore

/// How a failed command is described, and the run id's shape.
@Suite struct CommandFailureWordingTests {
    static func completed(_ status: TerminationStatus) -> CommandRun.Completed {
        CommandRun.Completed(
            invocation: CommandInvocation(argv: ["criu", "dump", "-t", "42"], timeout: .seconds(5), standardErrorLog: "/img/dump.stderr"),
            purpose: "dump the container",
            result: CommandResult(status: status, standardError: "Error: boom\n"))
    }

    @Test("a command past its timeout 'timed out' (not 'ended with timed out'); others 'ended with' their status")
    func wording() {
        let timedOut = Self.completed(.timedOut).failureDescription
        #expect(timedOut.hasPrefix("`criu dump -t 42` (to dump the container) timed out: Error: boom"), "\(timedOut)")
        #expect(!timedOut.contains("ended with timed out"))
        let exited = Self.completed(.exited(1)).failureDescription
        #expect(exited.hasPrefix("`criu dump -t 42` (to dump the container) ended with exit status 1"), "\(exited)")
    }

    @Test("run id suffixes are four hex digits, whatever the random value")
    func runSuffix() {
        #expect(Executor.runSuffix(0) == "0000")
        #expect(Executor.runSuffix(0xa) == "000a")
        #expect(Executor.runSuffix(0x1f3) == "01f3")
        #expect(Executor.runSuffix(0xffff) == "ffff")
    }
}
