"""GB/T 2260 administrative divisions of Guangdong (广东省 44): cities, counties, towns/streets.

Code lengths (all strings of digits):

* city (地级市): 4 digits, e.g. ``"4401"`` 广州市 (GB/T 2260 writes it ``440100``);
* county level (市辖区/县/县级市): 6 digits, e.g. ``"440106"`` 天河区 — 122 units;
* town/street (乡镇/街道): 9 digits, the statistics division code's first 9 digits, e.g.
  ``"440106008"`` 天河南街道.

东莞 (4419) and 中山 (4420) have no county level: their towns/streets hang directly under the
city with the placeholder county part ``00`` (``"441900003"`` 东城街道). Statistics tables list
``441900``/``442000`` as pseudo-county rows (hence "124" county-level rows there); this table
does not, :func:`has_county_level` tells the picker to skip the step.

Sources: GB/T 2260-2007 with 民政部 updates to 2023 for cities and counties; towns/streets from
the 2023 统计用区划代码 (as published in modood/Administrative-divisions-of-China, WTFPL), for
the districts the demo data uses, the demo station's 天河区, and all of 东莞 and 中山.
"""

from __future__ import annotations

from kiosk.domain.codes.errors import UnknownCodeError

PROVINCE_CODE = "44"
PROVINCE_NAME = "广东省"

CITIES: dict[str, str] = {
    "4401": "广州市", "4402": "韶关市", "4403": "深圳市", "4404": "珠海市", "4405": "汕头市",
    "4406": "佛山市", "4407": "江门市", "4408": "湛江市", "4409": "茂名市", "4412": "肇庆市",
    "4413": "惠州市", "4414": "梅州市", "4415": "汕尾市", "4416": "河源市", "4417": "阳江市",
    "4418": "清远市", "4419": "东莞市", "4420": "中山市", "4451": "潮州市", "4452": "揭阳市",
    "4453": "云浮市",
}
CITIES_WITHOUT_COUNTY = frozenset({"4419", "4420"})

# city code -> "<2-digit county suffix><name> ..." (compact, one line per city)
_COUNTIES = {
    "4401": "03荔湾区 04越秀区 05海珠区 06天河区 11白云区 12黄埔区 13番禺区 14花都区 15南沙区 "
            "17从化区 18增城区",
    "4402": "03武江区 04浈江区 05曲江区 22始兴县 24仁化县 29翁源县 32乳源瑶族自治县 33新丰县 "
            "81乐昌市 82南雄市",
    "4403": "03罗湖区 04福田区 05南山区 06宝安区 07龙岗区 08盐田区 09龙华区 10坪山区 11光明区",
    "4404": "02香洲区 03斗门区 04金湾区",
    "4405": "07龙湖区 11金平区 12濠江区 13潮阳区 14潮南区 15澄海区 23南澳县",
    "4406": "04禅城区 05南海区 06顺德区 07三水区 08高明区",
    "4407": "03蓬江区 04江海区 05新会区 81台山市 83开平市 84鹤山市 85恩平市",
    "4408": "02赤坎区 03霞山区 04坡头区 11麻章区 23遂溪县 25徐闻县 81廉江市 82雷州市 83吴川市",
    "4409": "02茂南区 04电白区 81高州市 82化州市 83信宜市",
    "4412": "02端州区 03鼎湖区 04高要区 23广宁县 24怀集县 25封开县 26德庆县 84四会市",
    "4413": "02惠城区 03惠阳区 22博罗县 23惠东县 24龙门县",
    "4414": "02梅江区 03梅县区 22大埔县 23丰顺县 24五华县 26平远县 27蕉岭县 81兴宁市",
    "4415": "02城区 21海丰县 23陆河县 81陆丰市",
    "4416": "02源城区 21紫金县 22龙川县 23连平县 24和平县 25东源县",
    "4417": "02江城区 04阳东区 21阳西县 81阳春市",
    "4418": "02清城区 03清新区 21佛冈县 23阳山县 25连山壮族瑶族自治县 26连南瑶族自治县 81英德市 "
            "82连州市",
    "4451": "02湘桥区 03潮安区 22饶平县",
    "4452": "02榕城区 03揭东区 22揭西县 24惠来县 81普宁市",
    "4453": "02云城区 03云安区 21新兴县 22郁南县 81罗定市",
}

