"""Thai words to Latin (agents/matching/scripts/thai.py): the readings a passport spelling is compared with."""

from __future__ import annotations

from collections.abc import Iterable

import pytest

from agents.matching.features.name import token_similarity
from agents.matching.scripts.thai import romanize_thai


@pytest.mark.parametrize(
    ("thai", "rtgs"),
    [
        ("สมหมาย", "sommai"),  # two syllables, the first vowel unwritten
        ("ถาวร", "thawon"),  # ว between two vowels is a consonant, a final ร is read n
        ("ยุทธกร", "yutthakon"),  # the a between two syllables is not written
        ("เฉลิมชัย", "chaloemchai"),  # a pre-posed vowel over a consonant cluster
    ],
)
def test_the_vowels_thai_script_leaves_unwritten_are_restored(thai: str, rtgs: str) -> None:
    assert rtgs in romanize_thai(thai)


def test_the_rule_based_reading_and_the_letters_are_kept_too() -> None:
    readings = romanize_thai("ภักดี")
    assert readings[0] == "phakdi"  # royin, as the letters are read
    assert "bhakdi" in readings  # the letter-preserving spelling


@pytest.mark.parametrize(
    ("thai", "passport"),
    [("พิพัฒนาศัย", "pipatanasai"), ("สมหมาย", "sommai"), ("เฉลิมชัย", "chalermchai"), ("ถาวร", "thavorn")],
)
def test_a_passport_spelling_meets_one_of_the_readings(thai: str, passport: str) -> None:
    assert max(token_similarity(passport, reading) for reading in romanize_thai(thai)) >= 0.9


def test_the_model_reads_as_pythainlp_reads_with_it() -> None:
    from pythainlp.transliterate import romanize

    from agents.matching.scripts.thai_model import read_thai

    for word in ("ณรงค์", "พิพัฒนาศัย", "เกียรติไพบูลย์", "ปวโรฬารวิทยา", "ศรีสุข"):
        assert read_thai(word) == romanize(word, engine="thai2rom_onnx")


def test_a_decoder_caught_in_a_loop_keeps_one_turn_of_it() -> None:
    from agents.matching.scripts.thai_model import loop_cut

    read = [7, 1, 2, 1, 2, 1, 2]
    assert read[:loop_cut(read)] == [7, 1, 2]
    assert loop_cut([7, 1, 2, 1, 2]) is None


@pytest.mark.parametrize(
    ("passport", "reading"),
    [("anun", "anan"), ("sripun", "sriphan"), ("pakpoom", "phakphum"), ("taworn", "thawon")],
)
def test_a_passport_spelling_the_reading_english_style_is_that_name(passport: str, reading: str) -> None:
    from agents.matching.features.name import english_spelling

    assert english_spelling(passport, reading)


@pytest.mark.parametrize(
    ("passport", "reading"),
    [
        ("tun", "than"),  # one syllable: its vowel is what tells two names apart
        ("sanan", "sunan"),  # a u that the passport writes a: not the English short a
        ("thonnrit", "thanarat"),  # other vowels, not u for a
    ],
)
def test_other_vowels_are_not_an_english_style_spelling(passport: str, reading: str) -> None:
    from agents.matching.features.name import english_spelling

    assert not english_spelling(passport, reading)


@pytest.mark.parametrize(
    ("passport", "reading"),
    [
        ("jeeradech", "chiradet"),  # a final consonant with its letter's own value (เดช Dech / det)
        ("nitjaree", "nitchari"),  # a closing t before ch written tj
        ("tassana", "thatsana"),  # a closing t before s heard as a doubled s
        ("setabutr", "setthabut"),  # a silent Sanskrit final r kept (บุตร Butr)
        ("yoothagorn", "yutthakon"),  # ก written g
        ("roongmuanpha", "rungmueanfa"),  # ฟ written ph, เอือ written ua
        ("jeeradech", "jirdech"),  # a short a the reading leaves out (จีร-เดช)
        ("silpaarcha", "silapaacha"),  # ... or puts in where the spelling does not
        ("phateep", "prathip"),  # the r of a cluster after a stop left out (ประทีป)
    ],
)
def test_a_passport_spelling_the_syllables_by_their_letters_is_that_name(passport: str, reading: str) -> None:
    from agents.matching.features.name import syllable_respelling

    assert syllable_respelling(passport, reading)


@pytest.mark.parametrize(
    ("passport", "reading"),
    [
        ("sanan", "sunan"),  # another vowel, not an a put in or left out
        ("chan", "chana"),  # too few consonants to tell names apart once a vowel may be missing
        ("somchai", "somphon"),  # other consonants: another name
        ("sakda", "sakdana"),  # a whole syllable more, not a short a
        ("wirat", "warit"),  # the same consonants with other vowels
        ("kittisak", "kittisakdanai"),  # more consonants
    ],
)
def test_other_names_are_not_a_syllable_respelling(passport: str, reading: str) -> None:
    from agents.matching.features.name import syllable_respelling

    assert not syllable_respelling(passport, reading)


