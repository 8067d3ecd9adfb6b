"""Name-frequency tables for the population bench: who is common, and how common.

Every table says where its numbers come from (`source`); bench/population/SOURCES.md lists them with
their addresses. Shares are real statistics where a statistic was found (Chinese and Vietnamese
surnames), real name lists with flat weights where only lists exist (Thai), and the curated
evaluation-set tables with flat weights elsewhere (Lao, Khmer, Burmese: no published frequency was
found; the bench says so in its results).
"""

from __future__ import annotations

import bisect
import functools
import itertools
import random
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from bench.evalset import names as N


@dataclass(frozen=True)
class Name:
    """One name part: as written at home (native script or Vietnamese with diacritics) and its
    passport spellings, the usual one first."""

    native: str
    latin: tuple[str, ...]
    sex: str = "U"  # "M", "F" or "U": the usual sex of a given name


@dataclass(frozen=True)
class Table:
    """Names with population shares; `draw` picks one with those shares."""

    key: str
    names: tuple[Name, ...]
    cum: tuple[float, ...]
    source: str

    @classmethod
    def of(cls, key: str, weighted: list[tuple[Name, float]], source: str) -> Table:
        cum = tuple(itertools.accumulate(w for _, w in weighted))
        return cls(key, tuple(n for n, _ in weighted), cum, source)

    def share(self, i: int) -> float:
        return (self.cum[i] - (self.cum[i - 1] if i else 0.0)) / self.cum[-1]

    def draw(self, rng: random.Random) -> Name:
        return self.names[bisect.bisect_right(self.cum, rng.random() * self.cum[-1])]


# ------------------------------------------------------------------------------------------- Chinese
#: The 100 commonest surnames of mainland China, in rank order, with their Hanyu Pinyin passport
#: spelling (ü is written YU in passports since 2012: 吕 LYU). Order: Ministry of Public Security list.
ZH_TOP100 = (
    "王Wang", "李Li", "张Zhang", "刘Liu", "陈Chen", "杨Yang", "黄Huang", "赵Zhao", "周Zhou", "吴Wu", "徐Xu",
    "孙Sun", "胡Hu", "朱Zhu", "高Gao", "林Lin", "何He", "郭Guo", "马Ma", "罗Luo", "梁Liang", "宋Song",
    "郑Zheng", "谢Xie", "韩Han", "唐Tang", "冯Feng", "于Yu", "董Dong", "萧Xiao", "程Cheng", "曹Cao", "袁Yuan",
    "邓Deng", "许Xu", "傅Fu", "沈Shen", "曾Zeng", "彭Peng", "吕Lyu", "苏Su", "卢Lu", "蒋Jiang", "蔡Cai",
    "贾Jia", "丁Ding", "魏Wei", "薛Xue", "叶Ye", "阎Yan", "余Yu", "潘Pan", "杜Du", "戴Dai", "夏Xia", "钟Zhong",
    "汪Wang", "田Tian", "任Ren", "姜Jiang", "范Fan", "方Fang", "石Shi", "姚Yao", "谭Tan", "廖Liao", "邹Zou",
    "熊Xiong", "金Jin", "陆Lu", "郝Hao", "孔Kong", "白Bai", "崔Cui", "康Kang", "毛Mao", "邱Qiu", "秦Qin",
    "江Jiang", "史Shi", "顾Gu", "侯Hou", "邵Shao", "孟Meng", "龙Long", "万Wan", "段Duan", "雷Lei", "钱Qian",
    "汤Tang", "尹Yin", "黎Li", "易Yi", "常Chang", "武Wu", "乔Qiao", "贺He", "赖Lai", "龚Gong", "文Wen",
)
#: Top-10 shares of the population, percent (2014 national figures as republished, see SOURCES.md).
ZH_TOP10_PCT = (7.10, 6.96, 6.42, 5.16, 4.26, 2.97, 2.16, 2.03, 1.88, 1.78)
ZH_TOP100_PCT = 85.9  # MPS 2019 report: the top 100 surnames cover 85.9 % of registered people
ZH_RANK100_PCT = 0.19  # MPS 2019: rank ~100 (Wan 2.75 M) of 1.4 bn registered people


