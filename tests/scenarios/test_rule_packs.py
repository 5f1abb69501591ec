"""Rule packs in the database: versions from content/rules, the published pack, compile once."""

from pathlib import Path

import pytest

import ruleengine
from core.content import ContentError
from scenarios import services
from scenarios.content import load_rule_packs, read_rule_sources
from scenarios.models import RulePack

from .conftest import CURSING_ZH, RULEBOOK

pytestmark = pytest.mark.django_db


def test_loading_the_rules_publishes_one_version_with_its_sources_and_hash(content_dir):
    summary = load_rule_packs(content_dir)

    pack = RulePack.objects.get()
    assert pack.status == RulePack.Status.PUBLISHED
    assert pack.sources == RULEBOOK
    assert pack.version == ruleengine.compile_pack(RULEBOOK).version
    assert pack.rule_count == 4
    assert pack.version in summary and "new version" in summary


def test_loading_unchanged_rules_again_changes_nothing(content_dir):
    load_rule_packs(content_dir)
    before = list(RulePack.objects.values())

    summary = load_rule_packs(content_dir)

    assert list(RulePack.objects.values()) == before
    assert "unchanged" in summary


def test_a_changed_file_makes_a_new_published_version_and_keeps_the_old_one(content_dir):
    load_rule_packs(content_dir)
    first = RulePack.objects.get()
    rule_file = content_dir / "rules" / "zh" / "cursing.yaml"
    rule_file.write_text(CURSING_ZH.replace("爱打不打]", "爱打不打, 你有病吧]"), encoding="utf-8")

    load_rule_packs(content_dir)

    assert RulePack.objects.count() == 2
    current = RulePack.objects.current()
    assert current is not None and current.version != first.version
    assert "你有病吧" in current.sources["zh/cursing.yaml"]
    assert RulePack.objects.get(pk=first.pk).sources == RULEBOOK


def test_going_back_to_earlier_files_publishes_the_earlier_version_again(content_dir):
    load_rule_packs(content_dir)
    first = RulePack.objects.get()
    rule_file = content_dir / "rules" / "zh" / "cursing.yaml"
    rule_file.write_text(CURSING_ZH.replace("爱打不打]", "爱打不打, 你有病吧]"), encoding="utf-8")
    load_rule_packs(content_dir)

    rule_file.write_text(CURSING_ZH, encoding="utf-8")
    load_rule_packs(content_dir)

    assert RulePack.objects.count() == 2
    assert RulePack.objects.current() == first


def test_an_invalid_pack_is_refused_with_the_file_line_and_rule(content_dir):
    broken = CURSING_ZH.replace("severity: major", "severity: grave")
    (content_dir / "rules" / "zh" / "cursing.yaml").write_text(broken, encoding="utf-8")

    with pytest.raises(ContentError) as raised:
        load_rule_packs(content_dir)

    message = str(raised.value)
    assert "zh/cursing.yaml:" in message
    assert "[test.apologise]" in message
    assert not RulePack.objects.exists()


def test_a_content_folder_without_rules_is_refused(tmp_path):
    (tmp_path / "rules").mkdir()

    with pytest.raises(ContentError, match="no rule files"):
        load_rule_packs(tmp_path)


def test_the_published_pack_is_compiled_once_per_version(published_pack, monkeypatch):
    services._COMPILED.clear()
    compiled = []
    real_compile = ruleengine.compile_pack
    monkeypatch.setattr(
        ruleengine, "compile_pack", lambda sources: compiled.append(1) or real_compile(sources)
    )

    first = services.get_published_pack()
    second = services.get_published_pack()

    assert first is second
    assert first.version == published_pack.version
    assert len(compiled) == 1


def test_a_draft_is_not_used_for_grading_until_it_is_published(published_pack):
    changed = dict(RULEBOOK, **{"zh/cursing.yaml": CURSING_ZH.replace("帮您, 为您", "帮您")})
    draft = services.create_draft_pack(sources=changed)

    assert services.get_published_pack().version == published_pack.version

    services.publish_pack(pack=draft)

    assert services.get_published_pack().version == draft.version


def test_without_a_published_pack_the_service_says_so():
    with pytest.raises(services.NoPublishedPack):
        services.get_published_pack()


def test_the_shipped_rules_load_as_one_published_version(settings):
    sources = read_rule_sources(Path(settings.CONTENT_DIR) / "rules")

    load_rule_packs(Path(settings.CONTENT_DIR))

    pack = RulePack.objects.get()
    assert pack.sources == sources
    assert set(services.get_published_pack().scenarios) == ruleengine.SCENARIO_SLUGS
