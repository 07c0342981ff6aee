"""File names made from user text (township names) that every file system accepts."""
from __future__ import annotations

import re
import unicodedata

# Path separators and the characters Windows reserves, plus control characters.
_FORBIDDEN = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]+')
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}
MAX_BYTES = 200  # leaves room for a folder path within common 255-byte name limits


def safe_file_name(text: str, replacement: str = "_") -> str:
    """``text`` as a file name: Chinese kept, forbidden characters replaced, no
    leading/trailing dots or spaces, no reserved device names, at most ``MAX_BYTES``
    bytes of UTF-8 (cut on a character boundary)."""
    name = unicodedata.normalize("NFC", str(text))
    name = _FORBIDDEN.sub(replacement, name)
    name = re.sub(r"\s+", " ", name).strip(" .")
    if not name or set(name) <= {replacement, "."}:
        name = "unnamed"
    name = name.encode("utf-8")[:MAX_BYTES].decode("utf-8", errors="ignore").rstrip(" .")
    # Windows ignores trailing spaces before the extension: "NUL .txt" is the NUL device
    if name.partition(".")[0].rstrip(" ").upper() in _RESERVED:
        name = f"{replacement}{name}"
    return name
