"""Expected statuses for sign-in, the account page and password reset."""

from keycities.tests.access import EVERYONE, SIGNED_IN, Row, expect

ALL_405 = expect(405, 405, 405, 405, 405)

ROWS = [
    Row("accounts:account", SIGNED_IN),
    # A signed-in user asking for the sign-in page is sent on to their account.
    Row("accounts:sign-in", expect(200, 302, 302, 302, 302)),
    Row("accounts:sign-out", ALL_405, label="signing out needs a POST"),
    Row("accounts:password-reset", EVERYONE),
    Row("accounts:password-reset-sent", EVERYONE),
    Row(
        "accounts:password-reset-confirm",
        EVERYONE,
        kwargs={"uidb64": "MQ", "token": "not-a-token"},
        label="an invalid link says so",
    ),
    Row("accounts:password-reset-complete", EVERYONE),
]
