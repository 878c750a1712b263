"""Normalisation: simplified, half-width, and aligned character for character with the printed text."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kg.normalise import detect_script, normalise_text, to_half_width, to_simplified
from kg.records import Script


@pytest.mark.parametrize(
    ("printed", "normalised"),
    [
        ("教育科技體育局教育工作要點", "教育科技体育局教育工作要点"),
        ("全面落實《教育現代化2035》", "全面落实《教育现代化2035》"),
        ("ＡＢＣ１２３，（一）：", "ABC123,(一):"),
        ("到２０２２年达到９５％", "到2022年达到95%"),
        ("全区\u3000教育", "全区 教育"),
        ("《中小學生減負措施》(減負三十條)", "《中小学生减负措施》(减负三十条)"),
    ],
)
def test_normalise_table(printed, normalised):
    assert normalise_text(printed) == normalised


@given(st.text())
def test_normalised_text_is_aligned_with_the_printed_text(text):
    assert len(normalise_text(text)) == len(text)
    assert len(to_simplified(text)) == len(text)
    assert len(to_half_width(text)) == len(text)


@pytest.mark.parametrize(
    ("text", "script"),
    [
        ("加強黨的政治建設。始終堅持黨對教育工作的全面領導。", Script.TRADITIONAL),
        ("加强党的政治建设。始终坚持党对教育工作的全面领导。", Script.SIMPLIFIED),
        ("English only", Script.SIMPLIFIED),
    ],
)
def test_script_detection(text, script):
    assert detect_script(text, to_simplified(text)) is script
