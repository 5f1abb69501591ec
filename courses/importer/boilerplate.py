"""Site chrome that document-sharing sites wrap around the text a trainer wants.

Everything here is a line filter over normalised lines (blank lines kept, because they
matter to the hard-wrap joiner). Each removed line or line fragment is counted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .markers import parse_marker
from .text import SENTENCE_END, visible_length

# A whole line that is a page marker, a widget label or a file-name banner.
_PAGE_MARKER = re.compile(
    r"第\s*\d+\s*页(\s*[/／,，]?\s*共\s*\d+\s*页)?"
    r"|共\s*\d+\s*页"
    r"|[Pp]age\s*\d+(\s*(of|/)\s*\d+)?"
    r"|\d{1,3}\s*/\s*\d{1,3}"
    r"|[-—–]\s*\d{1,3}\s*[-—–]"
    r"|\d{1,3}"
    r"|제?\s*\d+\s*(페이지|쪽)(\s*/\s*\d+)?"
    r"|.{1,80}\.(docx?|pdf|pptx?|wps|txt)_第\s*\d+\s*页"
)
_WIDGET_WORDS = frozenset(
    [
        "发布",
        "收藏",
        "举报",
        "分享",
        "点赞",
        "评论",
        "回复",
        "下载",
        "打印",
        "相关",
        "分销",
        "分销(赏)",
        "赏",
        "查看更多",
        "点击查看更多",
        "展开阅读全文",
        "阅读全文",
        "展开全文",
        "资源描述",
        "合集下载",
        "立即下载",
        "免费下载",
        "下载文档",
        "打开APP",
        "APP内打开",
        "上一篇",
        "下一篇",
        "返回顶部",
        "感谢您的观看",
        "感谢观看",
        "谢谢观看",
        "谢谢聆听",
        "关注",
        "点击",
        "更多",
        "目录导航",
        "공유",
        "공유하기",
        "댓글",
        "좋아요",
        "다운로드",
        "이전글",
        "다음글",
        "목록",
        "스크랩",
        "신고",
        "인쇄",
        "Share",
        "Download",
        "Print",
        "Comments",
        "Like",
    ]
)
_WIDGET_WITH_COUNT = re.compile(r"(文档)?评论\s*[(（]\d+[)）]|\d+\s*条评论|댓글\s*\d+")
_TAIL_WIDGETS = (
    frozenset(["问题", "客服", "登录", "注册", "首页", "反馈", "帮助", "返回", "顶部"])
    | _WIDGET_WORDS
)

# Anywhere in a short line: metadata, footers, sales pitches.
_SHORT_LINE_PATTERNS = re.compile(
    r"发布于\s*\d{4}|发布时间\s*[:：]|上传人\s*[:：]|上传者\s*[:：]|文档编号\s*[:：]|上传时间\s*[:：]"
    r"|下载积分|所需积分|页数\s*[:：]\s*\d|格式\s*[:：]\s*(DOCX?|PDF|PPTX?|TXT)"
    r"|浏览(次数|量)\s*[:：]?\s*\d|阅读(数|量)\s*[:：]?\s*\d|下载(次数|量)\s*[:：]?\s*\d"
    r"|©|版权所有|[Cc]opyright|All [Rr]ights [Rr]eserved|ICP\s*[备证]|公网安备|公安备案|网安备"
    r"|增值电信业务|B2-\d{6,}|客服电话\s*[:：]|维权电话|举报电话|关注我们|微信公众号"
    r"|当前位置\s*[:：]|首页\s*[>＞»]|页脚广告|移动网页_|关于我们|联系我们|开通\s*S?VIP|S?VIP\s*会员"
    r"|成为\s*S?VIP|建议开通|共赢上传|\.(png|jpe?g|gif)\b|广告|赞助商"
    r"|저작권|무단\s*(전재|복제|배포)|재배포\s*금지|광고|구독하기"
)
_SHORT_LINE_LIMIT = 160

# Two or more of these in one line is a download site's disclaimer, not etiquette.
_SITE_WORDS = (
    "下载",
    "VIP",
    "会员",
    "版权",
    "侵权",
    "侵犯",
    "上传",
    "付费",
    "退款",
    "本站",
    "网站",
    "文档",
    "积分",
    "金币",
    "预览",
    "举报",
    "申诉",
    "原创力",
    "平台",
    "用户协议",
    "免责",
)
_SITE_LINE_LIMIT = 400

# Headers of link lists that follow an article: drop the header and the links.
_RELATED_HEADER = re.compile(
    r"(相关(文档|阅读|推荐|文章|资料|搜索|下载)|最新文档|热门(文档|推荐|文章)|猜你喜欢|推荐(阅读|文档)"
    r"|延伸阅读|更多(相关)?(文档|文章)|관련\s*(읽기|기사|글|문서|자료)|추천\s*(글|기사)|인기\s*(글|기사)"
    r"|[Rr]elated( (articles|documents|posts|reading))?|[Yy]ou may also like)\s*[:：]?"
)
# A slide deck's table of contents: the header and its bullets go, numbered entries stay.
_DECK_CONTENTS = re.compile(r"目\s*录|CONTENTS|Contents|목\s*차")

# Fragments removed inside a line: sales filler, page footers glued to the text.
_INLINE_FRAGMENTS = (
    re.compile(
        r"[^。！？!?\n]*(店铺|小编|本站)(为大家|为您)?(搜集|收集)?整理[^。！？!?\n]*[。！？!?]?"
    ),
    re.compile(r"[^。！？!?\n]*希望(对|能帮到)(你|您|大家)[^。！？!?\n]*[。！？!?]?"),
    re.compile(r"[（(]\s*(如下|以下)无正文\s*[!！]?\s*[）)]|(如下|以下)无正文[!！。]?"),
    # "Page 1 of 33.话筒" is "Page 1 of 3" followed by item 3: leave the item's number.
    re.compile(r"[Pp]age\s*\d+\s*of\s*(\d+?(?=\d[.、．])|\d+)"),
)
_FILE_NAME_TITLE = re.compile(r"(.{1,60}?)\.(docx?|pdf|pptx?|wps|txt)")


@dataclass(frozen=True)
class CleanedLines:
    lines: list[str]
    dropped: int


def strip_boilerplate(lines: list[str]) -> CleanedLines:
    """Remove site chrome; blank lines stay so paragraph breaks survive."""
    kept: list[str] = []
    dropped = 0
    skipping_links = False
    skipping_deck_contents = False
    for line in lines:
        if not line:
            kept.append(line)
            continue
        line, fragments = _remove_fragments(line)
        dropped += fragments
        if not line:
            continue
        header = _strip_bullet(line)
        if _RELATED_HEADER.fullmatch(header):
            skipping_links, skipping_deck_contents = True, False
            dropped += 1
            continue
        if _DECK_CONTENTS.fullmatch(header):
            skipping_deck_contents, skipping_links = True, False
            dropped += 1
            continue
        if skipping_links and _looks_like_link(line):
            dropped += 1
            continue
        if skipping_deck_contents and _is_bullet(line):
            dropped += 1
            continue
        skipping_links = skipping_deck_contents = False
        if is_boilerplate_line(line):
            dropped += 1
            continue
        kept.append(_file_name_title(line))
    kept, tail = _drop_trailing_widgets(kept)
    return CleanedLines(kept, dropped + tail)


def is_boilerplate_line(line: str) -> bool:
    if _PAGE_MARKER.fullmatch(line) or _WIDGET_WITH_COUNT.fullmatch(line):
        return True
    if _only_widget_words(line, _WIDGET_WORDS):
        return True
    if len(line) <= _SHORT_LINE_LIMIT and _SHORT_LINE_PATTERNS.search(line):
        return True
    if len(line) <= _SITE_LINE_LIMIT:
        hits = {word for word in _SITE_WORDS if word in line}
        if len(hits) >= 2:
            return True
    return False


def _remove_fragments(line: str) -> tuple[str, int]:
    removed = 0
    for pattern in _INLINE_FRAGMENTS:
        line, count = pattern.subn("", line)
        removed += count
    return line.strip(), removed


def _only_widget_words(line: str, words: frozenset[str]) -> bool:
    tokens = [token for token in re.split(r"[\s|｜/·>»]+", line) if token]
    cleaned = [re.sub(r"[(（]\d+[)）]$", "", token) for token in tokens]
    return bool(cleaned) and all(token in words for token in cleaned)


def _strip_bullet(line: str) -> str:
    marker = parse_marker(line)
    if marker and marker.is_bullet:
        return marker.text
    return line


def _is_bullet(line: str) -> bool:
    marker = parse_marker(line)
    return bool(marker and marker.is_bullet)


def _looks_like_link(line: str) -> bool:
    """A related-link entry: a bullet line, or a short title with no sentence in it."""
    if _is_bullet(line) and len(line) <= 160:
        return True
    return visible_length(line) <= 40 and not any(char in line for char in SENTENCE_END)


def _file_name_title(line: str) -> str:
    """A banner like "电话接听及处理制度.doc" is the document's title without the extension."""
    match = _FILE_NAME_TITLE.fullmatch(line)
    return match.group(1) if match else line


def _drop_trailing_widgets(lines: list[str]) -> tuple[list[str], int]:
    dropped = 0
    end = len(lines)
    while end > 0:
        line = lines[end - 1]
        if not line:
            end -= 1
            continue
        if visible_length(line) <= 8 and _only_widget_words(line, _TAIL_WIDGETS):
            dropped += 1
            end -= 1
            continue
        break
    return lines[:end], dropped
