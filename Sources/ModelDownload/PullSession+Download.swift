import AsyncHTTPClient
import Crypto
import InferenceCore
import InferenceTypes
import Logging
import NIOCore

extension PullSession {
    /// The bytes gathered before each write to the `.partial` file.
    static let writeBytes = 1 << 20

    /// Downloads into the `.partial` file, resuming what it holds, then verifies it and renames it into place.
    /// Holds an exclusive lock on the `.partial` file throughout, so that two pulls of one file cannot mix.
    func download(progress: Report) async throws {
        let path = destination.partialPath
        let file = try await BlockingIO.run { try OpenFile.appending(to: path) }
        guard try file.lockExclusively() else { throw ModelDownloadError.pullInProgress(destination.fileName) }
        do {
            try await download(into: file, progress: progress)
        } catch {
            if (try? file.size()) == 0 { try? FileSystem.remove(path) }
            throw error
        }
    }

    private func download(into file: OpenFile, progress: Report) async throws {
        var restarted = false
        while true {
            let offset = try file.size()
            let (response, head) = try await request(from: offset)
            let expected = expectedSHA256(head)
            switch head.status {
            case 200, 206:
                let start: Int64 = head.status == 206 ? offset : 0
                if head.status == 206, head.contentRange?.first != offset {
                    guard !restarted else {
                        throw ModelDownloadError.invalidResponse(
                            url: reference.url, reason: "it sent a range other than the bytes from \(offset) on")
                    }
                    restarted = true
                    try await BlockingIO.run { try file.truncate() }
                    continue
                }
                if start == 0, offset > 0 {
                    logger.info(
                        "the server does not resume downloads; starting over",
                        metadata: ["pull.url": "\(reference.url)"])
                }
                let total = head.total(from: start)
                if let total { try checkAnnouncedSize(total, partialPath: file.path) }
                try await checkFreeSpace(remaining: total.map { max($0 - start, 0) })
                if start > 0 { try await checkHead(ofFileAt: file.path) }
                let hasher = try await transfer(
                    response.body, into: file, from: start, total: total, expected: expected, progress: progress)
                try await finish(file, total: total, hasher: hasher, expected: expected, progress: progress)
                return
            case 416 where offset > 0:
                if head.contentRange?.total == offset {
                    try await checkHead(ofFileAt: file.path)
                    let hasher = expected == nil ? nil : try await FileDigest.hashing(fileAt: file.path)
                    await progress(downloadProgress(expected: expected, total: offset, completed: offset))
                    try await finish(file, total: offset, hasher: hasher, expected: expected, progress: progress)
                    return
                }
                guard !restarted else {
                    throw ModelDownloadError.invalidResponse(
                        url: reference.url, reason: "it refused the range of bytes from \(offset) on (HTTP 416)")
                }
                restarted = true
                try await BlockingIO.run { try file.truncate() }
            default:
                throw ModelDownloadError.httpStatus(head.status, url: reference.url)
            }
        }
    }

    /// Writes the body to the file from `offset` (emptying the file first when it is zero), reporting progress
    /// at most every 100 ms and at the end. Returns the digest of the whole file when one is expected.
    ///
    /// Nothing is written before the first bytes are known to start a model file; a body past the size limit
    /// or the announced total is cut and its file deleted; the free space is checked every
    /// `diskCheckIntervalBytes`. Bytes received before a network failure or a cancellation are written before
    /// it is thrown.
    private func transfer(
        _ body: HTTPClientResponse.Body, into file: OpenFile, from offset: Int64, total: Int64?, expected: String?,
        progress: Report
    ) async throws -> SHA256? {
        if offset == 0 { try await BlockingIO.run { try file.truncate() } }
        var hasher: SHA256? = nil
        if expected != nil { hasher = offset > 0 ? try await FileDigest.hashing(fileAt: file.path) : SHA256() }
        var completed = offset
        var pending = ByteBuffer()
        var headChecked = offset > 0
        var nextDiskCheck = offset + policy.diskCheckIntervalBytes
        var throttle = ProgressThrottle()
        _ = throttle.isDue()
        await progress(downloadProgress(expected: expected, total: total, completed: completed))
        do {
            for try await chunk in body {
                completed += Int64(chunk.readableBytes)
                try checkReceivedSize(completed, total: total, partialPath: file.path)
                hasher?.update(chunk)
                pending.writeImmutableBuffer(chunk)
                if !headChecked, pending.readableBytes >= ModelFileSignature.neededBytes {
                    try checkHead(pending, partialPath: file.path)
                    headChecked = true
                }
                if pending.readableBytes >= Self.writeBytes {
                    try await write(pending, to: file)
                    pending = ByteBuffer()
                }
                if completed >= nextDiskCheck {
                    try await checkFreeSpace(remaining: total.map { $0 - completed })
                    nextDiskCheck = completed + policy.diskCheckIntervalBytes
                }
                if throttle.isDue() {
                    await progress(downloadProgress(expected: expected, total: total, completed: completed))
                }
            }
        } catch let error as ModelDownloadError {
            throw error
        } catch {
            if headChecked { try? await write(pending, to: file) }
            throw error
        }
        if !headChecked { try checkHead(pending, partialPath: file.path) }
        try await write(pending, to: file)
        try Task.checkCancellation()
        await progress(downloadProgress(expected: expected, total: total, completed: completed))
        return hasher
    }

    private func write(_ buffer: ByteBuffer, to file: OpenFile) async throws {
        guard buffer.readableBytes > 0 else { return }
        try await BlockingIO.run { try file.append(buffer) }
    }

    /// Checks the size and the digest, deleting the file when either is wrong, then renames it into place.
    private func finish(
        _ file: OpenFile, total: Int64?, hasher: SHA256?, expected: String?, progress: Report
    ) async throws {
        await progress(PullProgress(status: "verifying sha256 digest"))
        let size = try file.size()
        if let total, size != total {
            try? FileSystem.remove(file.path)
            throw ModelDownloadError.sizeMismatch(expected: total, actual: size)
        }
        if let expected, let hasher {
            let actual = FileDigest.hex(of: hasher)
            guard actual == expected else {
                try? FileSystem.remove(file.path)
                throw ModelDownloadError.digestMismatch(expected: "sha256:" + expected, actual: "sha256:" + actual)
            }
        }
        await progress(PullProgress(status: "writing manifest"))
        try await BlockingIO.run { try file.synchronize() }
        try FileSystem.rename(file.path, to: destination.finalPath)
        let directory = destination.directory
        try await BlockingIO.run { FileSystem.synchronizeDirectory(directory) }
        logger.info("pulled model", metadata: ["pull.file": "\(destination.finalPath)", "pull.bytes": "\(size)"])
        await progress(PullProgress(status: "success"))
    }
}
