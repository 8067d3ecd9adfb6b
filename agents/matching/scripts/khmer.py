"""Khmer script to Latin in the spellings Cambodian documents use (Sok, Chan, Sophal, Srey...).

ICU has no Khmer-Latin transform and anyascii keeps silent letters; the one Khmer name romanizer on
PyPI (khmer-latin-name-transformer) needs pynini/OpenFst and takes seconds per word, so this table
follows the usual name romanization: consonants of the first series carry an inherent "a", of the
second "o"; subscript consonants (coeng) form clusters; consonants closing a syllable take their
final value.

Cambodian passports and IDs use French-based spellings that no one scheme covers, so a word gets
several spellings (`romanize_khmer`):

* French, series-aware: a vowel sign is read by the series of its consonant (ជា Chea, ពៅ Pov,
  កឹម Koem, ហួត Huot).
* plain: the series ignored, vowels as an English reader would spell them (Kem, Sen, Hout, Keo,
  Khieu: a final វ after a vowel is written o or u).
* passport: the series-aware vowels of modern documents (ឹ e/i, ែ e, ំ om/um, ៈ ak: Vannak), the
  Pali/Sanskrit vowel a word ends with silent (សុជាតិ Socheat, សម្បត្តិ Sambath), and a final
  ត/ទ/ធ written th (Piseth, Roth).
* etymological: royal and French-colonial spellings of Pali/Sanskrit words, plain vowels with the
  letters' Sanskrit values (ទ d, ធ dh), a doubled letter or a letter and its aspirate closing a word
  written in full and the silent last vowel dropped (រណឬទ្ធិ Ranariddh, វណ្ណ Vann, ម៉ូលីវណ្ណ Molyvann).
* one-syllable words also get the other spellings French-colonial documents use: a doubled final n
  (សាន Sann, ប៉ែន Penn), ឺ as o (សឺន Son), a second-series inherent vowel shortened by bantoc or by a
  silent subscript under the final as uo or u (យន់ Yuon, យន្ត Yun), and a final open a followed by an
  English-style r (វ៉ា Var, as ស Sar).
* a nasal over a liquid opening a word (ម្ល) is spoken with a short vowel between, which English-style
  spellings write a (ម្លិះ Malis).
"""

from __future__ import annotations

from functools import lru_cache

