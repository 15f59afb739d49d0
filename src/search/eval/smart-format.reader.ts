/**
 * Reader for the SMART layout of the classic collections (MED, CRAN, CISI, CACM): records
 * start with `.I <id>`, a field starts with a line holding only its marker (`.T`, `.W`, ...)
 * and runs to the next marker. Repeated markers (CISI's several `.A`, CRAN doc 576's two `.W`)
 * append to the field.
 */
export interface SmartRecord {
  id: string;
  /** Ordinal position in the file, from 1 (CRAN qrels refer to queries by it). */
  ordinal: number;
  fields: Map<string, string>;
}

const RECORD_START = /^\.I\s+(\S+)\s*$/;
const FIELD_MARKER = /^\.([A-Z])\s*$/;

export function parseSmart(text: string): SmartRecord[] {
  const records: SmartRecord[] = [];
  let current: SmartRecord | null = null;
  let field: string | null = null;
  const lines = new Map<string, string[]>();
  const close = () => {
    if (!current) return;
    for (const [name, body] of lines) current.fields.set(name, body.join('\n').trim());
    lines.clear();
  };
  for (const rawLine of text.split('\n')) {
    const line = rawLine.replace(/\r$/, '');
    const start = RECORD_START.exec(line);
    if (start) {
      close();
      current = { id: start[1]!, ordinal: records.length + 1, fields: new Map() };
      records.push(current);
      field = null;
      continue;
    }
    const marker = FIELD_MARKER.exec(line);
    if (marker && current) {
      field = marker[1]!;
      if (!lines.has(field)) lines.set(field, []);
      continue;
    }
    if (current && field) lines.get(field)!.push(line);
  }
  close();
  return records;
}

/** Strips leading zeros the way numeric ids are compared (`001` -> `1`). */
export function normalizeNumericId(id: string): string {
  return /^\d+$/.test(id) ? String(Number(id)) : id;
}
