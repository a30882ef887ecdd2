"""Who may open what: every URL in the URL conf, for an anonymous visitor, the owner of the data,
another signed-in person and staff, each with the status it must answer.

The URLs are read from the URL conf itself, so a page added tomorrow is checked tomorrow: until
it has a row in ACCESS (and a way to fill its parameters in PARAMETERS), this test fails and says
which URL is missing. The admin is one group: staff get the page, everyone else is sent to the
admin's sign-in, with the few exceptions listed (and explained) in ADMIN_EXCEPTIONS.
"""

import re
from dataclasses import dataclass

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.contrib.auth.tokens import default_token_generator
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.regex_helper import normalize

from offers.models import Offer
from tests import factories
from tests.factories import CommunityBandFactory, ContributionFactory

pytestmark = pytest.mark.django_db

# The owner goes last: an owner's POST may delete the offer the others were tested against.
VISITORS = ("anonymous", "other", "staff", "owner")


@dataclass(frozen=True)
class Redirect:
    """A 302 whose Location starts with the given URL name's address (or with a literal path)."""

    to: str

    def location(self) -> str:
        return self.to if self.to.startswith("/") else reverse(self.to)


SIGN_IN = Redirect("accounts:login")
ADMIN_SIGN_IN = Redirect("admin:login")
MY_OFFERS = Redirect("offers:list")
RESET_LINK = Redirect("/accounts/password/reset/")


def rule(anonymous, owner, other=None, staff=None) -> dict:
    """Expected answer per visitor; `other` and `staff` default to the owner's answer."""
    other = owner if other is None else other
    return {"anonymous": anonymous, "owner": owner, "other": other, "staff": staff or other}


PUBLIC = rule(200, 200)
SIGNED_IN = rule(SIGN_IN, 200)
SIGNED_OUT_ONLY = rule(200, MY_OFFERS)  # signed-in people are taken to their offers
OWNER_ONLY = rule(SIGN_IN, 200, 404, 404)  # someone else's offer does not exist, even for staff
POST_ONLY = rule(SIGN_IN, 405)

# URL name → {method: expected answer per visitor}. POSTs carry no data: a form shows its errors
# (200) or the action is refused; an owner's empty POST to an action still performs it.
ACCESS: dict[str, dict[str, dict]] = {
    "home": {"GET": SIGNED_OUT_ONLY},
    "healthz": {"GET": PUBLIC},
    "favicon": {"GET": rule(301, 301)},  # for everyone, a permanent redirect to the icon
    "perf-floor": {"GET": PUBLIC},
    "perf-floor-signed-in": {"GET": SIGNED_IN},
    "accounts:signup": {"GET": SIGNED_OUT_ONLY, "POST": SIGNED_OUT_ONLY},
    "accounts:signup_sent": {"GET": PUBLIC},
    # The owner's pk with a reset token: a link that confirms nothing, shown as "no longer works".
    "accounts:signup_confirm": {"GET": PUBLIC, "POST": PUBLIC},
    "accounts:login": {"GET": SIGNED_OUT_ONLY, "POST": SIGNED_OUT_ONLY},
    "accounts:logout": {"GET": PUBLIC, "POST": PUBLIC},
    "accounts:password_change": {"GET": SIGNED_IN, "POST": SIGNED_IN},
    "accounts:password_change_done": {"GET": SIGNED_IN},
    "accounts:password_reset": {"GET": PUBLIC, "POST": PUBLIC},
    "accounts:password_reset_done": {"GET": PUBLIC},
    # The owner's reset link: a valid link hides its token (Django moves it into the session and
    # redirects); the owner signing in afterwards spends it, so the owner sees "link invalid".
    "accounts:password_reset_confirm": {"GET": rule(RESET_LINK, 200, RESET_LINK)},
    "accounts:password_reset_complete": {"GET": PUBLIC},
    "accounts:account": {"GET": SIGNED_IN, "POST": SIGNED_IN},
    "accounts:download_data": {"GET": SIGNED_IN},
    "accounts:delete": {"GET": SIGNED_IN, "POST": SIGNED_IN},
    "offers:list": {"GET": SIGNED_IN},
    "offers:create": {"GET": SIGNED_IN, "POST": SIGNED_IN},
    "offers:preview": {"GET": POST_ONLY, "POST": SIGNED_IN},
    "offers:compare": {"GET": SIGNED_IN},  # each sees only their own offers to pick from
    # Someone else's offers in the query are left out: the export has nothing to compare.
    "offers:compare_csv": {"GET": rule(SIGN_IN, 200, 400)},
    "offers:shares": {"GET": SIGNED_IN, "POST": SIGNED_IN},
    "offers:share_revoke": {
        "GET": POST_ONLY,
        "POST": rule(SIGN_IN, Redirect("offers:shares"), 404),
    },
    "offers:negotiate": {"GET": OWNER_ONLY},
    "offers:rounds": {"GET": OWNER_ONLY, "POST": OWNER_ONLY},
    # The rounds page's old address: a permanent redirect for everyone, which shows nothing.
    "offers:versions": {"GET": rule(301, 301), "POST": rule(301, 301)},
    "offers:apply_round": {
        "GET": POST_ONLY,
        "POST": rule(SIGN_IN, Redirect("/offers/"), 404, 404),
    },
    # Whoever holds a live share link sees that comparison, signed in or not.
    "shared_comparison": {"GET": PUBLIC},
    "offers:detail": {"GET": OWNER_ONLY},
    "offers:edit": {"GET": OWNER_ONLY, "POST": OWNER_ONLY},
    "offers:duplicate": {"GET": POST_ONLY, "POST": rule(SIGN_IN, Redirect("/offers/"), 404, 404)},
    "offers:delete": {"GET": OWNER_ONLY, "POST": rule(SIGN_IN, MY_OFFERS, 404, 404)},
    # Back to the offer's own page (its market-data section); someone else's offer is not found.
    "offers:contribute": {"GET": POST_ONLY, "POST": rule(SIGN_IN, Redirect("/offers/"), 404, 404)},
    "offers:withdraw_contribution": {
        "GET": POST_ONLY,
        "POST": rule(SIGN_IN, Redirect("/offers/"), 404, 404),
    },
    "benchmarks:explorer": {"GET": SIGNED_IN},
    "benchmarks:search": {"GET": SIGNED_IN, "POST": rule(SIGN_IN, 405)},  # read-only
}

