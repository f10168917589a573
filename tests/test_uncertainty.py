"""The test of a difference between two sampled values (rapor.uncertainty), hand-worked."""

from __future__ import annotations

import math
import random

import pytest

from rapor.uncertainty import INTERVAL_Z, differs, nested_covariance, normal_interval


def test_z_is_the_975th_percentile():
    assert round(INTERVAL_Z, 6) == 1.959964


def test_difference_within_sampling_error_is_not_meaningful():
    """60 ± 3 against 55 ± 2 (standard errors): the difference 5 has a standard error
    sqrt(9 + 4) = 3.606, and 5 < 1.96 · 3.606 = 7.07; 65 against 55 (10 > 7.07) differs."""
    assert differs(60, 3, 55, 2) is False
    assert differs(65, 3, 55, 2) is True
    assert differs(45, 3, 55, 2) is True  # lower counts as well


def test_values_without_standard_error_are_not_tested():
    assert differs(60, None, 55, 2) is None
    assert differs(60, 3, 55, None) is None


def test_part_against_a_whole_that_contains_it():
    """A kab/kota of 2 schools (standard errors 16.624 and 13.609) inside a province of 3 (the
    third 17.889). Kab/kota minus province = (1/2 - 1/3)(x1 + x2) - (1/3)·x3, so its variance is
    (1/6)² (16.624² + 13.609²) + (1/3)² · 17.889² = 12.822 + 35.557 = 48.379. From the two means'
    standard errors: kab/kota sqrt(16.624² + 13.609²) / 2 = 10.742, province
    sqrt(16.624² + 13.609² + 17.889²) / 3 = 9.172; covariance 2 · 10.742² / 3 = 76.927; so
    10.742² + 9.172² - 2 · 76.927 = 48.379 too. The threshold is 1.96 · sqrt(48.379) = 13.63:
    a difference of 13 is not meaningful, 14 is."""
    part = math.sqrt(16.624**2 + 13.609**2) / 2
    whole = math.sqrt(16.624**2 + 13.609**2 + 17.889**2) / 3
    covariance = nested_covariance(part, 2, 3)
    assert covariance == pytest.approx(76.927, abs=1e-3)
    assert part**2 + whole**2 - 2 * covariance == pytest.approx(48.379, abs=1e-3)
    assert differs(63, part, 50, whole, covariance) is False
    assert differs(64, part, 50, whole, covariance) is True
    # Ignoring that the province contains the kab/kota would overstate the variance (178.3).
    assert differs(64, part, 50, whole) is False


def test_nested_covariance_matches_a_linear_combination():
    """For random school errors, var(part - whole) from the covariance equals the variance of
    the difference written as a weighted sum of independent school values."""
    rng = random.Random(7)
    for _ in range(50):
        errors = [rng.uniform(0.5, 20) for _ in range(rng.randint(2, 30))]
        n = rng.randint(1, len(errors))
        big_n = len(errors)
        part = math.sqrt(sum(e * e for e in errors[:n])) / n
        whole = math.sqrt(sum(e * e for e in errors)) / big_n
        weights = [1 / n - 1 / big_n] * n + [-1 / big_n] * (big_n - n)
        direct = sum((w * e) ** 2 for w, e in zip(weights, errors, strict=True))
        assert part**2 + whole**2 - 2 * nested_covariance(part, n, big_n) == pytest.approx(direct)


def test_normal_interval_stays_on_the_scale():
    assert normal_interval(50, 5) == pytest.approx((40.2, 59.8), abs=1e-3)
    assert normal_interval(2, 5) == pytest.approx((0, 11.8), abs=1e-3)
    assert normal_interval(98, 5) == pytest.approx((88.2, 100), abs=1e-3)
