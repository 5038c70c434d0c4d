import Runtime
import Testing

struct DeviceChoiceTests {
    @Test func parsesTheThreeForms() throws {
        #expect(try DeviceChoice(parsing: "cpu") == .cpu)
        #expect(try DeviceChoice(parsing: "OpenCL") == .openclAuto)
        #expect(try DeviceChoice(parsing: "opencl:3") == .opencl(3))
    }

    @Test func rejectsNonsenseWithAHelpfulMessage() {
        #expect { try DeviceChoice(parsing: "cuda") } throws: { "\($0)".contains("opencl:N") }
        #expect(throws: RuntimeError.self) { try DeviceChoice(parsing: "opencl:-1") }
    }

    @Test func flagBeatsEnvironmentBeatsDefault() throws {
        #expect(try DeviceChoice.resolve(flag: "cpu", environment: ["PORTRAIT_DEVICE": "opencl:1"]) == .cpu)
        #expect(try DeviceChoice.resolve(flag: nil, environment: ["PORTRAIT_DEVICE": "opencl:1"]) == .opencl(1))
        #expect(try DeviceChoice.resolve(flag: nil, environment: [:]) == .openclAuto)
    }
}
