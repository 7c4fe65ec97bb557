// The one file that imports xml2js: reading Verilator's --xml-only netlist and
// writing the JUnit results. Everything else handles plain XmlElement trees.
import xml2js from 'xml2js';

/** An element as the rest of the harness sees it. */
export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  text?: string;
}

type Raw = { '#name': string; $?: Record<string, string>; $$?: Raw[]; _?: string };

function convert(raw: Raw): XmlElement {
  const el: XmlElement = { name: raw['#name'], attrs: raw.$ ?? {}, children: (raw.$$ ?? []).map(convert) };
  if (raw._ !== undefined) el.text = raw._;
  return el;
}

/** Parses an XML document; returns its root element with children in document order. */
export async function parseXml(text: string): Promise<XmlElement> {
  const doc = (await xml2js.parseStringPromise(text, {
    explicitChildren: true,
    preserveChildrenOrder: true,
    explicitRoot: true,
    charsAsChildren: false,
  })) as Record<string, Raw>;
  const rootName = Object.keys(doc)[0];
  if (rootName === undefined) throw new Error('empty XML document');
  const root = doc[rootName] as Raw;
  return convert({ ...root, '#name': rootName });
}

type BuildNode = { $?: Record<string, string>; _?: string; [child: string]: unknown };

function toBuild(el: XmlElement): BuildNode {
  const node: BuildNode = {};
  if (Object.keys(el.attrs).length > 0) node.$ = el.attrs;
  if (el.text !== undefined) node._ = el.text;
  for (const child of el.children) {
    const list = (node[child.name] as BuildNode[] | undefined) ?? [];
    list.push(toBuild(child));
    node[child.name] = list;
  }
  return node;
}

/**
 * Serializes an element tree (UTF-8 declaration, two-space indent). Children
 * with the same name are grouped in first-appearance order, which is all the
 * JUnit writer needs.
 */
export function buildXml(root: XmlElement): string {
  const builder = new xml2js.Builder({
    rootName: root.name,
    xmldec: { version: '1.0', encoding: 'UTF-8' },
    renderOpts: { pretty: true, indent: '  ', newline: '\n' },
  });
  return builder.buildObject(toBuild(root));
}

/** Shorthand constructor for trees to serialize. */
export function el(name: string, attrs: Record<string, string> = {}, children: XmlElement[] = [], text?: string): XmlElement {
  const e: XmlElement = { name, attrs, children };
  if (text !== undefined) e.text = text;
  return e;
}
