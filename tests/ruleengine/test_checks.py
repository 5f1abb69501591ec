"""Each check type, on single-rule packs."""

from __future__ import annotations

import pytest

from .helpers import outcome_of, span_texts, status_of

APOLOGY = {"apology": {"zh": ["抱歉", "对不起"], "ko": ["죄송합니다"], "en": ["sorry"]}}


class TestRequiresAny:
    def test_it_passes_and_points_at_the_words_that_satisfied_it(self) -> None:
        outcome = outcome_of(
            {"requires_any": ["@apology"]}, "非常抱歉，让您久等了", concepts=APOLOGY
        )

        assert outcome.status == "pass"
        assert span_texts(outcome) == ["抱歉"]
        assert outcome.spans[0].start == 2

    def test_it_fails_without_any_phrase(self) -> None:
        outcome = outcome_of({"requires_any": ["@apology"]}, "请问有什么事", concepts=APOLOGY)

        assert outcome.status == "fail"
        assert outcome.spans == ()
        assert outcome.message.zh == "not ok"

    def test_a_single_phrase_needs_no_list(self) -> None:
        assert status_of({"requires_any": "您好"}, "您好！") == "pass"


class TestRequiresAll:
    def test_every_item_must_occur(self) -> None:
        check = {"requires_all": ["@apology", ["电话", "联系方式"]]}

        assert status_of(check, "抱歉，请留下电话", concepts=APOLOGY) == "pass"
        assert status_of(check, "抱歉，请稍等", concepts=APOLOGY) == "fail"


class TestForbids:
    def test_it_fails_and_points_at_the_offending_words(self) -> None:
        outcome = outcome_of({"forbids": ["爱打不打", "你骂谁"]}, "你骂谁呢？爱打不打！")

        assert outcome.status == "fail"
        assert span_texts(outcome) == ["你骂谁", "爱打不打"]

    def test_it_passes_when_nothing_forbidden_occurs(self) -> None:
        assert status_of({"forbids": ["爱打不打"]}, "您好") == "pass"

    def test_not_preceded_by_excuses_a_guarded_occurrence(self) -> None:
        check = {"forbids": {"phrases": ["不知道"], "not_preceded_by": ["不是"]}}

        assert status_of(check, "我不是不知道，是要核实一下") == "pass"
        assert status_of(check, "这个我不知道") == "fail"

    def test_the_guard_must_be_within_the_window(self) -> None:
        check = {"forbids": {"phrases": ["不知道"], "not_preceded_by": ["不是"], "window": 2}}

        assert status_of(check, "不是啊啊不知道") == "pass"
        assert status_of(check, "不是啊啊啊不知道") == "fail"

    def test_not_followed_by_excuses_a_guarded_occurrence(self) -> None:
        check = {"forbids": {"phrases": ["不知道"], "not_followed_by": ["您的意思"]}}

        assert status_of(check, "我不知道您的意思是不是要退款？") == "pass"
        assert status_of(check, "不知道，您问别人吧") == "fail"

    def test_allow_excuses_occurrences_inside_longer_phrases(self) -> None:
        check = {"forbids": {"phrases": ["随便"], "allow": ["您随便看看"]}}

        assert status_of(check, "您随便看看，有问题叫我") == "pass"
        assert status_of(check, "随便你") == "fail"
        assert status_of(check, "您随便看看，随便你") == "fail"

    def test_unless_excuses_the_whole_check(self) -> None:
        check = {"forbids": {"phrases": ["没办法"], "unless": ["不过我可以"]}}

        assert status_of(check, "这个没办法直接办理，不过我可以帮您登记") == "pass"
        assert status_of(check, "没办法") == "fail"


class TestOrder:
    CHECK = {"order": {"first": ["抱歉"], "then": ["请问"]}}

    def test_it_passes_when_first_comes_first(self) -> None:
        assert status_of(self.CHECK, "抱歉让您久等，请问有什么事？") == "pass"

    def test_it_fails_when_then_comes_first(self) -> None:
        assert status_of(self.CHECK, "请问有什么事？抱歉") == "fail"

    def test_it_fails_when_then_occurs_without_first(self) -> None:
        assert status_of(self.CHECK, "请问有什么事？") == "fail"

    def test_it_does_not_apply_without_then(self) -> None:
        assert status_of(self.CHECK, "抱歉") == "na"


