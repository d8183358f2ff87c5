extension InferenceError {
    /// The error with the model's path written as its file name, so that a runtime's load message (which
    /// names the path it was given) does not tell clients where the models directory is.
    public func hidingPath(of model: ModelDescriptor) -> InferenceError {
        guard case .modelLoadFailed(let name, let reason) = self else { return self }
        let directory = PathNames.directory(model.path)
        return .modelLoadFailed(
            model: name,
            reason: reason.replacing(model.path, with: model.fileName).replacing(directory + "/", with: ""))
    }
}
