import PropertyBased
import Testing
@testable import CRPlanCore

/// Random bytes and random documents through the YAML loader: never a
/// trap; a stopped load always says why, at a position; and a mapping
/// printed as YAML loads back to the same keys and values.
@Suite struct YAMLLoaderPropertyTests {
    static func characters(_ text: String) -> Generator<Character, Shrink.Integer<Int>> {
        let alphabet = text.unicodeScalars.map(Character.init)
        return Gen.int(in: 0...(alphabet.count - 1)).map { alphabet[$0] }
    }

    static let yamlish = characters("{}[]:,-?&*!|>'\"%@`#\n\t  \r\u{0}\u{FEFF}ab1é$.~")

    @Test func randomTextNeverTraps() async {
        await propertyCheck(count: 2_000, input: Self.yamlish.string(of: 0...200)) { text in
            let result = YAMLLoader.load(text, file: "f.yaml")
            if !result.isComplete {
                #expect(!result.diagnostics.isEmpty)
                #expect(result.diagnostics.allSatisfy { $0.location != nil }, "\(result.diagnostics)")
            }
            _ = Linter.lint(text: text, file: "f.yaml")
        }
    }

    @Test func randomBytesNeverTrap() async {
        await propertyCheck(count: 1_000, input: Gen<UInt8>.value(in: 0...255).array(of: 0...300)) { bytes in
            let result = YAMLLoader.load(bytes, file: "f.yaml")
            if !result.isComplete { #expect(!result.diagnostics.isEmpty) }
            _ = Linter.lint(bytes: bytes, file: "f.yaml")
        }
    }

    /// Keys and double-quoted values with escapes for every control character.
    @Test func printedMappingsLoadBack() async {
        let key = Gen.lowercaseLetter.string(of: 1...12)
        let value = Self.characters("ab \"\\\n\t\u{1}é${}:#-&*").string(of: 0...30)
        await propertyCheck(count: 500, input: zip(key, value).array(of: 0...20)) { pairs in
            var seen = Set<String>()
            let unique = pairs.filter { seen.insert($0.0).inserted }
            let text = unique.map { "\($0.0): \(Self.doubleQuoted($0.1))\n" }.joined()
            let result = YAMLLoader.load(text, file: "f.yaml")
            #expect(result.diagnostics == [])
            guard !unique.isEmpty else { return }
            guard case .mapping(let mapping)? = result.documents.first else {
                Issue.record("not a mapping: \(text)")
                return
            }
            #expect(mapping.entries.map(\.key.value) == unique.map(\.0))
            let values: [String?] = mapping.entries.map { entry in
                guard case .scalar(let scalar) = entry.value else { return nil }
                return scalar.value
            }
            #expect(values == unique.map(\.1))
        }
    }

    static func doubleQuoted(_ value: String) -> String {
        var result = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\t": result += "\\t"
            case _ where scalar.value < 0x20: result += "\\x" + (scalar.value < 16 ? "0" : "") + String(scalar.value, radix: 16)
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }
}
