import Testing
@testable import CRPlanCore

/// The places a plan value must never name, from the reproductions.
@Suite struct PathPolicyTests {
    @Test(arguments: [
        "/", "/etc/passwd", "/etc/shadow", "/root/.ssh/authorized_keys", "/proc/sysrq-trigger", "/proc/self",
        "/etc", "/sys/fs/cgroup", "/usr/local/x", "/bin/sh", "/sbin/init", "/lib64/ld.so", "/lib/x", "/boot/x",
        "/dev/sda", "/var", "/run", "/tmp", "/root", "/home/me/.ssh/id_rsa",
    ])
    func writtenPathsThatAreRefused(_ path: String) {
        #expect(PathPolicy.writtenPathProblem(path, complete: true) != nil)
    }

    @Test(arguments: ["/var/lib/crplan/images", "/run/crplan/x.pid", "/tmp/x", "/srv/criu/abc", "/var/lib/docker/criu_img/x", "/root/images"])
    func writtenPathsThatAreAccepted(_ path: String) {
        #expect(PathPolicy.writtenPathProblem(path, complete: true) == nil)
    }

    /// With variables, only the literal start is judged.
    @Test func literalStartOfATemplate() {
        #expect(PathPolicy.writtenPathProblem("/etc/", complete: false) == .systemTree("etc"))
        // `/etc${x}` may be `/etcetera`: not judged.
        #expect(PathPolicy.writtenPathProblem("/etc", complete: false) == nil)
        #expect(PathPolicy.writtenPathProblem("/", complete: false) == nil)
        #expect(PathPolicy.writtenPathProblem("/var/", complete: false) == nil)
    }

    @Test func dockerHome() {
        for refused in ["/", "/etc", "/usr", "/var", "/proc/x", "/sys/y", "/dev/z"] {
            #expect(PathPolicy.dockerHomeProblem(refused, complete: true) != nil, "\(refused)")
        }
        for accepted in ["/var/lib/docker", "/srv/docker", "/var/lib/crplan-e2e/overlay2", "/usr/local/docker"] {
            #expect(PathPolicy.dockerHomeProblem(accepted, complete: true) == nil, "\(accepted)")
        }
    }

    @Test func mountSources() {
        for refused in ["/", "/proc", "/proc/1/root", "/sys", "/sys/kernel", "/dev", "/etc", "/boot", "/root", "/root/x",
                        "/etc/shadow", "/etc/gshadow", "/etc/sudoers", "/var/run/docker.sock", "/run/docker.sock",
                        "/run/containerd/containerd.sock", "/home/me/.ssh"] {
            #expect(PathPolicy.mountSourceProblem(refused, complete: true) != nil, "\(refused)")
        }
        for accepted in ["/srv/data", "/etc/hosts", "/var/lib/docker/containers/x/hosts", "/dev/null", "/etc/localtime"] {
            #expect(PathPolicy.mountSourceProblem(accepted, complete: true) == nil, "\(accepted)")
        }
    }

    @Test func canonicalForm() {
        #expect(PathPolicy.nonCanonicalOffset("/a/b", isStart: true, isEnd: true) == nil)
        #expect(PathPolicy.nonCanonicalOffset("/", isStart: true, isEnd: true) == nil)
        #expect(PathPolicy.nonCanonicalOffset("/a//b", isStart: true, isEnd: true)?.offset == 2)
        #expect(PathPolicy.nonCanonicalOffset("/a/./b", isStart: true, isEnd: true)?.offset == 3)
        #expect(PathPolicy.nonCanonicalOffset("/a/.", isStart: true, isEnd: true)?.offset == 3)
        #expect(PathPolicy.nonCanonicalOffset("/a/b/", isStart: true, isEnd: true)?.offset == 4)
        #expect(PathPolicy.nonCanonicalOffset("/a/.hidden", isStart: true, isEnd: true) == nil)
        #expect(PathPolicy.canonical("//a/./b/") == "/a/b")
    }
}
