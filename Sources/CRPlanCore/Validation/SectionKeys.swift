/// The keys one plan mapping may hold, as an enum whose case names are
/// the key names, so section readers look fields up by case (no string
/// comparisons on the hot path).
protocol SectionKey: RawRepresentable, CaseIterable, Sendable where RawValue == Int, AllCases == [Self] {
    static var table: KeyTable { get }
}

/// The key names of a section with a byte signature for each, built once.
struct KeyTable: Sendable {
    let names: [String]
    let signatures: [KeySignature]

    init(_ names: [String]) {
        precondition(names.count <= 16, "a section holds at most 16 keys")
        self.names = names
        self.signatures = names.map(KeySignature.init)
    }

    /// The case name of each key, in declaration order (= raw value order).
    init<Key: SectionKey>(_ type: Key.Type) {
        self.init(Key.allCases.map { String(describing: $0) })
    }

    /// The index of `key`, if it is one of the names.
    func index(of key: String) -> Int? {
        let signature = KeySignature(key)
        for index in signatures.indices where signatures[index] == signature {
            // Keys longer than 16 bytes may share a signature: compare them.
            if signature.count <= 16 || names[index] == key { return index }
        }
        return nil
    }
}

/// The length and first and last 8 bytes of a key: identifies keys up to
/// 16 bytes exactly, and compares in three integer comparisons.
struct KeySignature: Equatable, Sendable {
    var count: Int
    var head: UInt64
    var tail: UInt64

    init(_ text: String) {
        (count, head, tail) = withBytes(of: text) { bytes in
            var head: UInt64 = 0
            var tail: UInt64 = 0
            let n = bytes.count
            for index in 0..<min(8, n) { head |= UInt64(bytes[index]) << (8 * UInt64(index)) }
            if n > 8 {
                let start = max(8, n - 8)
                for index in start..<n { tail |= UInt64(bytes[index]) << (8 * UInt64(index - start)) }
            }
            return (n, head, tail)
        }
    }
}

enum TopLevelKey: Int, SectionKey {
    case version, name, description, container, operation, mode, storage, docker, criu, imageDir, extMounts, restore, timeouts, target, archive
    static let table = KeyTable(Self.self)
}

enum StorageKey: Int, SectionKey {
    case driver
    static let table = KeyTable(Self.self)
}

enum DockerKey: Int, SectionKey {
    case binary, home, host
    static let table = KeyTable(Self.self)
}

enum CRIUKey: Int, SectionKey {
    case binary, logLevel, manageCgroups, evasiveDevices, leaveRunning, tcpEstablished, shellJob, fileLocks, extraArgs, preDump
    static let table = KeyTable(Self.self)
}

enum PreDumpKey: Int, SectionKey {
    case iterations
    static let table = KeyTable(Self.self)
}

enum ExtMountKey: Int, SectionKey {
    case path, dump, restore
    static let table = KeyTable(Self.self)
}

enum RestoreKey: Int, SectionKey {
    case pidfile, detach, checkpoint
    static let table = KeyTable(Self.self)
}

enum TimeoutKey: Int, SectionKey {
    case dump, restore
    static let table = KeyTable(Self.self)
}

enum TargetKey: Int, SectionKey {
    case docker, name, image, source, mounts, ssh
    static let table = KeyTable(Self.self)
}

enum SSHKey: Int, SectionKey {
    case destination, port, identityFile, knownHostsFile, controlDirectory, options
    static let table = KeyTable(Self.self)
}

enum TargetMountKey: Int, SectionKey {
    case destination, source
    static let table = KeyTable(Self.self)
}
