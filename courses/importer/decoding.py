"""Bytes to text for Chinese and Korean documents, without mojibake.

Order: byte-order marks, strict UTF-8, then every legacy encoding these documents use
(GB18030 ⊃ GBK ⊃ GB2312, Big5, CP949 ⊃ EUC-KR) is tried and the decoding that reads most
like real text wins. Statistical detectors alone confuse these encodings on short texts
(EUC-KR Hangul bytes are valid GB2312 Han), so plausibility is judged on the characters
a decoding produces: how many are among the most frequent Chinese characters or Korean
syllables, how many are rare, control or unassigned.
"""

from __future__ import annotations

import codecs
import unicodedata

from .errors import DocumentError
from .text import is_han, is_hangul

BINARY_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", "a PDF file"),
    (b"PK\x03\x04", "a ZIP archive"),
    (b"\xd0\xcf\x11\xe0", "a legacy Office file (.doc/.xls/.ppt); save it as .docx"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"Rar!", "a RAR archive"),
    (b"7z\xbc\xaf", "a 7-Zip archive"),
    (b"\x7fELF", "a program"),
)

BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

LEGACY_ENCODINGS = ("gb18030", "big5", "cp949")

# The most frequent Chinese characters (simplified and traditional forms) and Korean
# syllables. Real text is full of them; text decoded with the wrong table rarely is.
COMMON_CHINESE = frozenset(
    "的一是不了在人有我他这个们中来上大为和国地到以说时要就出会可也你对生能而子那得于着"
    "下自之年过发后作里用道行所然家种事成方多经么去法学如都同现当没动面起看定天分还进好小"
    "部其些主样理心她本前开但因只从想实您请问电话客户服务谢歉帮助解需候什怎已应该果知题情况"
    "工公司门处联系记录间先姐音量语气态度礼貌热耐尊重感再见稍等转接投诉建议信息查询办业统号"
    "码名称姓单位址领导标准规范原则程序注意项通听拨打挂断声清楚明白回答释确认满這個們來爲國"
    "說時會對於過發後裏種經麼學現當沒動還進樣開從實請問電話戶務謝幫應該題況門處聯繫記錄間語"
    "氣態禮熱見轉訴議詢辦業統號碼稱單領導標準規範則項聽撥掛斷聲釋確認滿"
)
COMMON_KOREAN = frozenset(
    "이다에의는로하을가고지서한은기으년대사시를리도인스일습니요세어게해했있었할수것들와과면만"
    "까안녕감합죄송드주십시오전화객님문제도움받말씀확원부터께요무엇려겠니계연결상담처"
)
CONTROL_ALLOWED = frozenset("\t\n\r\f\v")
MIN_PLAUSIBILITY = 0.5


def decode_bytes(data: bytes, name: str) -> str:
    """Decode a text document, or raise DocumentError with a one-line reason."""
    if not data.strip(b" \t\r\n\x00"):
        raise DocumentError(f"{name} is empty")
    for bom, encoding in BOMS:
        if data.startswith(bom):
            return _decode_with_bom(data[len(bom) :], encoding, name)
    reject_binary(data, name)
    if b"\x00" in data:
        return _decode_utf16_without_bom(data, name)
    try:
        return _checked(data.decode("utf-8"), name)
    except UnicodeDecodeError:
        pass
    return _decode_legacy(data, name)


def reject_binary(data: bytes, name: str) -> None:
    for signature, kind in BINARY_SIGNATURES:
        if data.startswith(signature):
            raise DocumentError(f"{name} is {kind}, not a text document")


def _decode_with_bom(body: bytes, encoding: str, name: str) -> str:
    try:
        return _checked(body.decode(encoding), name)
    except UnicodeDecodeError as error:
        raise DocumentError(
            f"{name} starts with a {encoding.upper()} byte-order mark but is not valid "
            f"{encoding.upper()} (byte {error.start})"
        ) from None


