/* Blocking's key-hit tally in C: the same class as agents/matching/blocking/tally.py, which documents it
 * and runs wherever this is not built (agents/matching/native.py builds both or neither).
 *
 * Why C: at a million entries an event counts a few hundred posting entries. As a dict, every
 * entry became an int object, a hash, a lookup and a store (a large share of screening:
 * bench/profile_matcher.py). Here a packed entry stays a uint64 in an open-addressing table; only
 * the ranked few become Python objects.
 *
 * Packed entries: year << 33 | slot << 9 | month_day (agents/matching/blocking/postings.py); a posting
 * is an array("Q") in ascending order or one int. Ranking by birth date also reads the first word
 * of a slot's codes (agents/matching/blocking/prefilter.py). The layout constants are exported and a test
 * checks them against the Python modules. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define SLOT_SHIFT 9
#define SLOT_BITS 24
#define YEAR_SHIFT (SLOT_SHIFT + SLOT_BITS)
#define NO_YEAR 0
#define FIRST_KNOWN (((uint64_t)NO_YEAR + 1) << YEAR_SHIFT)
#define SLOT_MASK ((1ULL << SLOT_BITS) - 1)
#define MONTH_DAY_MASK ((1ULL << SLOT_SHIFT) - 1)
#define DEAD INT64_MIN /* a discarded entry's count */
/* The first word of a slot's codes (agents/matching/blocking/prefilter.py): years and month/day. */
#define CODE_HIGH_SHIFT 16
#define CODE_MONTH_DAY_SHIFT 32
#define CODE_YEAR_MASK 0xFFFFULL
#define CODE_MONTH_DAY_MASK 0x1FFULL

typedef struct {
    PyObject_HEAD
    uint64_t *keys;   /* packed entries, in first-counted order */
    int64_t *counts;  /* their counts (DEAD once discarded) */
    Py_ssize_t n;     /* entries used in keys/counts, dead ones included */
    Py_ssize_t cap;   /* entries allocated */
    Py_ssize_t live;  /* entries not discarded */
    int32_t *table;   /* open addressing: 1 + the index in keys of the latest entry of a key, 0 empty */
    int bits;         /* the table has 1 << bits slots */
} Tally;

static inline Py_ssize_t slot_for(uint64_t key, int bits) {
    return (Py_ssize_t)((key * 0x9E3779B97F4A7C15ULL) >> (64 - bits));
}

static int reserve(Tally *self) {
    if (self->n < self->cap) return 0;
    Py_ssize_t cap = self->cap ? self->cap * 2 : 128;
    if (cap > INT32_MAX / 4) { PyErr_NoMemory(); return -1; }
    uint64_t *keys = PyMem_Realloc(self->keys, (size_t)cap * sizeof(uint64_t));
    if (keys == NULL) { PyErr_NoMemory(); return -1; }
    self->keys = keys;
    int64_t *counts = PyMem_Realloc(self->counts, (size_t)cap * sizeof(int64_t));
    if (counts == NULL) { PyErr_NoMemory(); return -1; }
    self->counts = counts;
    self->cap = cap;
    return 0;
}

/* Table slots at least twice the entries, so probes stay short. */
static int rehash(Tally *self, int bits) {
    Py_ssize_t size = (Py_ssize_t)1 << bits, mask = size - 1;
    int32_t *table = PyMem_Calloc((size_t)size, sizeof(int32_t));
    if (table == NULL) { PyErr_NoMemory(); return -1; }
    for (Py_ssize_t i = 0; i < self->n; i++) {
        if (self->counts[i] == DEAD) continue;
        Py_ssize_t s = slot_for(self->keys[i], bits);
        while (table[s]) s = (s + 1) & mask;
        table[s] = (int32_t)(i + 1);
    }
    PyMem_Free(self->table);
    self->table = table;
    self->bits = bits;
    return 0;
}

/* The table slot holding `key`, or the empty slot where it would go. */
static inline Py_ssize_t probe(const Tally *self, uint64_t key) {
    Py_ssize_t mask = ((Py_ssize_t)1 << self->bits) - 1, s = slot_for(key, self->bits);
    int32_t at;
    while ((at = self->table[s]) && self->keys[at - 1] != key) s = (s + 1) & mask;
    return s;
}

