/**
 * Checks an incoming request against the WSDL's schema types, as the soap package parsed them:
 * every element must be declared in its type's sequence and come in its order, required ones
 * (minOccurs=1) present, no element repeated past maxOccurs, and simple values of their
 * declared type. The local
 * service refuses a request that fails, so the contract tests prove every request the adapter
 * sends matches the WSDL.
 */
import type { WSDL } from 'soap';

interface SchemaNode {
  name: string;
  $name?: string;
  $type?: string;
  $base?: string;
  $minOccurs?: string;
  $maxOccurs?: string;
  $nillable?: string;
  $value?: string;
  children: SchemaNode[];
}
interface Schema {
  elements: Record<string, SchemaNode>;
  complexTypes: Record<string, SchemaNode>;
  types: Record<string, SchemaNode>;
}
interface Field {
  name: string;
  type: string | undefined;
  inline: SchemaNode | undefined;
  min: number;
  max: number;
  nillable: boolean;
}

const IGNORED_KEYS = new Set(['$attributes', 'attributes', '$xml', '$value']);
const local = (qname: string) => qname.slice(qname.indexOf(':') + 1);

export class RequestValidator {
  private readonly schema: Schema;

  constructor(wsdl: WSDL) {
    const schemas = wsdl.definitions.schemas as unknown as Record<string, Schema>;
    this.schema = Object.values(schemas)[0];
  }

  /** Problems of one operation's body and AiqSoapHeader; empty when both match the WSDL. */
  check(operation: string, args: unknown, header: unknown): string[] {
    const problems: string[] = [];
    const element = this.schema.elements[operation];
    if (!element) return [`operation ${operation} is not in the WSDL`];
    this.checkObject(this.fieldsOf(element), args ?? {}, operation, problems);
    if (header !== undefined)
      this.checkObject(
        this.fieldsOf(this.schema.complexTypes.AiqSoapHeader),
        header,
        'AiqSoapHeader',
        problems,
      );
    return problems;
  }

  private fieldsOf(node: SchemaNode | undefined): Field[] {
    if (!node) return [];
    const fields: Field[] = [];
    for (const child of node.children ?? []) {
      if (child.name === 'element' && child.$name) {
        fields.push({
          name: child.$name,
          type: child.$type,
          inline: child.$type ? undefined : child,
          min: child.$minOccurs === undefined ? 1 : Number(child.$minOccurs),
          max:
            child.$maxOccurs === 'unbounded'
              ? Infinity
              : child.$maxOccurs === undefined
                ? 1
                : Number(child.$maxOccurs),
          nillable: child.$nillable === 'true',
        });
      } else if (child.name === 'extension' && child.$base) {
        fields.push(
          ...this.fieldsOf(this.schema.complexTypes[local(child.$base)]),
          ...this.fieldsOf(child),
        );
      } else if (child.name !== 'attribute' && child.name !== 'anyAttribute') {
        fields.push(...this.fieldsOf(child));
      }
    }
    return fields;
  }

  private checkObject(fields: Field[], value: unknown, path: string, problems: string[]): void {
    if (value === '' || value === undefined) value = {};
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      problems.push(`${path}: expected an element with children`);
      return;
    }
    const record = value as Record<string, unknown>;
    // The parser keeps the elements' document order in the object's keys: a sequence's order.
    let lastIndex = -1;
    for (const key of Object.keys(record)) {
      if (IGNORED_KEYS.has(key)) continue;
      const index = fields.findIndex((f) => f.name === key);
      if (index < 0) problems.push(`${path}: unknown element ${key}`);
      else if (index < lastIndex) problems.push(`${path}: element ${key} out of sequence order`);
      else lastIndex = index;
    }
    for (const field of fields) {
      const raw = record[field.name];
      const values = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
      if (values.length < field.min) problems.push(`${path}: missing element ${field.name}`);
      if (values.length > field.max) problems.push(`${path}: element ${field.name} repeated`);
      values.forEach((v) => this.checkValue(field, v, `${path}.${field.name}`, problems));
    }
  }

  private checkValue(field: Field, value: unknown, path: string, problems: string[]): void {
    if (value === null) {
      if (!field.nillable) problems.push(`${path}: nil but not nillable`);
      return;
    }
    if (field.inline) return this.checkObject(this.fieldsOf(field.inline), value, path, problems);
    const type = field.type ?? 's:string';
    if (type.startsWith('s:')) return checkSimple(local(type), value, path, problems);
    const complex = this.schema.complexTypes[local(type)];
    if (complex) return this.checkObject(this.fieldsOf(complex), value, path, problems);
    const simple = this.schema.types[local(type)];
    if (simple) {
      const allowed = enumerationOf(simple);
      if (allowed.length > 0 && !allowed.includes(String(value as string)))
        problems.push(`${path}: '${String(value as string)}' is not one of ${type}`);
      return;
    }
    problems.push(`${path}: type ${type} is not in the WSDL`);
  }
}

function enumerationOf(node: SchemaNode): string[] {
  const out: string[] = [];
  for (const child of node.children ?? []) {
    if (child.name === 'enumeration' && child.$value !== undefined) out.push(child.$value);
    else out.push(...enumerationOf(child));
  }
  return out;
}

const SIMPLE: Record<string, (v: unknown) => boolean> = {
  string: (v) => typeof v === 'string',
  int: (v) => typeof v === 'number' && Number.isInteger(v),
  boolean: (v) => typeof v === 'boolean',
  // decimals and dates arrive as text (the service's customDeserializer keeps them so).
  decimal: (v) => typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v),
  date: (v) => typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v),
  dateTime: (v) => typeof v === 'string' && !Number.isNaN(Date.parse(v)),
};

function checkSimple(type: string, value: unknown, path: string, problems: string[]): void {
  const check = SIMPLE[type];
  if (!check) problems.push(`${path}: simple type s:${type} is not supported by the check`);
  else if (!check(value))
    problems.push(`${path}: '${String(value as string)}' is not an s:${type}`);
}
