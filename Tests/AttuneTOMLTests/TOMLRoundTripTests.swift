// Writing is deterministic and reading the written text gives back the same table.
import AttuneTOML
import Testing

@Suite struct TOMLRoundTripTests {
    private let sample: TOMLTable = [
        "attune_version": "0.1.0",
        "weird key": "quotes \" and \\ and\nnewline\ttab \u{7F} é",
        "numbers": [1, -2, .integer(.max), 0.1, -0.0, 1e-7, 5e22, .float(.infinity), .float(-.infinity)],
        "flag": false,
        "when": .dateTime("1979-05-27T07:32:00Z"),
        "nested": [[1, 2], [], ["a", ["inline": ["deep": true]]]],
        "source": ["image": "cat.png", "seed": 42],
        "ui": ["panel": ["border": ["active": "#ff8800"]], "statusline": ["fg": "fg"]],
        "empty": .table(TOMLTable()),
        "layers": [["name": "a", "sub": ["x": 1]], ["name": "b", "items": [["k": 1], ["k": 2]]]],
    ]

    @Test func parseOfSerializeIsIdentity() throws {
        let text = TOML.serialize(sample)
        #expect(try TOML.parse(text) == sample, "\(text)")
    }

    @Test func serializeIsDeterministicAndStable() throws {
        let text = TOML.serialize(sample)
        #expect(TOML.serialize(sample) == text)
        #expect(TOML.serialize(try TOML.parse(text)) == text)
    }

    @Test func layoutOfSectionsAndInlineValues() {
        let table: TOMLTable = [
            "model": "sd15",
            "source": ["image": "a b.png", "seed": 7],
            "ui": ["panel": ["border": "#fff"]],
            "runs": [["step": 1], ["step": 2]],
            "point": ["x": 1.5, "y": .float(.nan)],
        ]
        let expected = """
            model = "sd15"

            [source]
            image = "a b.png"
            seed = 7

            [ui.panel]
            border = "#fff"

            [[runs]]
            step = 1

            [[runs]]
            step = 2

            [point]
            x = 1.5
            y = nan

            """
        #expect(TOML.serialize(table) == expected)
    }

    @Test func nanSurvivesRoundTrip() throws {
        let text = TOML.serialize(["v": .float(.nan)])
        #expect(try TOML.parse(text)["v"]?.doubleValue?.isNaN == true)
    }

    @Test func keysAreQuotedOnlyWhenNeeded() {
        #expect(TOML.serialize(["bare-key_1": 1, "a.b": 2, "": 3]) == "bare-key_1 = 1\n\"a.b\" = 2\n\"\" = 3\n")
    }
}
