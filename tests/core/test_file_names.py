"""File names from user text: Chinese kept, Windows-forbidden characters replaced,
no leading/trailing dots or spaces, device names defused, 200 UTF-8 bytes at most."""
from __future__ import annotations

import pytest

from hunchun_risk_plugin.core.file_names import MAX_BYTES, safe_file_name

# Characters Windows forbids in a file name (Microsoft "Naming Files, Paths, and
# Namespaces"): < > : " / \ | ? * and the control characters 1-31.
WINDOWS_FORBIDDEN = '<>:"/\\|?*'


def test_chinese_and_ordinary_names_unchanged():
    for name in ("春化镇", "杨泡满族乡_自然灾害综合风险图_1-50000_K52E007018", "Xin'an Subdistrict", "a-b_c (1)"):
        assert safe_file_name(name) == name


@pytest.mark.parametrize("char", list(WINDOWS_FORBIDDEN) + ["\x00", "\x01", "\x1f", "\t", "\n", "\r"])
def test_each_forbidden_character_is_replaced(char):
    assert safe_file_name(f"春化{char}镇") == "春化_镇"


def test_a_run_of_forbidden_characters_becomes_one_replacement():
    assert safe_file_name("a<>:b") == "a_b"
    assert safe_file_name("珲春市/春化镇\\图") == "珲春市_春化镇_图"


def test_custom_replacement():
    assert safe_file_name("a/b", replacement="-") == "a-b"


def test_whitespace_collapsed_and_ends_stripped():
    assert safe_file_name("  春化镇   风险图  ") == "春化镇 风险图"
    assert safe_file_name("...hidden") == "hidden"  # a leading dot would hide the file on Unix
    assert safe_file_name("name. . .") == "name"  # Windows drops trailing dots and spaces
    assert safe_file_name(" .春化镇. ") == "春化镇"


@pytest.mark.parametrize("text", ["", "   ", "...", ". .", "///", "?*", "\x00"])
def test_nothing_usable_left_gives_a_placeholder(text):
    assert safe_file_name(text) == "unnamed"


def test_unicode_normalised_to_nfc():
    # 'e' + COMBINING ACUTE ACCENT (NFD) is the single code point U+00E9 in NFC
    assert safe_file_name("Cafe\u0301") == "Caf\u00e9"


@pytest.mark.parametrize("name", ["CON", "prn", "Aux", "NUL", "COM1", "com9", "LPT1", "LPT9"])
def test_reserved_device_names_are_prefixed(name):
    assert safe_file_name(name) == "_" + name


@pytest.mark.parametrize("name", ["NUL.txt", "con.tar.gz", "Com1.pdf"])
def test_reserved_device_names_with_an_extension_are_prefixed(name):
    # Windows: "NUL.txt and NUL.tar.gz are both equivalent to NUL"
    assert safe_file_name(name) == "_" + name


@pytest.mark.parametrize("name", ["CONSOLE", "COM10", "LPT", "NULL", "春化镇CON", "my.con"])
def test_names_that_only_contain_a_device_name_are_left_alone(name):
    assert safe_file_name(name) == name


def test_device_name_with_spaces_before_the_extension_is_prefixed():
    # Windows strips trailing spaces from the base name, so "NUL .txt" opens the NUL device
    # (Python 3.13's ntpath.isreserved gives "nul .txt" as its example of a reserved name).
    assert safe_file_name("NUL .txt") == "_NUL .txt"


def test_length_cut_never_leaves_a_bare_device_name():
    text = "COM1 " + "." * 300 + "x"
    result = safe_file_name(text)
    assert result.split(".")[0].rstrip(" ").upper() != "COM1"


def test_ascii_name_cut_to_200_bytes():
    assert MAX_BYTES == 200
    assert safe_file_name("a" * 250) == "a" * 200


def test_chinese_name_cut_on_a_character_boundary():
    # each CJK character is 3 bytes in UTF-8: 200 // 3 = 66 characters (198 bytes)
    assert safe_file_name("镇" * 100) == "镇" * 66
    # one ASCII byte first: 1 + 3k <= 200 -> k = 66 (199 bytes)
    assert safe_file_name("a" + "镇" * 100) == "a" + "镇" * 66
    # two ASCII bytes: 2 + 3k <= 200 -> k = 66, exactly 200 bytes
    assert safe_file_name("ab" + "镇" * 100) == "ab" + "镇" * 66
    # three ASCII bytes: 3 + 3k <= 200 -> k = 65 (198 bytes; the 67th char would be cut mid-way)
    assert safe_file_name("abc" + "镇" * 100) == "abc" + "镇" * 65


def test_four_byte_characters_cut_whole():
    # U+1F30B (volcano) is 4 bytes: 200 // 4 = 50
    assert safe_file_name("\U0001F30B" * 60) == "\U0001F30B" * 50


def test_cut_does_not_leave_a_trailing_space_or_dot():
    # the cut falls right after the space (byte 200); the space must not end the name
    assert safe_file_name("a" * 199 + " bcd") == "a" * 199
    assert safe_file_name("a" * 199 + ".bcd") == "a" * 199


def test_results_are_always_acceptable_names():
    samples = ["春化镇" * 80, "CON", "a/b" * 100, " . ", "x" * 199 + "\u00e9", "镇。" * 70, "NUL.txt"]
    for text in samples:
        name = safe_file_name(text)
        assert name
        assert len(name.encode("utf-8")) <= 200
        assert not set(name) & set(WINDOWS_FORBIDDEN)
        assert name[0] not in " ." and name[-1] not in " ."
