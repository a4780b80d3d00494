"""Bar chart geometry: bars keep their order and proportions, the largest fills the space, nothing overflows."""

from hypothesis import given
from hypothesis import strategies as st

from stempact.charts import BAR_SPACE, ROW_HEIGHT, bar_chart

rows = st.lists(st.tuples(st.text(min_size=1, max_size=20), st.integers(min_value=0, max_value=10**6)), max_size=30)


@given(rows)
def test_bars_are_proportional_and_fit_the_space(data):
    chart = bar_chart("t", data)
    assert [(bar.label, bar.value) for bar in chart.bars] == [(str(label), value) for label, value in data]
    assert all(0 <= bar.width <= BAR_SPACE for bar in chart.bars)
    assert [bar.y for bar in chart.bars] == [i * ROW_HEIGHT for i in range(len(data))]
    if any(value for _, value in data):
        assert max(bar.width for bar in chart.bars) == BAR_SPACE
    for a in chart.bars:
        for b in chart.bars:
            if a.value <= b.value:
                assert a.width <= b.width


def test_all_zero_values_draw_no_bars_but_keep_the_labels():
    chart = bar_chart("Scholen per status", [("Ingeschreven", 0), ("Gekoppeld", 0)])
    assert [(bar.label, bar.width) for bar in chart.bars] == [("Ingeschreven", 0), ("Gekoppeld", 0)]
    assert chart.total == 0
