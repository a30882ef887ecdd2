"""Each person's fair share of a worker's time (offers/fair_share.py): one account asking for
costly pages back to back is told to slow down, while everyone else is served."""

import pytest
from django.http import HttpResponse
from django.urls import reverse

from offers import fair_share
from offers.fair_share import FairShare
from tests.factories import OfferFactory

pytestmark = pytest.mark.django_db


class Clock:
    def __init__(self):
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_a_bucket_of_seconds_refills_at_its_share():
    clock = Clock()
    share = FairShare(share=0.25, burst=3.0, clock=clock)
    assert share.wait_for(1) == 0
    share.charge(1, 3.5)  # one long request may overdraw the bucket
    assert share.wait_for(1) == pytest.approx(2.0)  # 0.5 s owed at 0.25 s a second
    assert share.wait_for(2) == 0  # another person is untouched
    clock.now += 2.0
    assert share.wait_for(1) == 4.0  # exactly empty: wait for a second's worth
    clock.now += 0.1
    assert share.wait_for(1) == 0
    clock.now += 1000
    share.charge(1, 0)
    assert share._level(1, clock.now) == 3.0  # never more than the burst


@pytest.fixture
def tight(monkeypatch):
    clock = Clock()
    share = FairShare(share=0.25, burst=3.0, clock=clock)
    monkeypatch.setattr(fair_share, "FAIR_SHARE", share)
    return share


def test_a_person_past_their_share_is_asked_to_slow_down_and_others_are_served(
    client, user, other_user, market, tight
):
    mine = OfferFactory(owner=user)
    theirs = OfferFactory(owner=other_user)
    tight.charge(user.pk, 5.0)
    client.force_login(user)
    for url in (
        reverse("offers:list") + "?fresh=1",
        mine.get_absolute_url(),
        reverse("offers:negotiate", args=[mine.pk]),
        reverse("offers:create"),
    ):
        response = client.get(url)
        assert response.status_code == 429, url
        assert response["Retry-After"] == "8"
        assert b"Please slow down" in response.content
    response = client.post(reverse("offers:preview"), {"company": "x"})
    assert response.status_code == 429
    client.force_login(other_user)
    assert client.get(theirs.get_absolute_url()).status_code == 200


def test_a_computed_page_is_charged_and_a_kept_one_is_not(client, user, tight):
    offer = OfferFactory(owner=user)
    client.force_login(user)
    first = client.get(offer.get_absolute_url())
    assert first.status_code == 200
    charged = tight._level(user.pk, tight.clock())
    assert charged < 3.0
    again = client.get(offer.get_absolute_url(), headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 304  # the browser's kept copy is still good
    assert tight._level(user.pk, tight.clock()) == charged


def test_the_share_can_be_turned_off_for_the_benchmark(settings, rf, user, monkeypatch):
    request = rf.get("/offers/")
    request.user = user
    # Nothing left in the share: every request is refused while the share is on.
    monkeypatch.setattr(fair_share, "FAIR_SHARE", FairShare(burst=0.0))
    assert fair_share.computed(request, lambda r: HttpResponse("page")).status_code == 429

    settings.FAIR_SHARE_ENABLED = False
    assert fair_share.computed(request, lambda r: HttpResponse("page")).status_code == 200
