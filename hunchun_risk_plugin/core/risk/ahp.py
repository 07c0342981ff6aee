"""Analytic Hierarchy Process: weights from a pairwise comparison matrix.

Weights are the normalised principal eigenvector; consistency is CI = (λmax − n)/(n − 1)
and CR = CI / RI(n) with Saaty's random index (``data/saaty_random_index.toml``).
A matrix with CR ≥ 0.10 is refused, as Saaty recommends.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

from ..definitions import read_toml
from ..errors import InputError

CR_LIMIT = 0.10
_RI_FILE = Path(__file__).resolve().parent / "data" / "saaty_random_index.toml"


@cache
def random_index_table() -> dict[int, float]:
    raw = read_toml(_RI_FILE)["random_index"]
    return {int(n): float(value) for n, value in raw.items()}


@dataclass(frozen=True)
class AhpResult:
    weights: tuple[float, ...]
    lambda_max: float
    ci: float
    cr: float

    def as_dict(self) -> dict:
        return {"weights": list(self.weights), "lambda_max": self.lambda_max, "ci": self.ci, "cr": self.cr}


def check_pairwise(matrix: np.ndarray, where: str) -> None:
    """Refuse anything that is not a positive reciprocal square matrix."""
    n = matrix.shape[0]
    if matrix.ndim != 2 or matrix.shape[1] != n or n < 1:
        raise InputError(f"{where}: the AHP matrix must be square (got {matrix.shape}).",
                         f"{where}：AHP 判断矩阵必须为方阵（当前为 {matrix.shape}）。")
    if not np.all(np.isfinite(matrix)) or np.any(matrix <= 0):
        raise InputError(f"{where}: every AHP matrix entry must be a positive number.",
                         f"{where}：AHP 判断矩阵的每个元素都必须为正数。")
    bad = np.argwhere(~np.isclose(matrix * matrix.T, 1.0, rtol=1e-3))
    if len(bad):
        i, j = (int(v) for v in bad[0])
        raise InputError(
            f"{where}: the AHP matrix is not reciprocal: a[{i + 1}][{j + 1}] = {matrix[i, j]:g} but "
            f"a[{j + 1}][{i + 1}] = {matrix[j, i]:g} (should be {1 / matrix[i, j]:g}).",
            f"{where}：AHP 判断矩阵不满足互反性：a[{i + 1}][{j + 1}] = {matrix[i, j]:g}，"
            f"a[{j + 1}][{i + 1}] 应为 {1 / matrix[i, j]:g}，实为 {matrix[j, i]:g}。")


def ahp_analysis(matrix: Sequence[Sequence[float]], where: str = "AHP") -> AhpResult:
    """Principal-eigenvector weights and consistency of a pairwise matrix, whatever the
    CR (raises ``InputError`` only for a malformed matrix)."""
    if len({len(row) for row in matrix}) > 1:  # ragged rows: numpy cannot even hold them
        raise InputError(
            f"{where}: the AHP matrix must be square (rows of {sorted({len(r) for r in matrix})} entries).",
            f"{where}：AHP 判断矩阵必须为方阵（各行元素个数为 {sorted({len(r) for r in matrix})}）。")
    a = np.asarray(matrix, dtype=float)
    check_pairwise(a, where)
    n = a.shape[0]
    table = random_index_table()
    if n not in table:
        raise InputError(f"{where}: AHP supports 1 to {max(table)} criteria, got {n}.",
                         f"{where}：AHP 支持 1 至 {max(table)} 个指标，当前为 {n} 个。")
    values, vectors = np.linalg.eig(a)
    principal = int(np.argmax(values.real))
    lambda_max = float(values[principal].real)
    vector = np.abs(vectors[:, principal].real)
    weights = vector / vector.sum()
    ci = max(lambda_max - n, 0.0) / (n - 1) if n > 2 else 0.0
    ri = table[n]
    cr = ci / ri if ri > 0 else 0.0
    return AhpResult(tuple(float(w) for w in weights), lambda_max, ci, cr)


def ahp_weights(matrix: Sequence[Sequence[float]], where: str = "AHP") -> AhpResult:
    """Weights of an acceptably consistent matrix: raises ``InputError`` when CR ≥ 0.10."""
    result = ahp_analysis(matrix, where)
    lambda_max, ci, cr, ri = result.lambda_max, result.ci, result.cr, random_index_table()[len(result.weights)]
    if cr >= CR_LIMIT:
        raise InputError(
            f"{where}: the AHP matrix is too inconsistent: CR = {cr:.3f} (λmax = {lambda_max:.3f}, "
            f"CI = {ci:.3f}, RI = {ri}); it must be below {CR_LIMIT}. Revise the comparisons.",
            f"{where}：AHP 判断矩阵一致性不足：CR = {cr:.3f}（λmax = {lambda_max:.3f}，CI = {ci:.3f}，"
            f"RI = {ri}），须小于 {CR_LIMIT}。请调整两两比较值。")
    return result
