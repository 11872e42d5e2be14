"""Which counties a notice names, within the region of the office that issued it.

The genre writes counties in full (金水区), without the ethnic part (管城区 for 管城回族区), or short
in enumerations (指导丰泽、鲤城、晋江、石狮；洛江、泉港等). Short forms are only believed in an
enumeration, because on their own they are ordinary words (中原网, 上街).
"""

import re
from dataclasses import dataclass, field

ETHNIC_GROUPS = (
    "蒙古 回 藏 维吾尔 苗 彝 壮 布依 朝鲜 满 侗 瑶 白 土家 哈尼 哈萨克 傣 黎 傈僳 佤 畲 高山 拉祜 水 "
    "东乡 纳西 景颇 柯尔克孜 土 达斡尔 仫佬 羌 布朗 撒拉 毛南 仡佬 锡伯 阿昌 普米 塔吉克 怒 "
    "乌孜别克 俄罗斯 鄂温克 德昂 保安 裕固 京 塔塔尔 独龙 鄂伦春 赫哲 门巴 珞巴 基诺"
).split()
_ETHNIC = "|".join(sorted(ETHNIC_GROUPS, key=len, reverse=True))
ETHNIC_PART = re.compile(rf"(?:(?:{_ETHNIC})族)+(?=自治县|自治旗|区|县|旗)")
COUNTY_SUFFIX = re.compile(r"(?:自治县|自治旗|林区|特区|新区|区|县|市|旗)$")
REGION_SUFFIX = re.compile(rf"(?:(?:(?:{_ETHNIC})族)*(?:自治区|自治州)|特别行政区|省|市|地区|盟)$")
# After a short form, what makes it an enumeration item: 、 or 等 or "两区".
ENUMERATION_AFTER = re.compile(r"[、]|等|[两二三四五六七八九十]个?(?:县|区|市|地)")
SHORT_STOPLIST = {"城", "郊", "矿", "新", "市中", "城中", "城关"}


@dataclass(frozen=True)
class RegionRef:
    code: str
    name: str
    level: str  # province | city
    parent_code: str = ""


@dataclass(frozen=True)
class Place:
    """A county-level division or functional zone; `key` identifies it to the caller."""

    key: str
    name: str
    city_code: str
    aliases: tuple[str, ...] = ()
    is_zone: bool = False


@dataclass(frozen=True)
class Scope:
    """What an office covers: a region (by code) or a single county-level place."""

    name: str
    region_code: str = ""
    place: Place | None = None


def short_forms(name: str) -> tuple[list[str], list[str]]:
    """Full-name variants (matched anywhere) and short forms (matched in enumerations)."""
    full, short = [], []
    plain = ETHNIC_PART.sub("", name).replace("自治县", "县").replace("自治旗", "旗")
    if plain != name:
        full.append(plain)
    base = COUNTY_SUFFIX.sub("", plain)
    if base != plain and len(base) >= 2 and base not in SHORT_STOPLIST:
        short.append(base)
        # Counties become districts or cities (孟津县 → 孟津区, 偃师市 → 偃师区); older notices
        # use the name of their day.
        if plain[-1] in "县市区":
            full.extend(base + suffix for suffix in "县市区" if base + suffix != plain)
    return full, short


def region_short_name(name: str) -> str:
    base = REGION_SUFFIX.sub("", name)
    return base if len(base) >= 2 else name


@dataclass
class CountyMatcher:
    places: list[Place]
    reserved: set[str] = field(default_factory=set)

    def __post_init__(self):
        full: dict[str, Place] = {}
        variant_places: dict[str, list[Place]] = {}
        short: dict[str, list[Place]] = {}
        for place in self.places:
            for text in (place.name, *place.aliases):
                full.setdefault(text, place)
        for place in self.places:
            variants, shorts = short_forms(place.name)
            for text in variants:
                variant_places.setdefault(text, []).append(place)
            for text in shorts:
                short.setdefault(text, []).append(place)
        for text, places in variant_places.items():
            if len(places) == 1 and text not in full and text not in self.reserved:
                full[text] = places[0]
        # A short form two places share, or that is a city's own name (衡阳 of 衡阳县), or that is
        # some place's full name, says nothing.
        self._short = {
            text: places[0]
            for text, places in short.items()
            if len(places) == 1 and text not in self.reserved and text not in full
        }
        self._full = full
        names = sorted([*full, *self._short], key=len, reverse=True)
        self._pattern = re.compile("|".join(map(re.escape, names))) if names else None

    def spans(self, text: str) -> list[tuple[int, int]]:
        """Where `text` names a place by its full name (short forms aside)."""
        if not self._pattern or not text:
            return []
        return [m.span() for m in self._pattern.finditer(text) if m.group() in self._full]

    def find(self, text: str) -> list[Place]:
        """Places named in `text`, in order of first mention, each once."""
        return [place for _, place in self.locate(text)]

    def locate(self, text: str) -> list[tuple[int, Place]]:
        """Where each place is first named in `text`, in that order."""
        if not self._pattern or not text:
            return []
        found: dict[str, tuple[int, Place]] = {}
        for match in self._pattern.finditer(text):
            word = match.group()
            place = self._full.get(word)
            if place is None:
                before = text[match.start() - 1] if match.start() else ""
                if before != "、" and not ENUMERATION_AFTER.match(text, match.end()):
                    continue
                place = self._short[word]
            found.setdefault(place.key, (match.start(), place))
        return list(found.values())


