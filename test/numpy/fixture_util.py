"""Array encoding shared by the NumPy fixture generators (test/numpy/gen_*.py).

An array is {"a": flat values, "s": shape, "d": dtype}: bools as JSON booleans, integer
dtypes as JSON integers, floats as JSON numbers with nan/inf as "nan"/"inf"/"-inf".
"""
import math

import numpy as np


def enc_val(v, dtype):
    """One element of an array of `dtype`."""
    if dtype == "bool":
        return bool(v)
    if dtype.startswith("int") or dtype.startswith("uint"):
        return int(v)
    v = float(v)
    if math.isnan(v):
        return "nan"
    if math.isinf(v):
        return "inf" if v > 0 else "-inf"
    return v


def enc(x, dtype):
    """The array x as an array of `dtype`."""
    x = np.asarray(x)
    return {"a": [enc_val(v, dtype) for v in x.reshape(-1).tolist()], "s": list(x.shape), "d": dtype}


def arr(values, dtype="int32"):
    """An input-array argument: {"arr": array} (int32 unless dtype is given)."""
    return {"arr": enc(np.asarray(values), dtype)}
