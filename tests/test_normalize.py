from checker.text.normalize import TextBuilder, normalize_phrase, prepare, to_simplified


def test_prepare_keeps_length_and_unifies_forms() -> None:
    raw = "（一）加强ＡＢＣ１２３,推进“双随机、一公开”;《條例》"
    out = prepare(raw)
    assert len(out) == len(raw)
    assert out == "（一）加强ABC123，推进“双随机、一公开”；《条例》"


def test_traditional_to_simplified_is_a_real_converter() -> None:
    assert to_simplified("綜合行政執法體制改革與複議") == "综合行政执法体制改革与复议"
    assert to_simplified("頭髮乾淨") == "头发干净"


def test_phrase_normalisation_drops_quotes_and_spaces_between_chinese() -> None:
    assert normalize_phrase("行政执法“三项制度”") == "行政执法三项制度"
    assert normalize_phrase("认真\n贯彻 落实") == "认真贯彻落实"
    assert normalize_phrase("12345 热线") == "12345热线"
    assert normalize_phrase("Word 2019 版") == "Word 2019版"


def test_offsets_map_back_to_the_original() -> None:
    raw = "认真\n贯彻“三项制度”要求"
    prepared = prepare(raw)
    b = TextBuilder()
    b.add(prepared, 0, len(raw))
    text = b.text()
    assert text == "认真贯彻三项制度要求"
    offsets = b.offset_map()
    for i, ch in enumerate(text):
        assert raw[offsets.to_raw(i)] == ch


def test_pinyin_after_a_character_is_blanked_so_words_read_whole() -> None:
    raw = "法治政府建设（shè）情况的报（bào）告，出庭(chū)应诉，规划（2021）"
    assert len(prepare(raw)) == len(raw)
    assert normalize_phrase(raw) == "法治政府建设情况的报告，出庭应诉，规划（2021）"
