import CRPlanCore
import CRPlanHost
import Foundation
import Glibc
import Testing

/// What the executor can journal about the children `SystemHost` starts.
@Suite("SystemHost: started children and process start times")
struct SystemHostChildTests {
    @Test("run(_:onStart:) through the Host protocol reports the running child's pid and start time")
    func onStartThroughTheProtocol() async throws {
        let temp = try TemporaryDirectory()
        defer { temp.remove() }
        let release = temp.appending("release")
        let host: any CRPlanCore.Host = SystemHost()
        let seen = Seen()
        let result = try await host.run(
            CommandInvocation(argv: ["sh", "-c", "while [ ! -e \"$0\" ]; do sleep 0.02; done; echo $$", release], timeout: .seconds(60))
        ) { child in
            seen.set(child, process: await host.process(child.pid))
            _ = FileManager.default.createFile(atPath: release, contents: nil)
        }
        #expect(result.status == .exited(0))
        let (child, process) = try #require(seen.value)
        #expect(String(child.pid) == result.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines))
        let running = try #require(process, "the child was alive when reported")
        #expect(child.startTime != nil && running.startTime == child.startTime)
    }

    @Test("process(pid) carries the start time from /proc/<pid>/stat")
    func processStartTime() async throws {
        let me = try #require(await SystemHost().process(Int(getpid())))
        #expect(me.startTime != nil)
        #expect(me.startTime == (try ProcFS().startTime(getpid())))
    }
}

final class Seen: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: (StartedChild, RunningProcess?)?
    func set(_ child: StartedChild, process: RunningProcess?) { lock.withLock { stored = (child, process) } }
    var value: (StartedChild, RunningProcess?)? { lock.withLock { stored } }
}
