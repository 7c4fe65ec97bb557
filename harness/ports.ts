// The port list of a top module, read from Verilator's --xml-only netlist: the
// module marked topModule="1", its <var dir=…> children, and their widths from
// the <typetable>. Pure: tested on recorded Verilator output (ports.test.ts).
import type { XmlElement } from './xml.ts';

export type PortDirection = 'input' | 'output' | 'inout';

export interface PortInfo {
  /** The Verilog name, also the C++ member name in the Verilated model. */
  readonly name: string;
  readonly direction: PortDirection;
  /** Width in bits (1 for a scalar). */
  readonly width: number;
  /**
   * Bytes of the model's storage for it: Verilator keeps ≤8 bits in CData,
   * ≤16 in SData, ≤32 in IData, ≤64 in QData, wider in 32-bit words (WData).
   */
  readonly bytes: number;
}

/** Bytes of Verilator's storage for a `width`-bit signal. */
export function storageBytes(width: number): number {
  if (width <= 8) return 1;
  if (width <= 16) return 2;
  if (width <= 32) return 4;
  if (width <= 64) return 8;
  return 4 * Math.ceil(width / 32);
}

function* walk(el: XmlElement): Generator<XmlElement> {
  yield el;
  for (const c of el.children) yield* walk(c);
}

function dtypeWidths(root: XmlElement): Map<string, number> {
  const widths = new Map<string, number>();
  for (const e of walk(root)) {
    if (e.name !== 'basicdtype' || e.attrs.id === undefined) continue;
    const { left, right } = e.attrs;
    widths.set(e.attrs.id, left === undefined ? 1 : Math.abs(Number(left) - Number(right ?? 0)) + 1);
  }
  return widths;
}

/** Ports of the top module in declaration order. Throws naming what is missing. */
export function portsFromXml(root: XmlElement): PortInfo[] {
  const top = [...walk(root)].find((e) => e.name === 'module' && e.attrs.topModule === '1');
  if (!top) throw new Error('Verilator XML has no module with topModule="1"');
  const widths = dtypeWidths(root);
  const ports: PortInfo[] = [];
  for (const v of top.children) {
    if (v.name !== 'var' || v.attrs.dir === undefined) continue;
    const { name, dir, dtype_id: dtype } = v.attrs;
    if (name === undefined || dtype === undefined) throw new Error(`Verilator XML port without name or dtype_id in ${top.attrs.name}`);
    const width = widths.get(dtype);
    if (width === undefined) throw new Error(`port ${name}: type ${dtype} is not a plain bit vector (unpacked arrays and structs are not supported as top-level ports)`);
    const direction = dir === 'input' || dir === 'output' || dir === 'inout' ? dir : undefined;
    if (!direction) throw new Error(`port ${name}: unknown direction '${dir}'`);
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new Error(`port '${name}' is not a plain identifier`);
    ports.push({ name, direction, width, bytes: storageBytes(width) });
  }
  const pins = top.children.filter((v) => v.name === 'var' && v.attrs.pinIndex !== undefined);
  if (pins.length === ports.length) {
    // Verilator numbers pins from 1 in declaration order; keep that order.
    const index = new Map(pins.map((v) => [v.attrs.name, Number(v.attrs.pinIndex)]));
    ports.sort((a, b) => (index.get(a.name) ?? 0) - (index.get(b.name) ?? 0));
  }
  return ports;
}
