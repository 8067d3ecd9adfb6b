/* The phonetic skeleton of one token in C: the same functions as agents/matching/scripts/phonetic_core.py,
 * which documents them and runs wherever this is not built (agents/matching/native.py builds both
 * or neither). A test holds the two to the same results on any text.
 *
 * Why C: the Python steps (a dozen str.replace calls, two regular expression passes) cost several
 * times this per joined token (bench/profile_matcher.py), and a traveller brings a few new ones
 * at every event; a million-entry build makes hundreds of thousands. Here one pass over a code
 * point buffer does each step.
 *
 * Each step reproduces the Python one exactly, on any code points: str.replace is non-overlapping,
 * left to right; the vowel-run pattern [aeiouy]+|(?<=[aeiouy])w(?![aeiouy]) looks behind and ahead
 * in the text before its own replacements; the repeat pattern (?<=(.))\1+ does not collapse runs
 * of newlines, which "." does not match. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <string.h>

typedef struct { const char *src, *dst; } Rule;

/* The digraphs, applied in order (phonetic_core._DIGRAPHS). */
static const Rule DIGRAPHS[] = {
    {"tch", "C"}, {"tsh", "C"}, {"sch", "s"}, {"ch", "C"}, {"zh", "C"}, {"tz", "C"}, {"ts", "C"},
    {"sh", "s"},  {"hs", "s"},  {"ph", "p"},  {"hp", "p"}, {"th", "t"}, {"ht", "t"}, {"kh", "k"},
    {"hk", "k"},  {"gh", "g"},  {"dh", "d"},  {"bh", "b"}, {"ck", "k"}, {"qu", "kw"},
};