ADMIN = rule(ADMIN_SIGN_IN, ADMIN_SIGN_IN, ADMIN_SIGN_IN, 200)
# (pattern over the URL's name, or its route when it has none; answer; why it differs)
ADMIN_EXCEPTIONS = [
    (r"^admin:login$", rule(200, 200, 200, Redirect("admin:index")), "signed-in staff skip it"),
    (r"^admin:logout$", rule(*[Redirect("admin:index")] * 3, 405), "POST only"),
    (r"^admin:autocomplete$", rule(*[ADMIN_SIGN_IN] * 3, 403), "needs its query parameters"),
    (r"^admin:view_on_site$", rule(*[ADMIN_SIGN_IN] * 3, 404), "users have no public page"),
    (r"^admin:\w+_process_import$", rule(*[ADMIN_SIGN_IN] * 3, 405), "POST only"),
    (r"^admin:axes_\w+_add$", rule(*[ADMIN_SIGN_IN] * 3, 403), "sign-ins write these, not people"),
    (
        r"^admin:benchmarks_backtestfigure_add$",
        rule(*[ADMIN_SIGN_IN] * 3, 403),
        "backtest_bands writes these",
    ),
    (
        r"^admin:benchmarks_(contribution|communityband)_(add|delete)$",
        rule(*[ADMIN_SIGN_IN] * 3, 403),
        "people's offers and the rebuild write these; an admin leaves a contribution out",
    ),
    (r"/<object_id>/$", rule(*[ADMIN_SIGN_IN] * 3, Redirect("/admin/")), "→ its change page"),
    (r"^/admin/<url>$", rule(*[ADMIN_SIGN_IN] * 3, 404), "an unknown admin address"),
]


# The URL conf, walked ---------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    key: str  # the URL's namespaced name, or its route when it has none
    route: str
    levels: tuple  # the regex of each level, outermost first


def walk(patterns, levels=(), namespaces=()) -> list[Route]:
    routes = []
    for pattern in patterns:
        here = (*levels, pattern.pattern.regex.pattern)
        if isinstance(pattern, URLResolver):
            spaces = (*namespaces, pattern.namespace) if pattern.namespace else namespaces
            routes += walk(pattern.url_patterns, here, spaces)
        elif isinstance(pattern, URLPattern):
            name = ":".join((*namespaces, pattern.name)) if pattern.name else None
            routes.append(Route(name or route_text(here), route_text(here), here))
    return routes


def route_text(levels) -> str:
    """A readable route: each level's regex with its groups shown as <name>."""
    text = ""
    for level in levels:
        fmt, params = normalize(level)[0]
        text += fmt % {p: f"<{p}>" for p in params}
    return "/" + text


