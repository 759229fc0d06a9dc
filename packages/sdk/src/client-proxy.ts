/**
 * Instruments an SDK client without touching it: a Proxy over the client and over each resource
 * on the way to an instrumented method (`client.chat.completions.create`). Everything else reads
 * through unchanged, `instanceof` still holds (the prototype is the target's), and resources see
 * the instrumented client as their `_client`, so the SDKs' own helpers (`.stream()`, `.parse()`,
 * `runTools()`), which call back into `client.….create`, are instrumented too.
 * Client methods are called on the real client (not the proxy), because SDK clients keep state in
 * `#private` fields that a proxy cannot reach.
 */

/** Replaces one method: gets the original and returns the instrumented function. */
export type MethodInstrumenter = (original: (...args: any[]) => unknown) => (...args: any[]) => unknown;

/** Which members to instrument: nested resources, or a method's instrumenter. */
export interface ProxyPlan {
  [member: string]: ProxyPlan | MethodInstrumenter;
}

const wrappedClients = new WeakSet<object>();

/** Whether `value` is already an instrumented client (wrapping twice would double the spans). */
export function isInstrumentedClient(value: unknown): boolean {
  return typeof value === 'object' && value !== null && wrappedClients.has(value);
}

function proxyResource<T extends object>(target: T, plan: ProxyPlan, client: () => object): T {
  const members = new Map<PropertyKey, { source: unknown; proxied: unknown }>();
  return new Proxy(target, {
    get(object, member, receiver) {
      if (member === '_client') return client();
      const value = Reflect.get(object, member, receiver);
      const entry = typeof member === 'string' && Object.prototype.hasOwnProperty.call(plan, member) ? plan[member] : undefined;
      if (entry === undefined || value === null || (typeof value !== 'object' && typeof value !== 'function')) return value;
      const cached = members.get(member);
      if (cached !== undefined && cached.source === value) return cached.proxied;
      const proxied =
        typeof entry === 'function'
          ? typeof value === 'function'
            ? entry(value as (...args: any[]) => unknown)
            : value
          : proxyResource(value as object, entry, client);
      members.set(member, { source: value, proxied });
      return proxied;
    },
  });
}

/** A proxy over `client` with the methods named in `plan` instrumented. */
export function proxyClient<T extends object>(client: T, plan: ProxyPlan): T {
  if (isInstrumentedClient(client)) return client;
  const boundMethods = new Map<PropertyKey, { source: unknown; bound: unknown }>();
  const resourceProxies = new Map<PropertyKey, { source: unknown; proxied: unknown }>();
  const root: T = new Proxy(client, {
    get(object, member) {
      const value = Reflect.get(object, member, object);
      const entry = typeof member === 'string' && Object.prototype.hasOwnProperty.call(plan, member) ? plan[member] : undefined;
      if (entry !== undefined && typeof entry === 'object' && value !== null && typeof value === 'object') {
        const cached = resourceProxies.get(member);
        if (cached !== undefined && cached.source === value) return cached.proxied;
        const proxied = proxyResource(value, entry, () => root);
        resourceProxies.set(member, { source: value, proxied });
        return proxied;
      }
      if (typeof value !== 'function') return value;
      const cached = boundMethods.get(member);
      if (cached !== undefined && cached.source === value) return cached.bound;
      const method = value as (...args: unknown[]) => unknown;
      // `withOptions()` makes a copy of the client; the copy is instrumented like the original.
      const bound =
        member === 'withOptions'
          ? function (this: unknown, ...args: unknown[]) {
              const copy = method.apply(this === root ? object : this, args);
              return copy !== null && typeof copy === 'object' ? proxyClient(copy, plan) : copy;
            }
          : function (this: unknown, ...args: unknown[]) {
              return method.apply(this === root ? object : this, args);
            };
      boundMethods.set(member, { source: value, bound });
      return bound;
    },
  });
  wrappedClients.add(root);
  return root;
}
