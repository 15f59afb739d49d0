/**
 * Members: who they are, what they may do, and the rules for what they type about themselves
 * (email address, display name, handle). Public pages name members by handle, never by row id
 * or email address.
 */
import { ValidationError } from './errors.js';

export type Role = 'member' | 'admin';
export type MemberStatus = 'active' | 'suspended';

export interface User {
  id: number;
  email: string;
  handle: string;
  displayName: string;
  role: Role;
  status: MemberStatus;
  suspendedReason: string | null;
  createdAt: string;
  lastSignInAt: string | null;
}

/** What anybody may see about a member. */
export interface PublicMember {
  handle: string;
  displayName: string;
  role: Role;
  suspended: boolean;
  joinedAt: string;
}

export function toPublicMember(user: User): PublicMember {
  return { handle: user.handle, displayName: user.displayName, role: user.role, suspended: user.status === 'suspended', joinedAt: user.createdAt };
}

export function isAdmin(user: User | null | undefined): boolean {
  return user?.role === 'admin' && user.status === 'active';
}

const EMAIL = /^[^\s@<>()[\]\\,;:"]+@[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/;

/** Trims and lower-cases an address and checks its shape; one account per normalized address. */
export function normalizeEmail(input: string): string {
  const email = input.trim().toLowerCase();
  if (email.length === 0) throw new ValidationError('Enter your email address.', { field: 'email' });
  if (email.length > 254 || !EMAIL.test(email)) throw new ValidationError(`"${input.trim().slice(0, 80)}" is not an email address.`, { field: 'email' });
  return email;
}

// Control and invisible formatting characters (bidi overrides, zero-width joiners) can make one
// name look like another.
const INVISIBLE = /[\p{Cc}\p{Cf}\u2028\u2029]/u;

export function validateDisplayName(input: string): string {
  const name = input.trim().replace(/\s+/g, ' ');
  if (name.length < 1) throw new ValidationError('The display name is empty.', { field: 'displayName' });
  if ([...name].length > 50) throw new ValidationError('The display name is longer than 50 characters.', { field: 'displayName' });
  if (INVISIBLE.test(name)) throw new ValidationError('The display name contains control or invisible characters.', { field: 'displayName' });
  return name;
}

const HANDLE = /^[a-z0-9](?:[a-z0-9-]{1,28}[a-z0-9])$/;
/**
 * Words that are, or could become, segments of Paperboy's own routes: a handle sits in paths such
 * as `/admin/members/{handle}/suspend` and `/u/{handle}`, and must never read as a route.
 */
const RESERVED_HANDLES = new Set([
  'admin', 'administrator', 'settings', 'me', 'new', 'edit', 'paperboy', 'moderator', 'api', 'signin', 'signout', 'library', 'submit', 'static', 'assets',
  'unsubscribe', 'subscribe', 'confirm', 'digest', 'digests', 'members', 'member', 'suspend', 'unsuspend', 'moderation', 'papers', 'paper', 'comments',
  'search', 'feeds', 'feed', 'authors', 'collections', 'channels', 'tokens', 'for-you', 'discuss', 'date', 'week', 'month', 'metrics', 'healthz', 'readyz',
]);

export function validateHandle(input: string): string {
  const handle = input.trim().toLowerCase();
  if (!HANDLE.test(handle) || handle.includes('--')) {
    throw new ValidationError('A handle has 3 to 30 letters, digits or single hyphens, and starts and ends with a letter or digit.', { field: 'handle' });
  }
  if (RESERVED_HANDLES.has(handle)) throw new ValidationError(`The handle "${handle}" is reserved.`, { field: 'handle' });
  return handle;
}

/** A handle for a new member, from random letters (the email address must not leak into it). */
export function provisionalHandle(randomSuffix: string): string {
  return `member-${randomSuffix.toLowerCase().replace(/[^a-z0-9]/g, '').slice(0, 10)}`;
}