/* Adds `weight` to `key`'s count (`only_new`: sets it to `weight` only when absent). */
static int count(Tally *self, uint64_t key, int64_t weight, int only_new) {
    if (reserve(self) < 0) return -1;
    if (self->table == NULL && rehash(self, 8) < 0) return -1;
    Py_ssize_t s = probe(self, key);
    int32_t at = self->table[s];
    if (at && self->counts[at - 1] != DEAD) {
        if (!only_new) self->counts[at - 1] += weight;
        return 0;
    }
    self->keys[self->n] = key;
    self->counts[self->n] = weight;
    self->n++;
    self->live++;
    self->table[s] = (int32_t)self->n;
    if (self->n * 2 > ((Py_ssize_t)1 << self->bits)) return rehash(self, self->bits + 1);
    return 0;
}

static Py_ssize_t lower_bound(const uint64_t *a, Py_ssize_t lo, Py_ssize_t hi, uint64_t x) {
    while (lo < hi) {
        Py_ssize_t mid = lo + (hi - lo) / 2;
        if (a[mid] < x) lo = mid + 1; else hi = mid;
    }
    return lo;
}

static uint64_t year_start(long long year) {
    return (uint64_t)(year > NO_YEAR + 1 ? year : NO_YEAR + 1) << YEAR_SHIFT;
}

/* A posting's entries as a uint64 buffer (an array("Q")); -1 with TypeError otherwise. */
static int entries_of(PyObject *posting, Py_buffer *view) {
    if (PyObject_GetBuffer(posting, view, PyBUF_FORMAT | PyBUF_C_CONTIGUOUS) < 0) return -1;
    const char *f = view->format ? view->format : "B";
    if (view->itemsize != 8 || (f[0] != 'Q' && f[0] != 'L') || f[1] != '\0') {
        PyBuffer_Release(view);
        PyErr_SetString(PyExc_TypeError, "a posting is an int or an array('Q')");
        return -1;
    }
    return 0;
}

static int parse_years(PyObject *years, int *any, long long *low, long long *high) {
    *any = years == Py_None;
    if (*any) return 0;
    if (!PyTuple_Check(years) || PyTuple_GET_SIZE(years) != 2) {
        PyErr_SetString(PyExc_TypeError, "years is None or a (low, high) tuple");
        return -1;
    }
    *low = PyLong_AsLongLong(PyTuple_GET_ITEM(years, 0));
    if (*low == -1 && PyErr_Occurred()) return -1;
    *high = PyLong_AsLongLong(PyTuple_GET_ITEM(years, 1));
    if (*high == -1 && PyErr_Occurred()) return -1;
    return 0;
}

static PyObject *Tally_add(Tally *self, PyObject *args) {
    PyObject *posting, *years;
    long long weight, low = 0, high = 0;
    int any;
    if (!PyArg_ParseTuple(args, "OOL:add", &posting, &years, &weight)) return NULL;
    if (parse_years(years, &any, &low, &high) < 0) return NULL;
    if (PyLong_Check(posting)) {
        uint64_t key = PyLong_AsUnsignedLongLong(posting);
        if (key == (uint64_t)-1 && PyErr_Occurred()) return NULL;
        long long year = (long long)(key >> YEAR_SHIFT);
        if ((any || year == NO_YEAR || (low <= year && year <= high)) && count(self, key, weight, 0) < 0) return NULL;
        Py_RETURN_NONE;
    }
    Py_buffer view;
    if (entries_of(posting, &view) < 0) return NULL;
    const uint64_t *a = view.buf;
    Py_ssize_t n = view.len / 8, start = 0, end = n, unknown = 0;
    if (!any) {
        unknown = lower_bound(a, 0, n, FIRST_KNOWN);
        start = lower_bound(a, unknown, n, year_start(low));
        end = high + 1 > low ? lower_bound(a, start, n, year_start(high + 1)) : start;
    }
    int failed = 0;
    for (Py_ssize_t i = 0; i < unknown && !failed; i++) failed = count(self, a[i], weight, 0) < 0;
    for (Py_ssize_t i = start; i < end && !failed; i++) failed = count(self, a[i], weight, 0) < 0;
    PyBuffer_Release(&view);
    if (failed) return NULL;
    Py_RETURN_NONE;
}

