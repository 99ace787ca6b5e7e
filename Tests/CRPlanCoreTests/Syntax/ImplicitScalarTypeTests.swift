import Testing
@testable import CRPlanCore

@Suite struct ImplicitScalarTypeTests {
    /// Generated with PyYAML 6.0.3: `yaml.resolver.Resolver().resolve(yaml.ScalarNode, s, (True, False))`.
    static let pyYAML: [(String, ImplicitScalarType)] = [
        ("", .null),
        ("~", .null),
        ("null", .null),
        ("Null", .null),
        ("NULL", .null),
        ("nulls", .string),
        ("yes", .bool),
        ("Yes", .bool),
        ("YES", .bool),
        ("yEs", .string),
        ("no", .bool),
        ("No", .bool),
        ("NO", .bool),
        ("on", .bool),
        ("On", .bool),
        ("ON", .bool),
        ("off", .bool),
        ("Off", .bool),
        ("OFF", .bool),
        ("y", .string),
        ("n", .string),
        ("true", .bool),
        ("True", .bool),
        ("TRUE", .bool),
        ("tRue", .string),
        ("false", .bool),
        ("False", .bool),
        ("FALSE", .bool),
        ("0", .int),
        ("00", .int),
        ("010", .int),
        ("08", .string),
        ("09", .string),
        ("-0", .int),
        ("+1", .int),
        ("-17", .int),
        ("1_000", .int),
        ("1__", .int),
        ("0b101", .int),
        ("0b", .string),
        ("0b2", .string),
        ("0x1F", .int),
        ("0x", .string),
        ("0xg", .string),
        ("-0x1f", .int),
        ("0o17", .string),
        ("1:30", .int),
        ("1:30:59", .int),
        ("1:60", .string),
        ("0:30", .string),
        ("1:3", .int),
        ("12e3", .string),
        ("1e10", .string),
        ("1.5e3", .string),
        ("1.5e+3", .float),
        ("1.", .float),
        ("1.0", .float),
        (".5", .float),
        ("._5", .string),
        (".", .string),
        ("-.5", .string),
        ("+.inf", .float),
        (".inf", .float),
        ("-.Inf", .float),
        (".NaN", .float),
        (".nan", .float),
        ("-.nan", .string),
        ("1_0.0_0", .float),
        ("1:30.5", .float),
        ("1:30.5e+1", .string),
        ("1.2.3", .string),
        ("2024-01-01", .timestamp),
        ("2024-1-1", .string),
        ("2024-01-01T10:00:00", .timestamp),
        ("2024-1-1 1:00:00.5 Z", .timestamp),
        ("2024-01-01t10:00:00+01:00", .timestamp),
        ("2024-01-01 10:00:00 -5", .timestamp),
        ("2024-01-0", .string),
        ("20240101", .int),
        ("<<", .merge),
        ("=", .value),
        ("==", .string),
        ("counter", .string),
        ("123abc", .string),
        ("abc123", .string),
        ("-", .string),
        ("+", .string),
        ("--rm", .string),
        ("1e", .string),
        ("e1", .string),
        ("0.", .float),
        ("-1.5", .float),
        ("+12.5e-3", .float),
        ("1_2:3_4", .string),
        ("168aefb8", .string),
        ("12345678", .int),
    ]

    @Test(arguments: pyYAML)
    func yaml11MatchesPyYAML(text: String, expected: ImplicitScalarType) {
        #expect(plain(text).yaml11Type == expected, "\(text)")
    }

    /// The YAML 1.2 core schema (spec chapter 10.3.2).
    static let core: [(String, ImplicitScalarType)] = [
        ("", .null), ("~", .null), ("null", .null), ("NULL", .null), ("nul", .string),
        ("true", .bool), ("False", .bool), ("yes", .string), ("on", .string), ("tRue", .string),
        ("0", .int), ("-17", .int), ("+1", .int), ("010", .int), ("09", .int), ("0o17", .int), ("0x1F", .int),
        ("1_000", .string), ("0b101", .string), ("1:30", .string), ("0o", .string), ("0x", .string),
        ("1e10", .float), ("12e3", .float), ("1.5e3", .float), ("1.", .float), (".5", .float), ("-.5", .float),
        (".", .string), ("1e", .string), ("e1", .string), (".inf", .float), ("-.Inf", .float), (".NaN", .float),
        ("-.nan", .string), ("1.2.3", .string), ("2024-01-01", .string), ("<<", .string), ("168aefb8", .string),
        ("12345678", .int),
    ]

    @Test(arguments: core)
    func yaml12Core(text: String, expected: ImplicitScalarType) {
        #expect(plain(text).yaml12Type == expected, "\(text)")
    }

    @Test func quotedScalarsAreStrings() {
        let scalar = YAMLScalar(value: "1", style: .quoted, location: SourceLocation(line: 1, column: 1))
        #expect(scalar.yaml11Type == .string)
        #expect(scalar.yaml12Type == .string)
    }

    @Test func integerSpellings() {
        func any(_ text: String) -> Int? { withBytes(of: text, IntegerSpelling.yaml12Int) }
        func decimal(_ text: String) -> Int? { withBytes(of: text, IntegerSpelling.decimal) }
        #expect(decimal("4") == 4)
        #expect(decimal("-12") == -12)
        #expect(decimal("+0") == 0)
        #expect(decimal("04") == nil)
        #expect(decimal("0x4") == nil)
        #expect(decimal("99999999999999999999999") == Int.max)
        #expect(decimal("-99999999999999999999999") == Int.min)
        #expect(any("0x1F") == 31)
        #expect(any("0o17") == 15)
        #expect(any("010") == 10)
        #expect(any("-010") == -10)
        #expect(any("0b101") == nil)
        #expect(any("1_000") == nil)
        #expect(any("1:30") == nil)
        #expect(any("4.0") == nil)
        #expect(any("abc") == nil)
    }

    private func plain(_ text: String) -> YAMLScalar {
        YAMLScalar(value: text, style: .plain, location: SourceLocation(line: 1, column: 1))
    }
}
