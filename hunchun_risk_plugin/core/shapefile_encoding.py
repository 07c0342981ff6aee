"""The text encoding of a shapefile's attribute table (.dbf).

Most Chinese office data are shapefiles written in GBK without a ``.cpg`` file; GDAL
and QGIS then read their names and values as Latin-1 or UTF-8 mojibake. The bytes
decide here: text that is valid UTF-8 is UTF-8, anything else is read as GB18030 (a
superset of GBK and GB2312). A ``.cpg`` is trusted only when the bytes agree with it,
so a ``.cpg`` that says UTF-8 over GBK text is overruled, and the user is told.
"""
from __future__ import annotations

import codecs
import struct
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .layer_uri import uri_path
from .raster_io import no_sidecar_files

CHINESE_FALLBACK = "GB18030"
_READ_LIMIT = 4 * 1024 * 1024  # enough records to decide, without reading a huge table


@dataclass(frozen=True)
class EncodingGuess:
    encoding: str | None      # what to read the table as; None = leave it to GDAL
    declared: str | None      # what the .cpg says (None = no .cpg)
    overruled: bool = False   # the bytes contradict the .cpg
    # the .cpg's codec when the bytes agree with it: GDAL reads it alone where it was
    # built with iconv, but not every GDAL is (pyogrio 0.7's wheels read GBK as Latin-1)
    confirmed: str | None = None

    def note(self, path: str | Path) -> tuple[str, str] | None:
        """(en, zh) to tell the user, or None when there is nothing to say."""
        if self.encoding is None:
            return None
        name = Path(path).name
        cpg = Path(path).with_suffix(".cpg").name
        if self.overruled:
            return (f"'{name}': its .cpg says {self.declared}, but the attribute text is not {self.declared}; read as "
                    f"{self.encoding}. Correct '{cpg}' (one line: {self.encoding}) so every program reads it right.",
                    f"“{name}”：其 .cpg 声明编码为 {self.declared}，但属性文本并非该编码，已按 {self.encoding} 读取。"
                    f"请把“{cpg}”改为一行 {self.encoding}，使所有软件都能正确读取。")
        return (f"'{name}' has no .cpg and its attribute text is not UTF-8; read as {self.encoding} (GBK). To make "
                f"every program read it right, put a text file '{cpg}' beside it holding the one line {self.encoding}.",
                f"“{name}”没有 .cpg 文件且属性文本不是 UTF-8，已按 {self.encoding}（GBK）读取。为使所有软件正确读取，"
                f"请在其旁新建文本文件“{cpg}”，内容为一行 {self.encoding}。")


def _dbf_text(dbf: Path) -> bytes:
    """The field names and the records of a .dbf (header bytes skipped)."""
    with open(dbf, "rb") as handle:
        head = handle.read(32)
        if len(head) < 32:
            return b""
        header_length = struct.unpack("<H", head[8:10])[0]
        names = handle.read(max(header_length - 32, 0))
        records = handle.read(_READ_LIMIT)
    fields = b"".join(names[i:i + 11].split(b"\0", 1)[0] for i in range(0, len(names) - 1, 32))
    return fields + b" " + records


def _decodes(data: bytes, encoding: str) -> bool:
    try:
        data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return False
    return True


def _declared(shp: Path) -> str | None:
    for suffix in (".cpg", ".CPG"):
        cpg = shp.with_suffix(suffix)
        if cpg.is_file():
            text = cpg.read_bytes().decode("ascii", errors="ignore").strip()
            return text or None
    return None


def _python_codec(name: str) -> str | None:
    """The Python codec for a .cpg value ('UTF-8', '936', 'GBK', 'CP1252'…)."""
    aliases = {"936": "gbk", "ansi 936": "gbk", "54936": "gb18030", "65001": "utf-8", "1252": "cp1252"}
    name = aliases.get(name.strip().lower(), name.strip())
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def guess_encoding(path: str | Path) -> EncodingGuess:
    """How to read the attribute table of the shapefile ``path`` (a .shp or its URI);
    ``encoding`` is None for anything that is not a shapefile or reads right as is."""
    shp = Path(uri_path(str(path)))
    dbf = shp.with_suffix(".dbf")
    if shp.suffix.lower() != ".shp" or not dbf.is_file():
        return EncodingGuess(None, None)
    declared = _declared(shp)
    data = _dbf_text(dbf)
    if data.isascii():
        return EncodingGuess(None, declared)
    codec = _python_codec(declared) if declared else None
    if _decodes(data, "utf-8"):
        if codec in (None, "utf-8"):
            return EncodingGuess(None, declared)
        return EncodingGuess("UTF-8", declared, overruled=True)  # GBK text is almost never valid UTF-8
    if codec is not None and codec != "utf-8" and _decodes(data, codec):
        return EncodingGuess(None, declared, confirmed=codec)
    return EncodingGuess(CHINESE_FALLBACK, declared, overruled=declared is not None)


def read_vector(path: str | Path, layer: str | None = None, **kwargs) -> pd.DataFrame:
    """A vector file as a GeoDataFrame, a Chinese shapefile's text decoded right (see
    ``guess_encoding``). For scripts and the core; the algorithms read through QGIS."""
    import pyogrio

    guess = guess_encoding(path)
    encoding = guess.encoding or guess.confirmed
    if encoding is not None:
        kwargs.setdefault("encoding", encoding)
    with no_sidecar_files():  # GDAL would keep a GeoPackage's metadata in a .aux.xml beside it
        frame = pyogrio.read_dataframe(uri_path(str(path)), layer=layer, **kwargs)
    note = guess.note(uri_path(str(path)))
    if note:
        frame.attrs["encoding_note"] = note
    return frame
