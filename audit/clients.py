"""The client's address, one rule for everything that counts or records it: the portal's
rate limits, the log-in lock-out (django-axes) and the audit record.

`X-Forwarded-For` is believed only when the request comes from a trusted proxy
(OGI_TRUSTED_PROXIES): then the chain is read from the right, skipping the trusted
proxies, and the first address that is not one of them is the client. Whatever a client
writes into the header itself sits to the left of that and is never used, so nobody can
pick an address to dodge a limit or to lock someone else out."""
from __future__ import annotations

import ipaddress

from django.conf import settings


def _networks() -> list:
    out = []
    for entry in getattr(settings, "TRUSTED_PROXIES", ()):
        try:
            out.append(ipaddress.ip_network(entry.strip(), strict=False))
        except ValueError:
            continue
    return out


def _address(text: str):
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


def client_address(request) -> str:
    if request is None:
        return ""
    meta = getattr(request, "META", {})
    remote = (meta.get("REMOTE_ADDR") or "").strip()
    networks = _networks()
    peer = _address(remote)
    if not networks or peer is None or not any(peer in net for net in networks):
        return remote
    chain = [part for part in meta.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    for part in reversed(chain):
        address = _address(part)
        if address is None:  # a trusted proxy wrote garbage: count the proxy's own peer
            return remote
        if not any(address in net for net in networks):
            return str(address)
    # every hop is a trusted proxy: the left-most is as far as anyone can see
    return str(_address(chain[0])) if chain else remote