static inline int is_vowel_y(Py_UCS4 c) { return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' || c == 'y'; }
static inline int is_vowel(Py_UCS4 c) { return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u'; }
static inline int is_silent_e_consonant(Py_UCS4 c) { return c < 128 && c && strchr("bcdfgjklmnpqrstvxz", (int)c) != NULL; }

static int silent_final_e(const Py_UCS4 *t, Py_ssize_t n) {
    return n >= 4 && t[n - 1] == 'e' && is_silent_e_consonant(t[n - 2]) && is_vowel(t[n - 3]);
}

/* str.replace(src, dst) in place (dst is never longer than src); the new length. */
static Py_ssize_t replace_all(Py_UCS4 *t, Py_ssize_t n, const char *src, const char *dst) {
    Py_ssize_t ls = (Py_ssize_t)strlen(src), ld = (Py_ssize_t)strlen(dst), out = 0, i = 0;
    while (i < n) {
        Py_ssize_t k = 0;
        while (k < ls && i + k < n && t[i + k] == (Py_UCS4)(unsigned char)src[k]) k++;
        if (k == ls) {
            for (Py_ssize_t j = 0; j < ld; j++) t[out++] = (Py_UCS4)(unsigned char)dst[j];
            i += ls;
        } else {
            t[out++] = t[i++];
        }
    }
    return out;
}

/* One pass of the vowel-run substitution (phonetic_core._VOWEL_RUN.sub("a", ...)) from `in` to `out`. */
static Py_ssize_t vowel_runs(const Py_UCS4 *in, Py_ssize_t n, Py_UCS4 *out) {
    Py_ssize_t m = 0, i = 0;
    while (i < n) {
        if (is_vowel_y(in[i])) {
            while (i < n && is_vowel_y(in[i])) i++;
            out[m++] = 'a';
        } else if (in[i] == 'w' && i > 0 && is_vowel_y(in[i - 1]) && (i + 1 == n || !is_vowel_y(in[i + 1]))) {
            out[m++] = 'a';
            i++;
        } else {
            out[m++] = in[i++];
        }
    }
    return m;
}

static int contains_pair(const Py_UCS4 *t, Py_ssize_t n, Py_UCS4 a, Py_UCS4 b) {
    for (Py_ssize_t i = 0; i + 1 < n; i++)
        if (t[i] == a && t[i + 1] == b) return 1;
    return 0;
}

/* collapse_repeats in place: a character equal to the one before it goes, unless that is a newline. */
static Py_ssize_t collapse(Py_UCS4 *t, Py_ssize_t n) {
    if (n == 0) return 0;
    Py_ssize_t out = 1;
    Py_UCS4 previous = t[0];
    for (Py_ssize_t i = 1; i < n; i++) {
        Py_UCS4 c = t[i];
        if (c != previous || c == '\n') t[out++] = c;
        previous = c;
    }
    return out;
}

static PyObject *from_buffer(const Py_UCS4 *t, Py_ssize_t n) {
    return PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, t, n);
}

static Py_UCS4 *code_points(PyObject *arg, Py_ssize_t *n, const char *name) {
    if (!PyUnicode_Check(arg)) {
        PyErr_Format(PyExc_TypeError, "%s() takes a str", name);
        return NULL;
    }
    *n = PyUnicode_GET_LENGTH(arg);
    return PyUnicode_AsUCS4Copy(arg); /* PyMem_Malloc'd, n + 1 code points */
}

static PyObject *raw_skeleton(PyObject *Py_UNUSED(module), PyObject *arg) {
    Py_ssize_t n;
    Py_UCS4 *t = code_points(arg, &n, "raw_skeleton");
    if (t == NULL) return NULL;
    if (n == 0) {
        PyMem_Free(t);
        return PyUnicode_New(0, 0);
    }
    Py_UCS4 *other = PyMem_Malloc((size_t)(n + 1) * sizeof(Py_UCS4));
    if (other == NULL) {
        PyMem_Free(t);
        return PyErr_NoMemory();
    }
    if (silent_final_e(t, n)) n--;
    for (size_t r = 0; r < sizeof DIGRAPHS / sizeof DIGRAPHS[0]; r++) n = replace_all(t, n, DIGRAPHS[r].src, DIGRAPHS[r].dst);
    for (Py_ssize_t i = 0; i < n; i++) {  /* the single letters: one simultaneous translation */
        Py_UCS4 c = t[i];
        t[i] = c == 'j' || c == 'q' || c == 'z' ? 'C' : c == 'c' ? 'k' : c == 'x' ? 's' : c == 'v' ? 'w' : c;
    }
    Py_ssize_t m = 1;  /* h goes after the first letter */
    for (Py_ssize_t i = 1; i < n; i++)
        if (t[i] != 'h') t[m++] = t[i];
    n = m;
    Py_ssize_t head = n > 1 && t[0] == 'y' && is_vowel(t[1]);  /* initial y is a consonant */
    n = head + vowel_runs(t + head, n - head, other + head);
    if (contains_pair(other + head, n - head, 'a', 'a') || contains_pair(other + head, n - head, 'a', 'w'))
        n = head + vowel_runs(other + head, n - head, t + head);
    else
        memcpy(t + head, other + head, (size_t)(n - head) * sizeof(Py_UCS4));
    n = collapse(t, n);  /* before the final is read: a doubled final is one final (Nariddh, Russell) */
    Py_UCS4 last = t[n - 1];
    if (n > 1 && t[n - 2] == 'a' && (last == 'l' || last == 'r' || last == 'd')) t[n - 1] = last == 'd' ? 't' : 'n';
    for (Py_ssize_t i = 0; i < n; i++)
        if (t[i] == 'C') t[i] = 'c';
    PyObject *result = from_buffer(t, n);
    PyMem_Free(t);
    PyMem_Free(other);
    return result;
}

static PyObject *collapse_repeats(PyObject *Py_UNUSED(module), PyObject *arg) {
    Py_ssize_t n;
    Py_UCS4 *t = code_points(arg, &n, "collapse_repeats");
    if (t == NULL) return NULL;
    PyObject *result = from_buffer(t, collapse(t, n));
    PyMem_Free(t);
    return result;
}

static PyObject *has_silent_final_e(PyObject *Py_UNUSED(module), PyObject *arg) {
    if (!PyUnicode_Check(arg)) {
        PyErr_SetString(PyExc_TypeError, "has_silent_final_e() takes a str");
        return NULL;
    }
    Py_ssize_t n = PyUnicode_GET_LENGTH(arg);
    if (n < 4) Py_RETURN_FALSE;
    Py_UCS4 tail[4];  /* the last four code points are all the test reads */
    for (Py_ssize_t i = 0; i < 4; i++) tail[i] = PyUnicode_READ_CHAR(arg, n - 4 + i);
    return PyBool_FromLong(silent_final_e(tail, 4));
}

static PyMethodDef methods[] = {
    {"raw_skeleton", raw_skeleton, METH_O, "`skeleton`, uncached (agents/matching/scripts/phonetic_core.py)."},
    {"collapse_repeats", collapse_repeats, METH_O, "Every run of one repeated character reduced to one."},
    {"has_silent_final_e", has_silent_final_e, METH_O, "The token ends in vowel + consonant + e, 4 letters or more."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef phonetic_core_module = {
    PyModuleDef_HEAD_INIT, "agents.matching.scripts.phonetic_core",
    "The phonetic skeleton of one token in C (agents/matching/scripts/phonetic_core.py is the same in Python).", -1, methods,
};

PyMODINIT_FUNC PyInit_phonetic_core(void) { return PyModule_Create(&phonetic_core_module); }
