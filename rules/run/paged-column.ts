// Growing columns of numbers in fixed pages of typed arrays, for structures that hold one entry
// per call of a run (millions). A doubling array would hold up to twice what it needs and, while
// it copies, three times; pages never copy and waste at most one page. The first page starts small
// and doubles up to a full page, so a column that stays small costs little.

const PAGE_BITS = 16;
const PAGE = 1 << PAGE_BITS;
const MASK = PAGE - 1;
const FIRST = 256;

type Page = Int32Array | Float64Array;

class PagedColumn<A extends Page> {
  private pages: A[];
  length = 0;

  constructor(private readonly make: (size: number) => A) {
    this.pages = [make(FIRST)];
  }

  get(i: number): number {
    return this.pages[i >>> PAGE_BITS][i & MASK];
  }

  set(i: number, v: number): void {
    this.pages[i >>> PAGE_BITS][i & MASK] = v;
  }

  /** Appends v; returns its position. */
  push(v: number): number {
    const i = this.length;
    const p = i >>> PAGE_BITS;
    const off = i & MASK;
    if (p === this.pages.length) this.pages.push(this.make(PAGE));
    else if (off === this.pages[p].length) {
      const grown = this.make(Math.min(PAGE, off * 2));
      grown.set(this.pages[p]);
      this.pages[p] = grown;
    }
    this.pages[p][off] = v;
    this.length = i + 1;
    return i;
  }
}

export class Int32Column extends PagedColumn<Int32Array> {
  constructor() {
    super((size) => new Int32Array(size));
  }
}

export class Float64Column extends PagedColumn<Float64Array> {
  constructor() {
    super((size) => new Float64Array(size));
  }
}
