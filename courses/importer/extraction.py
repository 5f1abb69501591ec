"""Stock phrases and forbidden phrases, with where each one came from.

A quoted phrase is a model phrase ("say this") unless its sentence or its section says
it must not be said: "应避免回答“没有来”…，而应答复“他暂时不在办公室…”" yields two
forbidden phrases and one model phrase. Sentences with a prohibition (不得, 严禁, 금지,
안 된다 …) become draft rules too; a trainer turns them into matchable phrases.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from .outline import PARAGRAPH, Node
from .text import COLONS, comparable, visible_length

QUOTE_PAIRS = {"“": "”", "「": "」", "『": "』", "‘": "’"}
SENTENCE_BREAKS = "。！？!?；;\n"
INTERNAL_PUNCTUATION = "，,。？?！!…~；;."
LIST_GLUE = re.compile(r"^[\s、，,和或及与/等]*$|^\s*(또는|혹은|or)\s*$")
MAX_PHRASE_LENGTH = 120
MAX_RULE_LENGTH = 60
MIN_RULE_LENGTH = 4

# Words right before a quotation that introduce words to say.
SPEECH_CUES = (
    "说",
    "讲",
    "道",
    "问",
    "答",
    "用",
    "如",
    "例如",
    "比如",
    "譬如",
    "称",
    "应答",
    "答复",
    "回复",
    "回答",
    "询问",
    "提示",
    "告知",
    "问候",
    "致歉",
    "表示",
    "用语",
    "回应",
    "예",
    "예시",
    "대답",
)
KOREAN_SPEECH_AFTER = ("라고", "라는", "고 말", "하고")

# Cues deciding whether the quotations after them are forbidden (latest cue wins).
FORBID_CUES = {
    "zh": (
        "避免",
        "禁止",
        "严禁",
        "不得",
        "切忌",
        "忌",
        "不要",
        "不准",
        "不可",
        "杜绝",
        "代替",
        "而不是",
        "别说",
        "不能说",
        "不应",
        "禁用",
        "忌用",
        "不要用",
        "不能用",
        "避免用",
    ),
    "ko": (
        "금지",
        "삼가",
        "피하",
        "피해",
        "하지 말",
        "지 말",
        "안 된다",
        "안된다",
        "안 됩니다",
        "안됩니다",
        "대신",
    ),
}
NEGATIONS = "不别勿忌禁"
TRAILING_FORBID_CUES = (
    "忌语",
    "禁语",
    "不礼貌",
    "不文明",
    "禁止使用",
    "不能说",
    "不要说",
    "不可说",
)
ALLOW_CUES = {
    "zh": (
        "而应",
        "应答复",
        "应回答",
        "应说",
        "应该说",
        "要说",
        "可以说",
        "可说",
        "改说",
        "改为",
        "请说",
        "使用",
        "用",
        "而是",
    ),
    "ko": ("라고 말해야", "말씀하세요", "사용하세요"),
}
# A heading saying its content is what not to do.
FORBIDDING_HEADINGS = (
    "避免",
    "禁止",
    "严禁",
    "不得",
    "切忌",
    "忌语",
    "禁语",
    "不礼貌",
    "不文明",
    "禁忌",
    "不要",
    "금지",
    "삼가",
    "피해",
    "피하",
    "하지 말",
    "지 말",
    "안 된다",
    "안된다",
    "금기",
    "무례",
)
# Unquoted prohibitions: these words make a clause a draft rule.
PROHIBITIONS = {
    "zh": ("不得", "严禁", "禁止", "避免", "切忌", "不要", "忌", "不可", "不准", "杜绝", "不允许"),
    "ko": (
        "금지",
        "안 된다",
        "안된다",
        "안 됩니다",
        "안됩니다",
        "하지 않는다",
        "하지 않습니다",
        "삼가",
        "지 말",
        "피해야",
        "피하",
    ),
}
NOT_PROHIBITIONS = (
    "不得不",
    "不要紧",
    "不可少",
    "不可或缺",
    "不可避免",
    "以避免",
    "可避免",
    "能避免",
    "为避免",
    "可以避免",
    "难以避免",
    "无法避免",
    "有助于避免",
    "顾忌",
    "猜忌",
    "妒忌",
    "忌日",
    "不可思议",
    "不可能",
    "不要忘记",
    "不要忘了",
    "피할 수 없",
    "마지 않",
)
CLAUSE_BREAKS = {"zh": r"[，,；;。！？!?：:\n]", "ko": r"[.。!?！？,，;；:\n]"}
LEADING_CONNECTIVES = re.compile(r"^(并且|而且|同时|并|且|也|还|但是|但|或者|或|及|即|则)")


@dataclass(frozen=True)
class Quote:
    start: int
    end: int
    inner: str


@dataclass(frozen=True)
class Found:
    """One extracted phrase: a model phrase, or a forbidden phrase / prohibition."""

    phrase: str
    forbidden: bool
    quoted: bool
    node: Node
    evidence: str


def find_quotes(text: str) -> list[Quote]:
    quotes: list[Quote] = []
    index = 0
    while index < len(text):
        char = text[index]
        closer = QUOTE_PAIRS.get(char, '"' if char == '"' else None)
        if closer is None:
            index += 1
            continue
        end = text.find(closer, index + 1)
        if end < 0:
            index += 1
            continue
        quotes.append(Quote(index, end + 1, text[index + 1 : end]))
        index = end + 1
    return quotes


def extract(nodes: list[Node], language: str) -> list[Found]:
    found: list[Found] = []
    for node in nodes:
        for item in node.walk():
            if item.kind in ("toc", "root"):
                continue
            found.extend(_from_text(item, language))
    return found


def _from_text(node: Node, language: str) -> Iterator[Found]:
    text = node.text
    if not text:
        return
    quotes = find_quotes(text)
    forbidding_section = _section_forbids(node)
    stock_flags = _stock_flags(text, quotes, language)
    for quote, stock in zip(quotes, stock_flags, strict=True):
        phrase = _clean_phrase(quote.inner)
        if not phrase or _spoken_by_caller(text, quote):
            continue
        polarity = _quote_polarity(text, quote, quotes, language)
        forbidden = polarity == "forbid" or (polarity == "" and forbidding_section)
        if forbidden or stock:
            yield Found(phrase, forbidden, True, node, _sentence_around(text, quote))
    if not node.is_heading:
        yield from _prohibitions(node, text, quotes, language)


def _clean_phrase(inner: str) -> str:
    phrase = re.sub(r"\s+", " ", inner).strip()
    if not any(char.isalnum() for char in phrase) or visible_length(phrase) > MAX_PHRASE_LENGTH:
        return ""
    return phrase


def _stock_flags(text: str, quotes: list[Quote], language: str) -> list[bool]:
    """Is each quotation words to say (not a term in scare quotes or a form's name)?"""
    if quotes and _only_quotations(text, quotes):
        return [True] * len(quotes)
    flags: list[bool] = []
    for index, quote in enumerate(quotes):
        before = text[: quote.start].rstrip(" :：,，")
        after = text[quote.end :].lstrip()
        stock = (
            any(char in quote.inner for char in INTERNAL_PUNCTUATION)
            or before.endswith(SPEECH_CUES)
            or not before
            or (language == "ko" and after.startswith(KOREAN_SPEECH_AFTER))
        )
        if not stock and index > 0 and flags[-1]:
            gap = text[quotes[index - 1].end : quote.start]
            stock = bool(LIST_GLUE.match(gap))
        if (
            stock
            and not before
            and after
            and not any(char in quote.inner for char in INTERNAL_PUNCTUATION)
        ):
            # "“三响之内”务必在三响之内接听": a heading term, not a phrase.
            stock = after[0] in "，,。.、等"
        flags.append(stock)
    return flags


def _only_quotations(text: str, quotes: list[Quote]) -> bool:
    rest = list(text)
    for quote in quotes:
        rest[quote.start : quote.end] = [" "] * (quote.end - quote.start)
    return not any(char.isalnum() for char in "".join(rest).replace("等", ""))


def _spoken_by_caller(text: str, quote: Quote) -> bool:
    """ "问：“我等一会儿再打来吧？”答：“随便”": the caller's line is neither norm nor rule."""
    before = text[: quote.start].rstrip(" :：")
    after = text[quote.end :].lstrip(" ，,")
    return before.endswith(("问", "客户说", "客户问", "对方问", "对方说")) or after.startswith("答")


def _quote_polarity(text: str, quote: Quote, quotes: list[Quote], language: str) -> str:
    """ "forbid", "allow" or "" (no cue in the sentence) for one quotation."""
    masked = _mask_quotes(text, quotes)
    sentence_start = max(masked.rfind(mark, 0, quote.start) for mark in SENTENCE_BREAKS) + 1
    before = masked[sentence_start : quote.start]
    polarity = _latest_cue(before, language)
    if polarity:
        return polarity
    # Cues after the quotation: "“喂”是服务忌语", "…"라고 하면 안 된다".
    ends = [masked.find(mark, quote.end) for mark in ".!?。" if mark != "." or language == "ko"]
    sentence_end = min((end for end in ends if end >= 0), default=len(masked))
    after = masked[quote.end : sentence_end]
    trailing_cues = FORBID_CUES["ko"] if language == "ko" else TRAILING_FORBID_CUES
    return "forbid" if any(cue in after for cue in trailing_cues) else ""


def _latest_cue(text: str, language: str) -> str:
    text = _without(text, NOT_PROHIBITIONS)
    best_end, best_length, polarity = -1, 0, ""
    for cues, label in ((FORBID_CUES, "forbid"), (ALLOW_CUES, "allow")):
        for cue in cues.get(language, ()):
            position = text.rfind(cue)
            if position < 0:
                continue
            end = position + len(cue)
            if end > best_end or (end == best_end and len(cue) > best_length):
                best_end, best_length, polarity = end, len(cue), label
    start = best_end - best_length
    if polarity == "allow" and start > 0 and text[start - 1] in NEGATIONS:
        return "forbid"  # "不要说", "别用": a negated way of saying
    return polarity


def _mask_quotes(text: str, quotes: list[Quote]) -> str:
    chars = list(text)
    for quote in quotes:
        for position in range(quote.start, quote.end):
            chars[position] = "□"
    return "".join(chars)


def _without(text: str, phrases: tuple[str, ...]) -> str:
    for phrase in phrases:
        text = text.replace(phrase, "□" * len(phrase))
    return text


def _section_forbids(node: Node) -> bool:
    """Does the nearest heading above (or an item between) say its content is forbidden?"""
    for ancestor in node.ancestors():
        if ancestor.kind == "root":
            return False
        # Only titles and lead-ins count ("8、避免以下各种不礼貌现象：", "忌语："): a rule
        # stated as a sentence above ("…不要先问对方姓名。") says nothing about the quotes.
        is_title = ancestor.is_heading or ancestor.text.rstrip().endswith(COLONS)
        if is_title and any(cue in ancestor.text for cue in FORBIDDING_HEADINGS):
            return True
        if ancestor.is_heading:
            return False
    return False


def _sentence_around(text: str, quote: Quote) -> str:
    start = max(text.rfind(mark, 0, quote.start) for mark in "。！？!?\n") + 1
    ends = [text.find(mark, quote.end) for mark in "。！？!?\n"]
    end = min((position for position in ends if position >= 0), default=len(text))
    return text[start : end + 1].strip()


def _prohibitions(node: Node, text: str, quotes: list[Quote], language: str) -> Iterator[Found]:
    masked = _mask_quotes(text, quotes)
    cues = PROHIBITIONS.get(language, PROHIBITIONS["zh"])
    position = 0
    for clause in re.split(CLAUSE_BREAKS.get(language, CLAUSE_BREAKS["zh"]), masked):
        start = masked.find(clause, position)
        position = start + len(clause)
        if "□" in clause or not any(cue in _without(clause, NOT_PROHIBITIONS) for cue in cues):
            continue
        phrase = LEADING_CONNECTIVES.sub("", text[start : start + len(clause)].strip())
        if MIN_RULE_LENGTH <= visible_length(phrase) <= MAX_RULE_LENGTH:
            yield Found(phrase, True, False, node, text)


def dedupe(found: list[Found]) -> list[Found]:
    seen: set[tuple[str, bool]] = set()
    unique: list[Found] = []
    for item in found:
        key = (comparable(item.phrase), item.forbidden)
        if key[0] and key not in seen:
            seen.add(key)
            unique.append(item)
    return unique


def owner_section(node: Node) -> Node:
    """The node whose section path a phrase is filed under: paragraphs belong to their parent."""
    if node.kind == PARAGRAPH and node.parent is not None:
        return node.parent
    return node
