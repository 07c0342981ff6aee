"""core.shapefile_encoding: GBK/GB18030 shapefiles without a .cpg, or with a .cpg that
lies, are read with their names right; the tables are written in the test byte by byte."""
from __future__ import annotations

import struct

import geopandas as gpd
import pyogrio
import pytest
import shapely

from hunchun_risk_plugin.core.shapefile_encoding import CHINESE_FALLBACK, guess_encoding, read_vector

# 珲 is in GBK; 𠀀 (U+20000) is only in GB18030, not in GBK
NAMES = {"GBK": ["防川测试镇", "珲春市"], "GB18030": ["防川测试镇", "𠀀村"]}


def _dbf_bytes(columns: dict, encoding: str) -> bytes:
    """A dBase III table written byte by byte (the format's own layout, not a library's
    writer): names and text in `encoding`, no language driver id, so nothing in the file
    says what the bytes are. Text columns are 'C', integer columns 'N'."""
    names = list(columns)
    rows = len(next(iter(columns.values())))
    fields = []
    for name in names:
        values = columns[name]
        kind = "N" if all(isinstance(v, int) for v in values) else "C"
        cells = [str(v).encode(encoding) for v in values]
        fields.append((name.encode(encoding), kind, max(len(c) for c in cells), cells))
    header_length = 32 + 32 * len(fields) + 1
    record_length = 1 + sum(width for _, _, width, _ in fields)
    out = bytearray(struct.pack("<B3BIHH20x", 0x03, 126, 12, 2, rows, header_length, record_length))
    for name, kind, width, _ in fields:
        out += struct.pack("<11sc4xBB14x", name, kind.encode(), width, 0)
    out += b"\r"
    for row in range(rows):
        out += b" "
        for _, kind, width, cells in fields:
            out += cells[row].rjust(width) if kind == "N" else cells[row].ljust(width)
    out += b"\x1a"
    return bytes(out)


def _write(folder, encoding, cpg=None):
    """A shapefile whose .dbf holds Chinese names in `encoding`. OGR writes the geometry
    (.shp, .shx, .prj); the .dbf is made by hand because not every pyogrio we support can
    write a non-UTF-8 table (0.7 cannot)."""
    columns = {"乡镇名称": NAMES[encoding], "常住人口": [100, 200]}
    frame = gpd.GeoDataFrame({"n": [1, 2]}, geometry=[shapely.box(0, 0, 1, 1), shapely.box(1, 0, 2, 1)],
                             crs="EPSG:4511")
    path = folder / f"t_{encoding}.shp"
    pyogrio.write_dataframe(frame, path)
    path.with_suffix(".dbf").write_bytes(_dbf_bytes(columns, encoding))
    cpg_path = path.with_suffix(".cpg")
    cpg_path.unlink(missing_ok=True)
    if cpg is not None:
        cpg_path.write_text(cpg)
    return path


@pytest.mark.parametrize("encoding", ["GBK", "GB18030"])
def test_chinese_shapefile_without_cpg_is_read_as_gb18030(tmp_path, encoding):
    path = _write(tmp_path, encoding)
    # what GDAL makes of it alone: not the names (mojibake)
    assert pyogrio.read_dataframe(path).iloc[:, 0].tolist() != NAMES[encoding]
    guess = guess_encoding(path)
    assert guess.encoding == CHINESE_FALLBACK and guess.declared is None
    frame = read_vector(path)
    assert frame["乡镇名称"].tolist() == NAMES[encoding]
    en, zh = frame.attrs["encoding_note"]
    assert f"t_{encoding}.cpg" in en and "GB18030" in en and ".cpg" in zh


def test_a_cpg_saying_utf8_over_gbk_text_is_overruled(tmp_path):
    path = _write(tmp_path, "GBK", cpg="UTF-8")
    guess = guess_encoding(path)
    assert (guess.encoding, guess.declared, guess.overruled) == (CHINESE_FALLBACK, "UTF-8", True)
    frame = read_vector(path)
    assert frame["乡镇名称"].tolist() == NAMES["GBK"]
    assert "says UTF-8" in frame.attrs["encoding_note"][0]


def test_a_cpg_saying_gbk_over_utf8_text_is_overruled(tmp_path):
    frame = gpd.GeoDataFrame({"名称": ["防川测试镇"]}, geometry=[shapely.Point(0, 0)], crs="EPSG:4511")
    path = tmp_path / "u.shp"
    pyogrio.write_dataframe(frame, path, encoding="UTF-8")
    path.with_suffix(".cpg").write_text("936")
    guess = guess_encoding(path)
    assert (guess.encoding, guess.overruled) == ("UTF-8", True)
    assert read_vector(path)["名称"].tolist() == ["防川测试镇"]


def test_a_true_cpg_and_plain_files_are_left_alone(tmp_path):
    path = _write(tmp_path, "GBK", cpg="GBK")
    assert guess_encoding(path).encoding is None  # GDAL reads the .cpg itself
    assert read_vector(path)["乡镇名称"].tolist() == NAMES["GBK"]
    utf8 = tmp_path / "u.shp"
    pyogrio.write_dataframe(gpd.GeoDataFrame({"名称": ["春化镇"]}, geometry=[shapely.Point(0, 0)], crs="EPSG:4511"),
                            utf8)
    utf8.with_suffix(".cpg").unlink()
    assert guess_encoding(utf8).encoding is None
    gpkg = tmp_path / "a.gpkg"
    pyogrio.write_dataframe(gpd.GeoDataFrame({"名称": ["春化镇"]}, geometry=[shapely.Point(0, 0)], crs="EPSG:4511"),
                            gpkg)
    assert guess_encoding(f"{gpkg}|layername=a").encoding is None
