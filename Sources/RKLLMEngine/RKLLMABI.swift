import CRKLLM

/// The struct layout of an RKLLM runtime. Calling a runtime through the wrong one corrupts memory, so a
/// library whose layout cannot be told is refused unless the user names it.
public enum RKLLMABI: String, Sendable, CaseIterable {
    /// Releases 1.2.1 to 1.2.3.
    case v1_2 = "1.2"
    /// Releases 1.3.x.
    case v1_3 = "1.3"

    /// Tells the layout from what `rkllm_createDefaultParam()` returns.
    ///
    /// The two layouts put different fields at the same offsets, and the documented defaults
    /// (`n_batch` = 1, no image tags, reserved bytes zero) make them distinguishable:
    /// - 1.2: bytes 64..<88 are the three `img_*` pointers (NULL) and `extend_param.n_batch` is at 100;
    /// - 1.3: `extend_param` starts at 60, so `n_batch` is at 72 and byte 100 lies in its zeroed reserve.
    /// Any other pattern (an older or newer runtime, or not a runtime at all) is `nil`.
    public static func detect(defaultParam bytes: [UInt8]) -> RKLLMABI? {
        guard bytes.count >= 104 else { return nil }
        let imageTagsAreNull = bytes[64..<88].allSatisfy { $0 == 0 }
        if imageTagsAreNull && bytes[100] == 1 { return .v1_2 }
        if bytes[72] == 1 && bytes[100] == 0 { return .v1_3 }
        return nil
    }
}

extension rkllm_param_probe {
    /// The probe's bytes in memory order.
    var bytes: [UInt8] {
        withUnsafeBytes(of: self) { Array($0) }
    }
}