_CONS = {
    "ក": ("k", 1), "ខ": ("kh", 1), "គ": ("k", 2), "ឃ": ("kh", 2), "ង": ("ng", 2), "ច": ("ch", 1),
    "ឆ": ("chh", 1), "ជ": ("ch", 2), "ឈ": ("chh", 2), "ញ": ("nh", 2), "ដ": ("d", 1), "ឋ": ("th", 1),
    "ឌ": ("d", 2), "ឍ": ("th", 2), "ណ": ("n", 1), "ត": ("t", 1), "ថ": ("th", 1), "ទ": ("t", 2),
    "ធ": ("th", 2), "ន": ("n", 2), "ប": ("b", 1), "ផ": ("ph", 1), "ព": ("p", 2), "ភ": ("ph", 2),
    "ម": ("m", 2), "យ": ("y", 2), "រ": ("r", 2), "ល": ("l", 2), "វ": ("v", 2), "ស": ("s", 1),
    "ហ": ("h", 1), "ឡ": ("l", 1), "អ": ("", 1),
}  # fmt: skip
_FINAL = {
    "ក": "k", "ខ": "k", "គ": "k", "ឃ": "k", "ង": "ng", "ច": "ch", "ជ": "ch", "ញ": "nh", "ដ": "t",
    "ឋ": "t", "ឌ": "t", "ឍ": "t", "ត": "t", "ទ": "t", "ធ": "t", "ថ": "t", "ណ": "n", "ន": "n", "ប": "p",
    "ព": "p", "ផ": "p", "ភ": "p", "ម": "m", "យ": "y", "រ": "", "ល": "l", "វ": "v", "ស": "s", "ហ": "h",
}  # fmt: skip
#: Finals that passports write with an h (Piseth, Sambath, Roth, Rith). The retroflex ឌ and ឍ of
#: Pali/Sanskrit words (វឌ្ឍនា Vathana) close a syllable as every other dental stop does: spoken t.
_FINAL_TH = frozenset("ដឋឌឍតថទធ")
#: Nasals: a nasal with a subscript after a vowel closes a syllable (វង្ស vong, ចន្ទ chan).
_NASALS = frozenset("ងញណនម")
#: Subscripts that form an initial cluster with the consonant above (ស្រ, ក្ល, ខ្ម, ស្វ).
_CLUSTER_SECONDS = frozenset("រលវយមនងញអ")
#: Vowel signs: (French, first series), (French, second series), plain, (passport, first), (passport, second).
_VOWELS = {
    "ា": ("a", "ea", "a", "a", "ea"), "ិ": ("e", "i", "i", "e", "i"), "ី": ("ei", "i", "i", "ei", "i"),
    "ឹ": ("oe", "eu", "e", "e", "i"), "ឺ": ("eu", "eu", "eu", "eu", "eu"), "ុ": ("o", "u", "o", "o", "u"),
    "ូ": ("ou", "ou", "o", "ou", "ou"), "ួ": ("uo", "uo", "ou", "uo", "uo"),
    "ើ": ("aeu", "eu", "eu", "oeu", "oeu"), "ឿ": ("oea", "oea", "oeu", "oeu", "oeu"),
    "ៀ": ("ie", "ie", "ie", "ea", "ea"), "េ": ("e", "e", "e", "e", "e"), "ែ": ("ae", "ae", "e", "e", "e"),
    "ៃ": ("ai", "ey", "ai", "ai", "ey"), "ោ": ("ao", "o", "ao", "o", "o"), "ៅ": ("au", "ov", "ao", "ao", "eou"),
    "ំ": ("am", "um", "am", "om", "um"), "ះ": ("ah", "eah", "ah", "ah", "eah"), "ៈ": ("a", "ea", "a", "ak", "eak"),
    # samyok sannya: the short a of Pali/Sanskrit words (ច័ន្ទ Chan, រ័ត្ន Roth)
    "័": ("a", "oa", "a", "a", "o"),
}  # fmt: skip
_LONG_O = _VOWELS["ូ"]
_INDEPENDENT = {
    "ឥ": "e", "ឦ": "ei", "ឧ": "o", "ឩ": "ou", "ឪ": "ov", "ឫ": "ri", "ឬ": "ri", "ឭ": "lue", "ឮ": "lue",
    "ឯ": "ae", "ឰ": "ai", "ឱ": "ao", "ឲ": "ao", "ឳ": "au",
}  # fmt: skip
#: Independent vowels as passports write them (ឯក Ek, ឧត្តម Oudom, ឱ O).
_PASSPORT_INDEPENDENT = {"ឯ": "e", "ឧ": "ou", "ឱ": "o", "ឲ": "o"}
#: Vowel sign + nikahit or reahmuk read as one rhyme (ុំ is "om"/"um", not "o" + "am"); columns as _VOWELS.
_COMPOUND_VOWELS = {
    "ុំ": ("om", "um", "om", "om", "oum"), "ាំ": ("am", "oam", "am", "am", "eam"),
    "ុះ": ("oh", "uh", "oh", "oh", "uh"), "េះ": ("eh", "eh", "eh", "eh", "eh"),
    "ោះ": ("aoh", "uoh", "oh", "aoh", "uoh"), "ិះ": ("eh", "ih", "eh", "eh", "ih"),
}  # fmt: skip
#: ាំង is one rhyme with its final (តាំង Taing, Tang): columns as _VOWELS.
_AMNG = "ាំង"
_AMNG_SPELLINGS = ("aing", "eang", "ang", "aing", "eang")
#: Independent vowels spelled with a consonant (ឫ ri, ឭ lue): the consonant before them keeps its vowel.
_SYLLABIC = frozenset("ឫឬឭឮ")
#: ហ over a subscript writes a sound Khmer letters lack or marks the tone of a sonorant; spoken as
#: the subscript alone (ហ្គេក Guek, ហ្វ f, ហ្ម m).
_HA_CLUSTERS = {"គ": "g", "វ": "f", "ស": "z", "ប": "b", "ម": "m", "ន": "n", "ល": "l", "ង": "ng", "ញ": "nh",
                "យ": "y", "រ": "r"}  # fmt: skip