def test_a_syllable_respelling_is_a_respelt_reading_only_across_scripts() -> None:
    # จีรเดช ศรีวิราช (real pair, bench/realspell): JEERADECH SRIVIRACH in the passport
    from agents.matching.features.name import READ_LISTED, RESPELLED_SIM, _read_similarity, token_similarity

    assert _read_similarity("jeeradech", "chiradet", READ_LISTED) == RESPELLED_SIM
    assert token_similarity("jeeradech", "chiradet") < RESPELLED_SIM  # two Latin names: no reading to respell


def _name_similarity(given: str, surname: str, other: str) -> float:
    from agents.matching.config import MatcherConfig
    from agents.matching.features.base import Context
    from agents.matching.features.name import best_name_pair
    from agents.matching.prepared import prepare_person
    from schemas import Person

    best = best_name_pair(prepare_person(Person(given_names=given, surname=surname)),
                          prepare_person(Person(full_name=other)), Context(MatcherConfig()))
    assert best is not None
    return best[0]


def test_the_english_short_a_counts_only_against_a_name_read_from_thai_script() -> None:
    # อนันต์ ศรีพันธุ์ (real pair, bench/realspell): ANUN SRIPUN in the passport, anan sriphan as read
    across = _name_similarity("ANUN", "SRIPUN", "อนันต์ ศรีพันธุ์")
    latin = _name_similarity("ANUN", "SRIPUN", "Anan Sriphan")
    assert across > latin  # two Latin names: Anun and Anan may be two spellings or two names
    from agents.matching.features.name import RESPELLED_SIM, TOKEN_FLOOR

    assert across >= (RESPELLED_SIM - TOKEN_FLOOR) / (1 - TOKEN_FLOOR) - 1e-9


def _one_word_at_a_time(words: list[str]) -> dict[str, str]:
    """The model's readings as they were made before batches: pythainlp's own files (a batch of one
    written into their shapes), one run of the encoder and one of the decoder per letter, per word."""
    import numpy as np
    import onnxruntime as ort
    from pythainlp.corpus import get_corpus_path

    from agents.matching.scripts import thai_model

    found = thai_model.model()
    assert found is not None
    options = ort.SessionOptions()
    options.intra_op_num_threads = options.inter_op_num_threads = 1
    encoder, decoder = (ort.InferenceSession(str(get_corpus_path(name)), options, providers=["CPUExecutionProvider"])
                        for name in (thai_model.ENCODER, thai_model.DECODER))
    out: dict[str, str] = {}
    for word in words:
        ids = [found.char_to_ix.get(ch, found.char_to_ix["<UNK>"]) for ch in word] + [found.char_to_ix["<end>"]]
        source = np.array([ids], dtype=np.int64)
        outputs, both_ways, _ = encoder.run(
            found.encoder_outputs, {"input_tensor": source, "input_lengths": np.array([len(ids)], dtype=np.int32)})
        hidden = np.expand_dims(np.concatenate((both_ways[0], both_ways[1]), axis=1), axis=0)
        mask = (source[:, :outputs.shape[1]] != 0).astype(np.float32)
        token = np.array([[found.start]], dtype=np.int32)
        read: list[int] = []
        for _ in range(thai_model.MAX_LENGTH):
            scores, hidden = decoder.run(found.decoder_outputs, {"decoder_input": token, "decoder_hidden_1": hidden,
                                                                 "encoder_outputs": outputs, "mask": mask})
            best = int(np.argmax(scores, axis=1)[0])
            if best == found.end:
                break
            read.append(best)
            cut = thai_model.loop_cut(read)
            if cut is not None:
                del read[cut:]
                break
            token = np.array([[best]], dtype=np.int32)
        out[word] = "".join(found.ix_to_char[i] for i in read)
    return out


def test_words_read_in_batches_read_as_one_at_a_time() -> None:
    from pythainlp.corpus import thai_family_names, thai_female_names, thai_male_names

    from agents.matching.scripts.thai_model import BATCH, model

    found = model()
    assert found is not None and found.batch == BATCH  # the model files' batch dimension was freed
    names = sorted({*thai_family_names(), *thai_female_names(), *thai_male_names()})
    words = [*names[::41], "ณรงค์", "ก" * 40]  # some 550 words of every length, and a long one
    assert found.read_many(words) == _one_word_at_a_time(words)


