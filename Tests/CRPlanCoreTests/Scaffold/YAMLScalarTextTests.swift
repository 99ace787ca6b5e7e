import Testing
@testable import CRPlanCore

@Suite struct YAMLScalarTextTests {
    /// Each value, written as `key: <scalar>`, reads back as exactly itself.
    @Test(arguments: [
        "counter", "/var/lib/docker", "yes", "no", "Y", "null", "~", "1234", "1e3", "0x1f", "2024-01-01", "1:30",
        "-leading", "a: b", "a #comment", "#start", "it's \"quoted\"", "back\\slash", "line\nbreak", "tab\there",
        "nul\u{0}", "bell\u{7}", "next\u{85}line", "sep\u{2028}arator", "", " padded ", "[list]", "{map}", "*alias", "&anchor",
        "!tag", "%percent", "@at", "`tick`", "${container.id}", "ünïcode", "…",
    ])
    func roundTrips(_ value: String) throws {
        let scalar = YAMLScalarText.scalar(value)
        #expect(!scalar.unicodeScalars.contains { $0.value < 0x20 || $0 == "\u{85}" || $0 == "\u{2028}" }, "the scalar must stay on its line: \(scalar)")
        // `description` takes any string (control characters too), so the
        // linter's reading of the plan shows what YAML made of the scalar.
        let text = "version: 1\nname: scalar\ncontainer: counter\ndescription: \(scalar)\n"
        let result = Linter.lint(text: text, file: "scalar.yaml")
        let plan = try #require(result.plan, "\(text): \(result.diagnostics)")
        #expect(plan.description == value, "\(text)")
        #expect(result.diagnostics.isEmpty, "\(text): \(result.diagnostics)")
    }

    @Test func plainWhenSafe() {
        #expect(YAMLScalarText.scalar("/var/lib/docker") == "/var/lib/docker")
        #expect(YAMLScalarText.scalar("counter-1") == "counter-1")
        #expect(YAMLScalarText.scalar("yes") == "\"yes\"")
        #expect(YAMLScalarText.scalar("1234") == "\"1234\"")
        #expect(YAMLScalarText.scalar("a\nb") == "\"a\\nb\"")
    }
}
