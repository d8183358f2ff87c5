public import Hummingbird
public import InferenceCore

/// Anthropic's Messages API, mounted under `/v1`: `POST /v1/messages` and `POST /v1/messages/count_tokens`.
public struct AnthropicController<Context: RequestContext>: Sendable {
    let service: any InferenceServing
    let maxBodyBytes: Int

    /// Creates the controller; request bodies larger than `maxBodyBytes` get a 413.
    public init(service: any InferenceServing, maxBodyBytes: Int) {
        self.service = service
        self.maxBodyBytes = maxBodyBytes
    }

    /// Adds the routes to a group (normally `/v1`).
    public func addRoutes(to group: RouterGroup<Context>) {
    }
}
