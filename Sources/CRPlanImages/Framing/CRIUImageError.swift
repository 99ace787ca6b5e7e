/// Why a CRIU image file was refused. Image files are untrusted input: each
/// case names the file and the byte offset, and says what was expected.
public enum CRIUImageError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The file is larger than crplan reads for this kind of image.
    case fileTooLarge(file: String, size: Int, limit: Int)
    /// The file ends before the header or an entry it announces is complete.
    case truncated(file: String, offset: Int, needed: Int, available: Int)
    /// The magic numbers at the start are not those of this kind of image.
    case wrongMagic(file: String, expected: String, found: String)
    /// An entry's size prefix is larger than crplan accepts.
    case entryTooLarge(file: String, offset: Int, size: Int, limit: Int)
    /// More entries than crplan accepts for this kind of image.
    case tooManyEntries(file: String, limit: Int)
    /// The file holds no entry where CRIU always writes one.
    case missingEntry(file: String)
    /// An entry is not the protobuf message CRIU writes there.
    case malformedEntry(file: String, index: Int, offset: Int, reason: String)

    public var description: String {
        switch self {
        case .fileTooLarge(let file, let size, let limit):
            "\(file): \(size) bytes, more than the \(limit) crplan reads for this kind of CRIU image; is it a CRIU image?"
        case .truncated(let file, let offset, let needed, let available):
            "\(file): truncated at byte \(offset): needs \(needed) more bytes, \(available) left; the image is incomplete (an interrupted dump or copy?)"
        case .wrongMagic(let file, let expected, let found):
            "\(file): not the CRIU image expected here: magic \(found), expected \(expected)"
        case .entryTooLarge(let file, let offset, let size, let limit):
            "\(file): the entry at byte \(offset) announces \(size) bytes, more than the \(limit) crplan accepts; the image is damaged"
        case .tooManyEntries(let file, let limit):
            "\(file): more than \(limit) entries, more than crplan reads; the image is damaged or not from a container"
        case .missingEntry(let file):
            "\(file): holds no entry; CRIU always writes one: the image is incomplete"
        case .malformedEntry(let file, let index, let offset, let reason):
            "\(file): entry \(index + 1) at byte \(offset) is not a valid CRIU record: \(reason)"
        }
    }
}
