"""Reading inputs: encodings detected and recorded, HTML reduced to visible text, bad files refused clearly."""

from __future__ import annotations

import codecs
import os
from pathlib import Path

import pytest

from kg.errors import InputError
from kg.read import decode_document, document_key, read_document

PARAGRAPH = "2021年全区教育工作要点\n一、坚持党建领航\n1.加强党的政治建设。始终坚持党对教育工作的全面领导。\n"
TRADITIONAL = "2021年全區教育工作要點\n一、堅持黨建領航\n1.加強黨的政治建設。始終堅持黨對教育工作的全面領導。\n"


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    ("data", "encoding", "method", "expected"),
    [
        (PARAGRAPH.encode("utf-8"), "utf-8", "strict-utf-8", PARAGRAPH),
        (codecs.BOM_UTF8 + PARAGRAPH.encode("utf-8"), "utf-8-sig", "bom", PARAGRAPH),
        (PARAGRAPH.encode("gbk"), "gb18030", "charset-normalizer", PARAGRAPH),
        (PARAGRAPH.encode("gb18030"), "gb18030", "charset-normalizer", PARAGRAPH),
        (TRADITIONAL.encode("big5"), "big5", "charset-normalizer", TRADITIONAL),
    ],
    ids=["utf-8", "utf-8-bom", "gbk", "gb18030", "big5"],
)
def test_encodings_are_detected_and_recorded(tmp_path, data, encoding, method, expected):
    doc = read_document(write(tmp_path, "plan.txt", data))
    assert (doc.encoding, doc.encoding_method) == (encoding, method)
    assert doc.text == expected


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("empty.txt", b"", "empty file"),
        ("blank.txt", b" \n\t\n", "empty file"),
        ("binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary content"),
        ("latin1.txt", "café société".encode("latin-1") + bytes([0x80, 0xFF, 0xFE]), "cannot decode"),
        ("plan.pdf", b"%PDF-1.4", "unsupported file type '.pdf'"),
        ("script-only.html", b"<html><body><script>var a=1;</script></body></html>", "no visible text"),
    ],
)
def test_bad_inputs_get_one_clear_error(tmp_path, name, data, reason):
    path = write(tmp_path, name, data)
    with pytest.raises(InputError) as caught:
        read_document(path)
    message = str(caught.value)
    assert message.startswith(str(path) + ": ")
    assert reason in message
    assert "\n" not in message


def test_missing_and_unreadable_paths(tmp_path):
    with pytest.raises(InputError, match="cannot read"):
        read_document(tmp_path / "absent.txt")
    locked = write(tmp_path, "locked.txt", PARAGRAPH.encode())
    locked.chmod(0)
    try:
        if os.access(locked, os.R_OK):  # root reads anything: use a folder posing as a file instead
            locked = tmp_path / "folder.txt"
            locked.mkdir()
        with pytest.raises(InputError, match="cannot read"):
            read_document(locked)
    finally:
        (tmp_path / "locked.txt").chmod(0o644)


def test_size_limit_names_the_option(tmp_path):
    big = tmp_path / "huge.txt"
    with big.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)  # sparse: 50 MB without writing them
    with pytest.raises(InputError) as caught:
        read_document(big)
    assert "50.0 MB" in str(caught.value)
    assert "--max-bytes" in str(caught.value)


def test_html_keeps_visible_text_only(tmp_path):
    html = """<html><head><title>x</title><style>p{color:red}</style>
    <script>document.write('不应出现')</script></head><body>
    <nav>首页 | 新闻</nav><div class="breadcrumb">首页 &gt; 政务公开</div>
    <h1>清远市2018年教育工作要点</h1>
    <p>1.全面加强<b>教育系统</b>党的建设。确定2018年为基层党建质量年。</p>
    <div class="share">分享到</div><footer>版权所有</footer></body></html>"""
    doc = read_document(write(tmp_path, "page.html", html.encode("utf-8")))
    assert doc.media_type == "text/html"
    assert doc.text.splitlines() == [
        "清远市2018年教育工作要点",
        "",
        "1.全面加强教育系统党的建设。确定2018年为基层党建质量年。",
    ]
    assert "不应出现" not in doc.text and "版权" not in doc.text and "首页" not in doc.text


def test_html_charset_from_meta(tmp_path):
    html = '<html><head><meta charset="gb2312"></head><body><p>教育工作要点</p></body></html>'
    doc = read_document(write(tmp_path, "gb.htm", html.encode("gb18030")))
    assert (doc.encoding, doc.encoding_method) == ("gb18030", "html-meta")
    assert doc.text.strip() == "教育工作要点"


def test_deeply_nested_html_does_not_overflow(tmp_path):
    html = "<div>" * 5000 + "教育" + "</div>" * 5000
    doc = decode_document(html.encode(), name="deep.html", media_type="text/html")
    assert doc.text.strip() == "教育"


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("000_ca6428d64397fc28.txt", "000_ca6428d64397fc28"),
        ("plan-2019.html", "plan-2019"),
        (
            "长沙市2019年工作计划.txt",
            "d" + __import__("hashlib").sha256("长沙市2019年工作计划.txt".encode()).hexdigest()[:16],
        ),
        ("has space.txt", "d" + __import__("hashlib").sha256(b"has space.txt").hexdigest()[:16]),
    ],
)
def test_document_key(name, key):
    assert document_key(name) == key
