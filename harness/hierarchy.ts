// Signals inside the design, by path from the DUT, for builds with DesignSpec.internals:
//   hierarchy(dut).g_lane[0].u_leaf.acc_q     (or dut.g_lane[0]… untyped, signalAt(dut, 'g_lane[0].u_leaf.acc_q'))
// The names come from the model's own scope tables (native/mpsa_hier.cpp), so every signal
// Verilator kept is there under its Verilog path; a name that is not there fails at once,
// listing close matches. Writes take the harness's write phase like port writes; Force /
// Freeze / Release use the __VforceEn / __VforceVal pairs of Verilator's `forceable`.
import type { WriteAction } from './actions.ts';
import { viewMemory } from './ffi.ts';
import type { ShimLibrary } from './ffi.ts';
import type { ModelInstance } from './model.ts';
import { Signal, type SignalOwner, type SignalValue } from './signal.ts';

/** A signal inside the design as the model's scope tables list it. */
export interface InternalInfo {
  /** Path below the top module: 'g_lane[0].u_leaf.acc_q'. */
  readonly path: string;
  /** Verilator's scope name ('TOP.hier.g_lane[0].u_leaf') and the signal's name in it. */
  readonly scope: string;
  readonly name: string;
  readonly width: number;
  /** Bytes of storage; 0 for types the harness cannot view (string, real). */
  readonly bytes: number;
  /** Unpacked dimensions (memories): the first one is indexed, `mem[i]`; width and bytes are an element's. */
  readonly udims: number;
  /** Index range of the first unpacked dimension (0, 0 without one). */
  readonly low: number;
  readonly high: number;
  readonly param: boolean;
}

/** A name in the hierarchy: a signal, or a scope (an instance or generate block) whose children are names again. */
export type HierNode = Signal & Scope;
/** A scope of the design: its signals and sub-scopes by name; `[i]` for generate-loop blocks. */
export interface Scope {
  readonly [name: string]: HierNode;
}

type Action = 'deposit' | 'force' | 'freeze' | 'release';

/** A signal inside the design: read like a port; written, forced, frozen and released in the write phase. */
export class InternalSignal extends Signal {
  /** The action of the pending write (scheduler-owned, with `next`). */
  private nextAction: Action = 'deposit';
  private forcedValue: SignalValue | undefined;

  constructor(
    readonly info: InternalInfo,
    memory: ArrayBuffer,
    owner: SignalOwner,
    private readonly force: { en: Signal; val: Signal } | undefined,
  ) {
    super({ name: info.path, direction: 'internal', width: info.width, bytes: info.bytes }, -1, memory, owner);
  }

  /** Whether a Force or Freeze holds it now. */
  get forced(): boolean {
    return this.forcedValue !== undefined;
  }

  /** The value the design sees: the forced value while forced. */
  override get value(): SignalValue {
    return this.forcedValue ?? super.value;
  }

  override set value(v: SignalValue | WriteAction) {
    if (typeof v === 'object') {
      this.act(v);
      return;
    }
    this.schedule('deposit', v);
  }

  protected override act(a: WriteAction): void {
    if (a === null || typeof a !== 'object' || !('kind' in a)) throw new TypeError(`${this.name}: cannot write ${String(a)}: expected a number, bigint or write action`);
    if (a.kind === 'deposit' || a.kind === 'force') this.schedule(a.kind, a.value);
    else this.schedule(a.kind, 0);
  }

  private schedule(kind: Action, v: SignalValue): void {
    if (this.info.param) throw new TypeError(`${this.name} is a parameter: it cannot be written`);
    if (kind !== 'deposit' && this.force === undefined) {
      throw new TypeError(
        `${this.name} cannot be forced: Verilator has no working force control for it — a net it merged into another signal (e.g. the target of \`assign y = ${this.info.name}\`), ` +
          'an unpacked array or a parameter; force the signal it was merged into, or a variable',
      );
    }
    const masked = this.masked(v);
    this.nextAction = kind;
    this.owner.write(this, masked);
  }

  /** Applies the pending write (scheduler-owned). */
  override store(v: SignalValue): void {
    const kind = this.nextAction;
    this.nextAction = 'deposit';
    const f = this.force;
    switch (kind) {
      case 'deposit':
        super.store(v);
        return;
      case 'force':
      case 'freeze': {
        const to = kind === 'force' ? v : this.value;
        f!.val.store(to);
        f!.en.store(this.masked(-1));
        this.forcedValue = to;
        return;
      }
      case 'release':
        if (this.forcedValue === undefined) return;
        // A variable keeps the forced value until the design assigns it; a net is
        // recomputed from its drivers by the eval that follows.
        super.store(this.forcedValue);
        f!.en.store(0);
        this.forcedValue = undefined;
        return;
    }
  }

