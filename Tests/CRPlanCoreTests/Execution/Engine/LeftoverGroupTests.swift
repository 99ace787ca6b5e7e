import Testing
@testable import CRPlanCore

/// Which processes of an interrupted attempt's group are its own, and
/// whether a resume waits for them or kills them.
@Suite struct LeftoverGroupTests {
    let child = JournaledChild(pid: 500, startTime: 1_000, command: "criu restore")

    func member(_ pid: Int, group: Int? = 500, started: UInt64? = 1_000, state: String? = "T") -> RunningProcess {
        RunningProcess(pid: pid, parentPID: 1, commandLine: ["criu", "restore"], startTime: started, processGroupID: group, state: state)
    }

    @Test func nothingLeftWhenTheGroupIsEmpty() {
        #expect(LeftoverGroup(child: child, processes: []).decision == .nothingLeft)
    }

    @Test func stoppedMembersAreKilled() {
        let members = [member(502, state: "t"), member(501, started: 1_003)]
        #expect(LeftoverGroup(child: child, processes: members).decision == .stoppedLeftovers([members[1], members[0]]))
    }

    @Test func oneRunningMemberMeansACriuStillAtWork() {
        for state in ["R", "S", "D"] {
            let members = [member(501), member(502, state: state)]
            #expect(LeftoverGroup(child: child, processes: members).decision == .working(members), "state \(state)")
        }
    }

    @Test func anUnknownStateIsNotStopped() {
        let members = [member(501, state: nil)]
        #expect(LeftoverGroup(child: child, processes: members).decision == .working(members))
    }

    @Test func processesThatAreNotProvablyTheAttemptsAreLeftAlone() {
        let strangers = [
            member(501, started: 999),  // older than the child: another group of that id
            member(502, started: nil),  // start time unknown
            member(503, group: 501),  // another group
            member(504, group: nil),  // group unknown
        ]
        let group = LeftoverGroup(child: child, processes: strangers)
        #expect(group.members.isEmpty)
        #expect(group.decision == .nothingLeft)
    }

    @Test func descriptionNamesEachProcessBounded() {
        let many = (1...12).map { member(600 + $0) }
        let text = LeftoverGroup.describe(many)
        #expect(text.hasPrefix("pid 601 (T, `criu restore`)"))
        #expect(text.hasSuffix("and 2 more"))
        #expect(!text.contains("pid 611"))
    }
}
