/** A member's library: save papers with a note, remove them, list them, export them as BibTeX. */
import { ValidationError } from '../../domain/errors.js';
import { MAX_NOTE_LENGTH, type LibraryEntry } from '../../domain/member.js';
import type { User } from '../../domain/user.js';
import { deleteLibraryItem, listLibrary, upsertLibraryItem } from '../../store/library.repository.js';
import { toBibtex } from './library-bibtex.js';
import { assertActive, requirePaperKey, type MemberDeps } from './member-deps.js';

function validateNote(note: string | undefined): string {
  const text = (note ?? '').replace(/\r\n?/g, '\n').trim();
  if (text.length > MAX_NOTE_LENGTH) throw new ValidationError(`The note is longer than ${MAX_NOTE_LENGTH} characters.`, { field: 'note' });
  return text;
}

export async function saveToLibrary(deps: MemberDeps, user: User, arxivId: string, note?: string): Promise<void> {
  assertActive(user);
  const { id: paperId } = await requirePaperKey(deps, arxivId);
  await upsertLibraryItem(deps.db.kysely, { userId: user.id, paperId, note: validateNote(note), now: deps.now().toISOString() });
}

export async function removeFromLibrary(deps: MemberDeps, user: User, arxivId: string): Promise<void> {
  const { id: paperId } = await requirePaperKey(deps, arxivId);
  await deleteLibraryItem(deps.db.kysely, user.id, paperId);
}

export function libraryOf(deps: MemberDeps, user: User, options: { arxivIds?: readonly string[] } = {}): Promise<LibraryEntry[]> {
  return listLibrary(deps.db.kysely, user.id, options);
}

export async function libraryBibtex(deps: MemberDeps, user: User): Promise<string> {
  return toBibtex(await listLibrary(deps.db.kysely, user.id));
}
