// Parity of the Swift CLIP tokenizer with transformers 5.23 `CLIPTokenizer` (fixture ids) and its SD 1.x framing.
@testable import AttuneModels
import Foundation
import Testing

@Suite struct CLIPTokenizerTests {
    let tokenizer: CLIPTokenizer

    init() throws {
        tokenizer = try CLIPTokenizer.bundled()
    }

    @Test func fixturePromptsMatchTransformers() throws {
        let fixtures = try TokenFixtures.load()
        #expect(fixtures.prompts.count >= 190)
        for prompt in fixtures.prompts {
            let encoded = tokenizer.encode(prompt.text)
            #expect(encoded.ids == prompt.ids, "ids of \(prompt.text.debugDescription)")
            #expect(encoded.tokens == prompt.tokens, "tokens of \(prompt.text.debugDescription)")
            #expect(encoded.droppedTokenCount == max(0, prompt.contentCount - 75), "\(prompt.text.debugDescription)")
            #expect(tokenizer.contentIDs(prompt.text).count == prompt.contentCount)
        }
    }

    /// The examples of engine.md section 4 (checked there against OpenAI's algorithm and transformers).
    @Test func engineNoteExamples() {
        let examples: [(String, [Int32])] = [
            ("a photograph of an astronaut riding a horse", [320, 8853, 539, 550, 18376, 6765, 320, 4558]),
            ("A cat, sitting on a MAT!", [320, 2368, 267, 4919, 525, 320, 9063, 256]),
            ("hello   world 2024", [3306, 1002, 273, 271, 273, 275]),
            ("don't stop", [847, 713, 1691]),
            ("naïve café", [1097, 35689, 563, 15304]),
        ]
        for (text, ids) in examples {
            #expect(tokenizer.contentIDs(text) == ids, "\(text)")
            #expect(Array(tokenizer.encode(text).ids.prefix(ids.count + 2)) == [49406] + ids + [49407])
        }
    }

    @Test func emptyPromptIsStartThenPadding() {
        let encoded = tokenizer.encode("")
        #expect(encoded.ids == [49406] + Array(repeating: 49407, count: 76))
        #expect(encoded.tokens.isEmpty)
        #expect(encoded.droppedTokenCount == 0)
        #expect(encoded.truncationWarning == nil)
        #expect(tokenizer.encode(" \t\n ").ids == encoded.ids)
    }

    @Test func truncationKeeps75ContentTokensAndCountsTheRest() {
        // Each "a" is one token (id 320).
        let words = { (n: Int) in Array(repeating: "a", count: n).joined(separator: " ") }
        let long = tokenizer.encode(words(100))
        #expect(long.ids == [49406] + Array(repeating: 320, count: 75) + [49407])
        #expect(long.tokens.count == 75)
        #expect(long.droppedTokenCount == 25)
        #expect(long.truncationWarning == "prompt truncated: 25 tokens dropped")
        #expect(tokenizer.encode(words(76)).truncationWarning == "prompt truncated: 1 token dropped")
        let exact = tokenizer.encode(words(75))
        #expect(exact.droppedTokenCount == 0 && exact.truncationWarning == nil)
        #expect(exact.ids.last == 49407 && exact.ids.count == 77)
    }

    @Test func tokensAreReadableText() {
        let sentence = tokenizer.encode("A cat, sitting on a MAT!").tokens
        #expect(sentence == ["a", "cat", ",", "sitting", "on", "a", "mat", "!"])
        #expect(tokenizer.encode("naïve café").tokens == ["na", "ï", "ve", "café"])
        #expect(tokenizer.encode("👍🏽 emoji").tokens == ["👍🏽", "emoji"])
        // "語" is E8 AA 9E; BPE splits it after two bytes, so neither token is a whole character.
        #expect(tokenizer.encode("語").tokens == ["\u{FFFD}", "\u{FFFD}"])
        #expect(tokenizer.decode(49406) == "<|startoftext|>")
        #expect(tokenizer.decode(49407) == "<|endoftext|>")
        #expect(tokenizer.decode(0) == "!" && tokenizer.decode(256) == "!" && tokenizer.decode(512) == "in")
    }

    /// Where OpenAI's clean-up (ftfy, html.unescape, Python's lower()) and transformers disagree, SD users get
    /// transformers' ids; the fixture records OpenAI's disagreement for these prompts.
    @Test func followsTransformersWhereOpenAIDiffers() throws {
        // "&amp;" stays three tokens: "&", "amp", ";" (OpenAI unescapes it to "&").
        #expect(tokenizer.contentIDs("Tom &amp; Jerry") == [2435, 261, 6259, 282, 9164])
        // A final capital sigma lowercases to "σ" (481 = "σ</w>" bytes), not "ς" (480) as Python's lower() gives.
        #expect(tokenizer.contentIDs("ΟΔΟΣ").last == 481)
        // The ligature "ﬁ" is not expanded to "fi" (ftfy would).
        #expect(tokenizer.contentIDs("ﬁne") == [171, 105, 223, 1422])
        // The exact special strings become their ids; other spellings are ordinary text.
        #expect(tokenizer.contentIDs("a <|endoftext|> b") == [320, 49407, 321])
        #expect(tokenizer.contentIDs("<|ENDOFTEXT|>!!") == [27, 347, 40786, 4160, 91, 285, 748])
        let fixtures = try TokenFixtures.load()
        for text in ["Tom &amp; Jerry", "ΟΔΟΣ οδός ΑΣ.", "ﬁne ﬂower ﬀ", "a <|endoftext|> b"] {
            let prompt = try #require(fixtures.prompts.first { $0.text == text })
            #expect(!prompt.openaiAgrees, "\(text) should be a documented OpenAI/transformers difference")
        }
    }

    @Test func concurrentEncodingAgreesWithSerial() throws {
        let prompts = try TokenFixtures.load().prompts
        let fresh = CLIPTokenizer(vocabulary: tokenizer.vocabulary)
        let lock = NSLock()
        var results = [Int: [Int32]]()
        DispatchQueue.concurrentPerform(iterations: prompts.count) { i in
            let ids = fresh.encode(prompts[i].text).ids
            lock.withLock { results[i] = ids }
        }
        for (i, prompt) in prompts.enumerated() { #expect(results[i] == prompt.ids, "\(prompt.text.debugDescription)") }
    }

    @Test func loadAndEncodeTimings() throws {
        let url = try CLIPTokenizer.bundledVocabularyURL()
        let loadStart = ContinuousClock.now
        let vocabulary = try BPEVocabulary.openAI(gzipFile: url)
        let load = ContinuousClock.now - loadStart
        let fresh = CLIPTokenizer(vocabulary: vocabulary)
        let prompt = "a photo of an astronaut riding a horse, highly detailed, 8k"
        let coldStart = ContinuousClock.now
        _ = fresh.encode(prompt)
        let cold = ContinuousClock.now - coldStart
        let warmStart = ContinuousClock.now
        for _ in 0..<100 { _ = fresh.encode(prompt) }
        let warm = (ContinuousClock.now - warmStart) / 100
        print("CLIP tokenizer: load \(load), encode cold \(cold), encode cached \(warm)")
        // Generous bounds: they catch an accidental quadratic blow-up, not normal machine noise.
        #expect(load < .seconds(5))
        #expect(warm < .milliseconds(50))
    }
}
