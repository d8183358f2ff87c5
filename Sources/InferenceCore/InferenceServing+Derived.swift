public import InferenceTypes

extension InferenceServing {
    /// None: a service that cannot create models has no derived ones.
    public func derivedModel(of model: ModelDescriptor) -> DerivedModel? {
        nil
    }

    /// Refuses: this service cannot create models.
    public func createModel(_ creation: ModelCreation) async throws -> ModelDescriptor {
        throw InferenceError.invalidRequest("this server cannot create models")
    }

    /// No blob is stored by a service that cannot store them.
    public func hasBlob(digest: String) throws(InferenceError) -> Bool {
        false
    }

    /// Refuses: this service cannot store blobs.
    public func blobUpload(digest: String) throws(InferenceError) -> BlobUpload {
        throw .invalidRequest("this server cannot store blobs")
    }
}
