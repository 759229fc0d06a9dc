/**
 * The Host check of open loopback access. Without keys the collector trusts whoever can reach
 * 127.0.0.1, but a web page can reach it too: DNS rebinding points a name the attacker owns at
 * 127.0.0.1, and the browser then sends that page's requests, same-origin, with `Host: evil.example`.
 * A collector bound to loopback knows its only honest names: localhost, 127.0.0.0/8 and [::1].
 * Exporters send `Host` as the address they target, so those pass.
 */
const IPV4_LOOPBACK = /^127\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/** The host name of an authority (`name`, `name:port`, `[v6]`, `[v6]:port`), or undefined when malformed. */
export function authorityHost(authority: string): string | undefined {
  const match = /^(\[[0-9A-Fa-f:.]+\]|[^:[\]]+)(?::(\d{1,5}))?$/.exec(authority.trim());
  if (!match) return undefined;
  if (match[2] !== undefined && Number(match[2]) > 65_535) return undefined;
  return match[1].toLowerCase();
}

/** True for `localhost`, an address in 127.0.0.0/8, `[::1]` or `[::ffff:127.x.y.z]`. */
export function isLoopbackName(host: string): boolean {
  if (host === 'localhost' || host === '[::1]') return true;
  const bare = host.startsWith('[::ffff:') && host.endsWith(']') ? host.slice(8, -1) : host;
  const octets = IPV4_LOOPBACK.exec(bare);
  return octets !== null && octets.slice(1).every((octet) => Number(octet) <= 255);
}

/** Undefined when the authority names this machine; else the reason to refuse the request. */
export function loopbackHostRefusal(authority: string | undefined): string | undefined {
  if (authority === undefined || authority.trim() === '') {
    return 'a Host header is required: this collector has no keys and answers only requests addressed to localhost';
  }
  const host = authorityHost(authority);
  if (host !== undefined && isLoopbackName(host)) return undefined;
  return `Host "${authority.slice(0, 100)}" is not this machine: without keys the collector answers only requests addressed to localhost, 127.0.0.1 or [::1] (a page on another name may be a DNS-rebinding attack); give --keys to serve other names`;
}
