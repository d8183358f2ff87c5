import NIOCore

extension PullSession {
    /// Refuses an announced size over the policy's limit, deleting the `.partial` file at `path`: a file that
    /// large would be refused again on every resume.
    func checkAnnouncedSize(_ total: Int64, partialPath path: String) throws {
        guard total > policy.maxBytes else { return }
        try? FileSystem.remove(path)
        throw ModelDownloadError.tooLarge(url: reference.url, bytes: total, limit: policy.maxBytes, announced: true)
    }

    /// Refuses a body that has passed the policy's limit or the announced total, deleting the `.partial` file.
    func checkReceivedSize(_ completed: Int64, total: Int64?, partialPath path: String) throws {
        if completed > policy.maxBytes {
            try? FileSystem.remove(path)
            throw ModelDownloadError.tooLarge(
                url: reference.url, bytes: completed, limit: policy.maxBytes, announced: false)
        }
        if let total, completed > total {
            try? FileSystem.remove(path)
            throw ModelDownloadError.sizeMismatch(expected: total, actual: completed)
        }
    }

    /// Refuses to go on when the models directory's file system lacks room for the `remaining` bytes (or, when
    /// the size is unknown, for the next stretch between two checks) plus the policy's margin.
    func checkFreeSpace(remaining: Int64?) async throws {
        let directory = destination.directory
        let source = policy.freeSpace
        let available = try await BlockingIO.run { try source.availableBytes(in: directory) }
        let needed = (remaining ?? policy.diskCheckIntervalBytes) + policy.diskMarginBytes
        guard available < needed else { return }
        throw ModelDownloadError.notEnoughDiskSpace(directory: directory, needed: needed, available: available)
    }

    /// Refuses a file whose first bytes are not a model file's, deleting the `.partial` file.
    func checkHead(_ head: ByteBuffer, partialPath path: String) throws {
        let bytes = head.getBytes(at: head.readerIndex, length: min(head.readableBytes, ModelFileSignature.neededBytes))
        guard let found = ModelFileSignature.mismatch(bytes ?? [], fileName: destination.fileName) else { return }
        try? FileSystem.remove(path)
        throw ModelDownloadError.notAModelFile(
            url: reference.url, found: found, expected: ModelFileSignature.expected(fileName: destination.fileName))
    }

    /// Checks the first bytes of the `.partial` file at `path` before a download resumes or completes it.
    func checkHead(ofFileAt path: String) async throws {
        let head = try await BlockingIO.run { try OpenFile.reading(path).read(upTo: ModelFileSignature.neededBytes) }
        try checkHead(head, partialPath: path)
    }
}
