import CRPlanCore

/// One input through everything that reads plan text: the YAML loader, the
/// linter and, for a valid plan, the planner and every dry-run renderer;
/// plus the duration and template parsers on the raw text. Any trap, stack
/// overflow or sanitizer report here is a bug: hostile input must end as
/// diagnostics.
enum FuzzTarget {
    static func run(_ bytes: UnsafeRawBufferPointer) {
        let result = Linter.lint(bytes: bytes, file: "fuzz.yaml")
        let diagnostics = Linter.diagnostics(bytes: bytes, file: "fuzz.yaml")
        // The two entry points must agree.
        precondition(diagnostics == result.diagnostics, "lint and diagnostics disagree")
        precondition(result.plan == nil || !result.hasErrors, "a plan despite errors")
        if let plan = result.plan, let graph = try? Planner(environment: ["HOME": "/root"]).compile(plan) {
            for format in DryRunFormat.allCases {
                _ = try? DryRunRenderer().render(graph, as: format)
            }
        }
        let text = String(decoding: bytes.prefix(4_096), as: UTF8.self)
        if case .success(let duration) = PlanDuration.parse(text) {
            precondition(duration.milliseconds <= PlanLimits.maximumDurationMilliseconds)
            precondition(PlanDuration(parsing: duration.description) == duration, "duration does not round-trip")
        }
        if let template = try? Template(parsing: text) {
            precondition((try? Template(parsing: template.description)) == template, "template does not round-trip")
        }
    }
}

#if CRPLAN_FUZZ
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    FuzzTarget.run(UnsafeRawBufferPointer(start: data, count: data == nil ? 0 : size))
    return 0
}

/// libFuzzer's driver, for programs that have their own `main`.
@_silgen_name("LLVMFuzzerRunDriver")
func runFuzzerDriver(
    _ argc: UnsafeMutablePointer<Int32>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32
) -> Int32

/// SwiftPM links an executable with `main` aliased to `<module>_main`, so
/// libFuzzer's own `main` is not used: this one starts its driver.
@_cdecl("CRPlanFuzz_main")
public func fuzzMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    var count = argc
    var arguments = argv
    return runFuzzerDriver(&count, &arguments) { data, size in fuzzOneInput(data, size) }
}
#else
#if canImport(Glibc)
import Glibc
#endif

/// Without libFuzzer: `crplan-fuzz FILE...` replays inputs (a crash
/// fixture, a corpus entry) through the same checks.
@main
struct ReplayInputs {
    static func main() {
        for path in CommandLine.arguments.dropFirst() {
            guard let file = fopen(path, "rb") else {
                print("\(path): cannot open")
                exit(2)
            }
            var bytes: [UInt8] = []
            var chunk = [UInt8](repeating: 0, count: 65_536)
            while true {
                let got = fread(&chunk, 1, chunk.count, file)
                if got <= 0 { break }
                bytes += chunk[0..<got]
            }
            fclose(file)
            bytes.withUnsafeBytes { FuzzTarget.run($0) }
            print("\(path): ok")
        }
    }
}
#endif