static PyObject *Tally_add_new(Tally *self, PyObject *packed) {
    if (PyObject_CheckBuffer(packed)) {
        Py_buffer view;
        if (entries_of(packed, &view) < 0) return NULL;
        const uint64_t *a = view.buf;
        int failed = 0;
        for (Py_ssize_t i = 0; i < view.len / 8 && !failed; i++) failed = count(self, a[i], 1, 1) < 0;
        PyBuffer_Release(&view);
        if (failed) return NULL;
        Py_RETURN_NONE;
    }
    PyObject *it = PyObject_GetIter(packed), *item;
    if (it == NULL) return NULL;
    while ((item = PyIter_Next(it)) != NULL) {
        uint64_t key = PyLong_AsUnsignedLongLong(item);
        Py_DECREF(item);
        if ((key == (uint64_t)-1 && PyErr_Occurred()) || count(self, key, 1, 1) < 0) {
            Py_DECREF(it);
            return NULL;
        }
    }
    Py_DECREF(it);
    if (PyErr_Occurred()) return NULL;
    Py_RETURN_NONE;
}

static PyObject *Tally_discard(Tally *self, PyObject *arg) {
    uint64_t key = PyLong_AsUnsignedLongLong(arg);
    if (key == (uint64_t)-1 && PyErr_Occurred()) return NULL;
    if (self->table != NULL) {
        int32_t at = self->table[probe(self, key)];
        if (at && self->counts[at - 1] != DEAD) {
            self->counts[at - 1] = DEAD;
            self->live--;
        }
    }
    Py_RETURN_NONE;
}

static PyObject *Tally_best(Tally *self, PyObject *Py_UNUSED(ignored)) {
    int64_t best = 0;
    for (Py_ssize_t i = 0; i < self->n; i++)
        if (self->counts[i] != DEAD && self->counts[i] > best) best = self->counts[i];
    return PyLong_FromLongLong(best);
}

typedef struct { int64_t count; Py_ssize_t at; } Ranked;

static int by_count_then_first(const void *x, const void *y) {
    const Ranked *a = x, *b = y;
    if (a->count != b->count) return a->count > b->count ? -1 : 1;
    return a->at < b->at ? -1 : (a->at > b->at);
}

/* Sorts `a`, which is in ascending `at` order, by count, most first (ties keep their order): a
 * stable counting sort when the counts span little (key hits: they always do), else qsort. */
#define COUNTING_SPAN 4096

static int rank(Ranked *a, Py_ssize_t m) {
    if (m < 2) return 0;
    int64_t low = a[0].count, high = a[0].count;
    for (Py_ssize_t i = 1; i < m; i++) {
        if (a[i].count < low) low = a[i].count;
        if (a[i].count > high) high = a[i].count;
    }
    if ((uint64_t)(high - low) >= COUNTING_SPAN) {
        qsort(a, (size_t)m, sizeof(Ranked), by_count_then_first);
        return 0;
    }
    Py_ssize_t span = (Py_ssize_t)(high - low) + 1;
    Py_ssize_t *next = PyMem_Calloc((size_t)span + 1, sizeof(Py_ssize_t));
    Ranked *sorted = PyMem_Malloc((size_t)m * sizeof(Ranked));
    if (next == NULL || sorted == NULL) {
        PyMem_Free(next);
        PyMem_Free(sorted);
        PyErr_NoMemory();
        return -1;
    }
    for (Py_ssize_t i = 0; i < m; i++) next[high - a[i].count + 1]++;
    for (Py_ssize_t b = 1; b <= span; b++) next[b] += next[b - 1];
    for (Py_ssize_t i = 0; i < m; i++) sorted[next[high - a[i].count]++] = a[i];
    memcpy(a, sorted, (size_t)m * sizeof(Ranked));
    PyMem_Free(next);
    PyMem_Free(sorted);
    return 0;
}

/* The live entries counted at least `floor`, most first (ties in first-counted order), at most
 * `keep`, into `*picked` (PyMem_Malloc'd; the caller frees it): their number, or -1. */
static Py_ssize_t pick(const Tally *self, long long floor, Py_ssize_t keep, Ranked **picked) {
    *picked = PyMem_Malloc((size_t)(self->live ? self->live : 1) * sizeof(Ranked));
    if (*picked == NULL) { PyErr_NoMemory(); return -1; }
    Py_ssize_t m = 0;
    for (Py_ssize_t i = 0; i < self->n; i++)
        if (self->counts[i] != DEAD && self->counts[i] >= floor) (*picked)[m++] = (Ranked){self->counts[i], i};
    if (rank(*picked, m) < 0) {
        PyMem_Free(*picked);
        return -1;
    }
    if (keep < 0) keep = 0;
    return m > keep ? keep : m;
}

