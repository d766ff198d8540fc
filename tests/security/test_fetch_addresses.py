"""The fetcher's guard against server-side request forgery, address by address: every block
of the IANA IPv4 and IPv6 Special-Purpose Address Registries that is not globally reachable
is refused, and so is every IPv6 form wrapping an IPv4 address (6to4, NAT64, Teredo,
IPv4-compatible), naming the wrapped address when it is itself refused. An allowed network
lets in itself only."""

import ipaddress

import pytest

from newsroom.desk.importing.addresses import SPECIAL_PURPOSE
from newsroom.desk.importing.fetching import FetchLimits, checked_address, refusal

NONE_ALLOWED = FetchLimits(1, 1, 1, (), "test")
LOOPBACK_ALLOWED = FetchLimits(1, 1, 1, (ipaddress.ip_network("127.0.0.0/8"),), "test")

REFUSED = [
    # Wrapped IPv4, the wrapped address named when it is refused itself.
    ("2002:7f00:1::1", "a 6to4 address wrapping 127.0.0.1, a loopback address"),
    ("2002:a9fe:a9fe::1", "a 6to4 address wrapping 169.254.169.254, a link-local address"),
    ("2002:a00:1::", "a 6to4 address wrapping 10.0.0.1, a private address"),
    ("2002:808:808::1", "a 6to4 address (an IPv4 address, 8.8.8.8, in IPv6 form)"),
    ("64:ff9b::7f00:1", "a NAT64 address wrapping 127.0.0.1, a loopback address"),
    ("64:ff9b::a9fe:a9fe", "a NAT64 address wrapping 169.254.169.254, a link-local address"),
    ("64:ff9b::808:808", "a NAT64 address (an IPv4 address, 8.8.8.8, in IPv6 form)"),
    ("64:ff9b:1::c0a8:101", "a NAT64 address wrapping 192.168.1.1, a private address"),
    (
        "2001:0:4136:e378:8000:63bf:80ff:fffe",
        "a Teredo address wrapping 127.0.0.1, a loopback address",
    ),
    (
        "2001:0:4136:e378:8000:63bf:f5ff:fffe",
        "a Teredo address wrapping 10.0.0.1, a private address",
    ),
    ("::127.0.0.1", "an IPv4-compatible address wrapping 127.0.0.1, a loopback address"),
    ("::a00:1", "an IPv4-compatible address wrapping 10.0.0.1, a private address"),
    ("::8.8.8.8", "an IPv4-compatible address (an IPv4 address, 8.8.8.8, in IPv6 form)"),
    ("::ffff:169.254.169.254", "a link-local address"),
    ("::ffff:192.0.0.8", "a special-purpose address, IETF protocol assignments (192.0.0.0/24)"),
    # IPv4 special-purpose blocks.
    ("192.0.0.8", "a special-purpose address, IETF protocol assignments (192.0.0.0/24)"),
    ("192.0.0.170", "a special-purpose address, IETF protocol assignments (192.0.0.0/24)"),
    (
        "192.88.99.1",
        "a special-purpose address, deprecated 6to4 relay anycast (192.88.99.0/24)",
    ),
    ("0.1.2.3", "a special-purpose address, “this network” (0.0.0.0/8)"),
    ("192.0.2.1", "a special-purpose address, documentation (TEST-NET-1) (192.0.2.0/24)"),
    ("198.18.0.1", "a special-purpose address, benchmarking (198.18.0.0/15)"),
    ("198.19.255.255", "a special-purpose address, benchmarking (198.18.0.0/15)"),
    ("198.51.100.7", "a special-purpose address, documentation (TEST-NET-2) (198.51.100.0/24)"),
    ("203.0.113.9", "a special-purpose address, documentation (TEST-NET-3) (203.0.113.0/24)"),
    (
        "100.127.255.254",
        "a special-purpose address, shared address space (carrier-grade NAT) (100.64.0.0/10)",
    ),
    ("255.255.255.255", "a reserved address"),
    ("172.31.255.255", "a private address"),
    # IPv6 special-purpose blocks.
    ("2001:db8::1", "a special-purpose address, documentation (2001:db8::/32)"),
    ("3fff::1", "a special-purpose address, documentation (3fff::/20)"),
    ("2001:2::1", "a special-purpose address, IETF protocol assignments (2001::/23)"),
    ("2001:10::1", "a special-purpose address, IETF protocol assignments (2001::/23)"),
    ("fec0::1", "a special-purpose address, deprecated site-local (fec0::/10)"),
    ("100::1", "a reserved address"),
    ("5f00::1", "a reserved address"),
    ("fc00::1", "a private address"),
    ("fe80::1%eth0", "a link-local address"),
    ("ff05::2", "a multicast address"),
]


@pytest.mark.parametrize(("address", "kind"), REFUSED, ids=[a for a, _ in REFUSED])
def test_special_purpose_and_wrapped_addresses_are_refused(address, kind):
    assert refusal(address, NONE_ALLOWED) == kind


@pytest.mark.parametrize(("network", "name"), SPECIAL_PURPOSE, ids=lambda v: str(v))
def test_every_special_purpose_block_is_refused_at_both_ends(network, name):
    for address in (network.network_address, network.broadcast_address):
        assert refusal(str(address), NONE_ALLOWED), address


@pytest.mark.parametrize(
    "address",
    ["93.184.215.14", "1.1.1.1", "2606:2800:21f:cb07:6820:80da:af6b:8b2c", "2a00:1450::1"],
)
def test_public_addresses_pass(address):
    assert refusal(address, NONE_ALLOWED) == ""


@pytest.mark.parametrize(
    "address",
    ["2002:7f00:1::1", "64:ff9b::7f00:1", "::127.0.0.1", "2001:0:4136:e378:8000:63bf:80ff:fffe"],
)
def test_allowing_loopback_does_not_let_in_loopback_wrapped_in_a_tunnel(address):
    assert refusal("::ffff:127.0.0.1", LOOPBACK_ALLOWED) == ""
    assert refusal(address, LOOPBACK_ALLOWED).endswith("wrapping 127.0.0.1, a loopback address")


def test_a_host_resolving_to_a_wrapped_private_address_is_refused_before_connecting(
    monkeypatch,
):
    import socket

    import httpx

    from newsroom.desk.importing.fetching import FetchRefused

    def resolve(host, port, **kwargs):
        return [(socket.AF_INET6, socket.SOCK_STREAM, 6, "", ("2002:a9fe:a9fe::1", port, 0, 0))]

    monkeypatch.setattr(socket, "getaddrinfo", resolve)
    with pytest.raises(FetchRefused) as refused:
        checked_address(httpx.URL("http://metadata.example/"), NONE_ALLOWED)
    assert str(refused.value) == (
        "refused: metadata.example resolves to 2002:a9fe:a9fe::1, a 6to4 address wrapping "
        "169.254.169.254, a link-local address; only public addresses are fetched"
    )
