"""Krippendorff's alpha and scorer bias against hand-computed and published values."""
import math

import pytest

from scoring.agreement import describe_alpha, krippendorff_alpha, scorer_bias

# Krippendorff (2011) "Computing Krippendorff's alpha-reliability", worked example C: 4 observers,
# 12 units, values 1-5 with missing data. Published: nominal .743, ordinal .815, interval .849.
PAPER = {
    "A": [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None],
    "B": [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3],
    "C": [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None],
    "D": [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None],
}
UNITS = [[row[j] for row in PAPER.values() if row[j] is not None] for j in range(12)]


@pytest.mark.parametrize("level, published", [("nominal", 0.743), ("ordinal", 0.815), ("interval", 0.849)])
def test_published_example(level, published):
    result = krippendorff_alpha(UNITS, level)
    assert round(result.alpha, 3) == published
    assert result.units == 11 and result.values == 40      # unit 12 has one value: not pairable


def test_matches_the_krippendorff_package():
    np = pytest.importorskip("numpy")
    kd = pytest.importorskip("krippendorff")
    data = np.array([[np.nan if v is None else v for v in row] for row in PAPER.values()], dtype=float)
    expected = kd.alpha(reliability_data=data, level_of_measurement="ordinal")
    assert krippendorff_alpha(UNITS).alpha == pytest.approx(expected, abs=1e-12)


def test_tiny_ordinal_by_hand():
    # o(1,1)=2, o(1,3)=o(3,1)=1, o(3,3)=2; n1=n3=3, n=6; delta2(1,3)=(6-3)^2=9
    # D_o = 18/6 = 3; D_e = 2*3*3*9/30 = 5.4; alpha = 1 - 3/5.4 = 4/9
    assert krippendorff_alpha([[1, 1], [1, 3], [3, 3]]).alpha == pytest.approx(4 / 9)


def test_ordinal_with_a_category_between_by_hand():
    # o11=2, o13=o31=1, o33=2, o22=4; n1=3, n2=4, n3=3, n=10
    # delta2(1,2) = delta2(2,3) = (7 - 3.5)^2 = 12.25; delta2(1,3) = (10 - 3)^2 = 49
    # D_o = 2*49/10 = 9.8; D_e = 2*(3*4*12.25 + 4*3*12.25 + 3*3*49)/90 = 1470/90; alpha = 1 - 9.8*90/1470
    result = krippendorff_alpha([[1, 3], [1, 1], [3, 3], [2, 2], [2, 2]])
    assert result.alpha == pytest.approx(1 - 9.8 * 90 / 1470)
    assert result.alpha == pytest.approx(0.4)


def test_perfect_and_undefined():
    assert krippendorff_alpha([[1, 1], [3, 3, 3], [5, 5]]).alpha == pytest.approx(1.0)
    assert krippendorff_alpha([[4, 4], [4, 4]]).alpha is None          # no variation at all
    assert krippendorff_alpha([[4], [2]]).alpha is None                # nothing pairable
    assert describe_alpha(None) == "not enough data"
    assert describe_alpha(0.81) == "good" and describe_alpha(0.7) == "tentative"
    assert describe_alpha(0.2) == "low"


def test_scorer_bias_by_hand():
    ratings = [("t1", "ann", 2), ("t1", "bob", 4), ("t1", "cy", 3),
               ("t2", "ann", 3), ("t2", "bob", 5),
               ("t3", "cy", 4)]                      # alone on t3: not compared
    # t1: ann 2-(4+3)/2=-1.5, bob 4-2.5=+1.5, cy 3-3=0; t2: ann -2, bob +2
    by = {b.scorer_id: b for b in scorer_bias(ratings)}
    assert by["ann"].bias == pytest.approx(-1.75) and by["ann"].n == 2
    assert by["bob"].bias == pytest.approx(1.75) and by["bob"].mean_abs == pytest.approx(1.75)
    assert by["cy"].bias == pytest.approx(0.0) and by["cy"].n == 1
    assert [b.scorer_id for b in scorer_bias(ratings)] == ["ann", "cy", "bob"]   # harshest first
    assert by["ann"].label == "too few scores"


def test_bias_labels():
    harsh = [(f"t{i}", "h", 2) for i in range(6)] + [(f"t{i}", "p", 4) for i in range(6)]
    labels = {b.scorer_id: b.label for b in scorer_bias(harsh)}
    assert labels == {"h": "harsh", "p": "lenient"}
    assert math.isclose(scorer_bias(harsh)[0].bias, -2.0)
