"""Rule-engine throughput: `python -m benchmarks.bench_ruleengine` (no Django).

Grades 10,000 varied zh/ko replies (20–200 characters, generated from a seed) against
the shipped rulebook (content/rules/**/*.yaml) on one core, or against a generated
pack of similar size when the rulebook is missing or does not compile. In the same
run it measures
  * the floor: normalisation + one automaton pass, nothing else;
  * a naive baseline: every rule checks its own phrases one by one in the raw text.
Writes var/bench/ruleengine.json and prints it.
"""

from __future__ import annotations

import argparse
import gc
import json
import random
import re
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path
from typing import Any

import yaml

from ruleengine import LANGUAGES, PackError, compile_pack, grade, normalise
from ruleengine.compiler import CompiledPack

ROOT = Path(__file__).resolve().parents[1]
RULES_DIR = ROOT / "content" / "rules"
OUTPUT = ROOT / "var" / "bench" / "ruleengine.json"
TARGETS = {"replies_per_s": 20_000, "naive_ratio": 10, "floor_ratio": 5}

# --- reply fragments -------------------------------------------------------------------

ZH_FRAGMENTS = [
    "您好",
    "你好",
    "喂",
    "这里是客户服务中心",
    "请问有什么可以帮您",
    "非常抱歉给您带来不便",
    "对不起让您久等了",
    "我非常理解您的心情",
    "请您慢慢说",
    "我一定尽力帮您解决",
    "请您留下联系电话",
    "我们查询后尽快与您联系",
    "两个工作日内给您回复",
    "明天上午给您回电",
    "请您稍等",
    "我帮您查询一下",
    "大约需要两分钟",
    "可以吗",
    "好吗",
    "感谢您的来电",
    "再见",
    "还有其他可以帮您的吗",
    "这个我不知道",
    "我不是不知道",
    "不归我管",
    "您随便看看",
    "随便你",
    "没办法",
    "不过我可以帮您登记",
    "领导不在",
    "我马上为您联系值班主管",
    "为了保护客户的信息安全",
    "我们不能提供其他客户的个人信息",
    "电话已接通请讲",
    "对不起我没听清楚",
    "请您再重复一遍",
    "他暂时不在办公室",
    "有什么事我可以代劳吗",
    "您打错了",
    "这是我们的失误",
    "我马上为您处理",
    "谢谢您的建议",
    "我们会转告相关部门",
    "不用谢这是我们应该做的",
    "你骂谁呢",
    "爱打不打",
    "现在人多",
    "您看可以吗",
    "稍后回电",
    "請問有甚麼可以幫您",
    "對不起",
    "ＶＩＰ客户",
    "２４小时",
    "今天下班前",
    "一小时内",
]
ZH_PUNCT = ["，", "。", "！", "？", "、", " ", "…", ", ", ". "]
KO_FRAGMENTS = [
    "안녕하세요",
    "고객센터입니다",
    "무엇을 도와드릴까요",
    "죄송합니다",
    "죄송 합니다",
    "오래 기다리셨습니다",
    "심정을 잘 이해합니다",
    "천천히 말씀해 주시겠어요",
    "잠시만 기다려 주세요",
    "확인해 드리겠습니다",
    "연락처를 남겨 주시면",
    "오늘 중으로 연락드리겠습니다",
    "2시간 안에 회신드리겠습니다",
    "상급자를 연결해 드려도 될까요",
    "고객의 개인 정보를 누설할 수 없습니다",
    "감사합니다",
    "좋은 하루 되세요",
    "알았어",
    "기다려",
    "뭐야",
    "그건 몰라",
    "다른 문의 사항은 없으신가요",
    "정말 감사하지만 받기 어렵습니다",
    "문명 언어를 사용해 주세요",
    "통화를 종료하겠습니다",
    "담당 부서로 전달하겠습니다",
    "전화 잘못 거셨습니다",
    "잘 안 들립니다",
    "다시 한 번 말씀해 주시겠어요",
]
KO_PUNCT = [". ", ", ", "? ", "! ", " ", "~ "]


