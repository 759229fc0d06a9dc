import type { AttributeValue } from '@threshold/core';

/** What OTel SDKs report when a resource carries no service.name. */
export const UNKNOWN_SERVICE = 'unknown_service';

/** The attribute key the service name is read from. */
export const SERVICE_NAME_KEY = 'service.name';

/**
 * The service name a resource's `service.name` value gives (already cut to the cap): a string as
 * it is, a number or boolean as text, 'unknown_service' when absent, empty or a list.
 */
export function serviceNameOf(value: AttributeValue | undefined): string {
  if (typeof value === 'string') return value === '' ? UNKNOWN_SERVICE : value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return UNKNOWN_SERVICE;
}
