import pg from 'pg';

const INT8_OID = 20;
const INT8_ARRAY_OID = 1016;

/**
 * pg's type parsers with int8 as a JavaScript number (`version`, `seq`, counts): the default
 * would be a string. Values above 2^53 would lose precision; versions and seq counters stay far below.
 */
export const pgTypes = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === INT8_OID) return (value: string) => Number(value);
    if (oid === INT8_ARRAY_OID) {
      const parseArray = (pg.types.getTypeParser as (oid: number, format: 'text') => unknown)(oid, 'text') as (value: string) => string[];
      return (value: string) => parseArray(value).map((item) => (item === null ? null : Number(item)));
    }
    return (pg.types.getTypeParser as (oid: number, format?: string) => unknown)(oid, format);
  },
} as unknown as pg.CustomTypesConfig;