class Gazetteer:
    """The division table as the parser needs it: regions, places, and office → scope."""

    def __init__(self, regions: list[RegionRef], places: list[Place]):
        self.regions = {r.code: r for r in regions}
        self.places = places
        self._by_city: dict[str, list[Place]] = {}
        for place in places:
            self._by_city.setdefault(place.city_code, []).append(place)
        names = []
        for region in regions:
            names.append((region.name, region))
            short = region_short_name(region.name)
            if short != region.name:
                names.append((short, region))
        # Municipalities are both a province and a city of the same name: the province covers all.
        level_rank = {"province": 0, "city": 1}
        names.sort(key=lambda item: (-len(item[0]), level_rank.get(item[1].level, 2)))
        self._region_names = names
        self._place_names = sorted(((n, p) for p in places for n in (p.name, *p.aliases)), key=lambda i: -len(i[0]))
        self._matchers: dict[str, CountyMatcher] = {}
        self._zone_finders: dict[str, ZoneFinder] = {}

    def scope_for_office(self, office_name: str) -> Scope | None:
        """郑州市人民政府教育督导室 → 郑州市; 金水区教育局 → 金水区."""
        region, rest = None, office_name
        for name, candidate in self._region_names:
            if office_name.startswith(name):
                region, rest = candidate, office_name[len(name) :]
                break
        candidates = self.places_in(region.code) if region else self.places
        for name, place in self._place_names_in(candidates):
            if rest.startswith(name) and len(rest) > len(name):
                return Scope(name=place.name, place=place)
        if region:
            return Scope(name=region.name, region_code=region.code)
        return None

    def _place_names_in(self, candidates: list[Place]):
        keys = {p.key for p in candidates}
        return [(n, p) for n, p in self._place_names if p.key in keys]

    def scope_for_code(self, code: str) -> Scope | None:
        if code in self.regions:
            return Scope(name=self.regions[code].name, region_code=code)
        place = next((p for p in self.places if p.key == code), None)
        return Scope(name=place.name, place=place) if place else None

    def places_in(self, region_code: str) -> list[Place]:
        region = self.regions.get(region_code)
        if region is None:
            return []
        if region.level == "city":
            return list(self._by_city.get(region_code, []))
        cities = [r.code for r in self.regions.values() if r.parent_code == region_code]
        return [p for code in (region_code, *cities) for p in self._by_city.get(code, [])]

    def matcher(self, scope: Scope | None) -> CountyMatcher:
        if scope is None:
            return CountyMatcher([])
        if scope.place is not None:
            # A county office's notice names its own county, and sometimes its neighbours.
            scope = Scope(name=scope.name, region_code=scope.place.city_code)
        key = scope.region_code
        if key not in self._matchers:
            region = self.regions.get(key)
            reserved = set()
            while region is not None:
                reserved |= {region.name, region_short_name(region.name)}
                region = self.regions.get(region.parent_code)
            self._matchers[key] = CountyMatcher(self.places_in(key), reserved)
        return self._matchers[key]

    def zone_finder(self, scope: Scope) -> "ZoneFinder":
        """Zones in their short forms within the scope's region, named after its places."""
        key = scope.place.city_code if scope.place is not None else scope.region_code
        if key not in self._zone_finders:
            region = self.regions.get(key)
            prefixes: dict[str, str] = {}
            cities = [r for r in self.regions.values() if r.parent_code == key and r.level == "city"]
            for city in [region, *cities] if region is not None else []:
                for name in {city.name, region_short_name(city.name)}:
                    if len(name) >= 2:
                        prefixes.setdefault(name, city.code)
            places = self.places_in(key)
            for place in places:
                if place.is_zone:
                    continue
                full, short = short_forms(place.name)
                for name in (place.name, *full, *short):
                    if len(name) >= 2:
                        prefixes.setdefault(name, place.city_code)
            zones = [p for p in places if p.is_zone]
            self._zone_finders[key] = ZoneFinder(key, prefixes, zones, self.matcher(scope))
        return self._zone_finders[key]