def make_replies(count: int, seed: int) -> list[tuple[str, str]]:
    """(language, text) pairs, 20–200 characters, 60 % zh, deterministic."""
    rng = random.Random(seed)
    replies: list[tuple[str, str]] = []
    while len(replies) < count:
        language = "zh" if rng.random() < 0.6 else "ko"
        fragments, punct = (
            (ZH_FRAGMENTS, ZH_PUNCT) if language == "zh" else (KO_FRAGMENTS, KO_PUNCT)
        )
        target = rng.randint(20, 200)
        text = ""
        while len(text) < target:
            text += rng.choice(fragments) + rng.choice(punct)
        text = text[:target].strip() or fragments[0]
        if len(text) >= 20:
            replies.append((language, text))
    return replies


# --- the rulebook ----------------------------------------------------------------------


def shipped_sources() -> dict[str, str]:
    return {
        str(path.relative_to(RULES_DIR)): path.read_text(encoding="utf-8")
        for path in sorted(RULES_DIR.rglob("*.yaml"))
    }


SCENARIOS = [
    "opening-greeting",
    "customer-cursing",
    "asks-for-manager",
    "long-wait-complaint",
    "service-error-complaint",
    "cannot-answer-now",
    "privacy-request",
    "silent-line",
    "cannot-hear-clearly",
    "colleague-absent",
    "transfer-call",
    "hold-request",
    "beyond-authority",
    "harassment-call",
    "customer-suggestion",
    "wrong-number",
    "closing-call",
]


def _phrase_pool(rng: random.Random, fragments: Sequence[str], size: int) -> list[str]:
    """Phrases like a real lexicon's: whole stock phrases, 3–6 character pieces of them
    (as specific as real rule phrases), and variants no reply happens to use (most of
    a concept's variants are absent from any one reply)."""
    pool = {fragment.replace(" ", "") for fragment in fragments}
    alphabet = "".join(sorted(set("".join(pool))))
    while len(pool) < size * 0.6:
        fragment = rng.choice(fragments).replace(" ", "")
        if len(fragment) < 4:
            continue
        width = rng.randint(3, min(6, len(fragment)))
        start = rng.randint(0, len(fragment) - width)
        pool.add(fragment[start : start + width])
    while len(pool) < size:
        pool.add("".join(rng.choice(alphabet) for _ in range(rng.randint(3, 6))))
    return sorted(pool)


