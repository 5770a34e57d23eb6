/**
 * A timestamp as ms since the Unix epoch, from the forms market data files use:
 * `YYYY-MM-DD HH:MM:SS` or any ISO-8601 form (UTC when no zone is given, never the machine's
 * local zone), Unix seconds, or Unix milliseconds (numbers from 1e10 up). undefined if none fits.
 */
export function parseTimestamp(raw: string): number | undefined {
  if (/^\d+(\.\d+)?$/.test(raw)) {
    const n = Number(raw);
    // Unix seconds until year ~2286, milliseconds above that.
    return n < 1e10 ? n * 1000 : n;
  }
  const zoneless = /^\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?$/.test(raw);
  const iso = zoneless ? (raw.length === 10 ? `${raw}T00:00:00Z` : `${raw.replace(' ', 'T')}Z`) : raw;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? undefined : ms;
}