ROUTES = walk(get_resolver().url_patterns)


def expected_for(route: Route) -> dict[str, dict]:
    if route.key in ACCESS:
        return ACCESS[route.key]
    if route.route.startswith("/admin/"):
        for pattern, answer, _why in ADMIN_EXCEPTIONS:
            if re.search(pattern, route.key):
                return {"GET": answer}
        return {"GET": ADMIN}
    pytest.fail(
        f"{route.key} ({route.route}) is not in ACCESS in tests/test_url_access.py: "
        "add who may open it, and with which status."
    )


def cases():
    for route in ROUTES:
        for method in ACCESS.get(route.key, {"GET": None}):
            yield pytest.param(route, method, id=f"{method} {route.key}")


# The world the URLs are opened in -----------------------------------------------------------


OWNER_COMPANIES = ("Ownerly Secret Corp", "Ownerly Second Corp")
# Where others may see the owner's offers: a live share link, and the admin (its delete pages
# list the offers that protect a role, level or place from deletion).
SEEN_BY_OTHERS = re.compile(r"^(/admin/.*|shared_comparison)$")


class World:
    def __init__(self):
        self.owner = factories.UserFactory()
        self.other = factories.UserFactory()
        self.staff = factories.UserFactory(is_staff=True, is_superuser=True)
        self.offer = factories.OfferFactory(owner=self.owner, company=OWNER_COMPANIES[0])
        self.second_offer = factories.OfferFactory(owner=self.owner, company=OWNER_COMPANIES[1])
        factories.OfferFactory(owner=self.other, company="Other Person Inc")

        self._rows: dict[str, object] = {}

    def admin_row(self, route: str):
        """A row of the model an admin URL is about, e.g. /admin/benchmarks/band/<id>/change/."""
        app_label, model_name = route.split("/")[2:4]
        model = apps.get_model(app_label, model_name)
        label = model._meta.label_lower
        if label not in self._rows:
            make = ADMIN_ROWS.get(label)
            if make is None:
                pytest.fail(f"No row for {model._meta.label} in ADMIN_ROWS (needed by {route}).")
            self._rows[label] = make(self)
        return self._rows[label]

    def round(self):
        if "round" not in self._rows:
            self._rows["round"] = factories.RoundFactory(offer=self.offer, number=1)
        return self._rows["round"]

    def share_link(self):
        if "share" not in self._rows:
            self._rows["share"] = factories.ShareLinkFactory(owner=self.owner)
        return self._rows["share"]


def _axes_row(model):
    return lambda world: model.objects.create(
        user_agent="test", ip_address="127.0.0.1", username=world.owner.email, http_accept="*/*",
        path_info="/accounts/login/", **({"get_data": "", "post_data": "", "failures_since_start": 1} if model.__name__ == "AccessAttempt" else {}),
    )  # fmt: skip


ADMIN_ROWS = {
    "auth.group": lambda world: Group.objects.create(name="Reviewers"),
    "accounts.user": lambda world: world.owner,
    "benchmarks.occupation": lambda world: factories.OccupationFactory(),
    "benchmarks.role": lambda world: world.offer.role,
    "benchmarks.level": lambda world: world.offer.level,
    "benchmarks.companysize": lambda world: factories.CompanySizeFactory(),
    "benchmarks.location": lambda world: world.offer.location,
    "benchmarks.industry": lambda world: factories.IndustryFactory(),
    "benchmarks.source": lambda world: factories.SourceFactory(),
    "benchmarks.factor": lambda world: factories.FactorFactory(location=world.offer.location),
    "benchmarks.exchangerate": lambda world: factories.ExchangeRateFactory(),
    "benchmarks.band": lambda world: factories.BandFactory(),
    "benchmarks.levelbasis": lambda world: factories.LevelBasisFactory(),
    "benchmarks.wagegrowth": lambda world: factories.WageGrowthFactory(),
    "benchmarks.backtestfigure": lambda world: factories.BacktestFigureFactory(),
    "benchmarks.contribution": lambda world: ContributionFactory(),
    "benchmarks.communityband": lambda world: CommunityBandFactory(),
}
for _name in ("AccessAttempt", "AccessLog", "AccessFailureLog"):
    ADMIN_ROWS[f"axes.{_name.lower()}"] = _axes_row(apps.get_model("axes", _name))


