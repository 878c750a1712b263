"""Property tests: no text crashes the builder, and whatever it builds survives serialise → parse."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import Dataset, Graph
from rdflib.compare import isomorphic

from kg.build import extract, to_graphs
from kg.errors import InputError
from kg.read import decode_document
from kg.write import serialise

# Pieces of the genre mixed into arbitrary text, so the structure and government stages are exercised too.
FRAGMENTS = [
    "清远市2018年教育工作要点\n", "一、加强党的建设\n", "1.深化理论学习。", "2、", "（三）", "学习贯彻全教会精神。",
    "全区", "黄堡镇", "王家河", "来陕考察", "到2022年", "发布时间:2019-01-22\n", "扫一扫在手机打开当前页\n",
    "《中国教育现代化2035》", "一是", "；二是", "\n\n", "\r\n", "\r", "\u2028", "\u3000", "…", "ＡＢＣ１２３", "𠀀",
    "@prefix x: <http://x/> .\n", "\"\"\"", "\\",
]  # fmt: skip

documents = st.lists(st.one_of(st.text(max_size=40), st.sampled_from(FRAGMENTS)), max_size=30).map("".join)


def union(dataset: Dataset) -> Graph:
    graph = Graph()
    for s, p, o, _ in dataset.quads((None, None, None, None)):
        graph.add((s, p, o))
    return graph


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents)
def test_any_text_builds_and_round_trips(text):
    try:
        source = decode_document(text.encode("utf-8", errors="surrogatepass"), name="doc.txt", media_type="text/plain")
    except InputError:
        return  # empty, binary or undecodable: refused with a clear error, tested in test_read.py
    record = extract(source)
    for initiative in record.structure.initiatives:
        assert 0 <= initiative.title.start <= initiative.title.end <= len(source.text)
    graphs = to_graphs([record])
    files = serialise(graphs.finalised())
    parsed = Dataset()
    parsed.parse(data=files["graph.trig"].decode("utf-8"), format="trig")
    assert isomorphic(union(parsed), union(graphs.to_rdflib()))
    for name in ("graph.nq", "graph.ttl", "graph.jsonld"):  # every format carries the same triples
        other = Dataset()
        other.parse(data=files[name].decode("utf-8"), format={"nq": "nquads", "ttl": "turtle"}.get(name[6:], "json-ld"))
        assert isomorphic(union(other), union(parsed)), name
    assert files == serialise(to_graphs([extract(source)]).finalised())  # same input, same bytes and IRIs
