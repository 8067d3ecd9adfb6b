/* The name-frequency sketch's cell reads and its conservative update in C: the same functions as
 * agents/matching/sketch_core.py, which documents them and runs wherever this is not built
 * (agents/matching/native.py builds both or neither).
 *
 * Why C: every traveller screened is counted under a few keys of four cells each, and a name's
 * commonness reads its cells in every partition's sketch. Read through Python, every counter became
 * an int object on the way; here the table is read in place (its buffer: an array("H")). */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <string.h>

/* The table's buffer, checked to be 16-bit unsigned counters. */
static int table_buffer(PyObject *table, Py_buffer *view, int writable) {
    if (PyObject_GetBuffer(table, view, PyBUF_FORMAT | (writable ? PyBUF_WRITABLE : 0)) < 0) return -1;
    if (view->itemsize != 2 || view->format == NULL || strcmp(view->format, "H") != 0 || view->ndim > 1) {
        PyBuffer_Release(view);
        PyErr_SetString(PyExc_TypeError, "the sketch table must be an array('H')");
        return -1;
    }
    return 0;
}

/* A cell as an index into n counters (negative counts from the end, as Python's indexing does). */
static int cell_index(PyObject *item, Py_ssize_t n, Py_ssize_t *out) {
    if (!PyLong_Check(item)) {
        PyErr_SetString(PyExc_TypeError, "array indices must be integers");
        return -1;
    }
    Py_ssize_t c = PyLong_AsSsize_t(item);
    if (c == -1 && PyErr_Occurred()) {
        PyErr_Clear();
        PyErr_SetString(PyExc_IndexError, "array index out of range");
        return -1;
    }
    if (c < 0) c += n;
    if (c < 0 || c >= n) {
        PyErr_SetString(PyExc_IndexError, "array index out of range");
        return -1;
    }
    *out = c;
    return 0;
}

/* The smallest counter at the cells; -1 with an exception set on an error. */
static long smallest_of(const unsigned short *t, Py_ssize_t n, PyObject *cells) {
    Py_ssize_t k = PySequence_Fast_GET_SIZE(cells);
    PyObject **items = PySequence_Fast_ITEMS(cells);
    if (k == 0) {
        PyErr_SetString(PyExc_ValueError, "min() arg is an empty sequence");
        return -1;
    }
    long low = 0x10000;
    for (Py_ssize_t i = 0; i < k; i++) {
        Py_ssize_t c;
        if (cell_index(items[i], n, &c) < 0) return -1;
        if (t[c] < low) low = t[c];
    }
    return low;
}

static PyObject *smallest(PyObject *Py_UNUSED(module), PyObject *const *args, Py_ssize_t nargs) {
    if (nargs != 2) {
        PyErr_SetString(PyExc_TypeError, "smallest() takes a table and its cells");
        return NULL;
    }
    Py_buffer view;
    if (table_buffer(args[0], &view, 0) < 0) return NULL;
    PyObject *cells = PySequence_Fast(args[1], "the cells must be a sequence");
    long low = -1;
    if (cells != NULL) {
        low = smallest_of(view.buf, view.len / 2, cells);
        Py_DECREF(cells);
    }
    PyBuffer_Release(&view);
    return low < 0 ? NULL : PyLong_FromLong(low);
}

static PyObject *raise_to(PyObject *Py_UNUSED(module), PyObject *const *args, Py_ssize_t nargs) {
    if (nargs != 4) {
        PyErr_SetString(PyExc_TypeError, "raise_to() takes a table, its cells, a count and a ceiling");
        return NULL;
    }
    long long count = PyLong_AsLongLong(args[2]);
    if (count == -1 && PyErr_Occurred()) return NULL;
    long long ceiling = PyLong_AsLongLong(args[3]);
    if (ceiling == -1 && PyErr_Occurred()) return NULL;
    Py_buffer view;
    if (table_buffer(args[0], &view, 1) < 0) return NULL;
    PyObject *cells = PySequence_Fast(args[1], "the cells must be a sequence");
    if (cells == NULL) {
        PyBuffer_Release(&view);
        return NULL;
    }
    unsigned short *t = view.buf;
    Py_ssize_t n = view.len / 2;
    PyObject *result = NULL;
    long low = smallest_of(t, n, cells);
    if (low >= 0) {
        long long wanted = (long long)low + count;
        if (ceiling < wanted) wanted = ceiling;
        Py_ssize_t k = PySequence_Fast_GET_SIZE(cells);
        PyObject **items = PySequence_Fast_ITEMS(cells);
        int failed = 0;
        for (Py_ssize_t i = 0; i < k && !failed; i++) {
            Py_ssize_t c = 0;
            if (cell_index(items[i], n, &c) < 0) {  /* checked by smallest_of already */
                failed = 1;
            } else if (t[c] < wanted) {
                if (wanted > 0xFFFF) {
                    PyErr_SetString(PyExc_OverflowError, "unsigned short is greater than maximum");
                    failed = 1;
                } else {
                    t[c] = (unsigned short)wanted;
                }
            }
        }
        if (!failed) result = Py_NewRef(Py_None);
    }
    Py_DECREF(cells);
    PyBuffer_Release(&view);
    return result;
}

static PyMethodDef methods[] = {
    {"smallest", (PyCFunction)(void (*)(void))smallest, METH_FASTCALL,
     "The smallest counter at `cells` (not empty): a key's count-min estimate."},
    {"raise_to", (PyCFunction)(void (*)(void))raise_to, METH_FASTCALL,
     "Conservative update: each counter at `cells` raised to the smallest of them plus `count`, at most `ceiling`."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef sketch_core_module = {
    PyModuleDef_HEAD_INIT, "agents.matching.sketch_core",
    "The name-frequency sketch's cell reads and update in C (agents/matching/sketch_core.py is the same in Python).",
    -1, methods,
};

PyMODINIT_FUNC PyInit_sketch_core(void) { return PyModule_Create(&sketch_core_module); }
