"""Outbound HTTP to public addresses only: the check every address must pass, and a connection
that goes to the addresses checked (shared by webhooks and the importer's media fetching).

A host is resolved once and each address it resolves to is checked; the connection then goes
to one of those addresses, so a DNS answer that changes between the check and the connection
(DNS rebinding) cannot turn it towards an internal service.
"""

import http.client
import ipaddress
import socket
import ssl
import time

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

# IPv6 prefixes that embed an IPv4 address in their last 32 bits (NAT64, RFC 6052).
_NAT64 = ipaddress.ip_network("64:ff9b::/96")

_TLS = ssl.create_default_context()


def address_refusal(address: IPAddress) -> str | None:
    """Why `address` may not be connected to (its kind), or None for a public address."""
    if isinstance(address, ipaddress.IPv6Address):
        embedded = address.ipv4_mapped or address.sixtofour
        if embedded is None and address in _NAT64:
            embedded = ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
        if embedded is None and address.teredo:
            embedded = address.teredo[1]
        if embedded is not None:
            return address_refusal(embedded)
    checks = (
        ("unspecified", address.is_unspecified),
        ("loopback", address.is_loopback),
        ("link-local", address.is_link_local),
        ("multicast", address.is_multicast),
        ("private", address.is_private),
        ("reserved", address.is_reserved),
        # Shared address space (100.64.0.0/10), documentation and benchmark ranges, ...
        ("non-public", not address.is_global),
    )
    for kind, applies in checks:
        if applies:
            return kind
    return None


def refused_address(addresses: tuple[str, ...]) -> tuple[str, str] | None:
    """The first of `addresses` that is not public, with its kind, or None."""
    for address in addresses:
        reason = address_refusal(ipaddress.ip_address(address.split("%", 1)[0]))
        if reason:
            return address, reason
    return None


def host_resolve(host: str, port: int) -> tuple[str, ...]:
    """Every address `host` resolves to; OSError when it resolves to none."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except UnicodeError as error:
        raise OSError(str(error)) from None
    addresses = []
    for _family, _type, _proto, _canonname, sockaddr in infos:
        if sockaddr[0] not in addresses:
            addresses.append(sockaddr[0])
    if not addresses:
        raise OSError(f"{host} resolves to no address")
    return tuple(addresses)


class PinnedConnection(http.client.HTTPConnection):
    """Connects to the addresses already checked, not to whatever the host resolves to now."""

    def __init__(
        self,
        *,
        scheme: str,
        host: str,
        port: int,
        addresses: tuple[str, ...],
        timeout: float,
        deadline: float,
    ):
        super().__init__(host, port, timeout=timeout)
        self.scheme = scheme
        self.addresses = addresses
        self.deadline = deadline

    def connect(self):
        error: OSError | None = None
        for address in self.addresses:
            remaining = self.deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError("no time left to connect")
            try:
                self.sock = socket.create_connection((address, self.port), remaining)
                self.sock.settimeout(self.timeout)
                break
            except OSError as exc:
                error = exc
        else:
            raise error or OSError("no address to connect to")
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        if self.scheme == "https":
            # Certificates are verified against the host name in the URL.
            self.sock = _TLS.wrap_socket(self.sock, server_hostname=self.host)
