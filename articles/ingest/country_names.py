"""The ISO 3166-1 countries with the names people use for them in French and English."""
from functools import lru_cache

import pycountry
from babel import Locale


@lru_cache(maxsize=1)
def iso_countries() -> tuple[tuple[str, str, str], ...]:
    """Return (alpha-2 code, English name, French name) for every country pycountry knows.

    The codes come from pycountry (ISO 3166-1); the names from the Unicode CLDR through
    Babel, which gives the usual short names ("Russie", "Corée du Sud") where ISO's are
    formal ("Russie, Fédération de"). pycountry's name is the fallback.
    """
    english, french = Locale("en").territories, Locale("fr").territories
    return tuple(
        (entry.alpha_2, english.get(entry.alpha_2) or entry.name, french.get(entry.alpha_2) or entry.name)
        for entry in pycountry.countries
    )
