/** A typed array that doubles its capacity as values are appended. */
export class GrowableColumn<T extends Float64Array | Uint32Array | Uint8Array> {
  private array: T;

  constructor(private readonly create: (capacity: number) => T) {
    this.array = create(1024);
  }

  get values(): T {
    return this.array;
  }

  set(index: number, value: number): void {
    if (index >= this.array.length) {
      const bigger = this.create(Math.max(this.array.length * 2, index + 1));
      bigger.set(this.array);
      this.array = bigger;
    }
    this.array[index] = value;
  }
}

/** Interns strings as small integers, so a row stores a number and groups compare numbers. */
export class Dictionary {
  private readonly ids = new Map<string, number>();
  readonly names: string[] = [];

  idOf(name: string): number {
    let id = this.ids.get(name);
    if (id === undefined) {
      id = this.names.length;
      this.ids.set(name, id);
      this.names.push(name);
    }
    return id;
  }

  /** The id of a name already seen, or -1. */
  find(name: string): number {
    return this.ids.get(name) ?? -1;
  }
}