_COENG = "្"
#: Series shifters: musikatoan makes a second-series consonant first series, triisap the reverse.
_TO_FIRST, _TO_SECOND = "៉", "៊"
_IGNORED = {"់", "៍", "៎", "៏", "៌", "៑", "៓", "៝"}
#: Toandakheat: the consonant it sits on (with a subscript or vowel sign written under it) is not
#: pronounced and documents leave it out (រតន៍ Roth, as មុនីរតន៍ Moniroth; កេរ្តិ៍ Ker).
_TOANDAKHEAT = "៍"
#: Vowels a Pali/Sanskrit word ends with that nobody pronounces (សុជាតិ Socheat, វត្ថុ Voat).
_SILENT_LAST_VOWELS = frozenset("ិុ")

#: Other spellings of the vowel of a one-syllable word seen in passports (the surnames: Kem, Kim, Koem,
#: Keum, Kum for one ឹ), tried beside the spellings above: in a short name the vowel is most of what
#: is written, and the phonetic skeleton keeps none of it.
_MONOSYLLABLE_VOWELS = {
    "ិ": ("e", "i"), "ុ": ("o", "u", "ou"), "ឹ": ("e", "i", "eu", "oe", "u"), "ឺ": ("eu", "oeu", "e", "u", "o"),
    "ូ": ("ou", "o", "u", "au"), "ួ": ("uo", "ou", "ua"), "ើ": ("aeu", "eu", "oeu", "er"),
    "ឿ": ("oea", "oeu", "ua"), "ៀ": ("ie", "ea", "ia"),
    "េ": ("e", "ei", "ay"), "ែ": ("ae", "e", "ai"), "ៃ": ("ai", "ey", "ay"), "ោ": ("ao", "o", "ou"),
    "ៅ": ("au", "ao", "ov", "eou", "ou"), "ំ": ("am", "um", "om", "oum"), "ុំ": ("om", "um", "oum"),
    "ះ": ("ah", "eah", "eh"), "ុះ": ("oh", "uh", "os"),
    "ោះ": ("aoh", "uoh", "oh", "os"),
}  # fmt: skip

FRENCH, PLAIN, PASSPORT, ETYMOLOGICAL = 0, 1, 2, 3
#: Sanskrit values of letters that modern spellings write by their Khmer sound (ទ t, ធ th): the
#: etymological spelling of royal and Pali/Sanskrit names (Ranariddh, Buddhapong, Prasidh).
_ETYMOLOGICAL = {"ទ": "d", "ធ": "dh", "ឌ": "d", "ឍ": "dh"}
#: Finals the etymological spelling writes by their letter rather than their sound.
_LETTER_FINALS = {"រ": "r", "ប": "b"}
#: The bantoc sign: it shortens the vowel before a final (a second-series inherent o is then uo: យន់ Yuon).
_BANTOC = "់"


def _unsilenced(word: str) -> str:
    """`word` without the letters a toandakheat silences: the consonant under it, the subscript or
    vowel sign between them, and the coeng when that consonant is a subscript."""
    if _TOANDAKHEAT not in word:
        return word
    chars: list[str] = []
    for c in word:
        if c != _TOANDAKHEAT:
            chars.append(c)
            continue
        while chars and chars[-1] not in _CONS:
            chars.pop()  # a vowel sign or series shifter written under the sign
        if chars:
            chars.pop()
        if chars and chars[-1] == _COENG:
            chars.pop()
    return "".join(chars)