def generated_sources(seed: int = 7, rules_per_scenario: int = 40) -> dict[str, str]:
    """A pack shaped like a full rulebook: ~40 rules per scenario, ~500 phrases."""
    rng = random.Random(seed)
    files: dict[str, str] = {}
    for language, fragments in (("zh", ZH_FRAGMENTS), ("ko", KO_FRAGMENTS)):
        pool = _phrase_pool(rng, fragments, 250)
        concepts = {f"c{index}": rng.sample(pool, rng.randint(4, 12)) for index in range(40)}
        rules: list[dict[str, Any]] = []
        for scenario in SCENARIOS:
            for index in range(rules_per_scenario if language == "zh" else rules_per_scenario // 2):
                rules.append(_generated_rule(rng, pool, concepts, scenario, index))
        document = {"language": language, "concepts": concepts, "rules": rules}
        files[f"generated/{language}.yaml"] = yaml.safe_dump(document, allow_unicode=True)
    return files


def _generated_rule(
    rng: random.Random,
    pool: list[str],
    concepts: dict[str, list[str]],
    scenario: str,
    index: int,
) -> dict[str, Any]:
    def phrases() -> list[str]:
        picked = rng.sample(pool, rng.randint(2, 6))
        return [*picked, f"@{rng.choice(list(concepts))}"] if rng.random() < 0.5 else picked

    kind = rng.choices(
        [
            "requires_any",
            "forbids",
            "guarded",
            "order",
            "position",
            "near",
            "register",
            "asks_question",
            "time_frame",
            "length",
            "any",
        ],
        weights=[30, 25, 10, 6, 6, 5, 3, 4, 4, 2, 5],
    )[0]
    check: dict[str, Any]
    if kind == "requires_any":
        check = {"requires_any": phrases()}
    elif kind == "forbids":
        check = {"forbids": phrases()}
    elif kind == "guarded":
        check = {
            "forbids": {
                "phrases": phrases(),
                "not_preceded_by": rng.sample(pool, 2),
                "allow": rng.sample(pool, 2),
            }
        }
    elif kind == "order":
        check = {"order": {"first": phrases(), "then": phrases()}}
    elif kind == "position":
        check = {"position": {"phrases": phrases(), "within_sentences": 1}}
    elif kind == "near":
        check = {"near": {"a": phrases(), "b": phrases(), "within": 10}}
    elif kind == "register":
        check = {"register": "polite"}
    elif kind in ("asks_question", "time_frame"):
        check = {kind: True}
    elif kind == "length":
        check = {"length": {"min": 10, "max": 180}}
    else:
        check = {"any": [{"requires_any": phrases()}, {"time_frame": True}]}
    return {
        "id": f"{scenario}.{rng.choice(['zh', 'ko'])}{index}-{rng.randrange(10**6)}",
        "title": {"zh": "规则", "ko": "규칙", "en": "Rule"},
        "scenarios": [scenario],
        "severity": rng.choice(["critical", "major", "minor", "minor"]),
        "weight": rng.choice([1, 1, 2, 3]),
        "check": check,
        "feedback": {"pass": {"zh": "好", "en": "good"}, "fail": {"zh": "不好", "en": "bad"}},
        "source": "000 §1",
    }


def load_pack() -> tuple[CompiledPack, str]:
    sources = shipped_sources()
    if not sources:
        reason = "content/rules has no YAML files"
    else:
        try:
            pack = compile_pack(sources)
        except PackError as error:
            reason = f"the shipped rulebook does not compile ({len(error.errors)} errors)"
        else:
            return pack, f"shipped rulebook: {len(sources)} files"
    return compile_pack(generated_sources()), f"GENERATED pack ({reason})"


# --- the naive baselines ---------------------------------------------------------------

# Between two characters of a phrase, raw text may hold spaces and punctuation the
# engine's normalisation removes (죄송 합니다, 您，好).
_GAP = r"[\s\W_]*"


def _rule_regex(phrases: Sequence[str]) -> re.Pattern[str]:
    alternatives = sorted(phrases, key=len, reverse=True)
    return re.compile(
        "|".join(_GAP.join(map(re.escape, phrase)) for phrase in alternatives), re.IGNORECASE
    )


_NAIVE_TEXT_CHECKS = {
    "register": re.compile(r"你|(?:어|야|냐|지|해|라)(?=[\s.?!。？！,，]|$)"),
    "asks_question": re.compile(r"[?？]|吗|请问|까요|니까"),
    "time_frame": re.compile(r"今天|明天|\d+\s*(?:分钟|小时|工作日|天|분|시간|일)|오늘|내일"),
    "length": re.compile(r"."),
}


def naive_grader(pack: CompiledPack, mode: str) -> Callable[[str, str, str], int]:
    """Grading without the engine: each rule scans the raw text for its own phrases.

    ``regex``: one regex per rule, tolerant of spaces/punctuation inside phrases and
    of case (the engine's matching semantics, minus traditional/full-width folding),
    listing every occurrence for highlighting, as the engine does. ``substring``: a
    bare ``phrase in text`` loop that stops at the first hit — no spacing tolerance,
    no highlights; the cheapest thing that still looks at every rule.
    """
    plans: dict[tuple[str, str], list[tuple[str, Any, float]]] = {}
    for scenario in pack.scenarios:
        for language in LANGUAGES:
            plan: list[tuple[str, Any, float]] = []
            for rule in pack.rules_for(scenario, language):
                phrases = pack.phrases_of(rule.id)
                if rule.check in _NAIVE_TEXT_CHECKS and not phrases:
                    matcher: Any = _NAIVE_TEXT_CHECKS[rule.check]
                elif mode == "regex":
                    matcher = _rule_regex(phrases) if phrases else _NAIVE_TEXT_CHECKS["length"]
                else:
                    matcher = phrases
                plan.append((rule.check, matcher, rule.weight))
            plans[(scenario, language)] = plan

    def run(text: str, scenario: str, language: str) -> int:
        earned = total = 0.0
        for kind, matcher, weight in plans.get((scenario, language), ()):
            if isinstance(matcher, tuple):
                found = any(phrase in text for phrase in matcher)
            else:
                found = bool([match.span() for match in matcher.finditer(text)])
            passed = not found if kind in ("forbids", "register") else found
            total += weight
            earned += weight if passed else 0
        return round(100 * earned / total) if total else 100

    return run


# --- measuring ---------------------------------------------------------------------------


def _cpu_us(function: Callable[[], object]) -> float:
    start = time.thread_time_ns()
    function()
    return (time.thread_time_ns() - start) / 1000


def _cpu_s(function: Callable[[], None]) -> float:
    start = time.process_time()
    function()
    return time.process_time() - start


def _wall_s(function: Callable[[], None]) -> float:
    start = time.perf_counter()
    function()
    return time.perf_counter() - start


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replies", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=20240611)
    parser.add_argument("--output", type=Path, default=OUTPUT)
    parser.add_argument(
        "--generated",
        action="store_true",
        help="use the generated pack even if the rulebook compiles",
    )
    args = parser.parse_args(argv)

    started = time.perf_counter()
    if args.generated:
        pack, source = compile_pack(generated_sources()), "GENERATED pack (--generated)"
    else:
        pack, source = load_pack()
    compile_s = time.perf_counter() - started
    replies = make_replies(args.replies, args.seed)
    rng = random.Random(args.seed + 1)
    jobs: list[tuple[str, str, str]] = []
    for language, text in replies:
        scenarios = [s for s in pack.scenarios if pack.rules_for(s, language)]
        jobs.append((text, rng.choice(scenarios) if scenarios else "opening-greeting", language))
    rules_per_job = statistics.mean(len(pack.rules_for(s, lang)) for _, s, lang in jobs)
    mean_chars = statistics.mean(len(text) for text, _, _ in jobs)

    naive_regex = naive_grader(pack, "regex")
    naive_substring = naive_grader(pack, "substring")
    automaton_pass = pack.match

    def engine_all() -> None:
        for text, scenario, language in jobs:
            grade(text, pack, scenario=scenario, language=language)

    def explained_all() -> None:
        for text, scenario, language in jobs:
            grade(text, pack, scenario=scenario, language=language).to_dict()

    def floor_all() -> None:
        for text, _, _ in jobs:
            automaton_pass(normalise(text).text)

    def naive_regex_all() -> None:
        for text, scenario, language in jobs:
            naive_regex(text, scenario, language)

    def naive_substring_all() -> None:
        for text, scenario, language in jobs:
            naive_substring(text, scenario, language)

    engine_all()  # warm up: per-character tables, caches
    floor_all()
    gc.collect()
    gc.disable()  # a collection landing in one run or another only adds noise
    try:
        latencies = sorted(
            _cpu_us(partial(grade, text, pack, scenario=scenario, language=language))
            for text, scenario, language in jobs
        )
        # CPU time of this process: what one core does, whatever else the machine runs.
        engine_s = min(_cpu_s(engine_all) for _ in range(3))
        engine_wall_s = min(_wall_s(engine_all) for _ in range(3))
        explained_s = min(_cpu_s(explained_all) for _ in range(3))
        floor_s = min(_cpu_s(floor_all) for _ in range(3))
        naive_s = min(_cpu_s(naive_regex_all) for _ in range(2))
        substring_s = min(_cpu_s(naive_substring_all) for _ in range(3))
    finally:
        gc.enable()

    count = len(jobs)
    result: dict[str, Any] = {
        "replies_per_s": round(count / engine_s),
        "p50_us": round(latencies[count // 2], 1),
        "p99_us": round(latencies[min(count - 1, int(count * 0.99))], 1),
        "naive_ratio": round(naive_s / engine_s, 2),
        "floor_ratio": round(engine_s / floor_s, 2),
        "explained_replies_per_s": round(count / explained_s),
        "wall_replies_per_s": round(count / engine_wall_s),
        "floor_replies_per_s": round(count / floor_s),
        "naive_regex_replies_per_s": round(count / naive_s),
        "naive_substring_replies_per_s": round(count / substring_s),
        "naive_substring_ratio": round(substring_s / engine_s, 2),
        "replies": count,
        "mean_chars": round(mean_chars, 1),
        "rules": len(pack.rules),
        "mean_rules_per_reply": round(rules_per_job, 1),
        "phrases": pack.phrase_count,
        "pack": source,
        "pack_version": pack.version,
        "compile_s": round(compile_s, 3),
        "timing": "CPU time of one process (one core), best of 3; latencies per call",
        "python": sys.version.split()[0],
    }
    result["targets_met"] = {
        "replies_per_s": result["replies_per_s"] >= TARGETS["replies_per_s"],
        "naive_ratio": result["naive_ratio"] >= TARGETS["naive_ratio"],
        "floor_ratio": result["floor_ratio"] <= TARGETS["floor_ratio"],
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n")
    print(json.dumps(result, ensure_ascii=False, indent=2))
    if source.startswith("GENERATED"):
        print(f"note: measured against a {source}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
