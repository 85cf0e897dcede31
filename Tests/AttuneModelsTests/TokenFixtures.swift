// Loads Tests/Fixtures/tokens.json (written by Tools/fixtures/make_token_fixtures.py from transformers 5.23).
import AttuneTestSupport
import Foundation

struct TokenFixtures: Decodable {
    struct Prompt: Decodable {
        let text: String
        /// transformers' 77 framed and padded ids.
        let ids: [Int32]
        /// Content tokens before truncation.
        let contentCount: Int
        /// Readable text of the kept content tokens.
        let tokens: [String]
        /// Whether OpenAI's simple tokenizer (with ftfy) gives the same 77 ids.
        let openaiAgrees: Bool
    }

    let prompts: [Prompt]

    static func load() throws -> TokenFixtures {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(TokenFixtures.self, from: Data(contentsOf: Fixtures.url("tokens.json")))
    }
}