@lru_cache(maxsize=32768)
def romanize_khmer(word: str) -> tuple[str, ...]:
    """Romanize one Khmer word, e.g. សុខ -> "sok", ចាន់ -> "chan", ស្រី -> "srei".

    Returns the French series-aware spelling (ដារា "darea") and the passport one (the passport one
    first for a word of several syllables), the plain one ("dara"), the series-aware vowels with plain
    inherent vowels, and for a word of one syllable the other spellings of its vowel, those that
    differ (module docstring).
    Plain inherent vowels are all "a" (វណ្ណារិន Vannarin, not Vonnarin) and a subscript t after n is d
    (ចិន្តា Chenda), as many passports write.
    """
    word = _unsilenced(word)
    french, passport = _romanize(word, FRENCH), _romanize(word, PASSPORT)
    # A word of several syllables is spelled first as modern documents write it: the spellings of a
    # two-word name are crossed from the first ones on (romanize._add_mixed), and a family name's
    # vowel spellings should meet the given name's likeliest spelling.
    out = [passport, french] if _several_syllables(word) else [french, passport]
    plain = _romanize(word, PLAIN)
    if plain.endswith("ao"):
        plain = plain[:-2] + "or"  # a final ោ written English-style (ហោ Hor, សោ Sor)
    for text in (plain, _romanize(word, FRENCH, plain_inherent=True)):
        if text not in out:
            out.append(text)
    if out[1] == out[0]:
        del out[1]
    etymological = _romanize(word, ETYMOLOGICAL)
    if etymological not in out:
        out.append(etymological)
    vowel = _lone_vowel(word)
    for spelled in _MONOSYLLABLE_VOWELS.get(vowel, ()):
        text = _romanize(word, PASSPORT, vowel=spelled)
        if text not in out:
            out.append(text)
    if not _several_syllables(word):
        for text in _colonial_monosyllable(word, passport):
            if text not in out:
                out.append(text)
    if _several_syllables(word) and "ូ" in word:
        # French and DC-Cam spellings write a first-series ូ au, as French reads it o (តូច Tauch,
        # អូឡារាំង Aularong); a one-syllable word has it among its vowel spellings already
        text = _romanize(word, FRENCH, first_series_long_o="au")
        if text not in out:
            out.append(text)
    if (_several_syllables(word) and word.endswith("ុ") and word[-2] in _CONS and plain.endswith("o")
            and passport.endswith(("u", "o"))):
        # a word-final short u that is spoken (not the silent one of វត្ថុ Voat) ends in a glottal stop,
        # which French-based spellings write k (សីហនុ Sihanouk), as passports write the short a of ៈ
        # (វណ្ណៈ Vannak)
        text = plain[:-1] + "ouk"
        if text not in out:
            out.append(text)
    epenthetic = _epenthetic(word, out[0])
    if epenthetic and epenthetic not in out:
        out.append(epenthetic)
    palatal = _french_palatal(word, french)
    if palatal and palatal not in out:
        # third: a family name's vowel spellings are many, and crossed with the given name's (romanize)
        # only the first few of each meet
        out.insert(min(2, len(out)), palatal)
    return tuple(out)


#: Back vowels before which French-colonial documents wrote the palatal stop ច/ជ "ti" (or "thi"),
#: since French "chou" reads as a sh-sound: ជូឡុង Tioulong, ជួន Thiounn (as Lao ເຈົ້າ became Tiao).
_FRENCH_TI_VOWELS = frozenset("ូួុោៅ")


def _french_palatal(word: str, french: str) -> str:
    """The French-colonial spelling of a word opening with ច or ជ before a back vowel ("ti" for the
    "ch" of `french`, its French spelling), else ""."""
    chars = [c for c in word if c not in _IGNORED and c not in (_TO_FIRST, _TO_SECOND)]
    if len(chars) < 2 or chars[0] not in "ចជ" or chars[1] not in _FRENCH_TI_VOWELS:
        return ""
    if not french.startswith("ch") or french.startswith("chh"):
        return ""
    return "ti" + french[2:].replace("uo", "ou")  # the French ou of ួ (ជួន Thiounn)


#: Nasals that, over a liquid subscript at the start of a word (ម្ល, ម្រ, ន្រ), are spoken with a
#: short vowel before the liquid, a minor syllable of their own.
_EPENTHETIC_NASALS = {"ម": "m", "ន": "n"}


