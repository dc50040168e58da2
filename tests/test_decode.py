"""decode(): bytes to text, telling articles from binaries and finding the encoding.

Also a few files on disk through load_article, since that is where a wrong
decoding or an unexpected exception would reach the user.
"""

from __future__ import annotations

import codecs
import hashlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.parse.decode import DecodeError, decode, looks_binary
from reader.parse.load import ArticleError, load_article, parse_article

SIMPLIFIED = "美国副国务卿温迪·谢尔曼在日内瓦与俄罗斯副外长会晤。"
SIMPLIFIED_2 = "国家统计局今天发布数据，一季度国内生产总值同比增长百分之五。"
TRADITIONAL = "美國副國務卿在日內瓦與俄羅斯副外長舉行會談，雙方立場相差甚遠。"
TRADITIONAL_2 = "中央氣象局發布颱風警報，高雄市政府宣布明天停止上班上課。"
MIXED = "据 Reuters 报道：Wendy Sherman 与 Sergei Ryabkov 会谈了 7 个半小时。"

GB_FAMILY = {"gb18030", "gbk", "gb2312"}
BIG5_FAMILY = {"big5", "big5hkscs", "cp950"}
UTF16_FAMILY = {"utf-16", "utf-16-le", "utf-16-be"}


def family(encoding: str) -> str:
    """The codec's canonical name, so 'utf_16_le' and 'utf-16-le' compare equal."""
    return codecs.lookup(encoding).name


def pseudo_random_bytes(seed: int, size: int, low: int, high: int) -> bytes:
    """Deterministic bytes in [low, high], stable across Python versions."""
    out = bytearray()
    counter = 0
    while len(out) < size:
        block = hashlib.sha256(f"{seed}:{counter}".encode()).digest()
        out += bytes(low + b % (high - low + 1) for b in block)
        counter += 1
    return bytes(out[:size])


# --- Unicode encodings -------------------------------------------------------


@pytest.mark.parametrize("text", [SIMPLIFIED, TRADITIONAL, MIXED, "plain ASCII news\n", "𠮷野家 emoji 🙂 and 中文"])
def test_utf8_without_bom_decodes_exactly(text):
    decoded, encoding, _problem = decode(text.encode("utf-8"))
    assert decoded == text
    assert family(encoding) == "utf-8"


@pytest.mark.parametrize("text", [SIMPLIFIED, TRADITIONAL, MIXED])
def test_utf8_bom_is_recognised_and_stripped(text):
    decoded, encoding, _problem = decode(codecs.BOM_UTF8 + text.encode("utf-8"))
    assert decoded == text  # no leading \ufeff
    assert family(encoding) == "utf-8"


