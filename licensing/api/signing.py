"""Every answer of a client endpoint is signed (Ed25519, see ``licensing.crypto``): success and
error bodies alike, so a desktop app can reject a faked local server or a replayed answer."""

import re
import time

from licensing import crypto

_NONCE_RE = re.compile(r"^[A-Za-z0-9._:+/=-]{1,128}$")


class SignedResponseMixin:
    """For DRF views. The signing key is checked (after authentication) before the handler runs,
    so a server without a key refuses with 503 ``SIGNING_KEY_MISSING`` instead of changing state
    and answering unsigned."""

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)  # authentication, permissions, throttles
        crypto.signing_key()

    def dispatch(self, request, *args, **kwargs):
        response = super().dispatch(request, *args, **kwargs)
        if hasattr(response, "render") and not getattr(response, "is_rendered", True):
            response.render()
        nonce = request.headers.get(crypto.HEADER_NONCE, "")
        if not _NONCE_RE.match(nonce):
            nonce = ""
        try:
            headers = crypto.sign_response(
                timestamp=str(int(time.time())),
                nonce=nonce,
                method=request.method,
                path=request.get_full_path(),
                body=response.content,
            )
        except crypto.SigningKeyMissing:
            return response  # already the 503 envelope from initial()
        for name, value in headers.items():
            response[name] = value
        return response