class TestPosition:
    def test_within_chars(self) -> None:
        check = {"position": {"phrases": ["您好"], "within_chars": 3}}

        assert status_of(check, "喂，您好") == "pass"
        assert status_of(check, "喂喂喂喂，您好") == "fail"

    def test_within_sentences(self) -> None:
        check = {"position": {"phrases": ["您好"], "within_sentences": 1}}

        assert status_of(check, "您好，这里是客服中心。请讲") == "pass"
        assert status_of(check, "喂。您好") == "fail"

    def test_at_end_means_in_the_last_sentence(self) -> None:
        check = {"position": {"phrases": ["再见"], "at_end": True}}

        assert status_of(check, "感谢来电。再见！") == "pass"
        assert status_of(check, "再见。还有别的事吗？") == "fail"


class TestNear:
    CHECK = {"near": {"a": ["电话"], "b": ["回电"], "within": 4}}

    def test_it_passes_when_close(self) -> None:
        outcome = outcome_of(self.CHECK, "留下电话，我们回电")

        assert outcome.status == "pass"
        assert span_texts(outcome) == ["电话", "回电"]

    def test_it_fails_when_far_apart_or_missing(self) -> None:
        assert status_of(self.CHECK, "留下电话，稍后我们的同事会给您回电") == "fail"
        assert status_of(self.CHECK, "我们回电") == "fail"


class TestRegister:
    def test_zh_fails_on_ni_and_points_at_it(self) -> None:
        outcome = outcome_of({"register": "polite"}, "你好，你们要办什么？")

        assert outcome.status == "fail"
        assert span_texts(outcome) == ["你好", "你们"]

    def test_zh_passes_with_nin(self) -> None:
        assert status_of({"register": "polite"}, "您好，请问您要办理什么业务？") == "pass"

    def test_zh_mini_is_not_an_address(self) -> None:
        assert status_of({"register": "polite"}, "您要的是迷你款吗？") == "pass"

    @pytest.mark.parametrize(
        "text",
        [
            "안녕하세요. 무엇을 도와드릴까요?",
            "죄송합니다. 잠시만 기다려 주세요.",
            "네, 알겠습니다. 확인해 드릴게요",
            "안녕하세요. 한국전력 고객센터.",
        ],
    )
    def test_ko_polite_endings_pass(self, text: str) -> None:
        assert status_of({"register": "polite"}, text, language="ko") == "pass"

    @pytest.mark.parametrize(
        ("text", "offending"),
        [
            ("알았어. 기다려.", "알았어"),
            ("뭐야? 다시 말해", "뭐야"),
            ("응", "응"),
            ("죄송합니다, 잠깐 기다려", "기다려"),
        ],
    )
    def test_ko_banmal_fails(self, text: str, offending: str) -> None:
        outcome = outcome_of({"register": "polite"}, text, language="ko")

        assert outcome.status == "fail"
        assert offending in span_texts(outcome)

    def test_en_has_no_register(self) -> None:
        assert status_of({"register": "polite"}, "hey you", language="en") == "na"


class TestLength:
    def test_normalised_length_within_bounds(self) -> None:
        check = {"length": {"min": 4, "max": 6}}

        assert status_of(check, "您 好 ， 请 讲") == "pass"
        assert status_of(check, "您好") == "fail"
        assert status_of(check, "您好请问有什么事") == "fail"


class TestAsksQuestion:
    @pytest.mark.parametrize(
        ("text", "language"),
        [
            ("留个电话好吗", "zh"),
            ("请问您贵姓", "zh"),
            ("您看可以吗？", "zh"),
            ("还有别的需要?", "zh"),
            ("잠시 기다려 주시겠어요", "ko"),
            ("무엇을 도와드릴까요", "ko"),
            ("Is there anything else I can do", "en"),
        ],
    )
    def test_questions_are_recognised(self, text: str, language: str) -> None:
        outcome = outcome_of({"asks_question": True}, text, language=language)

        assert outcome.status == "pass"
        assert outcome.spans

    @pytest.mark.parametrize(
        ("text", "language"),
        [("我马上为您处理。", "zh"), ("확인해 드리겠습니다.", "ko"), ("I will check.", "en")],
    )
    def test_statements_are_not_questions(self, text: str, language: str) -> None:
        assert status_of({"asks_question": True}, text, language=language) == "fail"

    def test_false_requires_no_question(self) -> None:
        assert status_of({"asks_question": False}, "好的，我来处理。") == "pass"


