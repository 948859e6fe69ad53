"""Telling a text file's encoding from its bytes: the decoded text is the document's canonical text.

In this order: a byte-order mark (UTF-8, UTF-16, UTF-32); UTF-16 without one, where its zero bytes show
it; UTF-8, when the bytes decode as UTF-8 (whatever an HTML page declares: pages saved as UTF-8 under an
old "iso-8859-1" label are many); the charset an HTML page declares; else the legacy code pages of this
field's archives (CANDIDATES). Every legacy code page decodes almost any bytes, so each reading is
scored for the marks a wrong code page leaves (`oddities`: "State’s" read as "StateÕs", Russian read as
"Ïðàâî" or as box drawings, symbols such as √ ∑ ◊). The reading with the fewest wins. When readings that
differ tie, Mac Roman is chosen only for a file with CR line ends (classic Mac OS wrote them; Windows
wrote CR LF); otherwise charset-normalizer's word statistics must prefer one reading clearly, or else one
reading alone must have its letters mostly small, as prose does. A file none of this tells raises
EncodingError naming the candidates: it is skipped, never indexed as mojibake.

Measured on the 262 Mac Roman UN reports of ../shared/corpora/upr-wg-reports (tests/test_encodings.py):
261 read as Mac Roman with no oddity, one with one (the ü ç ü of "Küçük"), while the next best code page
leaves 9 or more in each;
charset-normalizer alone never gives their Mac Roman text (it guesses cp1250, cp775, hp_roman8 ...).
Known limit: a short text all in capitals, in cp1251, reads as KOI8-R (whose small letters they are)."""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass

# Legacy code pages tried, in order of preference when two read the same: Russian Windows, KOI8-R
# (Unix, e-mail), DOS Russian, classic Mac OS, Western Windows (cp1252 reads every latin-1 text the same).
CANDIDATES = ("cp1251", "koi8-r", "cp866", "mac-roman", "cp1252")
_BOMS = (  # longest first: the UTF-32 LE mark begins with the UTF-16 LE one
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
)
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")  # other than tab, line feed, vertical tab, form feed, CR
_BINARY_SHARE = 0.1  # text has next to none; a file with more than this share of them is data, not prose
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_META_CHARSET = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_:.-]+)""", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9_.-]+)""", re.IGNORECASE)
_HIGH_BYTES = bytes(range(0x80, 0x100))
_LATIN_AROUND = re.compile(r".*[A-Za-z][^\w]{1,2}")  # the three characters before a lone letter: a Latin word's end
_LATIN_AFTER = re.compile(r"[^\w]{1,2}[A-Za-z].*")  # ... and after it: a Latin word's start
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_SCORED = 20_000  # non-ASCII characters looked at per reading: enough to tell, and fast on a big file
_ODD_SHARE = 0.02  # a right reading leaves at most this share of its non-ASCII characters odd
_EXPECTED = frozenset("‘’‚“”„«»‹›–—…•·′″´¡¿§¶°©®™±×÷€£¢¥№ºª\u00a0\u00ad")  # "´" stands for "’" in many a text
_LONE_LETTERS = frozenset("àéèóÀÉÓ")  # words of one non-ASCII letter that languages do have (Irish "Ó Briain")
_COHERENCE_MARGIN = 0.1  # how much better charset-normalizer's language fit must be to break a tie


class EncodingError(ValueError):
    """The bytes are not text in any encoding tried; the message names them."""


class NotText(EncodingError):
    """The bytes hold NUL or many control characters: a binary file, whatever it is called."""


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str  # a Python codec name: data.decode(encoding) gives `text` back


def decode_text(data: bytes, declared: str | None = None) -> Decoded:
    """The text the bytes hold and the encoding read. `declared` (an HTML page's charset) is believed
    when the bytes decode in it, after a byte-order mark, UTF-16 and UTF-8: bytes that decode as UTF-8
    are UTF-8 text whatever their label says (pages saved as UTF-8 under an old "iso-8859-1" are many)."""
    decoded = (_by_mark(data) or _utf16_without_mark(data) or _strict(data, "utf-8")
               or (_strict(data, declared) if declared else None))
    if decoded is None:
        _refuse_binary(data, legacy=True)
        return _legacy(data)
    _refuse_binary(decoded.text, legacy=False)
    return decoded


