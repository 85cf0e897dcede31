// Reading valid TOML 1.0: every construct Attune's configs, themes, keymaps and edit records use.
import AttuneTOML
import Testing

@Suite struct TOMLParserTests {
    @Test func tablesDottedAndQuotedKeys() throws {
        let table = try TOML.parse(
            """
            # comment
            title = "workbench"   # trailing comment
            site."google.com" = true
            a.b.c = 1
            'literal key' = 2
            "" = 3

            [ui . panel]
            border = "#ffffff"
            [ui.statusline]
            fg = 'x'
            """)
        #expect(table["title"] == "workbench")
        #expect(table["site"]?.tableValue?["google.com"] == true)
        #expect(table["a"]?.tableValue?["b"]?.tableValue?["c"] == 1)
        #expect(table["literal key"] == 2)
        #expect(table[""] == 3)
        let ui = try #require(table["ui"]?.tableValue)
        #expect(ui["panel"]?.tableValue?["border"] == "#ffffff")
        #expect(ui["statusline"]?.tableValue?["fg"] == "x")
        #expect(table.keys == ["title", "site", "a", "literal key", "", "ui"])
    }

    @Test func basicStringEscapes() throws {
        let table = try TOML.parse(#"s = "tab\tnl\nq\"bs\\ \u00e9 \U0001F600 \b\f\r""#)
        #expect(table["s"] == .string("tab\tnl\nq\"bs\\ é 😀 \u{08}\u{0C}\r"))
    }

    @Test func literalAndMultilineStrings() throws {
        let table = try TOML.parse(
            "lit = 'C:\\path\\no escapes'\n"
                + "ml = \"\"\"\nline one\nline two\\\n     continued\"\"\"\n"
                + "mll = '''\nraw \\n text\n'''\n"
                + "quotes = \"\"\"a \"\"quoted\"\" b\"\"\"\"\"\n"
                + "crlf = \"\"\"x\r\ny\"\"\"\n")
        #expect(table["lit"] == "C:\\path\\no escapes")
        #expect(table["ml"] == "line one\nline twocontinued")
        #expect(table["mll"] == "raw \\n text\n")
        #expect(table["quotes"] == "a \"\"quoted\"\" b\"\"")
        #expect(table["crlf"] == "x\ny")
    }

    @Test func integersInEveryRadix() throws {
        let table = try TOML.parse(
            """
            dec = +99
            neg = -17
            zero = 0
            under = 1_000_000
            hex = 0xDEAD_beef
            oct = 0o755
            bin = 0b1101
            max = 9223372036854775807
            min = -9223372036854775808
            """)
        #expect(table["dec"] == 99)
        #expect(table["neg"] == -17)
        #expect(table["zero"] == 0)
        #expect(table["under"] == 1_000_000)
        #expect(table["hex"] == .integer(0xDEAD_BEEF))
        #expect(table["oct"] == 0o755)
        #expect(table["bin"] == 13)
        #expect(table["max"] == .integer(.max))
        #expect(table["min"] == .integer(.min))
    }

    @Test func floatsIncludingSpecialValues() throws {
        let table = try TOML.parse(
            """
            a = 7.5
            b = -0.01
            c = 5e+22
            d = 1e06
            e = -2E-2
            f = 6.626e-34
            g = 224_617.445_991
            h = inf
            i = -inf
            j = nan
            k = +nan
            """)
        #expect(table["a"] == 7.5)
        #expect(table["b"] == -0.01)
        #expect(table["c"] == 5e22)
        #expect(table["d"] == 1e6)
        #expect(table["e"] == -0.02)
        #expect(table["f"] == 6.626e-34)
        #expect(table["g"] == 224_617.445_991)
        #expect(table["h"] == .float(.infinity))
        #expect(table["i"] == .float(-.infinity))
        #expect(table["j"]?.doubleValue?.isNaN == true)
        #expect(table["k"]?.doubleValue?.isNaN == true)
    }

    @Test func booleansAndDatesKeptAsText() throws {
        let table = try TOML.parse(
            """
            t = true
            f = false
            odt = 1979-05-27T07:32:00Z
            offset = 1979-05-27T00:32:00.999999-07:00
            space = 1979-05-27 07:32:00
            ld = 1979-05-27
            lt = 00:32:00.5
            """)
        #expect(table["t"] == true)
        #expect(table["f"] == false)
        #expect(table["odt"] == .dateTime("1979-05-27T07:32:00Z"))
        #expect(table["offset"] == .dateTime("1979-05-27T00:32:00.999999-07:00"))
        #expect(table["space"] == .dateTime("1979-05-27 07:32:00"))
        #expect(table["ld"] == .dateTime("1979-05-27"))
        #expect(table["lt"] == .dateTime("00:32:00.5"))
    }

    @Test func arraysNestedMixedMultilineWithTrailingComma() throws {
        let table = try TOML.parse(
            """
            ints = [1, 2, 3]
            nested = [[1, 2], ["a", 'b'], []]
            mixed = [1, "two", 3.0, true, { x = 1 }]
            multi = [
              "one",  # first
              "two",
            ]
            empty = [ ]
            """)
        #expect(table["ints"] == [1, 2, 3])
        #expect(table["nested"] == [[1, 2], ["a", "b"], []])
        #expect(table["mixed"] == [1, "two", 3.0, true, ["x": 1]])
        #expect(table["multi"] == ["one", "two"])
        #expect(table["empty"] == [])
    }

    @Test func inlineTablesWithDottedKeys() throws {
        let table = try TOML.parse(#"style = { fg = "red", bg.name = "black", modifiers = ["bold"] }"#)
        #expect(table["style"] == ["fg": "red", "bg": ["name": "black"], "modifiers": ["bold"]])
        #expect(try TOML.parse("e = {}")["e"] == .table(TOMLTable()))
    }

    @Test func arraysOfTablesWithSubTables() throws {
        let table = try TOML.parse(
            """
            [[fruits]]
            name = "apple"
            [fruits.physical]
            color = "red"
            [[fruits.varieties]]
            name = "red delicious"
            [[fruits]]
            name = "banana"
            """)
        let fruits = try #require(table["fruits"]?.arrayValue)
        #expect(fruits.count == 2)
        #expect(fruits[0].tableValue?["physical"] == ["color": "red"])
        #expect(fruits[0].tableValue?["varieties"] == [["name": "red delicious"]])
        #expect(fruits[1].tableValue?["name"] == "banana")
    }

    @Test func headersMayCompleteImpliedTablesAndExtendDottedOnes() throws {
        let table = try TOML.parse(
            """
            [x.y.z]
            a = 1
            [x]
            b = 2
            [fruit]
            apple.color = "red"
            [fruit.apple.texture]
            smooth = true
            """)
        #expect(table["x"] == ["y": ["z": ["a": 1]], "b": 2])
        #expect(table["fruit"] == ["apple": ["color": "red", "texture": ["smooth": true]]])
    }

    @Test func leapDayAndByteOrderMark() throws {
        #expect(try TOML.parse("\u{FEFF}d = 2024-02-29") == ["d": .dateTime("2024-02-29")])
    }

    @Test func crlfLineEndings() throws {
        #expect(try TOML.parse("a = 1\r\n[b]\r\nc = 'x'\r\n") == ["a": 1, "b": ["c": "x"]])
    }
}
