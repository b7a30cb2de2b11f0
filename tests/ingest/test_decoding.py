"""Decoding pages: the encodings French pages come in, repaired mojibake, and clear refusals."""
import pytest

from articles.ingest.decoding import DecodeError, decode_text

FRENCH = "Le cœur de l’été : Pékin a déclaré « non » à l’œuvre, pour 5 €. Ça va, où est-il ?"
LATIN = "Pékin a déclaré « non » à l'été, où ça ? Très bien."


@pytest.mark.parametrize(("data", "expected"), [
    (FRENCH.encode("utf-8"), FRENCH),
    (b"\xef\xbb\xbf" + FRENCH.encode("utf-8"), FRENCH),
    (FRENCH.encode("cp1252"), FRENCH),
    (LATIN.encode("latin-1"), LATIN),
    ("Le cœur de l'œuvre coûte 5 €.".encode("iso8859_15"), "Le cœur de l'œuvre coûte 5 €."),
])
def test_utf8_windows_1252_latin_1_and_latin_9_are_decoded(data, expected):
    assert decode_text(data) == expected


def test_a_declared_charset_is_followed_when_the_bytes_are_not_utf8():
    page = "<meta charset='iso-8859-15'><p>Le cœur</p>"
    assert decode_text(page.encode("iso8859_15")) == page
    assert decode_text("Le cœur".encode("iso8859_15"), content_type="text/html; charset=ISO-8859-15") == "Le cœur"


def test_utf8_declared_as_latin_1_is_still_utf8():
    assert decode_text("<meta charset='iso-8859-1'>Pékin".encode("utf-8")) == "<meta charset='iso-8859-1'>Pékin"


def test_utf8_once_misread_as_windows_1252_is_repaired():
    mojibake = FRENCH.encode("utf-8").decode("cp1252")
    assert mojibake.startswith("Le cÅ“ur de lâ€™Ã©tÃ©")
    assert decode_text(mojibake.encode("utf-8")) == FRENCH


@pytest.mark.parametrize(("data", "message"), [
    (b"\x81\x8d\x90\x9d" * 10, "not valid UTF-8 (byte 0x81 at offset 0) and not Windows-1252 or Latin-1 text either"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file, not a text, HTML or JSON Lines page"),
    (b"\x7fELF\x02\x01\x01\x03\x02\x01" * 20, "binary file, not a text, HTML or JSON Lines page"),
])
def test_bytes_that_are_not_text_are_refused_with_the_reason(data, message):
    with pytest.raises(DecodeError) as caught:
        decode_text(data)
    assert str(caught.value) == message
