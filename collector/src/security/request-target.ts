/**
 * The one canonical spelling of a request target, computed before anything is decided on it.
 *
 * Node hands the target over as it came on the wire: absolute-form (`GET http://host/api/traces`),
 * percent-encoded letters (`/%61pi/traces`), dot segments, doubled slashes. Express would route
 * several of those to an API route while a check on the raw text saw something else, so the
 * gateway decides access on this canonical path and then hands the router exactly this path.
 *
 * - absolute-form `http(s)://authority/path` becomes origin-form; its authority replaces Host
 *   (RFC 9112 §3.2.2), so the Host check sees it;
 * - percent-encoded unreserved characters (letters, digits, `-._~`) are decoded, the other
 *   escapes kept with upper-case hex (RFC 3986 §6.2.2): `/%61pi` and `/api` are one path;
 * - refused: targets that are not a path (`*`, `api/x`), other schemes, user info, fragments,
 *   malformed escapes, `%00`, backslashes, control and non-ASCII bytes, `.`/`..` segments (also
 *   encoded) and empty segments (`//`), but a trailing `/` is left for the router to judge;
 * - the query string is passed on untouched (its parameters are validated by each route).
 */
export type CanonicalTarget = { ok: true; path: string; search: string; authority?: string } | { ok: false; error: string };

const ABSOLUTE_FORM = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/([^/?#]*)(.*)$/s;
const UNRESERVED = /^[A-Za-z0-9\-._~]$/;
const HEX_PAIR = /^[0-9A-Fa-f]{2}$/;

const refuse = (error: string): CanonicalTarget => ({ ok: false, error });

export function canonicalTarget(raw: string | undefined): CanonicalTarget {
  let target = raw ?? '';
  let authority: string | undefined;
  const absolute = ABSOLUTE_FORM.exec(target);
  if (absolute) {
    if (!/^https?$/i.test(absolute[1]))
      return refuse(`request target scheme "${absolute[1]}" is not served: send a path such as /v1/traces`);
    if (absolute[2].includes('@')) return refuse('request target must not carry user info');
    if (absolute[2] === '') return refuse('request target has an empty authority');
    authority = absolute[2];
    target = absolute[3] === '' ? '/' : absolute[3].startsWith('?') ? `/${absolute[3]}` : absolute[3];
  }
  if (!target.startsWith('/')) return refuse('request target must be a path starting with /');
  const queryAt = target.indexOf('?');
  const rawPath = queryAt < 0 ? target : target.slice(0, queryAt);
  const search = queryAt < 0 ? '' : target.slice(queryAt);
  if (target.includes('#')) return refuse('request target must not carry a fragment (#)');
  let path = '';
  for (let at = 0; at < rawPath.length; at++) {
    const character = rawPath[at];
    const code = character.charCodeAt(0);
    if (character === '%') {
      const hex = rawPath.slice(at + 1, at + 3);
      if (!HEX_PAIR.test(hex)) return refuse(`path has a malformed percent-escape at character ${at + 1}`);
      const decoded = String.fromCharCode(parseInt(hex, 16));
      if (decoded === '\0') return refuse('path must not hold an encoded NUL (%00)');
      path += UNRESERVED.test(decoded) ? decoded : `%${hex.toUpperCase()}`;
      at += 2;
    } else if (character === '\\') {
      return refuse('path must not hold a backslash');
    } else if (code <= 0x20 || code >= 0x7f) {
      return refuse('path must be printable ASCII: percent-encode other characters');
    } else {
      path += character;
    }
  }
  const segments = path.split('/').slice(1);
  for (let index = 0; index < segments.length; index++) {
    const segment = segments[index];
    if (segment === '.' || segment === '..') return refuse('path must not hold . or .. segments');
    if (segment === '' && index < segments.length - 1) return refuse('path must not hold an empty segment (//)');
  }
  return authority === undefined ? { ok: true, path, search } : { ok: true, path, search, authority };
}
