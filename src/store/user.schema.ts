/** Row types of the member tables (migration 010), merged into `Database` by schema.ts. */
import type { Generated } from 'kysely';

export interface UsersTable {
  id: Generated<number>;
  email: string;
  handle: string;
  display_name: string;
  role: string;
  status: string;
  suspended_reason: string | null;
  created_at: string;
  updated_at: string;
  last_sign_in_at: string | null;
}

export interface SessionsTable {
  id: string;
  user_id: number;
  csrf_token: string;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
  user_agent: string | null;
  ip: string | null;
}

export interface LoginTokensTable {
  token_hash: string;
  email: string;
  requested_ip: string | null;
  next_path: string | null;
  created_at: string;
  expires_at: string;
  first_used_at: string | null;
  use_count: Generated<number>;
}

export interface VotesTable {
  user_id: number;
  paper_id: number;
  created_at: string;
}

export interface CommentsTable {
  id: Generated<number>;
  public_id: string;
  paper_id: number;
  user_id: number;
  parent_id: number | null;
  depth: number;
  body: string;
  created_at: string;
  edited_at: string | null;
  deleted_at: string | null;
  hidden_at: string | null;
}

export interface DailyEntriesTable {
  id: Generated<number>;
  paper_id: number;
  day: string;
  submitted_by: number | null;
  submitted_at: string;
}

export interface LibraryItemsTable {
  user_id: number;
  paper_id: number;
  note: string;
  created_at: string;
  updated_at: string;
}

export interface HiddenPapersTable {
  paper_id: number;
  hidden_by: number | null;
  reason: string | null;
  hidden_at: string;
}

export interface ModerationLogTable {
  id: Generated<number>;
  actor_id: number | null;
  action: string;
  target_type: string;
  target: string;
  reason: string | null;
  created_at: string;
}

export interface ApiTokensTable {
  id: Generated<number>;
  user_id: number;
  name: string;
  token_hash: string;
  hint: string;
  scope: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

export interface MemberTables {
  api_tokens: ApiTokensTable;
  users: UsersTable;
  sessions: SessionsTable;
  login_tokens: LoginTokensTable;
  votes: VotesTable;
  comments: CommentsTable;
  daily_entries: DailyEntriesTable;
  library_items: LibraryItemsTable;
  hidden_papers: HiddenPapersTable;
  moderation_log: ModerationLogTable;
}
