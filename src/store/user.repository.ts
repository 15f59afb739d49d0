/** Members: lookups by id, email and handle; creation that tolerates a concurrent duplicate. */
import type { Kysely, Selectable } from 'kysely';
import type { MemberStatus, Role, User } from '../domain/user.js';
import type { Database } from './schema.js';
import type { UsersTable } from './user.schema.js';

type Executor = Kysely<Database>;
type UserRow = Selectable<UsersTable>;

export function toUser(row: UserRow): User {
  return {
    id: Number(row.id),
    email: row.email,
    handle: row.handle,
    displayName: row.display_name,
    role: row.role === 'admin' ? 'admin' : 'member',
    status: row.status === 'suspended' ? 'suspended' : 'active',
    suspendedReason: row.suspended_reason,
    createdAt: row.created_at,
    lastSignInAt: row.last_sign_in_at,
  };
}

/** True for a UNIQUE or PRIMARY KEY violation on either dialect. */
export function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

export async function findUserByEmail(db: Executor, email: string): Promise<User | null> {
  const row = await db.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst();
  return row ? toUser(row) : null;
}

export async function findUserByHandle(db: Executor, handle: string): Promise<User | null> {
  const row = await db.selectFrom('users').selectAll().where('handle', '=', handle).executeTakeFirst();
  return row ? toUser(row) : null;
}

/**
 * Inserts a member unless the email address is taken; returns the member with that address
 * either way (two sign-ins racing for a new address end up with one account).
 */
export async function insertUserIfAbsent(db: Executor, user: { email: string; handle: string; displayName: string; role: Role; now: string }): Promise<{ user: User; created: boolean }> {
  const result = await db
    .insertInto('users')
    .values({ email: user.email, handle: user.handle, display_name: user.displayName, role: user.role, status: 'active', created_at: user.now, updated_at: user.now })
    .onConflict((oc) => oc.column('email').doNothing())
    .executeTakeFirst();
  const created = Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
  const stored = await findUserByEmail(db, user.email);
  if (!stored) throw new Error(`user ${user.email} vanished right after insert`);
  return { user: stored, created };
}

export async function updateUserProfile(db: Executor, id: number, profile: { displayName: string; handle: string }, now: string): Promise<void> {
  await db.updateTable('users').set({ display_name: profile.displayName, handle: profile.handle, updated_at: now }).where('id', '=', id).execute();
}

export async function setUserRole(db: Executor, id: number, role: Role, now: string): Promise<void> {
  await db.updateTable('users').set({ role, updated_at: now }).where('id', '=', id).execute();
}

export async function setUserStatus(db: Executor, id: number, status: MemberStatus, reason: string | null, now: string): Promise<void> {
  await db.updateTable('users').set({ status, suspended_reason: status === 'suspended' ? reason : null, updated_at: now }).where('id', '=', id).execute();
}

export async function recordSignIn(db: Executor, id: number, now: string): Promise<void> {
  await db.updateTable('users').set({ last_sign_in_at: now }).where('id', '=', id).execute();
}

/** Takes a row lock on the member (PostgreSQL) so their concurrent writes queue up; SQLite serializes writers anyway. */
export async function lockUser(db: Executor, id: number, dialect: 'sqlite' | 'postgres'): Promise<void> {
  if (dialect === 'postgres') await db.selectFrom('users').select('id').where('id', '=', id).forUpdate().execute();
}