/* [(packed entry, count)] of the first `m` picked; `at` indexes `keys`. */
static PyObject *as_list(const uint64_t *keys, const Ranked *picked, Py_ssize_t m) {
    PyObject *out = PyList_New(m);
    for (Py_ssize_t i = 0; out != NULL && i < m; i++) {
        PyObject *pair = Py_BuildValue("(KL)", (unsigned long long)keys[picked[i].at], (long long)picked[i].count);
        if (pair == NULL) Py_CLEAR(out); else PyList_SET_ITEM(out, i, pair);
    }
    return out;
}

/* [slot] of the first `m` picked; their codes are prefetched, since the prefilter reads them next. */
static PyObject *as_slots(const uint64_t *keys, const Ranked *picked, Py_ssize_t m, const uint64_t *codes,
                          Py_ssize_t n_codes) {
    PyObject *out = PyList_New(m);
    for (Py_ssize_t i = 0; out != NULL && i < m; i++) {
        Py_ssize_t slot = (Py_ssize_t)((keys[picked[i].at] >> SLOT_SHIFT) & SLOT_MASK);
        if (2 * slot < n_codes) __builtin_prefetch(codes + 2 * slot);
        PyObject *one = PyLong_FromSsize_t(slot);
        if (one == NULL) Py_CLEAR(out); else PyList_SET_ITEM(out, i, one);
    }
    return out;
}

static PyObject *Tally_ranked_slots(Tally *self, PyObject *args) {
    long long floor;
    Py_ssize_t keep;
    PyObject *codes_obj;
    if (!PyArg_ParseTuple(args, "LnO:ranked_slots", &floor, &keep, &codes_obj)) return NULL;
    Py_buffer view;
    if (entries_of(codes_obj, &view) < 0) return NULL;
    Ranked *picked;
    Py_ssize_t m = pick(self, floor, keep, &picked);
    PyObject *out = m < 0 ? NULL : as_slots(self->keys, picked, m, view.buf, view.len / 8);
    if (m >= 0) PyMem_Free(picked);
    PyBuffer_Release(&view);
    return out;
}

static PyObject *Tally_ranked(Tally *self, PyObject *args) {
    long long floor;
    Py_ssize_t keep;
    if (!PyArg_ParseTuple(args, "Ln:ranked", &floor, &keep)) return NULL;
    Ranked *picked;
    Py_ssize_t m = pick(self, floor, keep, &picked);
    if (m < 0) return NULL;
    PyObject *out = as_list(self->keys, picked, m);
    PyMem_Free(picked);
    return out;
}

#define MAX_DAYS 4

static int has_day(uint64_t month_day, const long long *days, Py_ssize_t n_days) {
    for (Py_ssize_t d = 0; d < n_days; d++)
        if ((long long)month_day == days[d]) return 1;
    return 0;
}

