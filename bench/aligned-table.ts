/** Writes rows of cells as columns: the first `textColumns` left-aligned, the figures right-aligned. */
import type { Writable } from 'node:stream';

export function writeAlignedTable(table: readonly (readonly string[])[], textColumns: number, out: Writable): void {
  const widths = table[0]!.map((_, i) => Math.max(...table.map((row) => row[i]!.length)));
  for (const row of table) out.write(`${row.map((cell, i) => (i < textColumns ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ')}\n`);
}
