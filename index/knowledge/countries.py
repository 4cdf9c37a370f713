"""Country names, demonyms and film-industry nicknames -> ISO 3166-1 alpha-2 codes."""

from __future__ import annotations

import re
from functools import cache

import pycountry

# Adjectives and nicknames people use for a film's country. Names come from pycountry.
DEMONYMS: dict[str, str] = {
    "american": "US", "hollywood": "US", "u.s.": "US", "us": "US", "usa": "US",
    "british": "GB", "uk": "GB", "u.k.": "GB", "english": "GB", "scottish": "GB",
    "welsh": "GB", "britain": "GB", "great britain": "GB", "england": "GB", "scotland": "GB",
    "korean": "KR", "south korean": "KR", "korea": "KR", "k-": "KR",
    "north korean": "KP",
    "japanese": "JP", "french": "FR", "german": "DE", "italian": "IT", "spanish": "ES",
    "mexican": "MX", "brazilian": "BR", "argentine": "AR", "argentinian": "AR",
    "chilean": "CL", "colombian": "CO", "peruvian": "PE", "cuban": "CU",
    "indian": "IN", "bollywood": "IN", "tollywood": "IN", "kollywood": "IN",
    "chinese": "CN", "hong kong": "HK", "hongkong": "HK", "taiwanese": "TW",
    "thai": "TH", "vietnamese": "VN", "filipino": "PH", "indonesian": "ID",
    "iranian": "IR", "persian": "IR", "turkish": "TR", "israeli": "IL", "egyptian": "EG",
    "lebanese": "LB", "palestinian": "PS", "saudi": "SA",
    "nigerian": "NG", "nollywood": "NG", "south african": "ZA", "senegalese": "SN",
    "russian": "RU", "soviet": "SU", "ussr": "SU", "ukrainian": "UA", "polish": "PL",
    "czech": "CZ", "hungarian": "HU", "romanian": "RO", "greek": "GR", "bulgarian": "BG",
    "serbian": "RS", "croatian": "HR", "bosnian": "BA",
    "swedish": "SE", "danish": "DK", "norwegian": "NO", "finnish": "FI", "icelandic": "IS",
    "dutch": "NL", "belgian": "BE", "swiss": "CH", "austrian": "AT", "irish": "IE",
    "portuguese": "PT", "canadian": "CA", "australian": "AU", "aussie": "AU",
    "new zealand": "NZ", "kiwi": "NZ",
    "estonian": "EE", "latvian": "LV", "lithuanian": "LT", "slovak": "SK", "slovenian": "SI",
    "slovene": "SI", "albanian": "AL", "macedonian": "MK", "montenegrin": "ME",
    "belarusian": "BY", "moldovan": "MD", "georgian": "GE", "armenian": "AM",
    "azerbaijani": "AZ", "kazakh": "KZ", "uzbek": "UZ", "kyrgyz": "KG", "tajik": "TJ",
    "mongolian": "MN", "luxembourgish": "LU", "maltese": "MT", "cypriot": "CY",
    "moroccan": "MA", "algerian": "DZ", "tunisian": "TN", "libyan": "LY", "sudanese": "SD",
    "ethiopian": "ET", "kenyan": "KE", "ghanaian": "GH", "malian": "ML", "cameroonian": "CM",
    "congolese": "CD", "rwandan": "RW", "ugandan": "UG", "tanzanian": "TZ",
    "zimbabwean": "ZW", "mozambican": "MZ", "angolan": "AO", "burkinabe": "BF",
    "ivorian": "CI", "mauritanian": "MR", "jordanian": "JO", "syrian": "SY", "iraqi": "IQ",
    "kurdish": "IQ", "afghan": "AF", "pakistani": "PK", "bangladeshi": "BD",
    "sri lankan": "LK", "nepalese": "NP", "nepali": "NP", "bhutanese": "BT",
    "malaysian": "MY", "singaporean": "SG", "cambodian": "KH", "laotian": "LA",
    "burmese": "MM", "uruguayan": "UY", "paraguayan": "PY", "bolivian": "BO",
    "venezuelan": "VE", "ecuadorian": "EC", "guatemalan": "GT", "costa rican": "CR",
    "panamanian": "PA", "salvadoran": "SV", "honduran": "HN", "nicaraguan": "NI",
    "dominican": "DO", "puerto rican": "PR", "jamaican": "JM", "haitian": "HT",
    "emirati": "AE", "qatari": "QA", "kuwaiti": "KW", "yemeni": "YE", "omani": "OM",
    "bahraini": "BH", "greenlandic": "GL", "faroese": "FO",
}  # fmt: skip

