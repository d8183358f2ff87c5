import FoundationEssentials
import InferenceCore
import InferenceTypes

/// One entry of `GET /v1/models`.
struct ModelObject: Encodable, Sendable {
    var id: String
    var object = "model"
    var created: Int
    var ownedBy = "rockchip-llama"

    enum CodingKeys: String, CodingKey {
        case id, object, created
        case ownedBy = "owned_by"
    }

    init(_ model: ModelDescriptor) {
        id = model.id
        created = Int(model.modifiedAt.timeIntervalSince1970)
    }
}

/// The body of `GET /v1/models`.
struct ModelList: Encodable, Sendable {
    var object = "list"
    var data: [ModelObject]
}