static PyObject *Tally_ranked_by_date(Tally *self, PyObject *args) {
    long long floor, low, high, bonus;
    Py_ssize_t keep, take;
    PyObject *codes_obj, *days_obj;
    if (!PyArg_ParseTuple(args, "LnOLLOLn:ranked_by_date", &floor, &keep, &codes_obj, &low, &high, &days_obj,
                          &bonus, &take))
        return NULL;
    if (!PyTuple_Check(days_obj) || PyTuple_GET_SIZE(days_obj) > MAX_DAYS) {
        PyErr_SetString(PyExc_TypeError, "days is a tuple of at most 4 packed months and days");
        return NULL;
    }
    long long days[MAX_DAYS];
    Py_ssize_t n_days = PyTuple_GET_SIZE(days_obj);
    for (Py_ssize_t d = 0; d < n_days; d++) {
        days[d] = PyLong_AsLongLong(PyTuple_GET_ITEM(days_obj, d));
        if (days[d] == -1 && PyErr_Occurred()) return NULL;
    }
    Py_buffer view;
    if (entries_of(codes_obj, &view) < 0) return NULL;
    const uint64_t *codes = view.buf;
    Py_ssize_t n_codes = view.len / 8;
    Ranked *picked;
    Py_ssize_t m = pick(self, floor, keep, &picked);
    uint64_t *chosen = m < 0 ? NULL : PyMem_Malloc((size_t)(m ? m : 1) * sizeof(uint64_t));
    if (chosen == NULL) {
        if (m >= 0) { PyMem_Free(picked); PyErr_NoMemory(); }
        PyBuffer_Release(&view);
        return NULL;
    }
    for (Py_ssize_t i = 0; i < m; i++) {
        uint64_t key = chosen[i] = self->keys[picked[i].at];
        Py_ssize_t at = 2 * (Py_ssize_t)((key >> SLOT_SHIFT) & SLOT_MASK);
        if (at >= n_codes) {
            PyMem_Free(picked);
            PyMem_Free(chosen);
            PyBuffer_Release(&view);
            PyErr_SetString(PyExc_IndexError, "an entry's slot is beyond the codes");
            return NULL;
        }
        /* Entries of unknown or estimated year are read from the codes: every load is issued
         * before the first is used, so their cache misses overlap rather than queue. */
        if ((key >> YEAR_SHIFT) == NO_YEAR) __builtin_prefetch(codes + at);
        picked[i].at = i;  /* from here on: the position in the ranking by hits (ties keep it) */
    }
    for (Py_ssize_t i = 0; i < m; i++) {
        uint64_t key = chosen[i];
        long long year = (long long)(key >> YEAR_SHIFT);
        uint64_t month_day;
        if (year != NO_YEAR) {
            if (year < low || year > high) continue;
            month_day = key & MONTH_DAY_MASK;
        } else {
            uint64_t code = codes[2 * ((key >> SLOT_SHIFT) & SLOT_MASK)];
            long long first = (long long)(code & CODE_YEAR_MASK);
            long long last = (long long)((code >> CODE_HIGH_SHIFT) & CODE_YEAR_MASK);
            if (first == NO_YEAR || first > high || low > last) continue;
            month_day = (code >> CODE_MONTH_DAY_SHIFT) & CODE_MONTH_DAY_MASK;
        }
        picked[i].count += has_day(month_day, days, n_days) ? 2 * bonus : bonus;
    }
    Py_ssize_t taken = take < 0 ? 0 : (m > take ? take : m);
    PyObject *out = rank(picked, m) < 0 ? NULL : as_slots(chosen, picked, taken, codes, n_codes);
    PyBuffer_Release(&view);
    PyMem_Free(picked);
    PyMem_Free(chosen);
    return out;
}