# parent (6 digits; "441900"/"442000" for the cities without counties) -> "<3-digit suffix><name>"
_TOWNS = {
    "440106": "001五山街道 002员村街道 003车陂街道 004沙河街道 006石牌街道 007沙东街道 "
              "008天河南街道 009林和街道 010兴华街道 011棠下街道 012天园街道 013猎德街道 "
              "014冼村街道 015元岗街道 016黄村街道 017长兴街道 018龙洞街道 019凤凰街道 "
              "020前进街道 021珠吉街道 022新塘街道",
    "440105": "001赤岗街道 002新港街道 003昌岗街道 004江南中街道 005滨江街道 006素社街道 "
              "007海幢街道 008南华西街道 009龙凤街道 010沙园街道 011南石头街道 012凤阳街道 "
              "013瑞宝街道 014江海街道 015琶洲街道 016南洲街道 017华洲街道 018官洲街道",
    "440111": "002三元里街道 003松洲街道 004景泰街道 005同德街道 006黄石街道 007棠景街道 "
              "008新市街道 009同和街道 010京溪街道 011永平街道 012嘉禾街道 013均禾街道 "
              "014石井街道 015金沙街道 016云城街道 017鹤龙街道 018白云湖街道 019石门街道 "
              "020龙归街道 021大源街道 103人和镇 107太和镇 108钟落潭镇 113江高镇",
    "440306": "017新安街道 018西乡街道 019航城街道 020福永街道 021福海街道 022沙井街道 "
              "023新桥街道 024松岗街道 025燕罗街道 026石岩街道 400深圳市宝安国际机场",
    "440307": "003平湖街道 006坪地街道 009葵涌街道 010大鹏街道 011南澳街道 012南湾街道 "
              "013坂田街道 014布吉街道 015龙城街道 016龙岗街道 017横岗街道 018吉华街道 "
              "019宝龙街道 020园山街道",
    "440203": "001新华街道 002惠民街道 100西联镇 101西河镇 102龙归镇 103江湾镇 104重阳镇",
    "440402": "001翠香街道 002梅华街道 003前山街道 004吉大街道 005拱北街道 006香湾街道 "
              "007狮山街道 008湾仔街道 009凤山街道 100唐家湾镇 102南屏镇 104横琴镇 105桂山镇 "
              "106万山镇 107担杆镇 401南屏科技园 402保税区 403三溪科创小镇发展中心 "
              "404洪湾商贸物流中心",
    "440507": "001金霞街道 003珠池街道 004新津街道 005鸥汀街道 008龙祥街道 009外砂街道 "
              "010龙华街道 011新溪街道 012新海街道 013龙腾街道",
    "440604": "010石湾镇街道 011张槎街道 012祖庙街道 100南庄镇",
    "440606": "003伦教街道 004勒流街道 005大良街道 006容桂街道 101陈村镇 102北滘镇 103乐从镇 "
              "104龙江镇 105杏坛镇 106均安镇",
    "440703": "002白沙街道 005潮连街道 006环市街道 101棠下镇 102荷塘镇 103杜阮镇",
    "440802": "001中华街道 002寸金街道 003民主街道 004中山街道 005沙湾街道 006调顺街道 "
              "007南桥街道 008北桥街道",
    "440902": "001红旗街道 002河西街道 003河东街道 004露天矿街道 005新华街道 006官渡街道 "
              "007站前街道 008城南街道 100金塘镇 101公馆镇 102新坡镇 103镇盛镇 104鳌头镇 "
              "105袂花镇 106高山镇 107山阁镇 108羊角镇",
    "441202": "001端州区城东街道 003端州区城西街道 005端州区黄岗街道 006端州区睦岗街道",
    "441302": "001桥东街道 002桥西街道 003江南街道 004江北街道 005龙丰街道 006河南岸街道 "
              "007惠环街道 008陈江街道 009水口街道 010小金口街道 100汝湖镇 103三栋镇 106潼湖镇 "
              "107沥林镇 109马安镇 110横沥镇 112芦洲镇 114潼侨镇 401东江高新科技产业园 "
              "402惠南高新科技产业园 450惠州市林场",
    "441402": "004江南街道 006金山街道 007西郊街道 102三角镇 103长沙镇 105城北镇 106西阳镇",
    "441502": "001新港街道 002香洲街道 003凤山街道 004田墘街道 005东洲街道 006遮浪街道 "
              "007马宫街道 100红草镇 102东涌镇 103捷胜镇",
    "441602": "001上城街道 002新江街道 003东埔街道 004源西街道 005高埔岗街道 006城东街道 "
              "100源南镇 101埔前镇",
    "441702": "001南恩街道 002城南街道 003城北街道 004中洲街道 006城东街道 008岗列街道 "
              "009城西街道 011白沙街道 102埠场镇 103平冈镇 105闸坡镇 106双捷镇 "
              "401阳江林场罗琴分场",
    "441802": "006凤城街道 007东城街道 008洲心街道 009横荷街道 103源潭镇 105龙塘镇 106石角镇 "
              "107飞来峡镇 400清远市高新技术产业开发区 450清远市国营银盏林场",
    "441900": "003东城街道 004南城街道 005万江街道 006莞城街道 101石碣镇 102石龙镇 103茶山镇 "
              "104石排镇 105企石镇 106横沥镇 107桥头镇 108谢岗镇 109东坑镇 110常平镇 111寮步镇 "
              "112樟木头镇 113大朗镇 114黄江镇 115清溪镇 116塘厦镇 117凤岗镇 118大岭山镇 "
              "119长安镇 121虎门镇 122厚街镇 123沙田镇 124道滘镇 125洪梅镇 126麻涌镇 "
              "127望牛墩镇 128中堂镇 129高埗镇 401松山湖 402东莞港 403东莞生态园 "
              "404东莞滨海湾新区",
    "442000": "001石岐街道 002东区街道 003中山港街道 004西区街道 005南区街道 006五桂山街道 "
              "007民众街道 008南朗街道 101黄圃镇 103东凤镇 105古镇镇 106沙溪镇 107坦洲镇 "
              "108港口镇 109三角镇 110横栏镇 111南头镇 112阜沙镇 114三乡镇 115板芙镇 116大涌镇 "
              "117神湾镇 118小榄镇",
    "445102": "007桥东街道 008城西街道 009凤新街道 010太平街道 011西新街道 100意溪镇 111磷溪镇 "
              "112铁铺镇 113官塘镇 400红山林场 401开发区 402潮州市凤泉湖高新技术产业开发区",
    "445202": "001榕华街道 002新兴街道 003中山街道 004西马街道 005东兴街道 006榕东街道 "
              "007仙桥街道 008梅云街道 009东升街道 010东阳街道 011渔湖街道 102炮台镇 103地都镇 "
              "105登岗镇",
    "445302": "001云城街道 002高峰街道 003河口街道 004安塘街道 102腰古镇 103思劳镇 105前锋镇 "
              "106南盛镇",
}


