"""The person's own language: chosen once, kept on every device they log in on.

How the interface language is chosen, first match wins:

1. a logged-in person's saved choice (``User.preferred_language``), applied by
   :class:`PreferredLanguageMiddleware` and copied into the language cookie, so it also
   holds after they log out on that device;
2. the language cookie (set by the language menu, :func:`set_language`);
3. the browser's Accept-Language;
4. ``settings.LANGUAGE_CODE`` (nb).

The language menu posts to :func:`set_language`, which is Django's view plus saving the
choice for a logged-in person. Content (case texts, answers) is never translated: it keeps
the municipality's målform whatever the interface language.

E-mails are written in :func:`email_language` of the person's saved choice, then the
language they used when they gave the input or asked to follow, then the municipality's.
The core stands below identity, so the user is read through its attributes only.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

FIELD = "preferred_language"
COOKIE_AGE = 365 * 24 * 3600


def supported(code: str | None) -> str:
    """``code`` if Medvirk speaks it, else "" (a stored or posted value is never trusted)."""
    return code if code and code in dict(settings.LANGUAGES) else ""


def email_language(*candidates: str | None) -> str:
    """The first supported language among ``candidates``, else the site's default.

    For e-mail to a person: ``email_language(user.preferred_language, contribution.language,
    municipality.default_language)`` (leave out what the e-mail has no source for).
    """
    for code in candidates:
        if supported(code):
            return str(code)
    return str(settings.LANGUAGE_CODE)


def _set_cookie(response: HttpResponse, code: str) -> None:
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=settings.LANGUAGE_COOKIE_AGE or COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Django's ``set_language`` (cookie, safe redirect), plus the logged-in person's choice."""
    response = django_set_language(request)
    code = supported(request.POST.get("language"))
    user = request.user
    if code and user.is_authenticated and getattr(user, FIELD, code) != code:
        setattr(user, FIELD, code)
        user.save(update_fields=[FIELD])
    return response


class PreferredLanguageMiddleware:
    """A logged-in person's saved language wins over the cookie and the browser.

    Goes after ``AuthenticationMiddleware`` (it reads ``request.user``) and after
    ``LocaleMiddleware`` (whose choice it replaces).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        code = supported(getattr(user, FIELD, "")) if user and user.is_authenticated else ""
        if not code or code == getattr(request, "LANGUAGE_CODE", ""):
            return self.get_response(request)
        translation.activate(code)
        request.LANGUAGE_CODE = code
        response = self.get_response(request)
        if settings.LANGUAGE_COOKIE_NAME in response.cookies:
            return response  # the person just chose (set_language): their new choice stands
        if request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) != code:
            _set_cookie(response, code)
        return response
