import Foundation

/// `manifest.json` of a portable archive: what made it, from where, and the
/// size and SHA-256 of every other file in it. Decoding is strict: a known
/// format and version, known keys only, bounded counts and sizes, and
/// member names that `ArchivePath.validateFile` accepts, each once.
public struct ArchiveManifest: Sendable, Hashable, Codable {
    public static let formatName = "crplan-archive"
    public static let currentVersion = 1

    public var format: String
    public var formatVersion: Int
    public var crplanVersion: String
    /// ISO 8601, UTC (`2026-11-30T12:00:00Z`).
    public var createdAt: String
    public var source: ArchiveSource
    /// Sorted by path.
    public var files: [ArchiveFileRecord]

    public init(crplanVersion: String, createdAt: String, source: ArchiveSource, files: [ArchiveFileRecord]) {
        format = Self.formatName
        formatVersion = Self.currentVersion
        self.crplanVersion = crplanVersion
        self.createdAt = createdAt
        self.source = source
        self.files = files.sorted { $0.path < $1.path }
    }

    /// The record of `path`, if listed: names compared as bytes (`e\u{301}`
    /// and `\u{e9}` are equal Swift Strings but different file names).
    public func record(for path: String) -> ArchiveFileRecord? {
        files.first { $0.path.utf8.elementsEqual(path.utf8) }
    }

    /// Pretty, sorted-key JSON (stable bytes for the same manifest).
    public func encoded() throws(ArchiveError) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        do {
            return Array(try encoder.encode(self)) + [0x0a]
        } catch {
            throw .invalidManifest("cannot encode: \(error)")
        }
    }

    /// Decodes and validates `bytes` (untrusted).
    public static func decode(_ bytes: [UInt8], limits: ArchiveLimits = .standard) throws(ArchiveError) -> ArchiveManifest {
        guard bytes.count <= limits.maximumManifestSize else {
            throw .invalidManifest("it is \(bytes.count) bytes, more than \(limits.maximumManifestSize)")
        }
        let data = Data(bytes)
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: data)
        } catch {
            throw .invalidManifest("not JSON")
        }
        guard let top = object as? [String: Any] else { throw .invalidManifest("not a JSON object") }
        if top["format"] as? String != formatName {
            throw .invalidManifest("\"format\" is not \"\(formatName)\": not a crplan archive")
        }
        if let version = top["formatVersion"] as? Int, version != currentVersion {
            throw .unsupportedVersion(version, supported: currentVersion)
        }
        try checkKeys(top, allowed: ["format", "formatVersion", "crplanVersion", "createdAt", "source", "files"], at: "")
        if let source = top["source"] as? [String: Any] {
            try checkKeys(source, allowed: Set(ArchiveSource.CodingKeys.allCases.map(\.rawValue)), at: "source.")
        }
        if let files = top["files"] as? [Any] {
            guard files.count <= limits.maximumFiles else {
                throw .invalidManifest("it lists \(files.count) files, more than \(limits.maximumFiles)")
            }
            for case let file as [String: Any] in files {
                try checkKeys(file, allowed: ["path", "size", "sha256"], at: "files[].")
            }
        }
        let manifest: ArchiveManifest
        do {
            manifest = try JSONDecoder().decode(ArchiveManifest.self, from: data)
        } catch let error as DecodingError {
            throw .invalidManifest(describe(error))
        } catch {
            throw .invalidManifest("\(error)")
        }
        try manifest.validate(limits: limits)
        return manifest
    }

    /// Checks every field of an already decoded manifest.
    public func validate(limits: ArchiveLimits = .standard) throws(ArchiveError) {
        guard format == Self.formatName else { throw .invalidManifest("\"format\" is not \"\(Self.formatName)\"") }
        guard formatVersion == Self.currentVersion else { throw .unsupportedVersion(formatVersion, supported: Self.currentVersion) }
        try Self.checkText(crplanVersion, field: "crplanVersion")
        try Self.checkText(createdAt, field: "createdAt")
        try source.validate()
        guard files.count <= limits.maximumFiles else {
            throw .invalidManifest("it lists \(files.count) files, more than \(limits.maximumFiles)")
        }
        var seen: Set<String> = []
        var total: Int64 = 0
        for file in files {
            try ArchivePath.validateFile(file.path, limits: limits)
            guard seen.insert(file.path).inserted else { throw .duplicateMember(file.path) }
            guard file.size >= 0, file.size <= limits.maximumFileSize else {
                throw .invalidManifest("\(file.path): size \(file.size) is outside 0...\(limits.maximumFileSize)")
            }
            guard ArchiveDigest.isHex(file.sha256) else {
                throw .invalidManifest("\(file.path): sha256 must be 64 lowercase hex digits")
            }
            total += file.size
            guard total <= limits.maximumTotalSize else {
                throw .invalidManifest("the files add up to more than \(limits.maximumTotalSize) bytes")
            }
        }
        // a name may not be both a file and a folder of other files
        for file in files {
            for ancestor in ArchivePath.ancestors(of: file.path) where seen.contains(ancestor) {
                throw .invalidManifest("\(ancestor) is listed as a file and as the folder of \(file.path)")
            }
        }
        guard files.map(\.path) == files.map(\.path).sorted() else {
            throw .invalidManifest("files are not sorted by path")
        }
    }

    static func checkText(_ text: String, field: String) throws(ArchiveError) {
        guard !text.isEmpty, text.utf8.count <= 256,
            !text.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7f })
        else {
            throw .invalidManifest("\"\(field)\" must be 1-256 printable characters")
        }
    }

    static func checkKeys(_ object: [String: Any], allowed: Set<String>, at prefix: String) throws(ArchiveError) {
        if let unknown = object.keys.sorted().first(where: { !allowed.contains($0) }) {
            throw .invalidManifest("unknown key \"\(prefix)\(RemoteShellQuoting.display(unknown))\"")
        }
    }

    static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
        }
        switch error {
        case .keyNotFound(let key, let context): return "missing \"\(path(context).isEmpty ? "" : path(context) + ".")\(key.stringValue)\""
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            return "\"\(path(context))\" has the wrong type or value"
        @unknown default: return "\(error)"
        }
    }
}

