"""OfferBench settings, one module per way of running the app, chosen by DJANGO_SETTINGS_MODULE.

- ``config.settings.dev``: ``manage.py``'s default (``make run``): DEBUG on, mail to the console.
- ``config.settings.test``: what pytest uses (pyproject.toml): fast hashers, mail kept in memory.
- ``config.settings.prod``: ``config.wsgi``/``config.asgi``'s default: DEBUG off, a secret key
  required, HTTPS and secure cookies. Set it for ``manage.py`` too when running in production.

``base`` holds everything they share. Every variable read is listed in the README's
configuration table.
"""
