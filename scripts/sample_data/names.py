"""Plausible, unique place names for villages and urban communities."""
from __future__ import annotations

from .randomness import rng

CLASSIC_VILLAGES = [
    "太平", "和平", "民主", "胜利", "团结", "红星", "光明", "永安", "东兴", "新华", "富民", "幸福", "友谊",
    "前进", "向阳", "长安", "丰收", "永丰", "兴隆", "德胜", "大荒沟", "小盘岭", "东阿拉", "西崴子", "马滴达",
    "烟筒砬子", "春明", "杨木林子", "草坪", "荒沟", "金塘", "大六道沟", "土门子", "甩弯子", "河东", "河西",
    "孟岭", "南别里", "圈河", "沙草峰", "二道泡", "四道泡", "回龙峰", "大肚川", "东岗子", "西炮台", "玉泉",
    "新田", "凉水", "关门嘴子", "高丽城", "五家山", "双龙", "红旗", "东光", "西崴", "八连城", "六道泡",
    "北大", "南大", "西山", "东山", "上洞", "下洞", "三道沟", "太阳", "良种场", "密林", "黑顶子", "葫芦头",
]
VILLAGE_FIRST = ["东", "西", "南", "北", "新", "老", "大", "小", "上", "下", "前", "后", "中", "头道", "二道",
                 "三道", "四道", "双", "五", "八", "九", "红", "青", "金", "马", "杨", "松", "柳", "榆", "石"]
VILLAGE_SECOND = ["兴", "安", "河", "岗", "沟", "泡", "岭", "甸", "台", "营", "山", "林", "泉", "桥", "湾",
                  "堡", "口", "屯", "城", "坪", "川", "洞", "崴子", "岔", "房子", "亮子", "砬子", "峰"]
COMMUNITY_NAMES = [
    "光明", "向阳", "东阳", "西阳", "兴华", "和平", "团结", "春华", "龙源", "安居", "富民", "友谊", "迎宾",
    "口岸", "北山", "南山", "西山", "东山", "滨河", "金城", "景华", "华泰", "阳光", "明珠", "园丁", "星光",
    "新华", "东苑", "西苑", "锦绣", "益民", "铁北", "站前", "龙泉", "兴源", "长青", "新城", "东岗", "西岗",
    "河畔", "惠民", "安泰", "振兴", "康乐", "靖安", "育才", "春晖", "永和", "同心", "合作", "示范", "港城",
]


class NameBook:
    """Unique, plausible place names drawn in a reproducible order."""

    def __init__(self) -> None:
        r = rng("names")
        # Real-sounding classic names first, then composed ones once those run out.
        combos = [a + b for a in VILLAGE_FIRST for b in VILLAGE_SECOND]
        self._villages = list(r.permutation(CLASSIC_VILLAGES)) + list(r.permutation(combos))
        self._communities = list(r.permutation(COMMUNITY_NAMES))
        self.used: set[str] = set()

    def _next(self, pool: list[str], suffix: str) -> str:
        while pool:
            name = pool.pop(0) + suffix
            if name not in self.used:
                self.used.add(name)
                return name
        raise RuntimeError("name pool exhausted")

    def village(self) -> str:
        """A new village name (…村)."""
        return self._next(self._villages, "村")

    def community(self) -> str:
        """A new urban community name (…社区)."""
        return self._next(self._communities, "社区")

    def reserve(self, name: str) -> str:
        """Take a given name (a township seat's), so it is never drawn again."""
        self.used.add(name)
        return name