def _epenthetic(word: str, first: str) -> str:
    """`first` (a spelling of `word`) with the short vowel of a nasal-liquid initial cluster written a,
    as English-style spellings write that minor syllable (ម្លិះ Malis beside Mlih), else ""."""
    chars = [c for c in word if c not in _IGNORED and c not in (_TO_FIRST, _TO_SECOND)]
    if len(chars) < 4 or chars[0] not in _EPENTHETIC_NASALS or chars[1] != _COENG or chars[2] not in "លរ":
        return ""
    head = _EPENTHETIC_NASALS[chars[0]]
    return head + "a" + first[len(head):] if first.startswith(head) else ""


def _colonial_monosyllable(word: str, first: str) -> list[str]:
    """French-colonial and English-style spellings of a one-syllable word beside `first`, its passport
    spelling: a second-series inherent vowel shortened (`_shortened`) as uo or u (យន់ Yuon, ទន់ Tuon,
    យន្ត Yun), a final open a of the first series with an r (វ៉ា Var, ប៉ា Par) and a final n after a
    written vowel doubled (សាន Sann, ប៉ែន Penn, ស៊ីន Sinn)."""
    chars = [c for c in word if c not in _IGNORED]
    out: list[str] = []
    if _shortened(word, chars) and _bare_closed_syllable(chars) and _first_series(chars) == 2:
        out.append(_romanize(word, PASSPORT, inherent="uo"))
        out.append(_romanize(word, PASSPORT, inherent="u"))
    if chars[-1:] == ["ា"] and len(chars) <= 3 and _first_series(chars) == 1 and first.endswith("a"):
        out.append(first + "r")
    if (chars[-1:] in (["ន"], ["ណ"]) and any(c in _VOWELS for c in chars) and "័" not in chars
            and len(first) >= 3 and first[-2] in "aeiouy" and first[-1] == "n"):
        out.append(first + "n")
    return out


def _shortened(word: str, chars: list[str]) -> bool:
    """The inherent vowel before the final is short: a bantoc marks it (យន់), or a subscript written
    under the final and not spoken does, as in the word យន្ត (Yun): the second-series vowel is then
    the short diphthong that French spellings write uo (Yuon) and English ones u (Yun)."""
    return _BANTOC in word or (len(chars) >= 2 and chars[-2] == _COENG)


def _first_series(chars: list[str]) -> int:
    """The series of the word's first consonant after a series shifter (ប៉ first, ស៊ second)."""
    for k, c in enumerate(chars):
        if c in _CONS:
            nxt = chars[k + 1] if k + 1 < len(chars) else ""
            return 1 if nxt == _TO_FIRST else 2 if nxt == _TO_SECOND else _CONS[c][1]
    return 1


def _several_syllables(word: str) -> bool:
    """The word has more than one syllable: a consonant after the first (not a subscript) opens a
    syllable with a vowel sign (សុខា, ចន្នី), or it has three consonants or more (ប៊ុនឆៃ, សម្បត្តិ)."""
    chars = [c for c in word if c not in _IGNORED and c not in (_TO_FIRST, _TO_SECOND)]
    bases = [k for k, c in enumerate(chars) if c in _CONS and (k == 0 or chars[k - 1] != _COENG)]
    if len(bases) >= 3:
        return True
    for k in bases[1:]:
        j = k + 1
        if j + 1 < len(chars) and chars[j] == _COENG:
            j += 2
        if j < len(chars) and (chars[j] in _VOWELS or chars[j] in _INDEPENDENT):
            return True
    return False


def _lone_vowel(word: str) -> str:
    """The vowel sign (or compound vowel) of a word of one syllable, else ""."""
    chars = [c for c in word if c not in _IGNORED]
    signs = [k for k, c in enumerate(chars) if c in _VOWELS]
    if not signs or signs[-1] - signs[0] > 1 or _AMNG in word or any(c.isspace() or c in _INDEPENDENT for c in chars):
        return ""
    vowel = "".join(chars[signs[0] : signs[-1] + 1])
    if vowel not in _MONOSYLLABLE_VOWELS:
        return ""
    before = [c for k, c in enumerate(chars[: signs[0]]) if c in _CONS and (k == 0 or chars[k - 1] != _COENG)]
    # a subscript under the final is silent (បុត្រ Both, Buth; ពេជ្រ Pech): the syllable has one final
    after = [c for k, c in enumerate(chars) if k > signs[-1] and c in _CONS and chars[k - 1] != _COENG]
    return vowel if len(before) == 1 and len(after) <= 1 else ""