class TestTimeFrame:
    @pytest.mark.parametrize(
        ("text", "language"),
        [
            ("我们今天下班前给您回电", "zh"),
            ("明天上午联系您", "zh"),
            ("两个工作日内处理完", "zh"),
            ("一小时内回复", "zh"),
            ("大约需要三分钟", "zh"),
            ("24小时内", "zh"),
            ("下午3点前", "zh"),
            ("오늘 중으로 연락드리겠습니다", "ko"),
            ("3분 정도 걸립니다", "ko"),
            ("2시간 안에 연락드리겠습니다", "ko"),
            ("3일 이내에 처리됩니다", "ko"),
            ("We will call you back within 2 hours", "en"),
        ],
    )
    def test_time_commitments_count(self, text: str, language: str) -> None:
        outcome = outcome_of({"time_frame": True}, text, language=language)

        assert outcome.status == "pass"
        assert outcome.spans

    @pytest.mark.parametrize(
        ("text", "language"),
        [
            ("我马上处理", "zh"),
            ("我们会尽快回复您", "zh"),
            ("请您稍后", "zh"),
            ("您慢一点说", "zh"),
            ("打了半天电话", "zh"),
            ("잠시만 기다려 주세요", "ko"),
            ("We will call you soon", "en"),
        ],
    )
    def test_vague_words_do_not_count(self, text: str, language: str) -> None:
        assert status_of({"time_frame": True}, text, language=language) == "fail"


class TestResponseTime:
    CHECK = {"response_time": {"max_seconds": 10}}

    def test_within_the_limit_passes(self) -> None:
        assert status_of(self.CHECK, "您好", response_seconds=9.5) == "pass"

    def test_over_the_limit_fails(self) -> None:
        assert status_of(self.CHECK, "您好", response_seconds=12) == "fail"

    def test_without_timing_it_does_not_apply(self) -> None:
        assert status_of(self.CHECK, "您好") == "na"


class TestCombinations:
    def test_all_needs_every_part(self) -> None:
        check = {"all": [{"requires_any": ["抱歉"]}, {"time_frame": True}]}

        assert status_of(check, "抱歉，明天给您回电") == "pass"
        assert status_of(check, "抱歉，稍后给您回电") == "fail"

    def test_any_needs_one_part(self) -> None:
        check = {"any": [{"requires_any": ["回电"]}, {"time_frame": True}]}

        assert status_of(check, "明天联系") == "pass"
        assert status_of(check, "好的") == "fail"

    def test_not_swaps_and_keeps_the_highlight(self) -> None:
        outcome = outcome_of({"not": {"requires_any": ["打错了"]}}, "您打错了")

        assert outcome.status == "fail"
        assert span_texts(outcome) == ["打错了"]

    def test_not_applicable_parts_are_skipped(self) -> None:
        check = {"all": [{"response_time": {"max_seconds": 5}}, {"requires_any": ["您好"]}]}

        assert status_of(check, "您好") == "pass"
        assert status_of({"all": [{"response_time": {"max_seconds": 5}}]}, "您好") == "na"


class TestAppliesIf:
    def test_the_rule_applies_only_when_the_trigger_occurs(self) -> None:
        check = {"requires_any": ["转接"]}

        assert status_of(check, "您好", applies_if=["主管"]) == "na"
        assert status_of(check, "我帮您转接主管", applies_if=["主管"]) == "pass"
        assert status_of(check, "主管不在", applies_if=["主管"]) == "fail"


class TestWordBoundaries:
    def test_latin_phrases_do_not_match_inside_words(self) -> None:
        check = {"forbids": ["hell"]}

        assert status_of(check, "Hello, how can I help?", language="en") == "pass"
        assert status_of(check, "What the hell", language="en") == "fail"

    def test_a_star_allows_a_longer_word(self) -> None:
        check = {"requires_any": ["apolog*"]}

        assert status_of(check, "We apologize for the wait", language="en") == "pass"

    def test_latin_next_to_chinese_still_matches(self) -> None:
        assert status_of({"forbids": ["sb"]}, "你个sb") == "fail"
        assert status_of({"forbids": ["sb"]}, "请插上USB线") == "pass"

    def test_spaces_inside_an_english_phrase_are_ignored(self) -> None:
        assert status_of({"requires_any": ["thank you"]}, "Thank you!", language="en") == "pass"
