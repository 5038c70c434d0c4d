import Avatar
import Foundation
import Testing

/// Inputs the fuzzers found or review showed could trap: each must be a typed error now.
struct ParserRobustnessTests {
    @Test func poseCSVNamesTheBadLineAndColumn() throws {
        #expect(try PoseCSV.parse("yaw,pitch,roll\n1,2,3\n\n4,5,6\n", source: "p.csv").count == 2)
        #expect(throws: AvatarError.invalidPose("p.csv: line 3 has no number in column roll")) {
            try PoseCSV.parse("yaw,pitch,roll\n1,2,3\n4,5\n", source: "p.csv")
        }
        #expect(throws: AvatarError.self) { try PoseCSV.parse("yaw,pitch,roll,scale\n1,2,3,0\n", source: "p.csv") }
        #expect(throws: AvatarError.self) { try PoseCSV.parse("yaw,pitch,roll\nnan,0,0\n", source: "p.csv") }
        #expect(throws: AvatarError.self) { try PoseCSV.parse("pitch,roll\n1,2\n", source: "p.csv") }
    }

    @Test func configSchedulesThatWouldOverflowAreRefused() throws {
        var config = try ModelConfig.tiny
        config.identityWidth = 1 << 61
        #expect(throws: ConfigError.self) { try config.validate() }
        config = try ModelConfig.tiny
        config.warpPreScale = config.warpPreScale.map { _ in [1 << 62, 1 << 62, 1 << 62] }
        #expect(throws: ConfigError.self) { try config.validate() }
    }

    @Test func deviceMemoryEstimateGrowsWithTheConfig() throws {
        let tiny = DeviceMemoryEstimate(config: try ModelConfig.tiny)
        let base = DeviceMemoryEstimate(config: try ModelConfig.megaPortraits512)
        #expect(tiny.totalBytes > 0 && tiny.totalBytes < 16 << 20)
        // The base model's parameters alone are hundreds of MB; its 512² activations more.
        #expect(base.parameterBytes > 100 << 20)
        #expect(base.totalBytes > 1 << 30)
        #expect(DeviceMemoryEstimate.format(3 << 30) == "3.0 GB")
    }
}
