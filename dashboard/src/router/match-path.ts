/**
 * Matches a URL path against a pattern like `/traces/:traceId`. Segments starting with `:` capture
 * one decoded path segment; everything else must match exactly. A trailing slash is ignored.
 * Returns the captured parameters, or null when the path does not match.
 */
export function matchPath(pattern: string, pathname: string): Record<string, string> | null {
  const patternSegments = splitPath(pattern);
  const pathSegments = splitPath(pathname);
  if (patternSegments.length !== pathSegments.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < patternSegments.length; i++) {
    const expected = patternSegments[i];
    const actual = pathSegments[i];
    if (expected.startsWith(':')) {
      const value = safeDecode(actual);
      if (value === null || value === '') return null;
      params[expected.slice(1)] = value;
    } else if (expected !== actual) {
      return null;
    }
  }
  return params;
}

/** Fills a pattern's `:name` segments, encoding each value. */
export function fillPath(pattern: string, params: Record<string, string>): string {
  const filled = splitPath(pattern).map((segment) =>
    segment.startsWith(':') ? encodeURIComponent(params[segment.slice(1)] ?? '') : segment,
  );
  return '/' + filled.join('/');
}

function splitPath(path: string): string[] {
  return path.split('/').filter((segment) => segment !== '');
}

function safeDecode(segment: string): string | null {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}
