"""Which addresses the fetcher may connect to: public ones only.

Python's `ipaddress` flags loopback, private, link-local, multicast and reserved ranges, but
not every block of the IANA IPv4 and IPv6 Special-Purpose Address Registries, and not the
IPv6 forms that carry an IPv4 address inside them (6to4, NAT64, Teredo, IPv4-compatible),
through which a private IPv4 host may still be reached. Both are handled here: the blocks
from the registries that are not globally reachable are refused by name, and an address
wrapping an IPv4 address is refused, naming the wrapped address when it is itself refused.
"""

import ipaddress

# The IANA Special-Purpose Address Registries, blocks not "Globally Reachable" (or N/A),
# besides those `ipaddress` already names. 192.0.0.0/24 and 2001::/23 are refused whole:
# the few blocks inside them marked globally reachable are anycast services and
# identifiers (PCP, TURN, AS112, AMT, ORCHIDv2, DRIP), never a site news is published on.
SPECIAL_PURPOSE = [
    (ipaddress.ip_network(network), name)
    for network, name in (
        ("0.0.0.0/8", "“this network”"),
        ("100.64.0.0/10", "shared address space (carrier-grade NAT)"),
        ("192.0.0.0/24", "IETF protocol assignments"),
        ("192.0.2.0/24", "documentation (TEST-NET-1)"),
        ("192.88.99.0/24", "deprecated 6to4 relay anycast"),
        ("198.18.0.0/15", "benchmarking"),
        ("198.51.100.0/24", "documentation (TEST-NET-2)"),
        ("203.0.113.0/24", "documentation (TEST-NET-3)"),
        ("240.0.0.0/4", "reserved"),
        ("255.255.255.255/32", "limited broadcast"),
        ("100::/64", "discard-only"),
        ("100:0:0:1::/64", "dummy IPv6 prefix"),
        ("2001::/23", "IETF protocol assignments"),
        ("2001:db8::/32", "documentation"),
        ("3fff::/20", "documentation"),
        ("5f00::/16", "segment routing (SRv6 SIDs)"),
        ("fec0::/10", "deprecated site-local"),
    )
]
PRIVATE = [
    ipaddress.ip_network(network)
    for network in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7")
]
# Only this block of IPv6 is global unicast; everything outside it is special or unassigned.
GLOBAL_UNICAST = ipaddress.ip_network("2000::/3")
NAT64 = ipaddress.ip_network("64:ff9b::/96")
NAT64_LOCAL = ipaddress.ip_network("64:ff9b:1::/48")


def refusal(address: str, limits) -> str:
    """Why the newsroom will not connect to `address`, or "" when it may. `limits` carries
    `allowed_networks`, let in though not public (an intranet, or loopback in tests)."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return "not an IP address"
    if ip.version == 6 and ip.ipv4_mapped:
        ip = ip.ipv4_mapped  # the very same IPv4 host, so judged as one
    if _within(ip, limits.allowed_networks):
        return ""
    wrapping = _wrapped_ipv4(ip)
    if wrapping:
        kind, inner = wrapping
        problem = _problem(inner)
        if problem:
            return f"{kind} wrapping {inner}, {problem}"
        return f"{kind} (an IPv4 address, {inner}, in IPv6 form)"
    return _problem(ip)


def _problem(ip) -> str:
    for kind, test in (
        ("loopback", ip.is_loopback),
        ("unspecified", ip.is_unspecified),
        ("link-local", ip.is_link_local),
        ("multicast", ip.is_multicast),
        ("private", _within(ip, PRIVATE)),
        ("reserved", ip.is_reserved),
    ):
        if test:
            return f"{'an' if kind[0] in 'aeiou' else 'a'} {kind} address"
    for network, name in SPECIAL_PURPOSE:
        if _within(ip, [network]):
            return f"a special-purpose address, {name} ({network})"
    if ip.version == 6 and ip not in GLOBAL_UNICAST:
        return "not a public address"
    return "" if ip.is_global else "not a public address"


def _wrapped_ipv4(ip):
    """(what kind of wrapping, the IPv4 address inside) for an IPv6 address that carries
    one, else None."""
    if ip.version != 6:
        return None
    if ip.sixtofour:
        return "a 6to4 address", ip.sixtofour
    if ip.teredo:
        _server, client = ip.teredo
        return "a Teredo address", client
    if ip in NAT64 or ip in NAT64_LOCAL:
        return "a NAT64 address", ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    if int(ip) >> 32 == 0 and int(ip) > 1:
        return "an IPv4-compatible address", ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def _within(ip, networks) -> bool:
    return any(ip.version == network.version and ip in network for network in networks)
