"""Sentence splitting on news copy: abbreviations, quotes, flattened paragraphs."""
from geo.sentences import split_sentences


def texts(text: str) -> list[str]:
    return [s.text for s in split_sentences(text)]


def test_splits_on_full_stops_and_keeps_offsets():
    text = "Kherson has fallen. The city is surrounded!  Is Kyiv next?"
    sentences = split_sentences(text)
    assert [s.text for s in sentences] == ["Kherson has fallen.", "The city is surrounded!", "Is Kyiv next?"]
    assert all(text[s.start:s.end] == s.text for s in sentences)


def test_abbreviations_and_initials_do_not_end_a_sentence():
    text = "Maj. Gen. Igor Konashenkov said U.S. officials met on Feb. 24 in Washington, D.C. with John F. Kennedy Jr. today."
    assert texts(text) == [text]


def test_closing_quotes_stay_with_their_sentence():
    assert texts("“The city is surrounded.” He said more.") == ["“The city is surrounded.”", "He said more."]


def test_lines_and_paragraphs_are_boundaries():
    assert texts("Mariupol\n\nAn international rescue operation is underway") == [
        "Mariupol", "An international rescue operation is underway"]


def test_empty_text_has_no_sentences():
    assert split_sentences("") == [] and split_sentences("  \n ") == []


def test_an_endless_sentence_is_cut_at_spaces():
    text = "word " * 1000
    sentences = split_sentences(text)
    assert len(sentences) > 1 and all(len(s.text) <= 600 for s in sentences)
    assert "".join(s.text + " " for s in sentences).split() == text.split()


def test_a_short_word_ends_a_sentence_where_an_abbreviation_or_initial_does_not():
    text = "It was war. Gen. Jones met Sen. Smith and George W. Bush at the U.N. on Monday. Mr. Lee left.\nSt. Petersburg"
    assert texts(text) == ["It was war.", "Gen. Jones met Sen. Smith and George W. Bush at the U.N. on Monday.",
                           "Mr. Lee left.", "St. Petersburg"]


def test_an_abbreviation_before_a_line_break_still_ends_the_line():
    assert texts("Talks went on until 5 p.m.\nThe shelling resumed.") == ["Talks went on until 5 p.m.",
                                                                        "The shelling resumed."]


def test_question_marks_exclamations_and_ellipses_end_sentences_beside_full_stops():
    text = "Is Kyiv next?” Nobody knew. Shelling again! Then silence… Gen. Smith left?. The end"
    assert texts(text) == ["Is Kyiv next?”", "Nobody knew.", "Shelling again!", "Then silence…",
                           "Gen. Smith left?.", "The end"]


def test_windows_line_breaks_and_blank_lines_end_sentences_without_their_white_space():
    text = "Kherson\r\n \r\nThe city fell. U.S.\r\nofficials agreed"
    sentences = split_sentences(text)
    assert [s.text for s in sentences] == ["Kherson", "The city fell.", "U.S.", "officials agreed"]
    assert all(text[s.start:s.end] == s.text for s in sentences)


def test_a_number_or_a_quote_before_the_full_stop_ends_the_sentence():
    text = "Crimea was annexed in 2014. Troops left “the city”. Mr. Lee stayed on the 5th. It ended."
    assert texts(text) == ["Crimea was annexed in 2014.", "Troops left “the city”.", "Mr. Lee stayed on the 5th.",
                           "It ended."]