def _zh_rank_shares() -> list[float]:
    """Ranks 11-100: a power law in the rank from rank 11 down to ZH_RANK100_PCT, scaled so the
    top 100 add up to ZH_TOP100_PCT (only the top 10 are published individually)."""
    rest = ZH_TOP100_PCT - sum(ZH_TOP10_PCT)
    lo, hi = 0.0, 5.0  # bisect the exponent
    for _ in range(60):
        a = (lo + hi) / 2
        shares = [ZH_RANK100_PCT * (100 / r) ** a for r in range(11, 101)]
        lo, hi = (a, hi) if sum(shares) < rest else (lo, a)
    return [*ZH_TOP10_PCT, *shares]


# Wade-Giles / Hong Kong-style spellings met on lists compiled abroad (no aspiration marks, as in
# passports): initials and finals rewritten syllable by syllable, never per name.
_WG_INITIALS = (("zh", "ch"), ("ch", "ch"), ("sh", "sh"), ("z", "ts"), ("c", "ts"), ("x", "hs"), ("q", "ch"),
                ("j", "ch"), ("r", "j"), ("b", "p"), ("d", "t"), ("g", "k"))
_WG_FINALS = (("iong", "iung"), ("ong", "ung"), ("ian", "ien"), ("ie", "ieh"), ("ui", "uei"), ("yu", "yu"))


def wade_giles(syllable: str) -> str:
    s = syllable.lower()
    for a, b in _WG_INITIALS:
        if s.startswith(a):
            s = b + s[len(a):]
            break
    for a, b in _WG_FINALS:
        if s.endswith(a):
            s = s[: -len(a)] + b
            break
    return s.capitalize()


# Given-name syllables (pinyin, most common first as far as the evaluation set's curated list goes);
# no per-character statistic was found, so the weights are a power law calibrated to the MPS 2019
# figures (张伟 ~300,000 people: the commonest full name is about 1 in 4,700 Chinese).
ZH_GIVEN_SYLLABLES = (
    "wei", "fang", "na", "min", "jing", "li", "qiang", "lei", "jun", "yang", "yong", "yan", "jie", "juan", "tao",
    "ming", "chao", "xiu", "xia", "ping", "gang", "gui", "ying", "hua", "rong", "hao", "hui", "jian", "hong", "yu",
    "lin", "hai", "bo", "yun", "dan", "xin", "ning", "lan", "feng", "kai", "jia", "qing", "zhi", "ting", "xue",
    "mei", "bin", "peng", "fei", "long", "chun", "tian", "dong", "wen", "guo", "zhen", "cheng", "xiang", "rui",
    "qian", "shan", "yi", "liang", "bing", "zhong", "shu", "kang", "an", "de", "song", "qi", "jin", "shuang", "yue",
    "xuan", "zi", "han", "ze", "hao", "chen", "lu", "yao", "xiao", "jiao", "lu", "meng", "qin", "rong", "sheng",
    "ze",
)
ZH_GIVEN_EXPONENT = 0.6
ZH_ONE_SYLLABLE_SHARE = 0.063  # MPS 2020: two-character full names (one-syllable given) are 6.3 %


