"""primaryLocationLineHash, exactly as GitHub's codeql-action computes it.

The expected values were printed by the codeql-action's own ``hash`` function (src/fingerprints.ts,
run with node) over these very texts, written to files as UTF-8.
"""

from __future__ import annotations

import pytest

from lambdalint.output.line_hash import line_hashes

#: the hash of the line after a final newline: the end-of-file marker and zeros
AFTER_LAST_NEWLINE = "c129715d7a2bc9a3:1"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("", {1: AFTER_LAST_NEWLINE}, id="empty file"),
        pytest.param("x = 1", {1: "d38b34bb229aa761:1"}, id="shorter than 100 characters, no final newline"),
        pytest.param(
            "def handler(event, context):\n\treturn\t{'ok':\tTrue}\n",
            {1: "7dff4ddeb21cbccc:1", 2: "8995559882f2746b:1", 3: AFTER_LAST_NEWLINE},
            id="tabs",
        ),
        pytest.param(
            "a = 1\r\nb = 2\r\n\r\nc = 3\r\n",
            {
                1: "8f6a3af31397247e:1",
                2: "7a5cc636be44b21d:1",
                3: "d237d4803d2e4fea:1",
                4: "69f19082d890fa68:1",
                5: AFTER_LAST_NEWLINE,
            },
            id="CRLF and a blank line",
        ),
        pytest.param(
            "x = 1\ry = 2\r\n\rz = 3",
            {1: "d30f8042c59412fd:1", 2: "4e16b338f2f68001:1", 3: "e47be9f351d663e3:1", 4: "dc8aa24d4dbdd65:1"},
            id="lone CRs",
        ),
        pytest.param(
            "a\r \nb\n",
            {1: "818c3a85b988abe4:1", 2: "bf4c4d48992e2ca5:1", 3: "ade70578248be16f:1", 4: AFTER_LAST_NEWLINE},
            id="a space between CR and LF makes two line breaks",
        ),
        pytest.param(
            "\n\n   \n\t\nx = 1\n",
            {
                1: "2935528a41a6847:1",
                2: "672b28d9b8b07fd9:1",
                3: "f11cc171b261e7f3:1",
                4: "e107cf68c905f3b5:1",
                5: "8e00d41f0ebba6bf:1",
                6: AFTER_LAST_NEWLINE,
            },
            id="blank and whitespace-only lines",
        ),
        pytest.param("  \t \n", {1: "3c5bef55b72b93c9:1", 2: AFTER_LAST_NEWLINE}, id="whitespace only"),
        pytest.param(
            "name = 'café'\nprint('日本語')\n",
            {1: "6dabb426e1aac529:1", 2: "c521686df71f8930:1", 3: AFTER_LAST_NEWLINE},
            id="non-ASCII",
        ),
        pytest.param(
            "emoji = '😀🐍'\n𝒳 = 1\n",
            {1: "d3a7986acd74f99f:1", 2: "6b14f46c9cba4457:1", 3: AFTER_LAST_NEWLINE},
            id="astral characters are two UTF-16 code units each",
        ),
        pytest.param(
            "value = '" + "a" * 150 + "'\nother = 2\n",
            {1: "c9da80b3e63142b6:1", 2: "32679dd190d9812a:1", 3: AFTER_LAST_NEWLINE},
            id="a line longer than the window",
        ),
    ],
)
def test_hashes_match_the_codeql_action(text: str, expected: dict[int, str]) -> None:
    assert line_hashes(text) == expected


def test_lines_with_the_same_next_100_characters_are_numbered_apart() -> None:
    # "pass\n" is 5 units: lines 1-11 all see twenty of them; from line 12 on, the end of the file
    hashes = line_hashes("pass\n" * 30)

    assert [hashes[line] for line in range(1, 13)] == [f"ce93db9bf14334ac:{count}" for count in range(1, 12)] + [
        "ce93dbb87d4741ea:1"
    ]
    assert hashes[13] == "4491825387662b71:1"
    assert hashes[30] == "d9ebd24fce30bc54:1"
    assert hashes[31] == AFTER_LAST_NEWLINE
    assert len(hashes) == 31


def test_indentation_spacing_and_line_endings_do_not_change_a_hash() -> None:
    text = "def handler(event, context):\n    return event\n"
    assert line_hashes(text.replace("    ", "\t").replace(", ", ",")) == line_hashes(text)
    assert line_hashes(text.replace("\n", "\r\n")) == line_hashes(text.replace("\n", "\r")) == line_hashes(text)


def test_only_the_first_100_characters_from_a_line_count() -> None:
    assert line_hashes("x" * 100 + "a")[1] == line_hashes("x" * 100 + "b")[1]
    assert line_hashes("x" * 99 + "a")[1] != line_hashes("x" * 99 + "b")[1]
