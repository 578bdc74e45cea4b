"""Languages as ISO 639-1 codes, whatever form a provider uses: MARC codes (Open Library's "eng"),
English names (Audnexus's "english"), or tags with a region (Google's "en-GB")."""

from __future__ import annotations

# MARC 21 / ISO 639-2 (bibliographic and terminology forms) and English names, for the languages
# books in a personal library are likely to be in.
_CODES: dict[str, str] = {
    "eng": "en", "english": "en",
    "fre": "fr", "fra": "fr", "french": "fr",
    "ger": "de", "deu": "de", "german": "de",
    "spa": "es", "spanish": "es", "castilian": "es",
    "ita": "it", "italian": "it",
    "por": "pt", "portuguese": "pt",
    "dut": "nl", "nld": "nl", "dutch": "nl", "flemish": "nl",
    "swe": "sv", "swedish": "sv",
    "nor": "no", "nob": "nb", "nno": "nn", "norwegian": "no",
    "dan": "da", "danish": "da",
    "fin": "fi", "finnish": "fi",
    "ice": "is", "isl": "is", "icelandic": "is",
    "pol": "pl", "polish": "pl",
    "cze": "cs", "ces": "cs", "czech": "cs",
    "slo": "sk", "slk": "sk", "slovak": "sk",
    "hun": "hu", "hungarian": "hu",
    "rum": "ro", "ron": "ro", "romanian": "ro",
    "bul": "bg", "bulgarian": "bg",
    "hrv": "hr", "croatian": "hr",
    "srp": "sr", "serbian": "sr",
    "slv": "sl", "slovenian": "sl",
    "gre": "el", "ell": "el", "greek": "el",
    "tur": "tr", "turkish": "tr",
    "rus": "ru", "russian": "ru",
    "ukr": "uk", "ukrainian": "uk",
    "ara": "ar", "arabic": "ar",
    "heb": "he", "hebrew": "he",
    "per": "fa", "fas": "fa", "persian": "fa",
    "hin": "hi", "hindi": "hi",
    "jpn": "ja", "japanese": "ja",
    "chi": "zh", "zho": "zh", "chinese": "zh", "mandarin": "zh",
    "kor": "ko", "korean": "ko",
    "vie": "vi", "vietnamese": "vi",
    "tha": "th", "thai": "th",
    "ind": "id", "indonesian": "id",
    "cat": "ca", "catalan": "ca",
    "glg": "gl", "galician": "gl",
    "baq": "eu", "eus": "eu", "basque": "eu",
    "wel": "cy", "cym": "cy", "welsh": "cy",
    "gle": "ga", "irish": "ga",
    "lat": "la", "latin": "la",
    "epo": "eo", "esperanto": "eo",
    "afr": "af", "afrikaans": "af",
    "est": "et", "estonian": "et",
    "lav": "lv", "latvian": "lv",
    "lit": "lt", "lithuanian": "lt",
}


def iso639_1(value: object) -> str | None:
    """The two-letter code for ``value`` ("eng", "English", "en-GB", "/languages/eng"), or None."""
    if not isinstance(value, str):
        return None
    text = value.strip().lower().rsplit("/", 1)[-1]
    if not text or len(text) > 40:
        return None
    if text in _CODES:
        return _CODES[text]
    primary = text.replace("_", "-").split("-", 1)[0]
    if len(primary) == 2 and primary.isalpha():
        return primary
    return _CODES.get(primary)


def marc_codes(code: str) -> set[str]:
    """The three-letter codes that mean the two-letter ``code`` ("en" -> {"eng"})."""
    return {k for k, v in _CODES.items() if v == code and len(k) == 3}