# ---------------------------------------------------------------------------------------- Vietnamese
#: Surname shares, percent (Wikipedia "Vietnamese name"; Huỳnh/Hoàng and Vũ/Võ are given together
#: there and split evenly here).
VI_SURNAME_PCT = (
    ("Nguyễn", 38.4), ("Trần", 11.0), ("Lê", 9.5), ("Phạm", 7.1), ("Hoàng", 2.55), ("Huỳnh", 2.55),
    ("Phan", 4.5), ("Vũ", 1.95), ("Võ", 1.95), ("Đặng", 2.1), ("Bùi", 2.0), ("Đỗ", 1.4), ("Hồ", 1.3),
    ("Ngô", 1.3), ("Dương", 1.0), ("Lý", 0.5),
)
#: Less common surnames named by the same source without shares: the remaining share, flat.
VI_OTHER_SURNAMES = (
    "Lâm", "Đinh", "Nghiêm", "Đào", "Vương", "Trịnh", "Phùng", "Chung", "Triệu", "Đoàn", "Hà", "Trương", "Tôn",
    "Liễu", "Lưu", "Mai", "La", "Tạ", "Lương", "Kim", "Thạch", "Lạc", "Cao", "Quách", "Tô", "Châu", "Kiều", "Tăng",
)
#: More given and middle names (curated from knowledge of usual Vietnamese names, no statistic; sex as
#: usually given). With the evaluation-set ones they make the flat given-name tables.
VI_MORE_GIVEN = (
    "M:An Bách Bình Cảnh Chiến Công Cường Đạt Định Đông Dũng Duy Hải Hiển Hiệp Hiếu Hòa Hoàn Hùng Huy Khải "
    "Khang Khánh Khoa Kiên Lâm Lộc Long Luân Mạnh Nam Nghĩa Nhân Phát Phong Phúc Phước Quân Quý Sang Sơn Tài "
    "Tân Thái Thắng Thành Thịnh Thông Tiến Toàn Trí Trọng Trung Trường Tú Tuấn Tùng Việt Vinh Vũ Xuân",
    "F:Ánh Bích Châu Chi Cúc Diễm Diệp Dung Duyên Giang Hà Hạnh Hằng Hiền Hoa Hồng Huệ Hương Khuyên Lan Liên "
    "Linh Loan Lý Mai My Nga Ngân Nguyệt Nhàn Nhi Nhung Oanh Phượng Quyên Quỳnh Sương Tâm Thảo Thoa Thu Thúy "
    "Thư Tiên Trâm Trinh Tuyết Uyên Vân Vy Xuân Yến",
)
VI_MORE_MIDDLE = ("M:Bá Chí Duy Gia Hoàng Mạnh Nhật Quốc Tấn Thế Trọng Trung Tuấn Việt",
                  "F:Bích Diệu Hồng Khánh Lệ Mai Mỹ Phương Quỳnh Thùy Tuyết Yến")
VI_THI_SHARE = 0.70  # women whose middle name is Thị (assumed; "the usual female middle name")
VI_VAN_SHARE = 0.40  # men whose middle name is Văn (assumed)