def declared_charset(html: bytes) -> str | None:
    """The charset an HTML page declares in its first bytes (<meta charset>, http-equiv, <?xml?>), as a
    Python codec name, or None. As browsers do (WHATWG Encoding), latin-1 and ASCII labels mean cp1252."""
    match = _META_CHARSET.search(html[:4096]) or _XML_ENCODING.search(html[:4096])
    if not match:
        return None
    try:
        name = codecs.lookup(match.group(1).decode("ascii")).name
    except LookupError:
        return None
    return "cp1252" if name in ("iso8859-1", "ascii") else name


def _strict(data: bytes, encoding: str) -> Decoded | None:
    try:
        return Decoded(data.decode(encoding), codecs.lookup(encoding).name)
    except (UnicodeDecodeError, LookupError):
        return None


def _by_mark(data: bytes) -> Decoded | None:
    for mark, encoding in _BOMS:
        if data.startswith(mark):
            decoded = _strict(data, encoding)
            if decoded is None:
                raise EncodingError(f"begins with a {encoding.upper()} byte-order mark but is not {encoding.upper()} text")
            return decoded
    return None


def _utf16_without_mark(data: bytes) -> Decoded | None:
    """UTF-16 where it is evident: its spaces, digits and Latin letters put a zero in every other
    byte, and the other half of the bytes holds next to no zeros."""
    if len(data) < 4 or len(data) % 2:
        return None
    even, odd = data[0::2], data[1::2]
    zeros_even, zeros_odd = even.count(0) / len(even), odd.count(0) / len(odd)
    for zeros_high, zeros_low, encoding in ((zeros_odd, zeros_even, "utf-16-le"), (zeros_even, zeros_odd, "utf-16-be")):
        if zeros_high >= 0.05 and zeros_low <= 0.01:
            decoded = _strict(data, encoding)
            if decoded and not _CONTROL.search(decoded.text):
                return decoded
    return None


def _refuse_binary(text: str | bytes, *, legacy: bool) -> None:
    # NUL bytes are valid UTF-8, so a file of zeros decodes; but no text file holds one.
    controls = _CONTROL.findall(text.decode("latin-1") if isinstance(text, bytes) else text)
    if "\x00" in controls or len(controls) > _BINARY_SHARE * len(text):
        tried = f", and it is not {_names(('utf-8', 'utf-16', *CANDIDATES), 'or')} text either" if legacy else ""
        raise NotText(f"looks like a binary file, not text (it holds NUL or control bytes{tried})")


def _legacy(data: bytes) -> Decoded:
    readings = {name: decoded for name in CANDIDATES if (decoded := _strict(data, name))}
    scores = {name: oddities(decoded.text) for name, decoded in readings.items()}
    fewest = min(scores.values(), default=0)
    high = len(data) - len(data.translate(None, _HIGH_BYTES))
    if not scores or fewest > max(2, _ODD_SHARE * min(high, _SCORED)):
        best = f"the best, {min(scores, key=scores.__getitem__)}, leaves {fewest} odd characters" if scores else "none decodes"
        raise EncodingError(
            f"its encoding cannot be told: it is not UTF-8, and none of {_names(CANDIDATES, 'and')} reads it as "
            f"text without garbling it ({best}); save it as UTF-8 to index it")
    # One reading per distinct text, the preferred code page first; a text without a Cyrillic letter is
    # Western, however cp1251 reads its quotes and dashes the same.
    western = not _CYRILLIC.search(readings["cp1251"].text) if "cp1251" in readings else True
    tied: dict[str, Decoded] = {}
    for name in sorted(CANDIDATES, key=lambda name: not (western and name == "cp1252")):
        if scores.get(name) == fewest and all(readings[name].text != other.text for other in tied.values()):
            tied[name] = readings[name]
    if len(tied) == 1:
        return next(iter(tied.values()))
    return _break_tie(data, tied)


