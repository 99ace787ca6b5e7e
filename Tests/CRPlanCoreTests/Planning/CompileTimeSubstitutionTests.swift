@testable import CRPlanCore
import Testing

/// The planner substitutes `${env.*}`, `${docker.home}`, `${plan.name}` and
/// `${imageDir}`, keeps runtime values symbolic, and reports what the
/// environment got wrong with the field to fix.
@Suite struct CompileTimeSubstitutionTests {
    @Test func defaultsFollowDockerCRSh() throws {
        let graph = try Planner(environment: [:]).compile(PlanningFixtures.counterPlan())
        let graphPlan = try Planner(environment: [:]).substituteCompileTimeValues(in: PlanningFixtures.counterPlan())
        #expect(graphPlan.docker.binary == "docker")
        #expect(graphPlan.docker.home == "/var/lib/docker")
        #expect(graphPlan.criu.binary == "criu")
        #expect(graphPlan.imageDir == "/var/lib/docker/criu_img/${container.id}")
        #expect(graphPlan.restore.pidfile == "/var/lib/docker/criu_img/${container.id}/restore.pid")
        #expect(graphPlan.extMounts.map(\.restore) == [
            "${container.dir}/resolv.conf", "${container.dir}/hosts", "${container.dir}/hostname",
        ])
    }

    @Test func environmentOverridesDefaults() throws {
        let environment = [
            "DOCKER_BINARY": "/usr/local/bin/docker",
            "DOCKER_HOME": "/srv/docker",
            "CRIU_BINARY": "/opt/criu/bin/criu",
            "CRIU_IMG_DIR": "/srv/checkpoints",
        ]
        let graph = try Planner(environment: environment).compile(PlanningFixtures.counterPlan())
        let graphPlan = try Planner(environment: environment).substituteCompileTimeValues(in: PlanningFixtures.counterPlan())
        #expect(graphPlan.docker.home == "/srv/docker")
        #expect(graphPlan.imageDir == "/srv/checkpoints/${container.id}")
        let dump = try graph.argv(.dump, facts: PlanningFixtures.overlay2Facts)
        #expect(dump.first?.first == "/opt/criu/bin/criu")
        #expect(try graph.argv(.inspect, facts: PlanningFixtures.overlay2Facts).first?.first == "/usr/local/bin/docker")
    }

    @Test func emptyEnvironmentValueTakesTheDefaultLikeTheShell() throws {
        let graph = try Planner(environment: ["CRIU_IMG_DIR": ""]).compile(PlanningFixtures.counterPlan())
        let graphPlan = try Planner(environment: ["CRIU_IMG_DIR": ""]).substituteCompileTimeValues(in: PlanningFixtures.counterPlan())
        #expect(graphPlan.imageDir == "/var/lib/docker/criu_img/${container.id}")
    }

    @Test func planNameDockerHomeAndImageDirAreSubstitutedEverywhere() throws {
        var plan = try PlanningFixtures.counterPlan()
        plan.docker.home = "${env.HOME_ROOT}/docker"
        plan.imageDir = "${docker.home}/crplan/${plan.name}/${container.id}"
        plan.restore.pidfile = "/run/${plan.name}.pid"
        plan.extMounts = [ExternalMount(path: "/data", restore: "${imageDir}/data")]
        let graph = try Planner(environment: ["HOME_ROOT": "/srv"]).compile(plan)
        let graphPlan = try Planner(environment: ["HOME_ROOT": "/srv"]).substituteCompileTimeValues(in: plan)
        #expect(graphPlan.imageDir == "/srv/docker/crplan/counter-roundtrip/${container.id}")
        #expect(graphPlan.restore.pidfile == "/run/counter-roundtrip.pid")
        #expect(graphPlan.extMounts.first?.restore == "/srv/docker/crplan/counter-roundtrip/${container.id}/data")
        // Nothing compile-time is left anywhere in the steps.
        for step in graph.steps {
            let templates = step.inputs + step.produces + step.commands.flatMap(\.arguments).compactMap { argument -> Template? in
                if case .value(let template) = argument { template } else { nil }
            }
            for template in templates {
                #expect(template.variables.allSatisfy { $0.isRuntime }, "\(step.id): \(template)")
            }
        }
    }

    @Test func theDigestInputHoldsTheSubstitutedValues() throws {
        let plan = try PlanningFixtures.counterPlan()
        let first = try Planner(environment: ["CRIU_IMG_DIR": "/a"]).compile(plan)
        let firstPlan = try Planner(environment: ["CRIU_IMG_DIR": "/a"]).substituteCompileTimeValues(in: plan)
        let second = try Planner(environment: ["CRIU_IMG_DIR": "/b"]).compile(plan)
        let secondPlan = try Planner(environment: ["CRIU_IMG_DIR": "/b"]).substituteCompileTimeValues(in: plan)
        #expect(firstPlan != secondPlan)
        #expect(firstPlan.imageDir == "/a/${container.id}")
    }

    @Test func unsetVariableWithoutDefaultNamesTheField() throws {
        var plan = try PlanningFixtures.counterPlan()
        plan.restore.pidfile = "${env.PIDFILE_DIR}/counter.pid"
        #expect(throws: PlanningError.unsetEnvironment(name: "PIDFILE_DIR", field: "restore.pidfile")) {
            try Planner(environment: [:]).compile(plan)
        }
        let message = PlanningError.unsetEnvironment(name: "PIDFILE_DIR", field: "restore.pidfile").description
        #expect(message.contains("restore.pidfile"))
        #expect(message.contains("${env.PIDFILE_DIR:-VALUE}"))
    }

    @Test func aRelativeValueFromTheEnvironmentIsRefused() throws {
        let plan = try PlanningFixtures.counterPlan()
        #expect(throws: PlanningError.notAbsolutePath(field: "imageDir", value: "checkpoints/${container.id}")) {
            try Planner(environment: ["CRIU_IMG_DIR": "checkpoints"]).compile(plan)
        }
        #expect(throws: PlanningError.parentSegment(field: "docker.home", value: "/srv/../etc")) {
            try Planner(environment: ["DOCKER_HOME": "/srv/../etc"]).compile(plan)
        }
    }

    @Test func aVariableNextToDotsIsNotAParentSegment() throws {
        var plan = try PlanningFixtures.counterPlan()
        plan.imageDir = "/srv/img/${container.id}..old"
        let graph = try Planner(environment: [:]).compile(plan)
        let graphPlan = try Planner(environment: [:]).substituteCompileTimeValues(in: plan)
        #expect(graphPlan.imageDir == "/srv/img/${container.id}..old")
    }

    @Test func optionLikeBinariesAndHostsAreRefused() throws {
        var plan = try PlanningFixtures.counterPlan()
        #expect(throws: PlanningError.optionLikeValue(field: "criu.binary", value: "--version")) {
            try Planner(environment: ["CRIU_BINARY": "--version"]).compile(plan)
        }
        plan.docker.host = "${env.TARGET_HOST}"
        #expect(throws: PlanningError.optionLikeValue(field: "docker.host", value: "-v")) {
            try Planner(environment: ["TARGET_HOST": "-v"]).compile(plan)
        }
        #expect(throws: PlanningError.emptyValue(field: "docker.host")) {
            try Planner(environment: ["TARGET_HOST": ""]).compile(plan)
        }
    }

    @Test func valuesNeededBeforeInspectCannotUseRuntimeVariables() throws {
        var plan = try PlanningFixtures.counterPlan()
        plan.docker.home = "${container.dir}/docker"
        #expect(throws: PlanningError.runtimeValueNotAllowed(.containerDir, field: "docker.home")) {
            try Planner(environment: [:]).compile(plan)
        }
        plan = try PlanningFixtures.counterPlan()
        plan.criu.binary = "${imageDir}/criu"
        #expect(throws: PlanningError.runtimeValueNotAllowed(.containerID, field: "criu.binary")) {
            try Planner(environment: [:]).compile(plan)
        }
    }

    @Test func selfReferencesAreRefused() throws {
        var plan = try PlanningFixtures.counterPlan()
        plan.imageDir = "${imageDir}/x"
        #expect(throws: PlanningError.cyclicVariable(.imageDir, field: "imageDir")) {
            try Planner(environment: [:]).compile(plan)
        }
        plan = try PlanningFixtures.counterPlan()
        plan.docker.home = "${env.X:-${docker.home}}"
        #expect(throws: PlanningError.cyclicVariable(.dockerHome, field: "docker.home")) {
            try Planner(environment: [:]).compile(plan)
        }
    }

    @Test func environmentValuesAreNotTemplates() throws {
        #expect(throws: PlanningError.environmentValueHasVariable(name: "CRIU_IMG_DIR", field: "imageDir")) {
            try Planner(environment: ["CRIU_IMG_DIR": "/x/${container.id}"]).compile(PlanningFixtures.counterPlan())
        }
    }

    @Test func aRoundtripThatLeavesTheContainerRunningIsRefused() throws {
        var plan = try PlanningFixtures.counterPlan()
        plan.criu.leaveRunning = true
        #expect(throws: PlanningError.leaveRunningRoundtrip) { try Planner(environment: [:]).compile(plan) }
        plan.operation = .checkpoint
        #expect(throws: Never.self) { try Planner(environment: [:]).compile(plan) }
    }

    @Test func nativeCheckpointNamesMustSuitDocker() throws {
        var plan = try PlanningFixtures.counterPlan(mode: .native)
        plan.restore.checkpoint = "-rm"
        #expect(throws: PlanningError.invalidCheckpointName("-rm", field: "restore.checkpoint")) {
            try Planner(environment: [:]).compile(plan)
        }
        plan.mode = .external
        #expect(throws: Never.self) { try Planner(environment: [:]).compile(plan) }
    }
}
