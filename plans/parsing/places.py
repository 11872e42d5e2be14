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
REGION_SUFFIX = re.compile(
    rf"(?:(?:(?:{_ETHNIC})族)*(?:自治区|自治州)|特别行政区|省|市|地区|盟)$"
)
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

    def find(self, text: str) -> list[Place]:
        """Places named in `text`, in order of first mention, each once."""
        if not self._pattern or not text:
            return []
        found: dict[str, Place] = {}
        for match in self._pattern.finditer(text):
            word = match.group()
            place = self._full.get(word)
            if place is None:
                before = text[match.start() - 1] if match.start() else ""
                if before != "、" and not ENUMERATION_AFTER.match(text, match.end()):
                    continue
                place = self._short[word]
            found.setdefault(place.key, place)
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
        self._place_names = sorted(
            ((n, p) for p in places for n in (p.name, *p.aliases)), key=lambda i: -len(i[0])
        )
        self._matchers: dict[str, CountyMatcher] = {}

    def scope_for_office(self, office_name: str) -> Scope | None:
        """郑州市人民政府教育督导室 → 郑州市; 金水区教育局 → 金水区."""
        region, rest = None, office_name
        for name, candidate in self._region_names:
            if office_name.startswith(name):
                region, rest = candidate, office_name[len(name):]
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
