"""Reading page and main-map sizes out of QGIS layout templates without QGIS: small
hand-written templates for the unit cases, then every shipped template."""
from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from hunchun_risk_plugin.core.errors import InputError
from hunchun_risk_plugin.core.map_specs import paper_names, paper_size_mm
from hunchun_risk_plugin.core.qpt import item_size_mm, main_map_frame_mm, page_size_mm

TEMPLATES = Path(__file__).resolve().parents[2] / "hunchun_risk_plugin" / "templates"
PAGE, MAP, LABEL = "65638", "65639", "65641"  # QgsLayoutItemRegistry item types


def write_qpt(tmp_path: Path, page: str | None, main_map: str | None, name: str = "t.qpt") -> Path:
    """A minimal layout template: optional page item, a label, optional main map."""
    page_xml = f'<LayoutItem type="{PAGE}" id="" size="{page}" position="0,0,mm"/>' if page else ""
    map_xml = (f'<LayoutItem type="{MAP}" id="main_map" size="{main_map}" position="10,20,mm"/>'
               if main_map else "")
    text = (f'<Layout name="test" units="mm"><PageCollection>{page_xml}</PageCollection>'
            f'<LayoutItem type="{LABEL}" id="title" size="100,10,mm" position="10,5,mm"/>{map_xml}</Layout>')
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_millimetres_read_as_written(tmp_path):
    path = write_qpt(tmp_path, "420,297,mm", "290,232,mm")
    assert page_size_mm(path) == (420.0, 297.0)
    assert main_map_frame_mm(path) == (290.0, 232.0)
    assert item_size_mm(path, "title") == (100.0, 10.0)


def test_centimetres_times_ten(tmp_path):
    path = write_qpt(tmp_path, "42,29.7,cm", "29,23.2,cm")
    assert page_size_mm(path) == pytest.approx((420.0, 297.0))
    assert main_map_frame_mm(path) == pytest.approx((290.0, 232.0))


def test_inches_times_25_4(tmp_path):
    # US Letter landscape, 11 × 8.5 in = 279.4 × 215.9 mm; map 10 × 6 in = 254 × 152.4 mm
    path = write_qpt(tmp_path, "11,8.5,in", "10,6,in")
    assert page_size_mm(path) == pytest.approx((279.4, 215.9))
    assert main_map_frame_mm(path) == pytest.approx((254.0, 152.4))


def test_metres_and_points(tmp_path):
    # 1 m = 1000 mm; 1 pt = 1/72 in, so 720 × 360 pt = 10 × 5 in = 254 × 127 mm
    path = write_qpt(tmp_path, "0.42,0.297,m", "720,360,pt")
    assert page_size_mm(path) == pytest.approx((420.0, 297.0))
    assert main_map_frame_mm(path) == pytest.approx((254.0, 127.0))


@pytest.mark.parametrize("size, expected", [
    ("1,0.5,ft", (304.8, 152.4)),   # 1 ft = 12 in = 304.8 mm
    ("60,30,pi", (254.0, 127.0)),   # 1 pica = 12 pt = 1/6 in: 60 pi = 10 in
])
def test_feet_and_picas(tmp_path, size, expected):
    # QgsUnitTypes.encodeUnit writes layout feet as "ft" and picas as "pi"
    path = write_qpt(tmp_path, "420,297,mm", size)
    assert main_map_frame_mm(path) == pytest.approx(expected)


def test_pixel_sized_main_map_is_an_input_error(tmp_path):
    path = write_qpt(tmp_path, "420,297,mm", "1000,800,px")  # pixels have no size without a DPI
    with pytest.raises(InputError):
        main_map_frame_mm(path)


def test_missing_main_map_is_an_input_error_naming_the_id(tmp_path):
    path = write_qpt(tmp_path, "420,297,mm", None)
    with pytest.raises(InputError) as caught:
        main_map_frame_mm(path)
    assert "main_map" in caught.value.en and "main_map" in caught.value.zh
    assert caught.value.zh != caught.value.en


def test_other_items_are_not_taken_for_the_main_map(tmp_path):
    path = write_qpt(tmp_path, "420,297,mm", None)
    assert item_size_mm(path, "main_map") is None
    assert item_size_mm(path, "no_such_item") is None


def test_template_without_a_page_item(tmp_path):
    path = write_qpt(tmp_path, None, "290,232,mm")
    assert page_size_mm(path) is None
    assert main_map_frame_mm(path) == (290.0, 232.0)


@pytest.mark.parametrize("text", ['<Layout><LayoutItem id="main_map" size="1,2,mm">', "not xml at all", ""])
def test_broken_xml_is_an_input_error(tmp_path, text):
    path = tmp_path / "broken.qpt"
    path.write_text(text, encoding="utf-8")
    for read in (main_map_frame_mm, page_size_mm):
        with pytest.raises(InputError) as caught:
            read(path)
        assert "broken.qpt" in caught.value.en


def test_missing_file_is_an_input_error(tmp_path):
    with pytest.raises(InputError):
        main_map_frame_mm(tmp_path / "nowhere.qpt")


# --- shipped templates -----------------------------------------------------------

def shipped() -> list[Path]:
    return sorted(TEMPLATES.glob("*.qpt"))


def paper_of(path: Path) -> str:
    """'A3_landscape.qpt' -> 'A3 landscape'."""
    return path.stem.replace("_", " ")


def main_map_position_mm(path: Path) -> tuple[float, float]:
    """The main map's top-left corner, read independently of the code under test."""
    for item in ET.parse(path).getroot().iter("LayoutItem"):
        if item.get("id") == "main_map":
            x, y, unit = item.get("position").split(",")
            assert unit == "mm"
            return float(x), float(y)
    raise AssertionError(f"{path.name}: no main_map")


def test_a_template_for_every_paper():
    # A0..A4 in both orientations: 10 papers, one template each
    assert sorted(paper_of(p) for p in shipped()) == sorted(paper_names())
    assert len(shipped()) == 10


@pytest.mark.parametrize("path", shipped(), ids=lambda p: p.stem)
def test_shipped_template_page_is_its_paper(path):
    assert page_size_mm(path) == pytest.approx(paper_size_mm(paper_of(path)))


# ISO 216, written out here as well: the page must be the real sheet, not just agree with maps.toml
ISO_216 = {"A0": (841, 1189), "A1": (594, 841), "A2": (420, 594), "A3": (297, 420), "A4": (210, 297)}


@pytest.mark.parametrize("path", shipped(), ids=lambda p: p.stem)
def test_shipped_template_page_is_iso_216(path):
    size, orientation = paper_of(path).split()
    short, long = ISO_216[size]
    expected = (long, short) if orientation == "landscape" else (short, long)
    assert page_size_mm(path) == pytest.approx(expected)


@pytest.mark.parametrize("path", shipped(), ids=lambda p: p.stem)
def test_shipped_main_map_lies_inside_the_page(path):
    page_w, page_h = page_size_mm(path)
    map_w, map_h = main_map_frame_mm(path)
    x, y = main_map_position_mm(path)
    assert map_w > 0 and map_h > 0
    assert x >= 0 and y >= 0
    assert x + map_w <= page_w and y + map_h <= page_h
    # the map is the main thing on the page: more than a third of the sheet
    assert map_w * map_h > page_w * page_h / 3