  override toString(): string {
    return `${this.name}=${this.value.toString()}${this.forced ? ' (forced)' : ''}`;
  }
}

interface Native {
  list(h: unknown): string;
  addr(h: unknown, scope: string, name: string): unknown;
  elem(h: unknown, scope: string, name: string, index: number): unknown;
  forceAddr(h: unknown, data: unknown, which: number): unknown;
}

const natives = new WeakMap<ShimLibrary, Native>();
/** Per shared object: its signals and their tree (the same for every instance). */
const trees = new Map<string, { all: InternalInfo[]; root: Node }>();

function native(lib: ShimLibrary): Native {
  let n = natives.get(lib);
  if (n === undefined) {
    n = {
      list: lib.func('const char *mpsa_hier_list(void *)') as Native['list'],
      addr: lib.func('void *mpsa_hier_addr(void *, const char *, const char *)') as Native['addr'],
      elem: lib.func('void *mpsa_hier_elem(void *, const char *, const char *, int)') as Native['elem'],
      forceAddr: lib.func('void *mpsa_force_addr(void *, void *, int)') as Native['forceAddr'],
    };
    natives.set(lib, n);
  }
  return n;
}

/** Splits 'a.g[0].b' (or 'a.g.0.b') into ['a', 'g', '0', 'b']. */
export function pathTokens(path: string): string[] {
  return path
    .replace(/\[(\d+)\]/g, '.$1')
    .split('.')
    .filter((t) => t !== '');
}

function joinPath(tokens: readonly string[]): string {
  return tokens.map((t, i) => (/^\d+$/.test(t) ? `[${t}]` : i === 0 ? t : `.${t}`)).join('');
}

/** Parses mpsa_hier_list's text: the signals below `TOP.<top>` (the top's ports are the DUT's). */
export function parseList(text: string, top: string): InternalInfo[] {
  const prefix = `TOP.${top}`;
  const out: InternalInfo[] = [];
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const [scope = '', name = '', width, bytes, udims, param, low, high] = line.split('\t');
    if (scope !== prefix && !scope.startsWith(`${prefix}.`)) continue;
    const below = scope.slice(prefix.length + 1);
    out.push({
      path: below ? `${below}.${name}` : name, scope, name, width: Number(width), bytes: Number(bytes), udims: Number(udims), low: Number(low ?? 0), high: Number(high ?? 0), param: param === '1',
    });
  }
  return out;
}

interface Node {
  readonly tokens: string[];
  readonly children: Map<string, Node>;
  info?: InternalInfo;
}