def _break_tie(data: bytes, tied: dict[str, Decoded]) -> Decoded:
    if "mac-roman" in tied:
        lone_cr = data.count(b"\r") - data.count(b"\r\n")
        if lone_cr > data.count(b"\n"):
            return tied["mac-roman"]
        tied = {name: decoded for name, decoded in tied.items() if name != "mac-roman"}
        if len(tied) == 1:
            return next(iter(tied.values()))
    chosen = _by_language(data, tuple(tied)) or _by_case(tied)
    if chosen:
        return tied[chosen]
    raise EncodingError(
        f"its encoding cannot be told: it is not UTF-8, and it reads as text in {_names(tuple(tied), 'and in')}, "
        f"which differ ({_difference(tied)}); save it as UTF-8 to index it")


def _by_language(data: bytes, names: tuple[str, ...]) -> str | None:
    """The code page whose reading charset-normalizer finds clearly more like a language, or None."""
    from charset_normalizer import from_bytes  # imported here: only files that are not UTF-8 need it

    fits = {codecs.lookup(match.encoding).name: match.coherence - match.chaos
            for match in from_bytes(data, cp_isolation=list(names))}
    ranked = sorted(((fits.get(name, -1.0), name) for name in names), reverse=True)
    (best, name), (second, _) = ranked[0], ranked[1]
    return name if best - second >= _COHERENCE_MARGIN else None


def _by_case(tied: dict[str, Decoded]) -> str | None:
    """The one reading whose accented or Cyrillic letters are mostly small, as prose's are, while every
    other reading's are mostly capitals (KOI8-R and cp1251 swap the cases of each other's letters)."""
    def small(text: str) -> float:
        letters = [char for char in _NON_ASCII.findall(text[: 50 * _SCORED]) if char.isalpha()]
        return sum(char.islower() for char in letters) / len(letters) if letters else 0.0

    shares = {name: small(decoded.text) for name, decoded in tied.items()}
    prose = [name for name, share in shares.items() if share >= 0.75]
    return prose[0] if len(prose) == 1 and all(share <= 0.25 for name, share in shares.items() if name != prose[0]) else None


def oddities(text: str) -> int:
    """How many characters of `text` mark a wrong code page: controls, unusual symbols, a capital inside
    a lower-case word or a small letter before a capital, scripts mixed in one word, Latin words made of
    accented letters only, accented letters standing alone as words, and a lone Cyrillic letter between
    Latin words (cp1251 reading "à Paris" as "а Paris")."""
    odd = 0
    for number, match in enumerate(_NON_ASCII.finditer(text)):
        if number == _SCORED:
            break
        odd += _is_odd(text, match.start())
    return odd


def _is_odd(text: str, at: int) -> bool:
    char, before, after = text[at], text[at - 1] if at else " ", text[at + 1] if at + 1 < len(text) else " "
    kind = unicodedata.category(char)
    if char in _EXPECTED:
        return False
    if kind[0] in "CSP" or kind in ("Zl", "Zp"):
        return True
    if kind[0] != "L":
        return False
    if kind == "Lu" and before.isalpha() and (before.islower() or after.islower()):
        return True
    if kind == "Ll" and after.isupper():
        return True
    script = _script(char)
    if not before.isalpha() and not after.isalpha():
        if script == "LATIN":
            return char not in _LONE_LETTERS
        return bool(_LATIN_AROUND.fullmatch(text[max(0, at - 3) : at])) and bool(_LATIN_AFTER.fullmatch(text[at + 1 : at + 4]))
    if any(side.isalpha() and _script(side) != script for side in (before, after)):
        return True
    return script == "LATIN" and not before.isascii() and not after.isascii() and before.isalpha() and after.isalpha()


def _script(char: str) -> str:
    return unicodedata.name(char, "?").split(" ", 1)[0]


def _difference(tied: dict[str, Decoded]) -> str:
    """The first place the readings differ, as each gives it: 'isn’t' in cp1252, 'isnít' in mac-roman."""
    texts = [decoded.text for decoded in tied.values()]
    at = next((i for i, chars in enumerate(zip(*texts, strict=False)) if len(set(chars)) > 1), 0)
    start = max(0, at - 12)
    return ", ".join(f"{text[start:at + 12]!r} in {name}" for name, text in zip(tied, texts, strict=True))


def _names(names: tuple[str, ...], joiner: str) -> str:
    shown = [name.upper() if name.startswith("utf") else name for name in names]
    return ", ".join(shown[:-1]) + f" {joiner} {shown[-1]}" if len(shown) > 1 else shown[0]
