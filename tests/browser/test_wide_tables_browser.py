"""A table wider than a phone: what each row is stays in view while its figures scroll sideways,
and the edge shows that there is more; on a laptop the same table fits."""

import pytest

from tests.browser.main_pages import make_world
from tests.browser.signing_in import sign_in_with_a_session

pytestmark = pytest.mark.django_db(transaction=True)

# The year table's region, its first row header and a far cell, before and after scrolling.
MEASURE = """() => {
  const region = document.querySelector('.table-responsive[aria-labelledby="years-heading"]');
  const label = region.querySelector('tbody th');
  const before = label.getBoundingClientRect().left - region.getBoundingClientRect().left;
  const overflow = region.scrollWidth - region.clientWidth;
  region.scrollLeft = overflow;
  const after = label.getBoundingClientRect().left - region.getBoundingClientRect().left;
  const lastCell = region.querySelector('tbody tr td:last-child').getBoundingClientRect();
  return {overflow, before, after, lastRight: lastCell.right,
          regionRight: region.getBoundingClientRect().right,
          cue: getComputedStyle(region).backgroundImage.includes('gradient')};
}"""


def test_the_year_table_keeps_its_row_names_in_view(page, live_server, width, screenshot):
    world = make_world()
    sign_in_with_a_session(page, live_server, world.owner)
    page.goto(f"/offers/{world.offer.pk}/")

    seen = page.evaluate(MEASURE)
    screenshot("year-table-scrolled")

    assert seen["cue"]  # the edge's shadow is drawn whenever the figures run past it
    if width == "phone":
        assert seen["overflow"] > 50  # four years of figures do not fit 375 px
        # Scrolled to the end, the row names have not moved and the last year is in view.
        assert abs(seen["after"] - seen["before"]) < 1
        assert seen["lastRight"] <= seen["regionRight"] + 1
    else:
        assert seen["overflow"] <= 0
    assert page.console_errors == []