/// Where an archive's checkpoint came from.
public struct ArchiveSource: Sendable, Hashable, Codable {
    /// "docker" (or "podman", …).
    public var engine: String
    public var engineVersion: String?
    public var storageDriver: String?
    public var kernel: String?
    public var criuVersion: String?
    public var containerID: String?
    public var containerName: String?
    /// "native" (docker checkpoint) or "external" (CRIU directly).
    public var checkpointMode: String?

    public init(
        engine: String, engineVersion: String? = nil, storageDriver: String? = nil, kernel: String? = nil,
        criuVersion: String? = nil, containerID: String? = nil, containerName: String? = nil, checkpointMode: String? = nil
    ) {
        self.engine = engine
        self.engineVersion = engineVersion
        self.storageDriver = storageDriver
        self.kernel = kernel
        self.criuVersion = criuVersion
        self.containerID = containerID
        self.containerName = containerName
        self.checkpointMode = checkpointMode
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case engine, engineVersion, storageDriver, kernel, criuVersion, containerID, containerName, checkpointMode
    }

    func validate() throws(ArchiveError) {
        try ArchiveManifest.checkText(engine, field: "source.engine")
        let optional: [(String?, String)] = [
            (engineVersion, "engineVersion"), (storageDriver, "storageDriver"), (kernel, "kernel"),
            (criuVersion, "criuVersion"), (containerID, "containerID"), (containerName, "containerName"),
            (checkpointMode, "checkpointMode"),
        ]
        for case let (value?, name) in optional { try ArchiveManifest.checkText(value, field: "source." + name) }
    }
}

/// One file of the archive: its name, size and SHA-256.
public struct ArchiveFileRecord: Sendable, Hashable, Codable {
    public var path: String
    public var size: Int64
    public var sha256: String

    public init(path: String, size: Int64, sha256: String) {
        self.path = path
        self.size = size
        self.sha256 = sha256
    }
}