def _lone_final(chars: list[str], j: int) -> bool:
    """chars[j] is a consonant standing alone at the end of the word (a final, not an initial)."""
    return j < len(chars) and chars[j] in _CONS and (j + 1 >= len(chars) or chars[j + 1].isspace())


def _closes_syllable(chars: list[str], j: int) -> bool:
    """chars[j] (a consonant) with a subscript closes the syllable before it rather than opening a
    cluster: a nasal (វង្ស, ចន្ទ), a doubled letter (វត្ត, វណ្ណ), a letter and its aspirate (វត្ថុ,
    ពុទ្ធ, ពិសិដ្ឋ), or a subscript that ends the word (ពេជ្រ). Initial clusters (ស្រ, ក្ល, ខ្ម) open one."""
    if not (j + 2 < len(chars) and chars[j] in _CONS and chars[j + 1] == _COENG and chars[j + 2] in _CONS):
        return False
    top, sub = chars[j], chars[j + 2]
    if j + 3 >= len(chars) or chars[j + 3].isspace():
        return True
    if top == sub:
        return True
    if sub in _CLUSTER_SECONDS or top in "សហអ":
        return False
    return top in _NASALS or _FINAL.get(top) == _FINAL.get(sub)


def _starts_syllable(chars: list[str], j: int) -> bool:
    """chars[j] is a consonant followed by a vowel sign (after a series shifter: រ៉ា): it opens a
    syllable of its own."""
    if not (j + 1 < len(chars) and chars[j] in _CONS):
        return False
    k = j + 2 if chars[j + 1] in (_TO_FIRST, _TO_SECOND) else j + 1
    return k < len(chars) and chars[k] in _VOWELS


def _opens_syllable(chars: list[str], j: int) -> bool:
    """chars[j] (after a vowel) is the initial of the next syllable, alone or over a subscript (សីហា,
    ស្រីនាង, ស្រីល័ក្ខ), not the final of the syllable before (ស៊ីម)."""
    if j + 3 < len(chars) and chars[j + 1] == _COENG and chars[j] in _CONS and chars[j + 2] in _CONS:
        return _starts_syllable(chars, j + 2)
    return _starts_syllable(chars, j) or (j + 1 < len(chars) and chars[j] in _CONS and chars[j + 1] in _INDEPENDENT)


def _pali_vowel_silent(chars: list[str], i: int, had_vowel: bool) -> bool:
    """chars[i] is ិ or ុ after a consonant that follows a syllable with its own vowel or final: the
    silent last vowel of a Pali/Sanskrit word when it ends the word (ជាតិ Cheat, វត្ថុ Voat), or after
    a t-sound within a compound (សុជាតិវង្ស Socheatvong)."""
    if not (had_vowel and chars[i] in _SILENT_LAST_VOWELS):
        return False
    if i + 1 >= len(chars) or chars[i + 1].isspace():
        return True
    return chars[i - 1] in _FINAL_TH and chars[i + 1] in _CONS


def _bare_closed_syllable(chars: list[str]) -> bool:
    """The word is one syllable with no vowel sign, an initial (or cluster) and a final (ឆន, ស្រស់)."""
    if any(c not in _CONS and c not in (_COENG, _TO_FIRST, _TO_SECOND) for c in chars) or chars[-1:] == [_COENG]:
        return False
    return sum(1 for k, c in enumerate(chars) if c in _CONS and (k == 0 or chars[k - 1] != _COENG)) == 2