def _decode_utf16_without_bom(data: bytes, name: str) -> str:
    even_nuls = data[0::2].count(0)
    odd_nuls = data[1::2].count(0)
    half = max(len(data) // 2, 1)
    if len(data) % 2 == 0 and max(even_nuls, odd_nuls) / half > 0.2:
        encoding = "utf-16-be" if even_nuls > odd_nuls else "utf-16-le"
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            text = ""
        if text and _plausibility(text) >= MIN_PLAUSIBILITY:
            return _checked(text, name)
    raise DocumentError(f"{name} contains NUL bytes: it looks like a binary file, not text")


def _decode_legacy(data: bytes, name: str) -> str:
    scored: list[tuple[float, str]] = []
    for encoding in LEGACY_ENCODINGS:
        text = _strict_decode_tolerating_truncation(data, encoding)
        if text is not None:
            scored.append((_plausibility(text), text))
    lenient_utf8 = data.decode("utf-8", errors="replace")
    if lenient_utf8.count("\ufffd") <= max(2, len(lenient_utf8) // 500):
        # A long UTF-8 file with a stray byte or two is still UTF-8.
        scored.append((_plausibility(lenient_utf8.replace("\ufffd", "")), lenient_utf8))
    if scored:
        score, text = max(scored, key=lambda pair: pair[0])
        if score >= MIN_PLAUSIBILITY:
            return _checked(text, name)
    raise DocumentError(
        f"{name}: cannot detect its text encoding (tried UTF-8, UTF-16, GB18030/GBK, Big5, "
        "EUC-KR/CP949); save it as UTF-8 and try again"
    )


def _strict_decode_tolerating_truncation(data: bytes, encoding: str) -> str | None:
    """Strict decoding, except a multi-byte character cut off at the very end."""
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        if error.start < len(data) - 3:
            return None
        try:
            return data[: error.start].decode(encoding)
        except UnicodeDecodeError:
            return None


def _plausibility(text: str) -> float:
    """About 1 for ordinary CJK text, higher the more frequent characters it has.

    Only non-ASCII characters count (every candidate decodes ASCII the same way), except
    that control characters anywhere count heavily against a decoding.
    """
    common = fine = rare = bad = spaced_han = script_switches = 0
    previous = ""
    for index, char in enumerate(text):
        code = ord(char)
        if code < 128:
            if code < 32 and char not in CONTROL_ALLOWED:
                bad += 1
            elif char == " " and is_han(previous) and is_han(text[index + 1 : index + 2]):
                spaced_han += 1
            previous = char
            continue
        if (is_han(previous) and is_hangul(char)) or (is_hangul(previous) and is_han(char)):
            script_switches += 1
        previous = char
        kind = _character_kind(char)
        if kind == "common":
            common += 1
        elif kind == "fine":
            fine += 1
        elif kind == "rare":
            rare += 1
        else:
            bad += 1
    total = common + fine + rare + bad
    if total == 0:
        return 1.0 if bad == 0 else -10.0
    # Chinese rarely puts spaces between characters, and neither language glues Han to
    # Hangul inside a word; the wrong table produces both all the time.
    penalties = 2 * rare + 10 * bad + spaced_han + 2 * script_switches
    return (2 * common + fine - penalties) / total


def _character_kind(char: str) -> str:
    if char in COMMON_CHINESE or char in COMMON_KOREAN:
        return "common"
    if is_hangul(char):
        return "fine" if _encodable(char, "euc-kr") else "rare"
    if is_han(char):
        return "fine" if _encodable(char, "gb2312") or _in_big5_level_one(char) else "rare"
    category = unicodedata.category(char)
    if category == "Zs":
        return "fine"
    if category in {"Cc", "Cn", "Co", "Cs"} or char == "\ufffd":
        return "bad"
    code = ord(char)
    if 0x3000 <= code <= 0x303F or 0xFF01 <= code <= 0xFF5E or 0x2010 <= code <= 0x2027:
        return "fine"
    if char in "·×÷°±§©®™€£¥①②③④⑤⑥⑦⑧⑨⑩" or 0x00C0 <= code <= 0x017F:
        return "fine"
    return "rare"


def _encodable(char: str, encoding: str) -> bool:
    try:
        char.encode(encoding)
    except UnicodeEncodeError:
        return False
    return True


def _in_big5_level_one(char: str) -> bool:
    try:
        encoded = char.encode("big5")
    except UnicodeEncodeError:
        return False
    return len(encoded) == 2 and 0xA4 <= encoded[0] <= 0xC6


def _checked(text: str, name: str) -> str:
    controls = sum(1 for char in text if ord(char) < 32 and char not in CONTROL_ALLOWED)
    if controls > max(3, len(text) // 100):
        raise DocumentError(f"{name} contains control characters: it looks like a binary file")
    return text
