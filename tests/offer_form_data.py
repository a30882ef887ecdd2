"""What a browser sends for an offer, as the offer form shows it: each field's value as drawn,
a ticked box as "on", and nothing for an empty field or a box left unticked."""

import datetime

from offers.forms import OfferForm


def offer_form_data(offer) -> dict[str, str]:
    form = OfferForm(instance=offer)
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is True:
            data[name] = "on"
        elif value is not None and value is not False:  # 0 is a value: `0 in (None, False)`
            data[name] = value.isoformat() if isinstance(value, datetime.date) else str(value)
    return data
