import Glibc

/// Starts `argv` with posix_spawn and does not reap it, so a test can see
/// it as a zombie. The caller must `waitpid` it.
func spawnUnreaped(_ argv: [String]) throws -> pid_t {
    var pid: pid_t = 0
    let cArguments = argv.map { strdup($0) } + [nil]
    defer { cArguments.forEach { free($0) } }
    let rc = posix_spawn(&pid, argv[0], nil, nil, cArguments, environ)
    guard rc == 0 else { throw SpawnFailure(code: rc) }
    return pid
}

struct SpawnFailure: Error { let code: Int32 }

/// Reaps `pid`, returning its raw wait status.
@discardableResult
func reap(_ pid: pid_t) -> Int32 {
    var status: Int32 = 0
    while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
    return status
}