# (URL name, parameter) → how to fill it; a None URL name fills that parameter anywhere else.
# Positional regex groups are named _0, _1… (see route_text and POSITIONAL).
PARAMETERS = {
    (None, "pk"): lambda world, route: world.offer.pk,
    ("offers:share_revoke", "pk"): lambda world, route: world.share_link().pk,
    ("offers:apply_round", "number"): lambda world, route: world.round().number,
    ("shared_comparison", "token"): lambda world, route: world.share_link().token,
    (None, "uidb64"): lambda world, route: urlsafe_base64_encode(force_bytes(world.owner.pk)),
    (None, "token"): lambda world, route: default_token_generator.make_token(world.owner),
    (None, "app_label"): lambda world, route: "benchmarks",
    (None, "object_id"): lambda world, route: world.admin_row(route).pk,
    (None, "id"): lambda world, route: world.admin_row(route).pk,
    (None, "content_type_id"): lambda world, route: (
        ContentType.objects.get_for_model(world.owner).pk
    ),
    (None, "url"): lambda world, route: "no-such-page/",
    ("admin:view_on_site", "object_id"): lambda world, route: world.owner.pk,
    ("benchmarks:search", "menu"): lambda world, route: "places",
}
# URL name → query string: pages that take their subject from the query, not the path.
QUERIES = {
    "offers:compare": lambda world: f"?offers={world.offer.pk}&offers={world.second_offer.pk}",
    "offers:compare_csv": lambda world: f"?offers={world.offer.pk}&offers={world.second_offer.pk}",
}
# simple_history's regex groups: the row, then one of its history records.
POSITIONAL = {
    r"/history/<_1>/$": {
        "_0": lambda world, route: world.admin_row(route).pk,
        "_1": lambda world, route: world.admin_row(route).history.first().history_id,
    }
}


def build_url(world: World, route: Route) -> str:
    path = "/"
    cache: dict[str, object] = {}
    for level in route.levels:
        fmt, params = normalize(level)[0]
        values = {}
        for param in params:
            filler = PARAMETERS.get((route.key, param)) or PARAMETERS.get((None, param))
            for pattern, positional in POSITIONAL.items():
                if re.search(pattern, route.route) and param in positional:
                    filler = positional[param]
            if filler is None:
                pytest.fail(
                    f"Don't know how to fill <{param}> of {route.key} ({route.route}): "
                    "add it to PARAMETERS in tests/test_url_access.py."
                )
            if param not in cache:
                cache[param] = filler(world, route.route)
            values[param] = cache[param]
        path += fmt % values
    query = QUERIES.get(route.key)
    return path + (query(world) if query else "")


# The tests ------------------------------------------------------------------------------


@pytest.fixture
def world(db) -> World:
    return World()


def wrong_answer(response, expected) -> str | None:
    got = response.status_code
    if isinstance(expected, Redirect):
        location = response.get("Location", "")
        if got != 302 or not location.startswith(expected.location()):
            return f"expected a redirect to {expected.location()}, got {got} {location}"
    elif got != expected:
        return f"expected {expected}, got {got}"
    return None


@pytest.mark.parametrize(("route", "method"), list(cases()))
def test_every_url_answers_each_kind_of_visitor_as_expected(world, route, method):
    expected = expected_for(route)[method]
    url = build_url(world, route)
    offer_before = Offer.objects.filter(pk=world.offer.pk).values().first()
    wrong = []
    for visitor in VISITORS:
        client = Client()
        if visitor != "anonymous":
            client.force_login(getattr(world, visitor))
        response = client.post(url) if method == "POST" else client.get(url)
        if problem := wrong_answer(response, expected[visitor]):
            wrong.append(f"{visitor}: {problem}")
        if visitor == "owner":
            continue
        # Nobody but the owner changes the owner's offer, or sees it, whatever the answer.
        if Offer.objects.filter(pk=world.offer.pk).values().first() != offer_before:
            wrong.append(f"{visitor}: changed the owner's offer")
        if not (SEEN_BY_OTHERS.match(route.route) or SEEN_BY_OTHERS.match(route.key)):
            body = b"" if response.streaming else response.content
            if any(company.encode() in body for company in OWNER_COMPANIES):
                wrong.append(f"{visitor}: was shown the owner's offer")
    assert not wrong, f"{method} {url} ({route.key}):\n" + "\n".join(wrong)


def test_the_table_names_only_urls_that_exist():
    keys = {route.key for route in ROUTES}
    assert set(ACCESS) <= keys, f"stale rows in ACCESS: {sorted(set(ACCESS) - keys)}"


def test_the_walk_found_the_whole_url_conf():
    keys = {route.key for route in ROUTES}
    assert {"home", "offers:detail", "admin:index", "admin:benchmarks_band_change"} <= keys
