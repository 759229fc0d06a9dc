import type { IncomingMessage } from 'node:http';
import { authorityHost } from './host-check.js';

/**
 * The CSRF defence for requests a browser authorises on its own: those carrying the session
 * cookie, sign-in itself (login CSRF would sign a victim in to the attacker's project), and every
 * change under open access (where reaching the port is the only credential). A browser names the
 * page that caused a request in `Origin` (sent on every POST, PUT and DELETE) and says how it
 * relates to the target in `Sec-Fetch-Site`; a request another site caused is refused. Clients
 * that are not browsers send neither header and are not concerned: they hold no ambient
 * credential to abuse. The SameSite=Strict cookie is a second, independent defence.
 */
export interface CrossSitePolicy {
  /** Origins the operator allowed with --cors-origin (`*` for any); trusted for open-access calls only. */
  corsOrigins: readonly string[];
  /** True: only the collector's own pages pass (cookie sessions and sign-in). */
  sameOriginOnly: boolean;
}

const SAME_ORIGIN_FETCH = ['same-origin', 'none'];

/** The origin's authority with the scheme's default port made explicit, for comparison with Host. */
function originAuthority(origin: string): string | undefined {
  try {
    const url = new URL(origin);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
    return `${url.hostname.toLowerCase()}:${url.port || (url.protocol === 'https:' ? '443' : '80')}`;
  } catch {
    return undefined;
  }
}

function hostAuthority(host: string, origin: string): string | undefined {
  const name = authorityHost(host);
  if (name === undefined) return undefined;
  const port = /:(\d+)$/.exec(host.trim())?.[1] ?? (origin.startsWith('https:') ? '443' : '80');
  return `${name}:${Number(port)}`;
}

/**
 * Undefined when the request may proceed; else the reason it looks caused by another site.
 * `host` is the authority the request was addressed to (Host, or an absolute-form target's).
 */
export function crossSiteRefusal(request: IncomingMessage, host: string | undefined, policy: CrossSitePolicy): string | undefined {
  const origin = request.headers.origin;
  if (origin !== undefined) {
    const own = host !== undefined && originAuthority(origin) !== undefined && originAuthority(origin) === hostAuthority(host, origin);
    if (own) return undefined;
    if (!policy.sameOriginOnly && origin !== 'null' && (policy.corsOrigins.includes(origin) || policy.corsOrigins.includes('*')))
      return undefined;
    return `a page of ${origin.slice(0, 100)} may not make this request: it is not the collector's own dashboard`;
  }
  const site = request.headers['sec-fetch-site'];
  if (site !== undefined && !SAME_ORIGIN_FETCH.includes(site)) {
    return `a request caused by another site (Sec-Fetch-Site: ${site.slice(0, 20)}) may not make this change`;
  }
  return undefined;
}
