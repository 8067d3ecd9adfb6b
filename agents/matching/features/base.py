"""What a feature function receives and returns."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from agents.matching.config import MatcherConfig
from agents.matching.prepared import PreparedPerson


def _uniform(_skeleton: str) -> float:
    return 1.0


# Not frozen: one Context is made per event, and a frozen dataclass sets each field through
# object.__setattr__, a cost paid per event (measured when it changed: `git show 97794c5`). Features only
# read it (and fill the caches). Its own __init__ (init=False): a dataclass's generated one runs as
# interpreted Python even in the compiled matcher; this one is compiled with the class. The per-event
# caches are not its arguments: `dataclasses.replace` starts them empty.
@dataclass(slots=True, init=False)
class Context:
    """Configuration plus what the index knows: how common a name token is (its weight, 0..1]."""

    config: MatcherConfig
    token_rarity: Callable[[str], float]
    #: Information (bits) of a name skeleton in the index: log2(entries / entries carrying it).
    #: None (no index at hand): every name counts as specific.
    token_bits: Callable[[str], float] | None
    #: log2 of the number of entries: a name needs about this many bits to be expected once by chance.
    population_bits: float
    #: Entries of the traveller's nationality and sex whose name carries a token as written (not by its
    #: count key), and entries of that nationality and sex; None: not known.
    token_entries: Callable[[str], tuple[int, int]] | None
    #: Travellers per 100,000 carrying a name (agents/matching/population.py); None: not known.
    commonness: Callable[[str], float] | None
    #: The rarest `commonness` can show a name to be (per 100,000): one among the travellers counted.
    rarest_per_100k: float
    #: The rarest it can show a given name to be (at most `rarest_per_100k`: less where the name's
    #: tokens are themselves rare); None: `rarest_per_100k` for every name.
    rarest_of: Callable[[str], float] | None
    #: Token weights already computed while screening one event (filled as features run).
    weights: dict[str, float] = field(init=False)
    #: Whether a traveller token is unknown to the index (see `features.name.unknown_token`), per event.
    unknown: dict[str, bool] = field(init=False)
    #: `commonness` of the traveller's names already asked while screening one event.
    common: dict[str, float] = field(init=False)
    #: `rarest_of` of names already asked while screening one event.
    rarest: dict[str, float] = field(init=False)
    #: The traveller and the information of their most informative name form (`features.name`): asked
    #: for every candidate, the same for all of them. Kept with the traveller it is for.
    query_bits: tuple[PreparedPerson, float] | None = field(init=False)
    #: The same for the last candidate asked (`features.name`): a candidate's prescoring asks it
    #: twice (the identity feature, then the cap before the name), one candidate after the other.
    candidate_bits: tuple[PreparedPerson, float] | None = field(init=False)
    #: The last pair's document and date-of-birth verdicts (`features.documents`, `features.dates`):
    #: the conflict features ask them again of the pair the document and date features just scored.
    document_pair: PairVerdict = field(init=False)
    dob_pair: PairVerdict = field(init=False)

    def __init__(self, config: MatcherConfig, token_rarity: Callable[[str], float] = _uniform,
                 token_bits: Callable[[str], float] | None = None, population_bits: float = 0.0,
                 commonness: Callable[[str], float] | None = None, rarest_per_100k: float = 0.0,
                 token_entries: Callable[[str], tuple[int, int]] | None = None,
                 rarest_of: Callable[[str], float] | None = None) -> None:
        self.config = config
        self.token_entries = token_entries
        self.token_rarity = token_rarity
        self.token_bits = token_bits
        self.population_bits = population_bits
        self.commonness = commonness
        self.rarest_per_100k = rarest_per_100k
        self.rarest_of = rarest_of
        self.rarest = {}
        self.weights = {}
        self.unknown = {}
        self.common = {}
        self.query_bits = None
        self.candidate_bits = None
        self.document_pair = PairVerdict()
        self.dob_pair = PairVerdict()


# Its own __init__, and not frozen, for the reason NameForm has (agents/matching/names.py): features make
# one per candidate pair, and a named tuple's __new__ ran as interpreted Python even in the compiled
# matcher; this one is compiled with the class. Never modified once made: hashed and compared by its
# fields, as a named tuple is.
@dataclass(slots=True, init=False, unsafe_hash=True)
class Comparison:
    """A feature's verdict: score in -1..1 and the two values it compared (normalized)."""

    score: float
    query: str | None
    candidate: str | None

    def __init__(self, score: float, query: str | None, candidate: str | None) -> None:
        self.score = score
        self.query = query
        self.candidate = candidate


class PairVerdict:
    """The verdict of one comparison on the last pair it was asked of, kept by the pair's identity (the
    very objects): asked again of the same pair, it is not computed again; any other pair computes it
    (`features.dates.date_of_birth`, `features.documents.travel_document` read and fill it)."""

    def __init__(self) -> None:
        self.query: PreparedPerson | None = None
        self.candidate: PreparedPerson | None = None
        self.found: Comparison | None = None


Feature = Callable[[PreparedPerson, PreparedPerson, Context], "Comparison | None"]
