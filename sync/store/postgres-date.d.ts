/** postgres-date 1.x ships no types: it parses PostgreSQL's text form of date and timestamp values. */
declare module 'postgres-date' {
  /** A Date, ±Infinity for `infinity`, or null for text it does not recognise. */
  export default function parseDate(value: string): Date | number | null;
}