def test_only_the_declared_batch_dimensions_are_freed() -> None:
    onnx = pytest.importorskip("onnx")
    from pythainlp.corpus import get_corpus_path

    from agents.matching.scripts.onnx_batch import BATCH_DIM, free_batch
    from agents.matching.scripts.thai_model import DECODER, DECODER_BATCH_AXES

    with open(str(get_corpus_path(DECODER)), "rb") as fh:
        original = fh.read()
    before, after = onnx.load_from_string(original), onnx.load_from_string(free_batch(original, DECODER_BATCH_AXES))
    for old, new in zip((*before.graph.input, *before.graph.output), (*after.graph.input, *after.graph.output),
                        strict=True):
        dims = [(d.dim_value, d.dim_param) for d in old.type.tensor_type.shape.dim]
        if old.name in DECODER_BATCH_AXES:
            assert dims[DECODER_BATCH_AXES[old.name]] == (1, "")
            dims[DECODER_BATCH_AXES[old.name]] = (0, BATCH_DIM)
        assert [(d.dim_value, d.dim_param) for d in new.type.tensor_type.shape.dim] == dims
    assert before.graph.node == after.graph.node and before.graph.initializer == after.graph.initializer
    with pytest.raises(ValueError, match="no graph input or output"):
        free_batch(original, {"no such input": 0})


def test_without_a_freed_batch_dimension_words_are_read_one_at_a_time(monkeypatch: pytest.MonkeyPatch) -> None:
    from agents.matching.scripts import onnx_batch, thai_model

    monkeypatch.setattr(onnx_batch, "batched_file", lambda path, axes: None)
    alone = thai_model.Thai2Rom()
    assert alone.batch == 1
    assert alone.read_many(["สมหมาย", "ถาวร", "ณรงค์"]) == _one_word_at_a_time(["สมหมาย", "ถาวร", "ณรงค์"])


def test_a_build_reads_the_thai_words_of_its_values_ahead(monkeypatch: pytest.MonkeyPatch) -> None:
    import weakref

    import orjson
    from pythainlp.tokenize import word_dict_trie

    from agents.matching.scripts.normalize import nfkc
    from agents.matching.scripts.thai_ahead import reading_ahead, thai_words
    from agents.matching.scripts.thai_model import Thai2Rom, model

    values = [orjson.dumps({"person": {"given_names": "นายสมชาย", "surname": "ใจดี-ศรีสุข"}}),
              orjson.dumps({"person": {"given_names": "Somchai", "surname": "น้ำฝน"}}),
              b'{"person": {"given_names": "\\u0e2a\\u0e21"}}']  # escaped: read when it comes instead
    assert thai_words(values) == {"สมชาย", "ใจดี", "ศรีสุข", nfkc("น้ำฝน")}
    readings = {word: romanize_thai(word) for word in thai_words(values)}
    romanize_thai.cache_clear()
    batches: list[int] = []
    read_many = Thai2Rom.read_many

    def counted(self: Thai2Rom, words: Iterable[str]) -> dict[str, str]:
        words = set(words)
        batches.append(len(words))
        return read_many(self, words)

    monkeypatch.setattr(Thai2Rom, "read_many", counted)
    loaded = weakref.ref(model())
    with reading_ahead(values) as count:
        assert count == 4 and batches == [4]  # the four words in one call
        assert loaded() is None and model.cache_info().currsize == 0  # let go: the build finds every reading made
        before = romanize_thai.cache_info().hits
        assert {word: romanize_thai(word) for word in readings} == readings
        assert romanize_thai.cache_info().hits == before + 4
    # loaded again once the build is done (not by a later word, on the event loop)
    assert model.cache_info().currsize == 1 and word_dict_trie.cache_info().currsize == 1
    reloaded = model()
    assert reloaded is not None and not reloaded.ahead
    with reading_ahead(values, reload=False):
        pass
    assert model.cache_info().currsize == 0  # the key helper's: it exits after its build
    with reading_ahead([b'{"given_names": "Somchai"}']) as count:
        assert count == 0


def test_words_beyond_the_readings_cache_are_read_ahead_and_the_readers_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    import orjson

    from agents.matching.scripts import thai_ahead
    from agents.matching.scripts.thai_model import model, read_thai

    monkeypatch.setattr(thai_ahead, "romanize_thai", _SmallCache())
    found = model()
    assert found is not None
    with thai_ahead.reading_ahead([orjson.dumps({"given_names": "สมชาย ใจดี"})]) as count:
        assert count == 2 and model() is found  # not all would stay cached: nothing let go
        assert found.ahead and read_thai("สมชาย") == found.ahead["สมชาย"]
    assert not found.ahead


class _SmallCache:
    """`romanize_thai` as `reading_ahead` sees it, with a cache of one reading."""

    def cache_parameters(self) -> dict[str, int]:
        return {"maxsize": 1}