def ascii_fold(text: str) -> str:
    """Vietnamese as printed in a passport: diacritics dropped, Đ -> D."""
    decomposed = unicodedata.normalize("NFKD", text.replace("Đ", "D").replace("đ", "d"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


# --------------------------------------------------------------------------------------------- Thai
def _pythainlp_corpus(name: str) -> Path:
    import pythainlp.corpus

    return Path(pythainlp.corpus.__file__).with_name(name)


def _lines(path: Path) -> list[str]:
    return [s for s in (ln.strip() for ln in path.read_text(encoding="utf-8").splitlines()) if s]


@functools.cache
def thai_latin(native: str) -> str:
    """RTGS romanization, as most Thai passports start from: pythainlp's thai2rom model, which restores
    the vowels and syllable breaks Thai script leaves unwritten, where its rule-based royin engine
    writes none (ณรงค์ "nrong"); the model's spellings are nearer real passports' (SOURCES.md)."""
    from pythainlp.transliterate import romanize

    from agents.matching.scripts.thai_model import read_thai

    return (read_thai(native) or romanize(native, engine="royin")).capitalize() or native


# ------------------------------------------------------------------------------------------- tables
def _flat(rows: list[N.Row], sex: str | None = None) -> list[tuple[Name, float]]:
    return [(Name(r[0], tuple(dict.fromkeys(r[2])), r[1]), 1.0) for r in rows if sex is None or r[1] in (sex, "U")]


@functools.lru_cache(maxsize=1)
def tables() -> dict[str, Table]:
    t: dict[str, Table] = {}
    zh_shares = _zh_rank_shares()
    top = [(Name(s[0], (s[1:], wade_giles(s[1:]))), p) for s, p in zip(ZH_TOP100, zh_shares, strict=True)]
    top_latin = {s[1:].lower() for s in ZH_TOP100}
    tail = [s for s in dict.fromkeys(ZH_GIVEN_SYLLABLES) if s not in top_latin]
    tail_share = (100.0 - ZH_TOP100_PCT) / len(tail)
    t["CHN.surname"] = Table.of(
        "CHN.surname", top + [(Name(s.capitalize(), (s.capitalize(), wade_giles(s))), tail_share) for s in tail],
        "MPS 2019/2014 shares (top 10 published, 11-100 fitted to the published total); tail flat")
    t["CHN.syllable"] = Table.of(
        "CHN.syllable",
        [(Name(s, (s, wade_giles(s))), (r + 1) ** -ZH_GIVEN_EXPONENT) for r, s in enumerate(ZH_GIVEN_SYLLABLES)],
        "curated syllables, power-law weights calibrated to MPS 2019 commonest full name")

    vi = [(Name(s, (ascii_fold(s),)), p) for s, p in VI_SURNAME_PCT]
    rest = (100.0 - sum(p for _, p in VI_SURNAME_PCT)) / len(VI_OTHER_SURNAMES)
    t["VNM.surname"] = Table.of("VNM.surname", vi + [(Name(s, (ascii_fold(s),)), rest) for s in VI_OTHER_SURNAMES],
                                "Wikipedia 'Vietnamese name' surname shares; others flat")
    for sex in "MF":
        middles = [r[0] for r in N.VI_MIDDLE if r[1] in (sex, "U") and r[0] not in ("Thị", "Văn")]
        middles += [w for line in VI_MORE_MIDDLE if line[0] == sex for w in line[2:].split()]
        t[f"VNM.middle.{sex}"] = Table.of(
            f"VNM.middle.{sex}", [(Name(m, (ascii_fold(m),)), 1.0) for m in dict.fromkeys(middles)],
            "curated middle names (evaluation set + VI_MORE_MIDDLE), flat")
        givens = {r[0]: (ascii_fold(r[0]), *r[2][1:]) for r in N.VI_GIVEN if r[1] in (sex, "U")}
        for line in VI_MORE_GIVEN:
            if line[0] == sex:
                givens.update({w: (ascii_fold(w),) for w in line[2:].split() if w not in givens})
        t[f"VNM.given.{sex}"] = Table.of(
            f"VNM.given.{sex}", [(Name(g, spellings, sex), 1.0) for g, spellings in givens.items()],
            "curated given names (evaluation set + VI_MORE_GIVEN), flat")

    t["THA.surname"] = Table.of(
        "THA.surname", [(Name(s, ()), 1.0) for s in _lines(_pythainlp_corpus("family_names_th.txt"))],
        "pythainlp family_names_th.txt, flat (Thai surnames are registered per family)")
    # Given names: the real lists, flat. The Thai National Corpus counts (tnc_freq.txt) were tried
    # as weights and rejected: they count words, so names that are also common words (ที่, ใหม่) dominated.
    for sex, fname in (("M", "person_names_male_th.txt"), ("F", "person_names_female_th.txt")):
        t[f"THA.given.{sex}"] = Table.of(
            f"THA.given.{sex}", [(Name(s, (), sex), 1.0) for s in _lines(_pythainlp_corpus(fname))],
            f"pythainlp {fname}, flat (no frequency published with it)")

    # Lao surnames are per family (like Thai ones since 1943) and Khmer given names are many: beside
    # the evaluation-set names, names composed of the evaluation set's syllables (see compose()).
    t["LAO.surname"] = Table.of("LAO.surname", _flat(N.LO_SURNAMES), "evaluation-set table, flat (no statistic)")
    t["KHM.surname"] = Table.of("KHM.surname", _flat(N.KM_SURNAMES), "evaluation-set table, flat (no statistic)")
    for nat, given in (("LAO", N.LO_GIVEN), ("KHM", N.KM_GIVEN)):
        for sex in "MF":
            t[f"{nat}.given.{sex}"] = Table.of(f"{nat}.given.{sex}", _flat(given, sex),
                                               "evaluation-set table, flat (no statistic)")
    for sex in "MF":
        t[f"MMR.part.{sex}"] = Table.of(f"MMR.part.{sex}", _flat(N.MY_PARTS, sex),
                                        "evaluation-set table, flat (no statistic)")
    return t


#: Share of composed names, and how many syllables they take (assumed, no statistic).
COMPOSED = {"LAO.surname": (0.8, (2, 3, 3, 4)), "LAO.given": (0.5, (1, 2, 2)), "KHM.given": (0.5, (1, 2, 2))}


def compose(rng: random.Random, key: str) -> Name | None:
    """A name made of the evaluation set's syllables for `key` (LAO/KHM), or None for a table name."""
    from bench.evalset.generate import _SYL

    share, lengths = COMPOSED[key]
    if rng.random() >= share:
        return None
    syllables = _SYL["lo" if key.startswith("LAO") else "km"]
    text = "".join(rng.choice(syllables) for _ in range(rng.choice(lengths))).capitalize()
    return Name(text, (text,))


def latin(name: Name, variant: int = 0) -> str:
    """A passport spelling of a name part (Thai: romanized on first use)."""
    if not name.latin:
        return thai_latin(name.native)
    return name.latin[min(variant, len(name.latin) - 1)]