@pytest.mark.parametrize(
    ("bom", "codec"),
    [(codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")],
    ids=["utf-16-le", "utf-16-be"],
)
@pytest.mark.parametrize("text", [SIMPLIFIED, TRADITIONAL, MIXED, "𠮷 outside the BMP needs a surrogate pair\n"])
def test_utf16_with_bom_decodes_exactly(bom, codec, text):
    data = bom + text.encode(codec)
    decoded, encoding, _problem = decode(data)
    assert decoded == text
    assert family(encoding) in UTF16_FAMILY
    assert not looks_binary(data)  # NUL bytes after a BOM are UTF-16, not binary


@pytest.mark.parametrize(
    ("data", "needle"),
    [
        (codecs.BOM_UTF8 + b"\xff\xfe\xfd not utf-8 after all", "utf-8"),
        (codecs.BOM_UTF16_LE + "中文".encode("utf-16-le") + b"\x41", "utf-16"),  # odd length: truncated
        (codecs.BOM_UTF16_BE + "\ud800".encode("utf-16-be", "surrogatepass"), "utf-16"),  # lone surrogate
    ],
    ids=["utf8-bom-bad-body", "utf16le-odd-length", "utf16be-lone-surrogate"],
)
def test_bom_whose_body_does_not_decode_is_refused_with_a_reason(data, needle):
    with pytest.raises(DecodeError) as caught:
        decode(data)
    assert needle in str(caught.value)


# --- Legacy Chinese encodings ------------------------------------------------


@pytest.mark.parametrize(
    ("text", "codec", "expected_family"),
    [
        (SIMPLIFIED, "gbk", GB_FAMILY),
        (SIMPLIFIED_2, "gb2312", GB_FAMILY),
        (SIMPLIFIED, "gb18030", GB_FAMILY),
        (SIMPLIFIED_2, "gbk", GB_FAMILY),
        (SIMPLIFIED + "\n" + SIMPLIFIED_2 + "\n", "gbk", GB_FAMILY),
        ("欧元区通胀率升至百分之五，€计价资产承压。", "gb18030", GB_FAMILY),  # € is a GB18030-only code
        (MIXED, "gbk", GB_FAMILY),
        (TRADITIONAL, "big5", BIG5_FAMILY),
        (TRADITIONAL, "cp950", BIG5_FAMILY),
        (TRADITIONAL, "big5hkscs", BIG5_FAMILY),
        (TRADITIONAL_2, "big5", BIG5_FAMILY),
        (TRADITIONAL + "\n" + TRADITIONAL_2 + "\n", "big5", BIG5_FAMILY),
    ],
)
def test_legacy_chinese_encodings_decode_to_the_right_characters(text, codec, expected_family):
    data = text.encode(codec)
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")  # otherwise this would not exercise the legacy path
    decoded, encoding, _problem = decode(data)
    assert decoded == text
    assert family(encoding) in expected_family


@pytest.mark.parametrize(
    ("text", "codec", "declared", "expected_family"),
    [
        (SIMPLIFIED, "gbk", '<meta charset="gb2312">', GB_FAMILY),
        (SIMPLIFIED, "gbk", '<meta http-equiv="Content-Type" content="text/html; charset=GBK">', GB_FAMILY),
        (SIMPLIFIED, "gbk", '<?xml version="1.0" encoding="gb18030"?>', GB_FAMILY),
        (SIMPLIFIED, "gbk", "", GB_FAMILY),
        (SIMPLIFIED, "gbk", '<meta charset="utf-8">', GB_FAMILY),  # declaration wrong, content wins
        (TRADITIONAL, "big5", '<meta charset="big5">', BIG5_FAMILY),
        (TRADITIONAL, "big5", "", BIG5_FAMILY),
        (TRADITIONAL, "big5", '<meta charset="utf-8">', BIG5_FAMILY),
    ],
)
def test_legacy_html_page_with_or_without_a_charset_declaration(text, codec, declared, expected_family):
    page = f"<html><head>{declared}<title>{text}</title></head><body><p>{text}</p></body></html>"
    decoded, encoding, _problem = decode(page.encode(codec))
    assert decoded == page
    assert family(encoding) in expected_family


@pytest.mark.parametrize("declared", ["iso-8859-1", "windows-1252"])
def test_gbk_page_mislabelled_as_latin1_is_not_returned_as_mojibake(declared):
    page = f'<html><head><meta charset="{declared}"><title>{SIMPLIFIED}</title></head><body><p>{SIMPLIFIED_2}</p></body></html>'
    try:
        decoded, _encoding, _problem = decode(page.encode("gbk"))
    except DecodeError:
        return  # refusing is acceptable; showing mojibake is not
    assert decoded == page


def test_declared_undefined_codec_does_not_escape_as_unicode_error():
    page = f'<html><head><meta charset="undefined"></head><body><p>{SIMPLIFIED}</p></body></html>'
    data = page.encode("gbk")
    try:
        decoded, encoding, _problem = decode(data)
    except DecodeError:
        return
    assert decoded == page
    assert family(encoding) in GB_FAMILY


@pytest.mark.parametrize("declared", ["rot13", "base64", "hex", "zlib", "idna", "punycode", "utf-7", "no-such-codec"])
def test_odd_or_unknown_declared_charset_falls_back_to_content(declared):
    page = f'<html><head><meta charset="{declared}"></head><body><p>{SIMPLIFIED}</p></body></html>'
    decoded, encoding, _problem = decode(page.encode("gbk"))
    assert decoded == page
    assert family(encoding) in GB_FAMILY


# --- Undecodable text --------------------------------------------------------


@pytest.mark.parametrize("seed", range(8))
@pytest.mark.parametrize("size", [1024, 4096])
def test_random_high_bytes_no_candidate_can_decode_are_refused(seed, size):
    data = pseudo_random_bytes(seed, size, 0x80, 0xFF)
    assert not looks_binary(data)  # no NUL, no magic: it must be refused as text
    for codec in ("utf-8", "gb18030", "gbk", "big5", "big5hkscs"):
        with pytest.raises(UnicodeDecodeError):
            data.decode(codec)  # neither: 0xFF is never valid in GB18030 or Big5
    with pytest.raises(DecodeError) as caught:
        decode(data)
    assert "encoding" in str(caught.value)


@pytest.mark.parametrize(
    "data",
    [
        b"\xff" * 200,
        b"\x80\x81\x82\x83" * 50,
        b"Latin-1 caf\xe9 cr\xe8me br\xfbl\xe9e, na\xefve \xe0 la carte " * 3 + b"\xff",
        "中文报道".encode("utf-8")[:-1] + b"\xff\xfe\xfd" * 5,  # broken UTF-8
    ],
    ids=["ff-run", "80-83-run", "latin1-with-ff", "broken-utf8"],
)
def test_undecodable_text_is_a_decode_error_not_mojibake(data):
    with pytest.raises(DecodeError) as caught:
        decode(data)
    assert str(caught.value)


def test_random_gb18030_valid_gibberish_is_refused():
    accepted = []
    for seed, size in [(seed, size) for seed in range(40) for size in (64, 256, 1024)]:
        data = pseudo_random_bytes(seed, size, 0x81, 0xFE)
        try:
            text, encoding, _problem = decode(data)
        except DecodeError:
            continue
        accepted.append((seed, size, encoding, text[:12]))
    assert accepted == []


# --- Binary data -------------------------------------------------------------

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x06\x00\x00\x00"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n"
ZIP = b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + bytes(20)
GIF = b"GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00!"
GZIP = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03"


@pytest.mark.parametrize(
    "data",
    [
        PNG,
        JPEG,
        PDF,
        PDF.replace(b"\x00", b""),  # magic alone, no NUL
        ZIP,
        GIF,
        GZIP,
        b"\x7fELF\x02\x01\x01" + bytes(9),
        b"\x00" * 64,
        bytes(range(256)),
    ],
    ids=["png", "jpeg", "pdf", "pdf-no-nul", "zip", "gif", "gzip", "elf", "all-nul", "all-bytes"],
)
def test_binary_data_is_recognised_and_refused(data):
    assert looks_binary(data)
    with pytest.raises(DecodeError) as caught:
        decode(data)
    assert "binary" in str(caught.value)


@pytest.mark.parametrize(
    "data",
    [
        SIMPLIFIED.encode("utf-8"),
        SIMPLIFIED.encode("gbk"),
        TRADITIONAL.encode("big5"),
        b"# Title\n\nSome *markdown* text.\n",
        codecs.BOM_UTF16_LE + SIMPLIFIED.encode("utf-16-le"),
        codecs.BOM_UTF16_BE + MIXED.encode("utf-16-be"),
        b"",
    ],
    ids=["utf8", "gbk", "big5", "markdown", "utf16le-bom", "utf16be-bom", "empty"],
)
def test_text_does_not_look_binary(data):
    assert not looks_binary(data)


@pytest.mark.parametrize("text", ["BMW 宣布在华召回两万辆汽车。\n", "BMJ 发表研究：每天步行可降低死亡风险。\n"])
def test_text_that_happens_to_start_with_bm_is_not_binary(text):
    data = text.encode("utf-8")
    assert not looks_binary(data)
    assert decode(data) == (text, "utf-8", None)


def test_empty_data_decodes_to_empty_text():
    text, encoding, _problem = decode(b"")
    assert text == ""
    assert isinstance(encoding, str) and encoding


# --- Properties --------------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=4096))
def test_decode_returns_text_or_raises_decode_error_only(data):
    try:
        result = decode(data)
    except DecodeError as error:
        assert str(error)  # a reason for the user
        return
    text, encoding, problem = result
    assert isinstance(text, str)
    assert problem is None or (isinstance(problem, str) and "\n" not in problem)
    assert isinstance(encoding, str) and encoding


# Text, not a run of control bytes (which is how binaries look to reader).
_NO_NUL_TEXT = st.text(
    alphabet=st.characters(exclude_categories=("Cs", "Cc")), max_size=300
)


@settings(max_examples=200, deadline=None)
@given(body=_NO_NUL_TEXT, codec=st.sampled_from(["utf-8", "utf-8-sig", "utf-16-le", "utf-16-be"]))
def test_unicode_round_trip(body, codec):
    text = "新闻：" + body  # a fixed start keeps clear of magic numbers and a leading U+FEFF
    bom = {"utf-16-le": codecs.BOM_UTF16_LE, "utf-16-be": codecs.BOM_UTF16_BE}.get(codec, b"")
    decoded, _encoding, _problem = decode(bom + text.encode(codec))
    assert decoded == text


# --- Through load_article, on disk -------------------------------------------


def test_gbk_front_matter_article_shows_its_chinese_title(tmp_path):
    path = tmp_path / "gbk.md"
    path.write_bytes("---\ntitle: 中文标题\n---\n<p>正文</p>".encode("gbk"))
    article = load_article(path)
    assert article.title == "中文标题"
    assert [block.text for block in article.blocks] == ["正文"]


@pytest.mark.parametrize(
    ("codec", "bom", "title", "body"),
    [
        ("big5", b"", TRADITIONAL, TRADITIONAL_2),
        ("utf-16-le", codecs.BOM_UTF16_LE, SIMPLIFIED, SIMPLIFIED_2),
        ("utf-16-be", codecs.BOM_UTF16_BE, TRADITIONAL, TRADITIONAL_2),
        ("utf-8", codecs.BOM_UTF8, SIMPLIFIED, SIMPLIFIED_2),
    ],
)
def test_article_in_other_encodings_shows_its_title_and_text(tmp_path, codec, bom, title, body):
    path = tmp_path / "article.md"
    path.write_bytes(bom + f"---\ntitle: {title}\n---\n<p>{body}</p>".encode(codec))
    article = load_article(path)
    assert article.title == title
    assert [block.text for block in article.blocks] == [body]


@pytest.mark.parametrize("content", [PNG, JPEG, PDF, ZIP], ids=["png", "jpeg", "pdf", "zip"])
def test_binary_renamed_md_is_an_article_error_with_one_line_reason(tmp_path, content):
    path = tmp_path / "photo.md"
    path.write_bytes(content)
    with pytest.raises(ArticleError) as caught:
        load_article(path)
    reason = caught.value.reason
    assert reason and "\n" not in reason
    assert "binary" in reason
    assert caught.value.path == path


def test_undecodable_file_is_an_article_error(tmp_path):
    path = tmp_path / "garbled.txt"
    path.write_bytes(pseudo_random_bytes(1, 2048, 0x80, 0xFF))
    with pytest.raises(ArticleError) as caught:
        load_article(path)
    assert caught.value.reason and "\n" not in caught.value.reason


@pytest.mark.parametrize(
    "content",
    [b"", b"   ", b" \n\t\r\n\n", "\u3000\u3000\n".encode("utf-8"), codecs.BOM_UTF8, codecs.BOM_UTF16_LE + " \n".encode("utf-16-le")],
    ids=["empty", "spaces", "mixed-whitespace", "ideographic-space", "bom-only", "utf16-whitespace"],
)
def test_empty_or_whitespace_only_file_is_an_article_error(tmp_path, content):
    path = tmp_path / "empty.md"
    path.write_bytes(content)
    with pytest.raises(ArticleError) as caught:
        load_article(path)
    assert caught.value.reason == "empty file"


def test_parse_article_with_undefined_charset_never_raises_other_errors(tmp_path):
    data = f'<html><head><meta charset="undefined"><title>{SIMPLIFIED}</title></head></html>'.encode("gbk")
    try:
        article = parse_article(data, tmp_path / "page.html")
    except ArticleError:
        return
    assert article.title == SIMPLIFIED


@pytest.mark.parametrize("data", ["正文".encode("utf-8") + b"\x00" + "更多正文".encode("utf-8"), b"plain ascii\x00with a nul"])
def test_a_stray_nul_in_text_is_still_text(data):
    # Scrapers leave the odd NUL in an article; the text is read and the NUL cleaned away later.
    assert not looks_binary(data)
    text, _encoding, _problem = decode(data)
    assert "\x00" in text


# --- Nearly UTF-8, and UTF-16 without a byte-order mark ---------------------------

ARTICLE = ("---\ntitle: 美俄会谈\n---\n<p>" + SIMPLIFIED * 40 + "</p>\n").encode("utf-8")


BODY = ARTICLE.index(b"<p>") + 3  # the first byte of a Chinese character; so is every third after it


def _flipped(data: bytes, *offsets: int) -> bytes:
    changed = bytearray(data)
    for offset in offsets:
        changed[offset] = 0xFF
    return bytes(changed)


@pytest.mark.parametrize(
    ("data", "places", "bad"),
    [
        (ARTICLE[:-1], 0, 0),  # cut at the final newline: still valid
        (ARTICLE[: ARTICLE.index("。".encode()) + 2], 1, 2),  # cut inside the last character
        (_flipped(ARTICLE, 4), 1, 1),  # in "title"
        (_flipped(ARTICLE, BODY + 1), 1, 3),  # inside a character: all its bytes are lost
        (_flipped(ARTICLE, BODY, BODY + 600, BODY + 1500), 3, 9),  # lead bytes: each character's three
    ],
    ids=["cut-at-newline", "cut-inside-a-character", "ascii-byte-flipped", "one-byte-flipped", "three-bytes-flipped"],
)
def test_nearly_utf8_is_read_with_the_bad_bytes_replaced(data, places, bad):
    text, encoding, problem = decode(data)
    assert family(encoding) == "utf-8"
    if not bad:
        assert problem is None
        return
    assert text.count("\ufffd") == places
    assert problem == f"{bad} byte{'s' if bad > 1 else ''} not valid UTF-8, replaced"
    assert text.replace("\ufffd", "") == data.decode("utf-8", "ignore")


def test_too_many_bad_bytes_is_still_refused():
    with pytest.raises(DecodeError):
        decode(_flipped(ARTICLE, *range(50, 1500, 40)))


def test_western_text_with_a_few_legacy_bytes_is_not_taken_for_broken_utf8():
    data = b"An ordinary English article about a caf\xe9. " * 60
    text, _encoding, problem = decode(data)
    assert "caf\u00e9" in text and "\ufffd" not in text and problem is None


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"])
@pytest.mark.parametrize("body", [ARTICLE.decode("utf-8"), SIMPLIFIED * 20], ids=["with-markup", "only-chinese"])
def test_utf16_and_utf32_without_a_bom_are_read_and_said(codec, body):
    if codec.startswith("utf-32") and not body.startswith("---"):
        pytest.skip("four bytes a character always leave two NULs each: the markup case covers it")
    text, encoding, problem = decode(body.encode(codec))
    assert text == body
    assert family(encoding) == family(codec)
    assert problem == f"{codec[:6].upper()} text without a byte-order mark"


def test_utf16_without_a_bom_cut_short_is_still_read():
    data = ARTICLE.decode("utf-8").encode("utf-16-le")[:-1]
    text, _encoding, problem = decode(data)
    assert text.startswith("---\ntitle: 美俄会谈") and problem.startswith("UTF-16")