def _romanize(word: str, style: int, *, plain_inherent: bool = False, vowel: str = "", inherent: str = "",
              first_series_long_o: str = "") -> str:
    """One spelling of `word` in `style`; a `vowel` given spells the word's vowel sign, an `inherent`
    given its inherent vowels, a `first_series_long_o` given the vowel ូ after a first-series consonant."""
    plain = plain_inherent or style in (PLAIN, ETYMOLOGICAL)
    etymological = style == ETYMOLOGICAL
    chars = [c for c in word if c not in _IGNORED]
    # One closed syllable with no vowel sign (ឆន Chhon, សន Son, ស្រស់ Sros): English-style spellings
    # write the a of the first series as o too.
    closed_o = style == PASSPORT and _bare_closed_syllable(chars)

    def _inherent(series: int) -> str:
        if inherent:
            return inherent
        return "a" if (series == 1 and not closed_o) or plain else "o"

    def _vowel(row: tuple[str, ...], series: int) -> str:
        if vowel:
            return vowel
        if first_series_long_o and series == 1 and row == _LONG_O:
            return first_series_long_o
        if style in (PLAIN, ETYMOLOGICAL):
            return row[2]
        if style == PASSPORT:
            return row[3 if series == 1 else 4]
        return row[0 if series == 1 else 1]

    def _final(ch: str, roman: str) -> str:
        if etymological and ch in _ETYMOLOGICAL:
            return "d"
        if etymological and ch in _LETTER_FINALS:
            # a final written by its letter, not by its sound: an r nobody pronounces (បួរ Bour, សារ Sar),
            # ប as b (ចាប Chab)
            return _LETTER_FINALS[ch]
        if style != PASSPORT:
            return _FINAL.get(ch, roman)
        if ch in _FINAL_TH:
            return "th"
        final = _FINAL.get(ch, roman)
        if final == "k" and series == 2 and out and out[-1] == "o":
            out[-1] = "ea"  # a second-series a before a final k is spoken ea (លក្ខណា Leakhena, ភក្តី Pheakdey)
        return final

    out: list[str] = []
    series = 1
    state = 0  # 0: expecting an initial; 1: initial seen, no vowel; 2: vowel seen
    closed = False  # the syllable before the current initial was closed (a final or a vowel)
    i = 0
    while i < len(chars):
        ch = chars[i]
        nxt = chars[i + 1] if i + 1 < len(chars) else ""
        if ch in _CONS:
            roman, ser = _CONS[ch]
            if etymological:
                roman = _ETYMOLOGICAL.get(ch, roman)
            if ch == "ប" and nxt in (_TO_FIRST, _COENG):
                roman = "p"  # ប with musikatoan (ប៉ា Pa) or first in a cluster (ប្រ Pra) is spoken p
            if nxt == _COENG and i + 2 < len(chars) and chars[i + 2] in _CONS:
                sub, sub_ser = _CONS[chars[i + 2]]
                if etymological:
                    sub = _ETYMOLOGICAL.get(chars[i + 2], sub)
                if (plain and roman == "n" and sub == "t") or (style == PASSPORT and chars[i + 2] == "ត"):
                    sub = "d"  # ន្ត, ន្ទ: Chenda, Sondara; a subscript ត is spoken d (ភក្តី Pheakdey)
                if state == 0:
                    out.append(
                        _HA_CLUSTERS[chars[i + 2]] if ch == "ហ" and chars[i + 2] in _HA_CLUSTERS else roman + sub
                    )
                    series = sub_ser if ser == 1 and sub_ser == 2 and not roman else ser
                    state = 1
                else:
                    if state == 1:
                        out.append(_inherent(series))
                    out.append(_final(ch, roman))
                    if (
                        i + 3 >= len(chars)
                        or chars[i + 3].isspace()
                        or (style == PASSPORT and _starts_syllable(chars, i + 3))
                    ):
                        # a subscript closing the word after a final is silent (ច័ន្ទ Chan), and in
                        # passports one closing a word within a compound too (ព័ន្ធមុនី Pornmony);
                        # etymological spellings write a doubled letter or an aspirate there (Vann)
                        if etymological and _FINAL.get(ch) == _FINAL.get(chars[i + 2]):
                            out[-1] = out[-1] if ch == chars[i + 2] else ""
                            out.append(sub)
                        state = 0
                        closed = True
                    else:
                        if style == PASSPORT and ch == chars[i + 2] == "ត":
                            out[-1] = ""  # ត្ត within a word is one d (នរោត្តម Norodom, ឧត្តម Oudom)
                        elif style == PASSPORT and _FINAL.get(ch) == _FINAL.get(chars[i + 2]):
                            sub = ""  # a doubled letter is written once (វត្ត Vat, បញ្ញា Panha)
                        elif etymological and ch != chars[i + 2] and _FINAL.get(ch) == _FINAL.get(chars[i + 2]):
                            out[-1] = ""  # a letter and its aspirate are written as the aspirate (ទ្ធ dh)
                        out.append(sub)
                        series = sub_ser
                        state = 1
                        closed = True
                i += 3
                continue
            if state == 0:
                out.append(roman)
                series = ser
                state = 1
            else:
                is_final = (
                    nxt == ""
                    or nxt.isspace()
                    or (nxt in _INDEPENDENT and nxt not in _SYLLABIC)
                    or (
                        nxt in _CONS
                        and not _lone_final(chars, i + 1)
                        and not _closes_syllable(chars, i + 1)
                        and ch not in "ហអ"
                    )
                )
                if is_final:
                    if state == 1:
                        out.append(_inherent(series))
                    out.append(_final(ch, roman))
                    state = 0
                    closed = True
                else:
                    if state == 1:
                        out.append(_inherent(series))
                    closed = state == 2
                    out.append(roman)
                    series = ser
                    state = 1
        elif ch in (_TO_FIRST, _TO_SECOND):
            series = 1 if ch == _TO_FIRST else 2
        elif "".join(chars[i : i + 3]) == _AMNG and (i + 3 >= len(chars) or chars[i + 3] not in _VOWELS):
            out.append(_vowel(_AMNG_SPELLINGS, series))
            state = 0
            closed = True
            i += 3
            continue
        elif ch + nxt in _COMPOUND_VOWELS:
            out.append(_vowel(_COMPOUND_VOWELS[ch + nxt], series))
            state = 2
            i += 2
            continue
        elif ch in _VOWELS:
            if (style == PASSPORT and not vowel and ch == "ី"
                    and (i + 1 >= len(chars) or chars[i + 1].isspace()
                         or (series == 1 and _opens_syllable(chars, i + 1)))):
                # ី ending a word: Srey, Pisey, Sothy, Mony, Rainsy; ending a first-series syllable
                # within one: Seyha, Sreymom (a second-series one stays i there: Virak, Thida)
                out.append("ey" if series == 1 else "y")
                state = 2
                i += 1
                continue
            if (style in (PASSPORT, ETYMOLOGICAL) and state == 1 and _pali_vowel_silent(chars, i, closed)
                    and chars[i - 1] in _CONS):
                if out[-1] and not (etymological and chars[i - 2] == _COENG):
                    out[-1] = _final(chars[i - 1], out[-1])  # the initial before it closes the word
                state = 0
                i += 1
                continue
            out.append(_vowel(_VOWELS[ch], series))
            state = 2
        elif ch in _INDEPENDENT:
            if state == 1 and ch in _SYLLABIC:
                out.append(_inherent(series))
            out.append(_PASSPORT_INDEPENDENT.get(ch, _INDEPENDENT[ch]) if style == PASSPORT else _INDEPENDENT[ch])
            state = 2
        elif ch.isspace():
            if state == 1:
                out.append(_inherent(series))
            out.append(" ")
            state = 0
            closed = False
        i += 1
    if state == 1:
        out.append(_inherent(series))
    text = "".join(out)
    if style != FRENCH and text.endswith("ev"):
        text = text[:-1] + ("u" if text.endswith("iev") else "o")  # កែវ Keo, ខៀវ Khieu
    if style == PASSPORT and "thch" in text:
        text = text.replace("thch", "tch")  # a final t before ch is written tch, not thch (វឌ្ឍឆាយា Watchaya)
    if style == PASSPORT and len(chars) <= 2 and state == 1 and text.endswith(("a", "o")):
        text += "r"  # a lone consonant written English-style (ស Sar, ក Kor)
    return text
