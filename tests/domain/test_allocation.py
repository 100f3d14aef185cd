from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from recotui.domain.allocation import allocate_oldest_first


def test_oldest_invoice_is_paid_first():
    invoices = [("b", date(2026, 3, 1), 5000), ("a", date(2026, 1, 1), 3000)]
    assert allocate_oldest_first(4000, invoices) == [("a", 3000), ("b", 1000)]


def test_excess_is_left_unallocated():
    assert allocate_oldest_first(9000, [("a", date(2026, 1, 1), 3000)]) == [("a", 3000)]


@given(st.integers(0, 10**7), st.lists(st.tuples(st.dates(), st.integers(0, 10**6)), max_size=8))
def test_never_more_than_open_nor_than_paid(amount, rows):
    invoices = [(i, due, open_) for i, (due, open_) in enumerate(rows)]
    allocations = allocate_oldest_first(amount, invoices)
    opens = {key: open_ for key, _, open_ in invoices}
    assert all(0 < share <= opens[key] for key, share in allocations)
    assert sum(share for _, share in allocations) == min(amount, sum(opens.values()))