static int compare_packed(const void *a, const void *b) {
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

/* tally.sort_packed: an array("Q") put in ascending order where it is (a bulk build's postings). */
static PyObject *sort_packed(PyObject *Py_UNUSED(module), PyObject *arg) {
    Py_buffer view;
    if (PyObject_GetBuffer(arg, &view, PyBUF_WRITABLE | PyBUF_FORMAT) < 0) return NULL;
    if (view.itemsize != sizeof(uint64_t) || view.format == NULL || strcmp(view.format, "Q") != 0) {
        PyBuffer_Release(&view);
        PyErr_SetString(PyExc_TypeError, "sort_packed takes an array('Q')");
        return NULL;
    }
    uint64_t *items = (uint64_t *)view.buf;
    Py_ssize_t n = view.len / (Py_ssize_t)sizeof(uint64_t);
    if (n <= 16) { /* most postings: a few entries */
        for (Py_ssize_t i = 1; i < n; i++) {
            uint64_t v = items[i];
            Py_ssize_t j = i;
            while (j > 0 && items[j - 1] > v) {
                items[j] = items[j - 1];
                j--;
            }
            items[j] = v;
        }
    } else {
        qsort(items, (size_t)n, sizeof(uint64_t), compare_packed);
    }
    PyBuffer_Release(&view);
    Py_RETURN_NONE;
}

/* tally.sharing_name_bits: the entries of a posting whose slot's name bits overlap `wanted`. */
static PyObject *sharing_name_bits(PyObject *Py_UNUSED(module), PyObject *args) {
    PyObject *posting, *bits_obj;
    unsigned long long wanted;
    if (!PyArg_ParseTuple(args, "OOK:sharing_name_bits", &posting, &bits_obj, &wanted)) return NULL;
    if (posting == Py_None) return PyList_New(0);
    Py_buffer bits_view, view;
    if (entries_of(bits_obj, &bits_view) < 0) return NULL;
    const uint64_t *bits = bits_view.buf;
    Py_ssize_t n_bits = bits_view.len / 8;
    uint64_t one;
    const uint64_t *a = &one;
    Py_ssize_t n = 1;
    int is_view = 0;
    if (PyLong_Check(posting)) {
        one = PyLong_AsUnsignedLongLong(posting);
        if (one == (uint64_t)-1 && PyErr_Occurred()) {
            PyBuffer_Release(&bits_view);
            return NULL;
        }
    } else {
        if (entries_of(posting, &view) < 0) {
            PyBuffer_Release(&bits_view);
            return NULL;
        }
        a = view.buf;
        n = view.len / 8;
        is_view = 1;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        Py_ssize_t slot = (Py_ssize_t)((a[i] >> SLOT_SHIFT) & SLOT_MASK);
        if (slot < n_bits) __builtin_prefetch(bits + slot);
    }
    PyObject *out = PyList_New(0);
    for (Py_ssize_t i = 0; out != NULL && i < n; i++) {
        Py_ssize_t slot = (Py_ssize_t)((a[i] >> SLOT_SHIFT) & SLOT_MASK);
        if (slot >= n_bits) {
            Py_CLEAR(out);
            PyErr_SetString(PyExc_IndexError, "an entry's slot is beyond the name bits");
            break;
        }
        if (!(bits[slot] & wanted)) continue;
        PyObject *packed = PyLong_FromUnsignedLongLong(a[i]);
        if (packed == NULL || PyList_Append(out, packed) < 0) Py_CLEAR(out);
        Py_XDECREF(packed);
    }
    if (is_view) PyBuffer_Release(&view);
    PyBuffer_Release(&bits_view);
    return out;
}

static Py_ssize_t Tally_len(Tally *self) { return self->live; }

static void Tally_dealloc(Tally *self) {
    PyMem_Free(self->keys);
    PyMem_Free(self->counts);
    PyMem_Free(self->table);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

static PyMethodDef Tally_methods[] = {
    {"add", (PyCFunction)Tally_add, METH_VARARGS, NULL},
    {"add_new", (PyCFunction)Tally_add_new, METH_O, NULL},
    {"discard", (PyCFunction)Tally_discard, METH_O, NULL},
    {"best", (PyCFunction)Tally_best, METH_NOARGS, NULL},
    {"ranked", (PyCFunction)Tally_ranked, METH_VARARGS, NULL},
    {"ranked_by_date", (PyCFunction)Tally_ranked_by_date, METH_VARARGS, NULL},
    {"ranked_slots", (PyCFunction)Tally_ranked_slots, METH_VARARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static PySequenceMethods Tally_as_sequence = {.sq_length = (lenfunc)Tally_len};

static PyTypeObject TallyType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "agents.matching.blocking.tally.Tally",
    .tp_basicsize = sizeof(Tally),
    .tp_dealloc = (destructor)Tally_dealloc,
    .tp_as_sequence = &Tally_as_sequence,
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "Key-hit counts of blocking's candidates (agents/matching/blocking/tally.py documents it).",
    .tp_methods = Tally_methods,
    .tp_new = PyType_GenericNew,
};

static PyMethodDef module_methods[] = {
    {"sharing_name_bits", sharing_name_bits, METH_VARARGS, NULL},
    {"sort_packed", sort_packed, METH_O, NULL},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef tally_module = {
    PyModuleDef_HEAD_INIT, "agents.matching.blocking.tally",
    "Blocking's key-hit tally in C (agents/matching/blocking/tally.py is the same in Python).", -1, module_methods,
};

PyMODINIT_FUNC PyInit_tally(void) {
    if (PyType_Ready(&TallyType) < 0) return NULL;
    PyObject *m = PyModule_Create(&tally_module);
    if (m == NULL) return NULL;
    Py_INCREF(&TallyType);
    if (PyModule_AddObject(m, "Tally", (PyObject *)&TallyType) < 0 ||
        PyModule_AddIntConstant(m, "YEAR_SHIFT", YEAR_SHIFT) < 0 ||
        PyModule_AddIntConstant(m, "SLOT_SHIFT", SLOT_SHIFT) < 0 ||
        PyModule_AddIntConstant(m, "SLOT_BITS", SLOT_BITS) < 0 ||
        PyModule_AddIntConstant(m, "NO_YEAR", NO_YEAR) < 0 ||
        PyModule_AddIntConstant(m, "CODE_HIGH_SHIFT", CODE_HIGH_SHIFT) < 0 ||
        PyModule_AddIntConstant(m, "CODE_MONTH_DAY_SHIFT", CODE_MONTH_DAY_SHIFT) < 0 ||
        PyModule_AddIntConstant(m, "CODE_YEAR_MASK", (long)CODE_YEAR_MASK) < 0 ||
        PyModule_AddIntConstant(m, "CODE_MONTH_DAY_MASK", (long)CODE_MONTH_DAY_MASK) < 0) {
        Py_DECREF(&TallyType);
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
