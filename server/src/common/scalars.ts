import { GraphQLError, GraphQLScalarType, Kind, type ValueNode } from 'graphql';
import { DateTimeResolver } from 'graphql-scalars';
import { Decimal } from 'decimal.js';

function invalid(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT' } });
}

const DECIMAL_INPUT = /^-?\d{1,17}(\.\d{1,4})?$/;

/** Money and rates as decimal strings, e.g. "1234.50". Never a float on the wire. */
export const DecimalScalar: GraphQLScalarType<string, string> = new GraphQLScalarType<
  string,
  string
>({
  name: 'Decimal',
  description: 'A decimal number as a string, e.g. "1234.50". Money is never a float.',
  serialize(value) {
    if (typeof value === 'string') return value;
    if (value instanceof Decimal) return value.toFixed();
    throw invalid('Decimal cannot represent a non-string value');
  },
  parseValue(value): string {
    if (typeof value !== 'string' || !DECIMAL_INPUT.test(value.trim())) {
      throw invalid(
        `Decimal must be a string like "1234.50" (at most 17 digits and 4 decimals), got ${JSON.stringify(value)?.slice(0, 40)}`,
      );
    }
    return new Decimal(value.trim()).toFixed();
  },
  parseLiteral(ast: ValueNode): string {
    if (ast.kind !== Kind.STRING) throw invalid('Decimal must be a string like "1234.50"');
    return DecimalScalar.parseValue(ast.value);
  },
});

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isValidDate(value: string): boolean {
  const m = DATE.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return y >= 1900 && y <= 2999 && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

/** A calendar date, `YYYY-MM-DD`, with no time zone. */
export const DateScalar: GraphQLScalarType<string, string> = new GraphQLScalarType<string, string>({
  name: 'Date',
  description: 'A calendar date, YYYY-MM-DD.',
  serialize(value) {
    if (typeof value === 'string' && DATE.test(value)) return value;
    if (value instanceof Date) return value.toISOString().slice(0, 10);
    throw invalid('Date cannot represent this value');
  },
  parseValue(value): string {
    if (typeof value !== 'string' || !isValidDate(value)) {
      throw invalid(
        `Date must be a real date as YYYY-MM-DD, got ${JSON.stringify(value)?.slice(0, 40)}`,
      );
    }
    return value;
  },
  parseLiteral(ast: ValueNode): string {
    if (ast.kind !== Kind.STRING) throw invalid('Date must be a string YYYY-MM-DD');
    return DateScalar.parseValue(ast.value);
  },
});

export const DateTimeScalar = new GraphQLScalarType({
  ...DateTimeResolver.toConfig(),
  name: 'DateTime',
  description: 'An ISO 8601 timestamp in UTC, e.g. 2026-11-21T10:00:00.000Z.',
  serialize(value) {
    if (value instanceof Date) return value.toISOString();
    if (typeof value === 'string') return new Date(value).toISOString();
    throw invalid('DateTime cannot represent this value');
  },
});
