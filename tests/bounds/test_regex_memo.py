"""RE2 verdicts on short texts are memoised (a search checks the same strings again and again); the verdicts are
the same as without the memo, and long texts are matched directly."""

from __future__ import annotations

from pytest_cdcompat.core import regex


def test_a_short_text_is_matched_once_and_the_verdicts_stay_right():
    regex._re2_search.cache_clear()
    assert regex.engine_for("^r[0-9]+$") == "re2"
    assert [regex.search("^r[0-9]+$", t) for t in ("r1", "r1", "x1", "r1", "x1")] == [True, True, False, True, False]
    info = regex._re2_search.cache_info()
    assert (info.misses, info.hits) == (2, 3)


def test_a_long_text_is_not_kept():
    regex._re2_search.cache_clear()
    long = "r" + "1" * 1000
    assert regex.search("^r[0-9]+$", long) and not regex.search("^r[0-9]+$", long + "x")
    assert regex._re2_search.cache_info().currsize == 0
    assert not regex.search("^a$", "a\n")  # RE2's $ is the end of the text, as in ECMA-262