# Historical or informal names that pycountry's lookup does not resolve to what we want.
ALIASES: dict[str, str] = {
    "soviet union": "SU", "west germany": "DE", "east germany": "DD",
    "czechoslovakia": "CS", "yugoslavia": "YU", "federal republic of yugoslavia": "YU",
    "serbia and montenegro": "CS", "burma": "MM", "russia": "RU", "south korea": "KR",
    "korea, republic of": "KR", "north korea": "KP", "iran": "IR", "vietnam": "VN",
    "taiwan": "TW", "bolivia": "BO", "venezuela": "VE", "syria": "SY", "laos": "LA",
    "macedonia": "MK", "czech republic": "CZ", "the netherlands": "NL", "holland": "NL",
    "united states of america": "US", "america": "US", "hong kong": "HK", "macau": "MO",
    "palestine": "PS", "ivory coast": "CI", "cape verde": "CV", "swaziland": "SZ",
    "united kingdom": "GB", "zaire": "CD", "kosovo": "XK", "turkey": "TR",
}  # fmt: skip

_HISTORIC_NAMES: dict[str, str] = {
    "SU": "Soviet Union",
    "DD": "East Germany",
    "CS": "Czechoslovakia",
    "YU": "Yugoslavia",
    "XK": "Kosovo",
}


class UnknownCountry(ValueError):
    pass


# Regions people ask for by one word: the countries whose films they mean.
REGIONS: dict[str, tuple[str, ...]] = {
    "scandinavian": ("SE", "NO", "DK"),
    "scandinavia": ("SE", "NO", "DK"),
    "nordic": ("SE", "NO", "DK", "FI", "IS"),
    "latin american": ("MX", "AR", "BR", "CL", "CO", "CU", "PE", "VE", "UY", "BO", "EC"),
    "latin america": ("MX", "AR", "BR", "CL", "CO", "CU", "PE", "VE", "UY", "BO", "EC"),
    "east asian": ("JP", "KR", "CN", "HK", "TW"),
    "east asia": ("JP", "KR", "CN", "HK", "TW"),
}


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text.strip().lower())


@cache
def country_code(name: str) -> str:
    """Resolve a country name, code, demonym or alias to an ISO alpha-2 code."""
    key = _norm(name)
    if not key:
        raise UnknownCountry("empty country name")
    if key in ALIASES:
        return ALIASES[key]
    if key in DEMONYMS and key != "k-":
        return DEMONYMS[key]
    if len(key) == 2 and key.upper() in _HISTORIC_NAMES:
        return key.upper()
    try:
        return pycountry.countries.lookup(name.strip()).alpha_2
    except LookupError:
        pass
    try:
        return pycountry.countries.search_fuzzy(name.strip())[0].alpha_2
    except LookupError:
        raise UnknownCountry(f"unknown country {name!r}") from None


@cache
def country_name(code: str) -> str:
    """A short readable name for a code ("KR" -> "South Korea")."""
    if code in _HISTORIC_NAMES:
        return _HISTORIC_NAMES[code]
    short = {
        "KR": "South Korea",
        "KP": "North Korea",
        "US": "United States",
        "GB": "United Kingdom",
        "RU": "Russia",
        "IR": "Iran",
        "TW": "Taiwan",
        "VN": "Vietnam",
        "BO": "Bolivia",
        "VE": "Venezuela",
        "SY": "Syria",
        "CZ": "Czechia",
        "HK": "Hong Kong",
    }
    if code in short:
        return short[code]
    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        return code
    return getattr(country, "common_name", None) or country.name


@cache
def name_table() -> dict[str, str]:
    """Every surface form (names, demonyms, aliases) -> code, for scanning free text."""
    table: dict[str, str] = {}
    for country in pycountry.countries:
        for attr in ("name", "common_name"):
            value = getattr(country, attr, None)
            if value and "," not in value and "(" not in value:
                table[_norm(value)] = country.alpha_2
    table.update(ALIASES)
    table.update({k: v for k, v in DEMONYMS.items() if k not in {"k-", "us", "english"}})
    return table
