"""Rule files without the database: comparing, extending, and rules written from phrases."""

import ruleengine
from studio import rulebook

from .conftest import RULEBOOK


def test_changed_files_names_what_was_added_removed_and_changed():
    after = {**RULEBOOK, "zh/new.yaml": "x", "zh/greeting.yaml": "changed"}
    del after["zh/cursing.yaml"]

    changes = rulebook.changed_files(RULEBOOK, after)

    assert changes == {
        "zh/cursing.yaml": "removed",
        "zh/greeting.yaml": "changed",
        "zh/new.yaml": "added",
    }


def test_a_new_file_takes_its_language_from_its_folder_and_compiles():
    sources = {**RULEBOOK, "ko/new.yaml": rulebook.new_file_text("ko/new.yaml")}

    check = rulebook.compile_sources(sources)

    assert "language: ko" in sources["ko/new.yaml"]
    assert check.ok and len(check.pack.rules) == 3


def test_forbid_rules_written_from_phrases_compile_and_catch_the_phrase():
    phrases = [
        rulebook.ForbiddenPhrase("imported.m1.c1", "这不归我管", "规范.md", "二、"),
        rulebook.ForbiddenPhrase("imported.m1.c2", "爱打不打: 挂了", "规范.md", ""),
    ]
    rules, count = rulebook.forbid_rules_yaml(
        phrases, scenario="customer-cursing", severity="major"
    )
    text = rulebook.append_rules(rulebook.new_file_text("zh/imported.yaml"), rules)

    check = rulebook.compile_sources({**RULEBOOK, "zh/imported.yaml": text})

    assert count == 2 and check.ok
    verdict = ruleengine.grade(
        "爱打不打: 挂了", check.pack, scenario="customer-cursing", language="zh"
    )
    assert verdict.outcome("imported.m1.c2").status == "fail"
    assert verdict.outcome("imported.m1.c1").status == "pass"


def test_appending_twice_keeps_one_rules_list():
    rules, _count = rulebook.forbid_rules_yaml(
        [rulebook.ForbiddenPhrase("imported.m1.c1", "不知道", "d", "s")],
        scenario="customer-cursing",
        severity="minor",
    )
    more, _count = rulebook.forbid_rules_yaml(
        [rulebook.ForbiddenPhrase("imported.m1.c2", "没办法", "d", "s")],
        scenario="customer-cursing",
        severity="minor",
    )

    text = rulebook.append_rules(
        rulebook.append_rules(rulebook.new_file_text("zh/x.yaml"), rules), more
    )

    assert text.count("rules:") == 1
    assert rulebook.compile_sources({**RULEBOOK, "zh/x.yaml": text}).ok


def test_the_diff_shows_added_and_removed_lines():
    diff = rulebook.unified_diff("a\nb\n", "a\nc\n")

    assert "-b" in diff.splitlines() and "+c" in diff.splitlines()


def test_trying_an_empty_reply_grades_nothing():
    pack = rulebook.compile_sources(RULEBOOK).pack

    tried = rulebook.try_reply(pack=pack, scenario="customer-cursing", language="zh", text="  ")

    assert tried.verdict is None and tried.problem == ""


def test_trying_an_over_long_reply_says_why():
    pack = rulebook.compile_sources(RULEBOOK).pack

    tried = rulebook.try_reply(
        pack=pack, scenario="customer-cursing", language="zh", text="您" * 2001
    )

    assert "2001 characters" in tried.problem