def _expand(table: dict[str, str], width: int) -> dict[str, str]:
    out: dict[str, str] = {}
    for parent, packed in table.items():
        for item in packed.split():
            out[parent + item[:width]] = item[width:]
    return out


COUNTIES: dict[str, str] = _expand(_COUNTIES, 2)
TOWNS: dict[str, str] = _expand(_TOWNS, 3)
_ALL = {**CITIES, **COUNTIES, **TOWNS}
_SUFFIXES = ("街道", "镇", "区", "县", "市", "乡")


def is_known(code: str) -> bool:
    """True for a city (4 digits), county (6) or listed town/street (9) code of Guangdong."""
    return code in _ALL


def name_of(code: str) -> str:
    """The unit's own name: "4401" → "广州市", "440106008" → "天河南街道".

    Raises:
        UnknownCodeError: the code is not in this table.
    """
    try:
        return _ALL[code]
    except KeyError as exc:
        raise UnknownCodeError("GB/T 2260", code) from exc


def city_code_of(code: str) -> str:
    """The 4-digit city of any code ("440106008" → "4401"); raises UnknownCodeError."""
    if code[:4] not in CITIES:
        raise UnknownCodeError("GB/T 2260", code)
    return code[:4]


def county_code_of(code: str) -> str:
    """The 6-digit county of a county/town code; "" for cities and for 东莞/中山 towns."""
    return code[:6] if len(code) >= 6 and code[:6] in COUNTIES else ""


def has_county_level(city_code: str) -> bool:
    """False for 东莞 (4419) and 中山 (4420): the picker goes city → town directly."""
    return city_code not in CITIES_WITHOUT_COUNTY


def counties_of(city_code: str) -> dict[str, str]:
    """County-level units of a city, code → name, in code order ({} for 东莞/中山)."""
    return {c: n for c, n in COUNTIES.items() if c[:4] == city_code}


def towns_of(parent_code: str) -> dict[str, str]:
    """Towns/streets under a county (6 digits) or under 东莞/中山 (4 digits), code → name."""
    prefix = parent_code + "00" if parent_code in CITIES_WITHOUT_COUNTY else parent_code
    if len(prefix) != 6:
        return {}
    return {c: n for c, n in TOWNS.items() if c[:6] == prefix}


def full_name(code: str) -> str:
    """City + county + town names: "440106008" → "广州市天河区天河南街道"."""
    parts = [name_of(code[:4])]
    if county_code_of(code):
        parts.append(COUNTIES[code[:6]])
    if len(code) == 9:
        parts.append(name_of(code))
    return "".join(parts)


def _stem(name: str) -> str:
    for suffix in _SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            return name[: -len(suffix)]
    return name


def find_city(name: str) -> str:
    """City code for "广州市" or "广州"; "" when not a Guangdong city."""
    stem = _stem(name.strip())
    for code, city in CITIES.items():
        if stem and _stem(city) == stem:
            return code
    return ""


def find_division(city_code: str, name: str) -> str:
    """Most precise code for a place name inside a city; "" when not found.

    Looks for a county first, then a town/street (东莞/中山, or listed towns), comparing names
    without their 区/县/市/镇/街道 suffix, so the 东莞 "南城区" of job boards maps to 南城街道
    ``"441900004"`` and "松山湖区" to 松山湖 ``"441900401"``.
    """
    stem = _stem(name.strip())
    if not stem:
        return ""
    for code, county in COUNTIES.items():
        if code[:4] == city_code and _stem(county) == stem:
            return code
    for code, town in TOWNS.items():
        if code[:4] == city_code and _stem(town) == stem:
            return code
    return ""