# Functional zones in the short forms notices use: 镇江高新区, 丹徒经开区, 衡阳市综合试验区. Each
# kind, with the longer names that mean the same, so that a short form finds the zone the table
# lists under its official name.
ZONE_KINDS = {
    "高新区": ("高新技术产业开发区", "高新技术开发区", "高新技术产业园区", "高新区"),
    "经开区": ("经济技术开发区", "经济开发区", "经开区"),
    "综合试验区": ("综合试验区", "综合实验区"),
    "开发区": ("开发区",),
    "工业园区": ("工业园区",),
    "新区": ("新区",),
    "港区": ("港区",),
}
_ZONE_SUFFIX_KIND = {suffix: kind for kind, suffixes in ZONE_KINDS.items() for suffix in suffixes}
_ZONE_SUFFIXES = "|".join(sorted(_ZONE_SUFFIX_KIND, key=len, reverse=True))
ZONE_SUFFIX = re.compile(_ZONE_SUFFIXES)
# Between a place's name and the kind, a few characters may name the zone (郑州航空港区); words
# that join or qualify (各, 全, 的, 和) or a division's suffix mean a zone is not being named.
_ZONE_FILLER = r"(?:(?![各全的和与及等在对向把为以于是了省市县区镇乡村街])[\u4e00-\u9fff]){0,4}?"
_DIVISION_END = re.compile(r"(?:市|县|区|旗)$")


def zone_key(name: str) -> tuple[str, str] | None:
    """镇江市高新区 and 镇江高新技术产业开发区 are one zone: ('镇江', '高新区')."""
    match = re.search(rf"({_ZONE_SUFFIXES})$", name)
    if not match:
        return None
    base = _DIVISION_END.sub("", name[: match.start()])
    return (base, _ZONE_SUFFIX_KIND[match[1]]) if base else None


@dataclass
class ZoneFinder:
    """Zones named in the short forms, within a region: its places' names, then a zone's kind."""

    region_code: str
    prefixes: dict[str, str]  # a place's name as written → the city it belongs to
    zones: list[Place]
    matcher: CountyMatcher

    def __post_init__(self):
        self._known: dict[tuple[str, str], Place] = {}
        for zone in self.zones:
            for name in (zone.name, *zone.aliases):
                key = zone_key(name)
                if key:
                    self._known.setdefault(key, zone)
        names = "|".join(map(re.escape, sorted(self.prefixes, key=len, reverse=True)))
        self._pattern = re.compile(rf"(?P<prefix>{names}){_ZONE_FILLER}(?:{_ZONE_SUFFIXES})" if names else r"(?!)")

    def find(self, text: str) -> tuple[list[tuple[int, Place]], list[tuple[tuple[str, str], str, str]]]:
        """Known zones found by a short form (where, which), and the unconfirmed ones as
        (key, name as written, city code)."""
        if not text or not ZONE_SUFFIX.search(text):
            return [], []
        taken = self.matcher.spans(text)
        known: dict[str, tuple[int, Place]] = {}
        unknown: list[tuple[tuple[str, str], str, str]] = []
        for match in self._pattern.finditer(text):
            start, end = match.span()
            if any(s < end and start < e for s, e in taken):
                continue  # a county's own name (浦东新区) or a zone the table lists
            name = match.group()
            key = zone_key(name)
            if key is None:
                continue
            zone = self._known.get(key)
            if zone is not None:
                known.setdefault(zone.key, (start, zone))
            else:
                unknown.append((key, name, self.prefixes[match["prefix"]]))
        return list(known.values()), unknown


def find_zones(gazetteer: "Gazetteer | None", scope: Scope | None, matcher: CountyMatcher) -> ZoneFinder | None:
    if gazetteer is None or scope is None:
        return None
    return gazetteer.zone_finder(scope)
