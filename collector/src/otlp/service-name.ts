import type { Attributes } from '@threshold/core';

/** What OTel SDKs report when a resource carries no service.name. */
export const UNKNOWN_SERVICE = 'unknown_service';

/** The resource's `service.name`, or 'unknown_service' when absent or empty. */
export function serviceNameOf(resourceAttributes: Attributes): string {
  const value = resourceAttributes['service.name'];
  if (typeof value === 'string') return value === '' ? UNKNOWN_SERVICE : value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return UNKNOWN_SERVICE;
}
