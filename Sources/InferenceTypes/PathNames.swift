import FoundationEssentials

/// Path helpers on plain strings, so that the server needs only FoundationEssentials.
public enum PathNames {
    /// `~/x` with the user's home directory in place of `~`.
    public static func expandingTilde(_ path: String) -> String {
        guard path == "~" || path.hasPrefix("~/") else { return path }
        let home = ProcessInfo.processInfo.environment["HOME"] ?? FileManager.default.homeDirectoryForCurrentUser.path
        return home + path.dropFirst()
    }

    /// The last component of a path.
    public static func fileName(_ path: String) -> String {
        URL(fileURLWithPath: path).lastPathComponent
    }

    /// The last component without its extension.
    public static func stem(_ path: String) -> String {
        URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
    }

    /// The extension of the last component, without the dot.
    public static func fileExtension(_ path: String) -> String {
        URL(fileURLWithPath: path).pathExtension
    }

    /// The directory that holds a path.
    public static func directory(_ path: String) -> String {
        URL(fileURLWithPath: path).deletingLastPathComponent().path
    }

    /// A name (a model id) as one path component: anything but ASCII letters, digits, `.`, `_` and `-` becomes
    /// `_`, and a name that is empty or starts with `.` gets a leading `_`, so it is never hidden, `.` or `..`.
    public static func component(for name: String) -> String {
        let safe = String(
            String.UnicodeScalarView(
                name.unicodeScalars.map { scalar in
                    let allowed =
                        ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar)
                        || scalar == "." || scalar == "_" || scalar == "-"
                    return allowed ? scalar : "_"
                }))
        return safe.hasPrefix(".") || safe.isEmpty ? "_" + safe : safe
    }
}
