/**
 * Which network addresses outbound requests (webhooks, test events, redeliveries, the `http`
 * voice provider) may connect to: public unicast only. Every address is classified with ipaddr.js;
 * IPv6 forms that carry an IPv4 address (IPv4-mapped ::ffff:a.b.c.d, IPv4-compatible ::a.b.c.d,
 * NAT64 64:ff9b::/96, 6to4 2002::/16) are judged by the IPv4 address inside them.
 */
import ipaddr from 'ipaddr.js';

export interface AddressVerdict {
  /** True when the address is public unicast. */
  allowed: boolean;
  /** ipaddr.js's name for the range that decided it (e.g. `private`, `carrierGradeNat`). */
  range: string;
  /** The address to connect to: the IPv4 address of a mapped or compatible IPv6 form. */
  connectTo: string;
  family: 4 | 6;
}

const refused = (range: string, address: string, family: 4 | 6): AddressVerdict => ({
  allowed: false,
  range,
  connectTo: address,
  family,
});

function classifyV4(v4: ipaddr.IPv4): AddressVerdict {
  const range = v4.range();
  const text = v4.toString();
  return range === 'unicast'
    ? { allowed: true, range, connectTo: text, family: 4 }
    : refused(range, text, 4);
}

/** The IPv4 address an IPv6 address carries, when it is one of the embedding forms. */
function embeddedV4(v6: ipaddr.IPv6): { v4: ipaddr.IPv4; unwrap: boolean } | null {
  const parts = v6.parts;
  const v4At = (hi: number, lo: number) =>
    new ipaddr.IPv4([hi >> 8, hi & 0xff, lo >> 8, lo & 0xff]);
  // ::ffff:a.b.c.d (mapped) and ::a.b.c.d (compatible): the kernel speaks IPv4 to them.
  if (parts.slice(0, 5).every((p) => p === 0) && (parts[5] === 0xffff || parts[5] === 0)) {
    return { v4: v4At(parts[6]!, parts[7]!), unwrap: true };
  }
  // 64:ff9b::a.b.c.d (NAT64, RFC 6052): a translator connects to the IPv4 address.
  if (parts[0] === 0x64 && parts[1] === 0xff9b && parts.slice(2, 6).every((p) => p === 0)) {
    return { v4: v4At(parts[6]!, parts[7]!), unwrap: false };
  }
  // 2002:AABB:CCDD::/48 (6to4, RFC 3056): relays reach the IPv4 address AA.BB.CC.DD.
  if (parts[0] === 0x2002) return { v4: v4At(parts[1]!, parts[2]!), unwrap: false };
  return null;
}

/** Whether an IP address (IPv4 or IPv6 text) may be connected to; null when it is not an IP. */
export function classifyAddress(address: string): AddressVerdict | null {
  const text = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  if (!ipaddr.isValid(text)) return null;
  const parsed = ipaddr.parse(text);
  if (parsed.kind() === 'ipv4') return classifyV4(parsed as ipaddr.IPv4);
  const v6 = parsed as ipaddr.IPv6;
  const v6text = v6.toString();
  const range = v6.range();
  if (range === 'unspecified' || range === 'loopback') return refused(range, v6text, 6);
  const embedded = embeddedV4(v6);
  if (embedded) {
    const inner = classifyV4(embedded.v4);
    if (!inner.allowed) return refused(`${range}:${inner.range}`, v6text, 6);
    return embedded.unwrap ? inner : { allowed: true, range, connectTo: v6text, family: 6 };
  }
  // Global unicast is 2000::/3; everything else (and the special ranges inside it) is refused.
  const global = v6.match(ipaddr.IPv6.parse('2000::'), 3);
  if (range !== 'unicast' || !global) return refused(global ? range : 'reserved', v6text, 6);
  return { allowed: true, range, connectTo: v6text, family: 6 };
}

/** True when the text is an IP address that is not public unicast. */
export function isRefusedAddress(address: string): boolean {
  const verdict = classifyAddress(address);
  return verdict !== null && !verdict.allowed;
}
