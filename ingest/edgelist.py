"""A user's own network for `exposure --graph`: `source,target,channel,weight` rows from CSV or
Parquet, checked column by column (vectorised, so a 10-million-edge file is read in seconds).

A weight is the fraction of the target's value lost if the source loses everything, so it is a
plain number in [0, 1]: 'inf', 'nan', '1.5', 'true' and '0x1' are refused with the line they are on.
"""
from __future__ import annotations

from pathlib import Path
from typing import Sequence

from .user_files import InputError, header_problems, read_bytes, utf8_problem

NEED = ["source", "target", "channel", "weight"]
_PLAIN = r"^\s*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?\s*$"


def _first_line(path: Path) -> bytes:
    with open(path, "rb") as fh:
        return fh.readline()


def read_edgelist(path: Path | str, channels: Sequence[str]):
    """The checked edge list as a DataFrame (source, target, channel, weight as float)."""
    path = Path(path)
    try:
        return _read(path, channels)
    except UnicodeDecodeError:  # Arrow strings decode lazily: locate the byte only when one fails
        bad = utf8_problem(read_bytes(path, "an edge list", max_bytes=1 << 40))
        raise InputError(f"{path}:{bad[0] if bad else '?'}: {bad[1] if bad else 'not UTF-8 text'}") from None


def _read(path: Path, channels: Sequence[str]):
    import numpy as np
    import pandas as pd

    if not path.exists():
        raise InputError(f"{path}: no such file")
    if path.is_dir():
        raise InputError(f"{path}: is a folder, not an edge list")
    parquet = path.suffix.lower() in (".parquet", ".pq")
    try:
        if parquet:
            frame = pd.read_parquet(path)
            first_line = 0  # Parquet rows have no line numbers; report row index + 1
        else:
            head = _first_line(path)
            bad = utf8_problem(head)
            if bad is not None:
                raise InputError(f"{path}:1: {bad[1]}")
            names = [h.strip() for h in head.decode("utf-8").lstrip("\ufeff").rstrip("\r\n").split(",")]
            problems = header_problems(str(path), names, NEED, None)
            if problems:
                raise InputError(str(problems[0]) + f"; expected {','.join(NEED)}")
            try:  # pyarrow's reader: multi-threaded, and strings stay in compact Arrow buffers
                frame = pd.read_csv(path, engine="pyarrow", dtype_backend="pyarrow")
                w = frame["weight"]
                if not (pd.api.types.is_float_dtype(w.dtype) and np.isfinite(w.to_numpy(dtype=float,
                                                                                          na_value=np.nan)).all()):
                    # integers ('0x1' parses as 1), booleans, text, 'inf' or 'nan': check the written form
                    frame = pd.read_csv(path, engine="pyarrow", dtype_backend="pyarrow",
                                        dtype={"weight": "string"}, keep_default_na=False, na_values=[""])
            except ImportError:
                frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
            first_line = 2  # header is line 1
    except (OSError, ValueError, pd.errors.ParserError) as exc:
        if isinstance(exc, InputError):
            raise
        raise InputError(f"{path}: cannot read the edge list ({str(exc).splitlines()[0]})") from None
    missing = [c for c in NEED if c not in frame.columns]
    if missing:
        raise InputError(f"{path}:1: missing column(s) {', '.join(missing)}; expected {','.join(NEED)}")

    def where(i: int) -> str:
        return f"{path}:{i + first_line}" if first_line else f"{path}: row {i + 1}"

    # the channel column is read once into codes (a few distinct values over millions of rows):
    # the check looks at the distinct values, and the engine splits the channels by code
    codes, names = pd.factorize(frame["channel"].astype("string"))
    wrong = [k for k, name in enumerate(names) if name not in channels]
    bad_rows = np.flatnonzero((codes < 0) | np.isin(codes, wrong))
    if len(bad_rows):
        raise InputError(f"{where(bad_rows[0])}: field 'channel': '{frame['channel'].iloc[bad_rows[0]]}' is not "
                         f"one of {', '.join(channels)}")
    channel = pd.Categorical.from_codes(codes, categories=list(names))
    raw = frame["weight"]
    if pd.api.types.is_bool_dtype(raw.dtype):
        raise InputError(f"{where(0)}: field 'weight': '{raw.iloc[0]}' is not a number")
    if pd.api.types.is_numeric_dtype(raw.dtype):  # typed already (Parquet, or CSV read as doubles)
        weight = raw.astype("float64")
        bad_rows = np.flatnonzero(weight.isna().to_numpy())
        if len(bad_rows):
            raise InputError(f"{where(bad_rows[0])}: field 'weight': empty, a number is needed")
    else:
        text = raw.astype("string")
        plain = text.str.fullmatch(_PLAIN).fillna(False).to_numpy(dtype=bool)
        bad_rows = np.flatnonzero(~plain)
        if len(bad_rows):
            shown = text.iloc[bad_rows[0]]
            raise InputError(f"{where(bad_rows[0])}: field 'weight': "
                             + ("empty, a number is needed" if pd.isna(shown) or not str(shown).strip()
                                else f"'{shown}' is not a number (write a plain decimal such as 0.25)"))
        weight = pd.to_numeric(text, errors="coerce").astype("float64")
    values = weight.to_numpy()
    bad_rows = np.flatnonzero(~np.isfinite(values) | (values < 0) | (values > 1))
    if len(bad_rows):
        raise InputError(f"{where(bad_rows[0])}: field 'weight': {raw.iloc[bad_rows[0]]} is out of range; "
                         f"a weight is a fraction of the target's value and must lie in [0, 1]")
    for col in ("source", "target"):
        ids = frame[col].astype("string")
        bad_rows = np.flatnonzero((ids == "").to_numpy(dtype=bool, na_value=True))
        if len(bad_rows):
            raise InputError(f"{where(bad_rows[0])}: field '{col}': empty node id")
    return pd.DataFrame({"source": frame["source"], "target": frame["target"],
                         "channel": channel, "weight": weight.astype(float)})
