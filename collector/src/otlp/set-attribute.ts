import type { AttributeValue, Attributes } from '@threshold/core';

/**
 * Stores one attribute. Keys come from the network, so "__proto__" must land as an own property
 * (a plain assignment would swap the object's prototype instead and lose the value).
 */
export function setAttribute(attributes: Attributes, key: string, value: AttributeValue): void {
  if (key === '__proto__') {
    Object.defineProperty(attributes, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    attributes[key] = value;
  }
}
