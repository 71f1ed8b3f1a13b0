"""Network-level series: shares of warm and cold replies, and how alike the tied are."""

import numpy as np
from scipy import sparse

from oxysim.community.network import Network
from oxysim.community.series import WARM_REPLY, network_series, reply_shares, tie_correlation


def _path(size: int) -> Network:
    """People in a line, each tied to the next."""
    ties = sparse.diags([np.ones(size - 1), np.ones(size - 1)], [-1, 1], format="csr")
    return Network(None, sparse.csr_matrix(ties), np.zeros(size, int), np.full(size, -1))  # type: ignore[arg-type]


def test_tie_correlation_is_one_for_a_smooth_line_and_negative_for_alternation() -> None:
    line = _path(50)
    smooth = np.linspace(0, 1, 50)[:, None]
    alternating = np.tile([1.0, -1.0], 25)[:, None]
    flat = np.ones((50, 1))
    values = np.hstack([smooth, alternating, flat])
    correlation = tie_correlation(values, line)
    assert correlation[0] > 0.99
    np.testing.assert_allclose(correlation[1], -1.0)
    assert np.isnan(correlation[2])  # no variation, no correlation


def test_the_series_of_an_arm_name_every_recorded_variable() -> None:
    expression = np.array([[WARM_REPLY, -0.9], [0.0, -WARM_REPLY], [0.6, 0.1], [-0.3, 0.0]])
    warm, cold = reply_shares(expression)
    np.testing.assert_allclose(warm, [0.5, 0.0])
    np.testing.assert_allclose(cold, [0.25, 0.5])
    series = network_series(
        {"expression": expression, "craving": expression**2}, _path(4), ("craving",)
    )
    assert list(series) == [
        "warm_replies",
        "cold_replies",
        "expression_tie_correlation",
        "craving_tie_correlation",
    ]