function editDistance(a: string, b: string): number {
  const d = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = d[0]!;
    d[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = d[j]!;
      d[j] = Math.min(d[j]! + 1, d[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return d[b.length]!;
}

/** Names the proxies answer `undefined` for: probes by vitest, Node's inspect and promise resolution. */
const PROBES = new Set(['then', 'toJSON', 'asymmetricMatch', '$$typeof', 'nodeType', 'constructor', 'inspect', 'toString', 'valueOf', '@@__IMMUTABLE_ITERABLE__@@', '@@__IMMUTABLE_RECORD__@@', '_isMockFunction']);

/** The hierarchy of one model instance. */
export class Hierarchy {
  private readonly root: Node;
  private readonly signals = new Map<string, InternalSignal>();
  private readonly proxies = new Map<Node, Scope>();
  private readonly all: InternalInfo[];
  private readonly opened: true | { readonly modules: readonly string[] };

  constructor(
    private readonly model: ModelInstance,
    private readonly owner: SignalOwner,
    private readonly ports: Readonly<Record<string, Signal>>,
    private readonly created: Signal[],
    private readonly top: string,
  ) {
    const internals = model.built.spec.internals;
    this.opened = internals === true || !internals ? true : internals;
    const so = model.built.soPath;
    let tree = trees.get(so);
    if (tree === undefined) {
      const all = parseList(native(model.lib).list(model.handle), top);
      const root: Node = { tokens: [], children: new Map() };
      for (const info of all) {
        let n = root;
        for (const t of pathTokens(info.path)) {
          let c = n.children.get(t);
          if (c === undefined) n.children.set(t, (c = { tokens: [...n.tokens, t], children: new Map() }));
          n = c;
        }
        n.info = info;
      }
      trees.set(so, (tree = { all, root }));
    }
    this.all = tree.all;
    this.root = tree.root;
  }

  /** The DUT: ports first, then the top module's signals and scopes. */
  dut(): Scope {
    return this.scopeProxy(this.root, this.ports);
  }

  /** The signal at `path` ('g_lane[0].u_leaf.acc_q'). */
  signalAt(path: string): Signal {
    const tokens = pathTokens(path);
    if (tokens.length === 1 && this.ports[tokens[0]!]) return this.ports[tokens[0]!]!;
    let n = this.root;
    for (let k = 0; k < tokens.length; k++) {
      const t = tokens[k]!;
      if (n.info !== undefined && n.info.udims > 0) {
        if (k !== tokens.length - 1) throw new TypeError(`${joinPath([...n.tokens, t])}: only the first dimension of an unpacked array is indexed`);
        return this.element(n.info, t);
      }
      n = this.child(n, t);
    }
    if (n.info === undefined) throw new TypeError(`'${joinPath(n.tokens)}' in ${this.top} is a scope, not a signal; it holds ${this.childList(n)}`);
    if (n.info.udims > 0) throw new TypeError(`${n.info.path} is an unpacked array [${n.info.low}:${n.info.high}]: index it (${joinPath(n.tokens)}[${n.info.low}])`);
    return this.signal(n.info);
  }

  /** Element `t` of the unpacked array `info`. */
  private element(info: InternalInfo, t: string): InternalSignal {
    const i = /^-?\d+$/.test(t) ? Number(t) : NaN;
    const path = `${info.path}[${t}]`;
    if (!Number.isInteger(i) || i < info.low || i > info.high) throw new TypeError(`${path}: ${info.path} has elements ${info.low} to ${info.high}`);
    let s = this.signals.get(path);
    if (s !== undefined) return s;
    if (info.udims > 1) throw new TypeError(`${path}: only one-dimensional unpacked arrays are supported`);
    if (info.bytes === 0) throw new TypeError(`${path} is not a bit vector (a string or real): the harness cannot view it`);
    const addr = native(this.model.lib).elem(this.model.handle, info.scope, info.name, i);
    if (addr === null || addr === undefined) throw new TypeError(`${path}: the model gave no storage for it`);
    s = new InternalSignal({ ...info, path, udims: 0 }, viewMemory(addr, info.bytes), this.owner, undefined);
    this.signals.set(path, s);
    this.created.push(s);
    return s;
  }

  /** An unpacked array: `mem[i]` is element i (a signal), `mem.length` its size. */
  private memoryProxy(info: InternalInfo): Scope {
    const target = Object.create(null) as Record<string, unknown>;
    return new Proxy(target, {
      get: (_t, prop) => {
        if (typeof prop === 'symbol') return undefined;
        if (prop === 'length') return info.high - info.low + 1;
        if (PROBES.has(prop)) return prop === 'toString' ? () => `Memory(${info.path})` : undefined;
        if (/^-?\d+$/.test(prop)) return this.element(info, prop);
        throw new TypeError(`${info.path} is an unpacked array [${info.low}:${info.high}]: index it (${info.path}[${info.low}]), '${prop}' is not an element`);
      },
      set: (_t, prop) => {
        throw new TypeError(`cannot assign ${info.path}[${String(prop)}]: write an element's value instead (${info.path}[${String(prop)}].value = …)`);
      },
    }) as unknown as Scope;
  }

  private child(n: Node, t: string): Node {
    const c = n.children.get(t);
    if (c !== undefined) return c;
    throw new TypeError(this.unknown(n, t));
  }

  private childList(n: Node): string {
    const names = [...n.children.keys()];
    return names.length > 12 ? `${names.slice(0, 12).join(', ')}, … (${names.length})` : names.join(', ');
  }

  private unknown(n: Node, t: string): string {
    const want = joinPath([...n.tokens, t]);
    const near = [...n.children.keys()]
      .map((k) => [k, editDistance(k.toLowerCase(), t.toLowerCase())] as const)
      .filter(([k, d]) => d <= Math.max(2, Math.floor(t.length / 3)) || k.toLowerCase().includes(t.toLowerCase()))
      .sort((a, b) => a[1] - b[1])
      .slice(0, 5)
      .map(([k]) => joinPath([...n.tokens, k]));
    const elsewhere = this.all.filter((i) => i.name === t && !near.includes(i.path)).slice(0, 5).map((i) => i.path.replace(/\.(\d+)(?=\.|$)/g, '[$1]'));
    const hints = [...near, ...elsewhere];
    return (
      `${this.top} has no signal or scope '${want}'` +
      (hints.length ? `; close matches: ${hints.join(', ')}` : n.children.size ? `; ${joinPath(n.tokens) || this.top} holds ${this.childList(n)}` : '') +
      (this.opened === true
        ? ' (the names are what Verilator kept with --public-flat-rw: a signal it optimised away, or a function\'s local, is not there)'
        : ` (this build opens only the signals of ${this.opened.modules.join(', ')}: add the module to internals.modules)`)
    );
  }

  private signal(info: InternalInfo): InternalSignal {
    let s = this.signals.get(info.path);
    if (s !== undefined) return s;
    if (info.udims > 0) throw new TypeError(`${info.path} is an unpacked array: index it (${info.path}[${info.low}])`);
    if (info.bytes === 0) throw new TypeError(`${info.path} is not a bit vector (a string or real): the harness cannot view it`);
    const n = native(this.model.lib);
    const h = this.model.handle;
    const addr = n.addr(h, info.scope, info.name);
    if (addr === null || addr === undefined) throw new TypeError(`${info.path}: the model gave no storage for it`);
    const en = info.param ? null : n.forceAddr(h, addr, 0);
    const val = info.param ? null : n.forceAddr(h, addr, 1);
    const sub = (suffix: string, p: unknown) => new Signal({ name: `${info.path}${suffix}`, direction: 'internal', width: info.width, bytes: info.bytes }, -1, viewMemory(p, info.bytes), this.owner);
    const force = en && val ? { en: sub('__VforceEn', en), val: sub('__VforceVal', val) } : undefined;
    s = new InternalSignal(info, viewMemory(addr, info.bytes), this.owner, force);
    this.signals.set(info.path, s);
    this.created.push(s);
    return s;
  }

  private scopeProxy(node: Node, ports?: Readonly<Record<string, Signal>>): Scope {
    const cached = this.proxies.get(node);
    if (cached !== undefined) return cached;
    const label = joinPath(node.tokens) || this.top;
    const target: Record<string, unknown> = ports ? { ...ports } : Object.create(null);
    const resolve = (t: string): unknown => {
      if (ports && Object.hasOwn(ports, t)) return ports[t];
      const c = this.child(node, t);
      if (c.info === undefined) return this.scopeProxy(c);
      return c.info.udims > 0 ? this.memoryProxy(c.info) : this.signal(c.info);
    };
    const proxy = new Proxy(target, {
      get: (_t, prop) => {
        if (typeof prop === 'symbol') return prop === Symbol.toStringTag ? `Scope(${label})` : undefined;
        if (PROBES.has(prop)) return prop === 'toString' ? () => `Scope(${label})` : undefined;
        return resolve(prop);
      },
      has: (_t, prop) => typeof prop === 'string' && ((ports !== undefined && Object.hasOwn(ports, prop)) || node.children.has(prop)),
      ownKeys: () => [...new Set([...Object.keys(ports ?? {}), ...node.children.keys()])],
      getOwnPropertyDescriptor: (_t, prop) =>
        typeof prop === 'string' && ((ports !== undefined && Object.hasOwn(ports, prop)) || node.children.has(prop))
          ? { configurable: true, enumerable: true, get: () => resolve(prop) }
          : undefined,
      set: (_t, prop) => {
        throw new TypeError(`cannot assign ${label}.${String(prop)}: write a signal's value instead (${label}.${String(prop)}.value = …)`);
      },
    }) as unknown as Scope;
    this.proxies.set(node, proxy);
    return proxy;
  }
}

const registry = new WeakMap<object, Hierarchy | string>();

/** @internal run.ts: the DUT object of a run; a Proxy over the hierarchy for internals builds. */
export function makeDut(model: ModelInstance, owner: SignalOwner, ports: Record<string, Signal>, created: Signal[]): Readonly<Record<string, Signal>> {
  const spec = model.built.spec;
  if (!spec.internals) {
    const dut = Object.freeze(ports);
    registry.set(dut, spec.top);
    return dut;
  }
  const h = new Hierarchy(model, owner, ports, created, spec.top);
  const dut = h.dut() as unknown as Readonly<Record<string, Signal>>;
  registry.set(dut, h);
  return dut;
}

function hierarchyOf(dut: object, what: string): Hierarchy {
  const h = registry.get(dut);
  if (h instanceof Hierarchy) return h;
  if (typeof h === 'string') throw new TypeError(`design '${h}' was built without internals: set internals: true in its DesignSpec to reach ${what}`);
  throw new TypeError(`${what}: not a DUT handle of a running harness test`);
}

/** The DUT as a typed scope: `hierarchy(dut).u_sub.g_blk[0].sig.value`. Needs a build with internals. */
export function hierarchy(dut: object): Scope {
  return hierarchyOf(dut, 'signals inside the design') && (dut as Scope);
}

/** The signal at `path` below the top module ('u_sub.g_blk[0].sig'), or a port by name. */
export function signalAt(dut: object, path: string): Signal {
  const h = registry.get(dut);
  if (typeof h === 'string' || h === undefined) {
    const port = (dut as Record<string, Signal | undefined>)[path];
    if (port !== undefined && !path.includes('.')) return port;
  }
  return hierarchyOf(dut, `'${path}'`).signalAt(path);
}
